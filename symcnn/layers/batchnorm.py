"""Batch normalisation: a scale (gamma) and a shift (beta) per channel.

The running mean and variance are buffers, not parameters: 2C parameters.

>>> from symcnn.convention import Convention
>>> d = KIND.derive({"affine": True, "c": None}, Shape(64, 112, 112), Convention())
>>> d.weights, d.biases
(64, 64)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.torch_values import to_int
from .common.window import check_match

PARAMS = (
    Param("affine", "learned scale and shift", default=True, kind="bool"),
    Param("c", "channels, checked against the input", default=None, aliases=("channels", "num_features"),
          symbol="C", declared=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    check_match("channels", a.get("c"), x.c)
    learned = x.c if a["affine"] else ZERO
    # inference: one multiply and one add per element
    return Derivation(output=x, weights=learned, biases=learned, other_ops=2 * x.elements)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    """F.batch_norm(x, running_mean, running_var, weight, bias, ...), as timm's BatchNormAct2d calls it: the weight
    and bias are the layer's parameters (the running statistics are buffers)."""
    weight = node.args[3] if len(node.args) > 3 else node.kwargs.get("weight")
    return dict(affine=weight is not None, c=sp.Integer(shape_in[1]) if shape_in and len(shape_in) == 4 else None)


KIND = LayerKind(
    name="batchnorm",
    doc="batch normalisation: gamma and beta per channel (2C parameters)",
    params=PARAMS,
    derive=derive,
    aliases=("bn", "batchnorm2d"),
    textbook=(("weights", ("C_in",)), ("biases", ("C_in",))),
    torch=TorchHooks(
        modules=("BatchNorm2d", "BatchNorm1d"),  # 1-D: over a vector's features (a classifier head's norm)
        calls=("F.batch_norm",),
        from_call=from_call,
        from_module=lambda m, shape_in=None, shape_out=None: dict(affine=bool(m.affine),
                                                               c=sp.Integer(m.num_features)),
        to_module=lambda a, row, nn: nn.BatchNorm2d(to_int(row.input.c), affine=bool(a["affine"])),
    ),
    order=60,
    family="norm", label_words=(r"norm", r"^bn\d*\b", r"batchnorm"), label_order=30,
)
