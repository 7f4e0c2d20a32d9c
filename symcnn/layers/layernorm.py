"""Layer normalisation over the channels (ConvNeXt, transformers): a scale and a shift
per channel, 2C parameters; channels-first maps (LayerNorm2d), channels-last maps and
token sequences alike.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"affine": True, "c": None}, Shape(768, 197, 1, "seq"), Convention())
>>> d.weights, d.biases, d.output.layout
(768, 768, 'seq')

A scale without a shift (``nn.LayerNorm(C, bias=False)``): C parameters.

>>> KIND.derive(KIND.complete(bias=False), Shape(64, 56, 56), Convention()).biases
0
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.torch_values import to_int
from .common.window import check_match

PARAMS = (
    Param("affine", "learned scale and shift", default=True, kind="bool"),
    Param("bias", "the learned shift (off: a scale alone, C parameters)", default=True, kind="bool"),
    Param("c", "channels, checked against the input", default=None, aliases=("channels", "normalized_shape"),
          symbol="C", declared=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    check_match("channels", a.get("c"), x.c)
    learned = x.c if a["affine"] else ZERO
    # per element: subtract the mean, divide by the deviation, scale and shift (statistics not counted)
    return Derivation(output=x, weights=learned, biases=learned if a.get("bias", True) else ZERO,
                      other_ops=4 * x.elements)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    from ..errors import SymcnnError

    if len(m.normalized_shape) != 1:
        raise SymcnnError(f"layer norm over {list(m.normalized_shape)}: only over the channels")
    return dict(affine=m.weight is not None, bias=getattr(m, "bias", None) is not None or m.weight is None,
                c=sp.Integer(m.normalized_shape[0]))


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    """F.layer_norm(x, normalized_shape, weight, bias): the weight and bias are the layer's parameters."""
    from ..errors import SymcnnError

    shape = node.args[1] if len(node.args) > 1 else node.kwargs.get("normalized_shape")
    if len(shape) != 1:
        raise SymcnnError(f"layer norm over {list(shape)}: only over the channels")
    weight = node.args[2] if len(node.args) > 2 else node.kwargs.get("weight")
    bias = node.args[3] if len(node.args) > 3 else node.kwargs.get("bias")
    if weight is None and bias is not None:
        raise SymcnnError("layer norm with a shift and no scale: not read")
    return dict(affine=weight is not None, bias=bias is not None or weight is None, c=sp.Integer(shape[0]))


def to_module(a: Args, row: Any, nn: Any) -> Any:
    from ..errors import SymcnnError

    if row.input.layout == "chw":
        raise SymcnnError(f"layer {row.name!r}: a layer norm over the channels of a channels-first map needs a "
                          "permute, which torch.nn has no module for")
    return nn.LayerNorm(to_int(row.input.c), elementwise_affine=bool(a["affine"]),
                        bias=bool(a["affine"]) and bool(a.get("bias", True)))


KIND = LayerKind(
    name="layernorm", doc="layer normalisation over the channels: gamma and beta per channel (2C parameters)",
    params=PARAMS, derive=derive, aliases=("ln", "layernorm2d"),
    textbook=(("weights", ("C_in",)), ("biases", ("C_in",))),
    torch=TorchHooks(
        modules=("LayerNorm",),
        from_module=from_module,
        calls=("F.layer_norm",),
        from_call=from_call,
        to_module=to_module,
    ),

    order=61,
    family="norm", label_words=(r"norm",), label_order=30,
)
