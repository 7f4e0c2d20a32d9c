"""Padding as a layer of its own: ``top`` rows above, ``bottom`` below, ``left`` and
``right`` columns beside, of zeros (or reflected or replicated values: the counts are
the same).  Asymmetric padding lives here, TensorFlow's SAME at stride 2 on an even
input being the common case (one row and column after, none before); the padding of
a convolution or a pooling window stays symmetric.  No parameters, nothing computed.

For the receptive field it is a window of 1 at stride 1 that moves the first output's
centre by ``top`` (``left``) positions: the field's size is unchanged.

From PyTorch: ``nn.ZeroPad2d``, ``nn.ConstantPad2d``, ``nn.ReflectionPad2d``,
``nn.ReplicationPad2d`` and ``F.pad`` over the last two axes.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive(KIND.complete({"top": 0, "bottom": 1, "left": 0, "right": 1}), Shape(32, 224, 224),
...             Convention()).output
Shape(c=32, h=225, w=225)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import SymcnnError
from .base import ONE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks, Window
from .common.torch_values import call_arg, to_int
from .common.window import check_nonnegative

PARAMS = (
    Param("top", "rows added above", positional=True, role="padding", symbol="P_t"),
    Param("bottom", "rows added below", positional=True, role="padding", symbol="P_b"),
    Param("left", "columns added on the left", positional=True, role="padding", symbol="P_l"),
    Param("right", "columns added on the right", positional=True, role="padding", symbol="P_r"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    for side in ("top", "bottom", "left", "right"):
        check_nonnegative(side, a[side])
    if x.layout != "chw":
        raise SymcnnError(f"pad: the input must be a channels-first map, got {x}")
    out = Shape(x.c, x.h + a["top"] + a["bottom"], x.w + a["left"] + a["right"])
    return Derivation(output=out, window=Window(ONE, ONE, ONE, ONE, sp.sympify(a["top"]), sp.sympify(a["left"])))


def _sides(padding: Any) -> Args:
    """PyTorch's order, (left, right, top, bottom), or one value for all four."""
    if isinstance(padding, int):
        padding = (padding,) * 4
    padding = tuple(padding)
    if len(padding) == 2:
        padding = (*padding, 0, 0)
    if len(padding) != 4 or not all(isinstance(v, int) and v >= 0 for v in padding):
        raise SymcnnError(f"padding {list(padding)}: only four non-negative sides of the last two axes are read")
    left, right, top, bottom = (sp.Integer(v) for v in padding)
    return dict(top=top, bottom=bottom, left=left, right=right)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    if call_arg(node, 2, "mode", "constant") not in ("constant", "reflect", "replicate", "circular"):
        raise SymcnnError(f"pad mode {call_arg(node, 2, 'mode')!r} is not read")
    padding = call_arg(node, 1, "pad")
    if isinstance(padding, (tuple, list)) and any(hasattr(v, "op") for v in padding):
        # sides computed in the graph (Swin's pad of a map up to a multiple of its window): at an input where they
        # are all 0 the pad is no layer at all; elsewhere the sides are not known as numbers
        if shape_in is not None and shape_in == shape_out:
            return None
        raise SymcnnError(f"padding computed in the graph pads {list(shape_in or ())} to {list(shape_out or ())}: "
                          "symcnn reads padding written as numbers (or one that pads nothing at this input)")
    return _sides(padding)


KIND = LayerKind(
    name="pad", doc="padding: top, bottom, left and right (asymmetric padding; a view of a larger map)",
    params=PARAMS, derive=derive, aliases=("zeropad", "zeropad2d"),
    textbook=(("h", ("H_in + P_t + P_b",)), ("w", ("W_in + P_l + P_r",))),
    torch=TorchHooks(
        modules=("ZeroPad2d", "ConstantPad2d", "ReflectionPad2d", "ReplicationPad2d"),
        from_module=lambda m, shape_in=None, shape_out=None: _sides(m.padding),
        calls=("F.pad",),
        from_call=from_call,
        to_module=lambda a, row, nn: nn.ZeroPad2d(tuple(to_int(a[s]) for s in ("left", "right", "top", "bottom"))),
    ),
    layouts=("chw",), order=55,
)
