"""Shifted-window multi-head self-attention (Swin) on a channels-last map H x W x C:
the map, padded to multiples of the window M, is cut into M x M windows of N = M^2
tokens and each window attends within itself, h heads, with a learned relative
position bias ((2M-1)^2 entries per head).  A shift (every other block) rolls the map
first and masks across the seams: it changes no count.

Parameters: the query, key and value projection (3C^2 weights, 3C biases), the output
projection (C^2 + C) and the bias table ((2M-1)^2 h).  Multiply-adds on the padded
map Hp x Wp: the projections 4 Hp Wp C^2; the scores and the weighted sum, each
(Hp Wp / N) windows x N x N x C: 2 Hp Wp M^2 C, linear in the map's area (plain
attention over all H W tokens would be quadratic).

Swin v2 (``cpb`` > 0) replaces the table by a small MLP (2 -> cpb -> h, the first layer
with a bias) run on the (2M-1)^2 relative coordinates, and learns a logit scale per head:
weights 4C^2 + 2 cpb + cpb h + h, biases 4C + cpb, and the MLP's (2M-1)^2 (2 + h) cpb
multiply-adds; the MLP does not depend on the input, but a forward pass runs it.

From PyTorch: torchvision's ``shifted_window_attention``.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive(KIND.complete({"window": 7, "heads": 3}), Shape(96, 56, 56, "hwc"), Convention())
>>> d.weights, d.biases, d.macs == 4 * 56 * 56 * 96**2 + 2 * 56 * 56 * 49 * 96
(37371, 384, True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.torch_values import call_arg, traced_shape
from .common.window import check_divides, check_nonnegative, check_positive

PARAMS = (
    Param("window", "window size M (M x M tokens)", aliases=("window_size", "m"), positional=True, symbol="M"),
    Param("heads", "number of heads", aliases=("h", "num_heads"), positional=True, symbol="h"),
    Param("shift", "shift of the windows (rolls the map; changes no count)", default=0, aliases=("shift_size",)),
    Param("bias", "learned biases in the projections", default=True, kind="bool"),
    Param("cpb", "hidden width of Swin v2's position-bias MLP (0: a learned table, v1)", default=0),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "hwc":
        raise DerivationError(f"windowattention: the input must be a channels-last map (permute hwc), got {x}")
    m, h, c = a["window"], a["heads"], x.c
    check_positive("window", m)
    check_positive("heads", h)
    check_nonnegative("shift", a["shift"])
    check_divides("channels / heads", c, h)
    check_nonnegative("cpb", a["cpb"])
    hp, wp = sp.ceiling(x.h / m) * m, sp.ceiling(x.w / m) * m
    area = hp * wp
    cpb, table = a["cpb"], (2 * m - 1) ** 2
    position = (2 * cpb + cpb * h + h, cpb, table * (2 + h) * cpb) if cpb != 0 else (table * h, ZERO, ZERO)
    return Derivation(
        output=x,
        weights=4 * c**2 + position[0],
        biases=(4 * c if a["bias"] else ZERO) + position[1],
        macs=4 * area * c**2 + 2 * area * m**2 * c + position[2],
        bias_adds=4 * area * c if a["bias"] else ZERO,
        other_ops=4 * area * m**2 * h,  # scale, bias, softmax per score: h N^2 per window
        window=None,
    )


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    window = call_arg(node, 4, "window_size")
    shift = call_arg(node, 6, "shift_size")
    cpb = 0
    if call_arg(node, 11, "logit_scale") is not None:  # v2: the bias comes from an MLP on the coordinates
        cpb = _mlp_width(call_arg(node, 3, "relative_position_bias"))
    if len(set(window)) != 1 or len(set(shift)) != 1:
        raise SymcnnError(f"windows {list(window)} with shift {list(shift)}: only square windows are read")
    return dict(window=sp.Integer(window[0]), heads=sp.Integer(call_arg(node, 5, "num_heads")),
                shift=sp.Integer(shift[0]), bias=call_arg(node, 9, "qkv_bias") is not None, cpb=sp.Integer(cpb))


def _mlp_width(bias: Any) -> int:
    """The hidden width of the position-bias MLP: the output width of the first module run on
    the coordinates table, found by walking back from the bias."""
    modules, todo, seen = [], [bias], set()
    while todo:
        n = todo.pop()
        if not hasattr(n, "op") or n in seen:
            continue
        seen.add(n)
        if n.op == "call_module":
            modules.append(n)
        todo.extend(n.all_input_nodes)
    first = [n for n in modules if not any(b.op == "call_module" for b in n.all_input_nodes)]
    shape = traced_shape(first[0]) if len(first) == 1 else None
    if shape is None or len(modules) != 3:
        raise SymcnnError("a position bias that is not a two-layer MLP on the coordinates is not read")
    return shape[-1]


KIND = LayerKind(
    name="windowattention", doc="shifted-window attention (Swin): windows of M x M tokens, h heads, "
    "4C^2 + (2M-1)^2 h weights", params=PARAMS, derive=derive, aliases=("swinattention", "shifted_window_attention"),
    torch=TorchHooks(calls=("torchvision.models.swin_transformer.shifted_window_attention",), from_call=from_call),
    layouts=("hwc",), order=64,
)
