"""Fully connected layer on a flattened input, or applied at every position of a
channels-last map or a token sequence (where it is a 1 x 1 convolution: the same
weights, multiply-adds once per position).

>>> from symcnn.convention import Convention
>>> d = KIND.derive({"out": 4096, "bias": True, "in": None}, Shape(9216, 1, 1), Convention())
>>> d.weights == 9216 * 4096, d.biases, d.macs == 9216 * 4096
(True, 4096, True)
>>> d = KIND.derive({"out": 3072, "bias": True, "in": None}, Shape(768, 197, 1, "seq"), Convention())
>>> d.output, d.weights == 768 * 3072, d.macs == 197 * 768 * 3072
(Shape(c=3072, h=197, w=1, layout='seq'), True, True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import IDENTITY, ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.torch_values import to_int
from .common.window import check_match, check_positive, decide, same

PARAMS = (
    Param("out", "output features", aliases=("out_features", "features"), positional=True, symbol="N_out"),
    Param("bias", "learned bias per output", default=True, kind="bool"),
    Param("in", "input features, checked against the input", default=None, aliases=("in_features",),
          symbol="N_in", declared=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "chw":
        return per_position(a, x)
    flat = decide(same(x.h, 1), f"whether the input {x} is flattened (height 1)") and \
        decide(same(x.w, 1), f"whether the input {x} is flattened (width 1)")
    if not flat:
        from ..errors import DerivationError

        raise DerivationError(f"a linear layer needs a flattened input, got {x}: add 'flatten' before it")
    n_in = x.c
    n_out = a["out"]
    check_positive("out", n_out)
    check_match("in_features", a.get("in"), n_in)
    return Derivation(
        output=Shape(n_out, sp.Integer(1), sp.Integer(1)),
        weights=n_in * n_out,
        biases=n_out if a["bias"] else ZERO,
        macs=n_in * n_out,
        bias_adds=n_out if a["bias"] else ZERO,
        window=IDENTITY,  # flatten already collapsed the map
    )


def per_position(a: Args, x: Shape) -> Derivation:
    """The layer on the last axis of an H x W x C map or an L x C sequence: once per position."""
    check_positive("out", a["out"])
    check_match("in_features", a.get("in"), x.c)
    positions = x.h * x.w
    return Derivation(
        output=Shape(a["out"], x.h, x.w, x.layout),
        weights=x.c * a["out"],
        biases=a["out"] if a["bias"] else ZERO,
        macs=positions * x.c * a["out"],
        bias_adds=positions * a["out"] if a["bias"] else ZERO,
        window=IDENTITY,
    )


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    return dict(out=sp.Integer(m.out_features), bias=m.bias is not None, **{"in": sp.Integer(m.in_features)})


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    """F.linear(x, weight, bias), as modules that subclass nn.Linear call it: the weight and bias are the layer's
    parameters; the features are the traced shapes' last axes."""
    from ..errors import SymcnnError

    if not shape_in or not shape_out:
        raise SymcnnError("F.linear without traced shapes")
    bias = node.args[2] if len(node.args) > 2 else node.kwargs.get("bias")
    return dict(out=sp.Integer(shape_out[-1]), bias=bias is not None, **{"in": sp.Integer(shape_in[-1])})


KIND = LayerKind(
    name="linear",
    doc="fully connected layer: N_in x N_out weights",
    params=PARAMS,
    derive=derive,
    aliases=("fc", "dense"),
    textbook=(("c", ("N_out",)), ("weights", ("N_in*N_out",)), ("biases", ("N_out",)), ("macs", ("N_in*N_out",))),
    inputs=("N_in", "H_in", "W_in"),
    channels=("out",),
    flat_input=True,
    torch=TorchHooks(
        modules=("Linear",),
        from_module=from_module,
        calls=("F.linear",),
        from_call=from_call,
        to_module=lambda a, row, nn: nn.Linear(to_int(row.input.c), to_int(a["out"]), bias=bool(a["bias"])),
    ),
    slips=("fc-input-unflattened",),
    order=40,
    family="fc", label_words=(r"\bfc", r"fully", r"dense", r"linear", r"^f\d+\b", r"classifier", r"^output\b",
                              r"^out\b", r"^affine", r"^ip\d"), label_order=50,
)
