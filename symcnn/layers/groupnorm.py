"""Group normalisation: channels in G groups, a scale and a shift per channel (2C parameters).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive(KIND.complete(groups=32), Shape(256, 14, 14), Convention()).weights
256
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.torch_values import to_int
from .common.window import check_divides, check_positive

PARAMS = (
    Param("groups", "number of groups", aliases=("g", "num_groups"), positional=True, symbol="G"),
    Param("affine", "learned scale and shift", default=True, kind="bool"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    check_positive("groups", a["groups"])
    check_divides("channels / groups", x.c, a["groups"])
    learned = x.c if a["affine"] else ZERO
    return Derivation(output=x, weights=learned, biases=learned, other_ops=4 * x.elements)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    """F.group_norm(x, num_groups, weight, bias, eps), as timm's GroupNorm1 calls it: the weight and bias are the
    layer's parameters."""
    groups = node.args[1] if len(node.args) > 1 else node.kwargs.get("num_groups")
    weight = node.args[2] if len(node.args) > 2 else node.kwargs.get("weight")
    return dict(groups=sp.Integer(groups), affine=weight is not None)


KIND = LayerKind(
    name="groupnorm", doc="group normalisation: gamma and beta per channel (2C parameters)", params=PARAMS,
    derive=derive,     torch=TorchHooks(
        modules=("GroupNorm",),
        calls=("F.group_norm",),
        from_call=from_call,
        from_module=lambda m, shape_in=None, shape_out=None: dict(groups=sp.Integer(m.num_groups),
                                                                   affine=bool(m.affine)),
        to_module=lambda a, row, nn: nn.GroupNorm(to_int(a["groups"]), to_int(row.input.c), affine=bool(a["affine"])),
    ),

    order=62,
    family="norm", label_words=(r"norm",), label_order=30,
)
