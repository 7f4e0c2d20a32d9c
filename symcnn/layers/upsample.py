"""Upsampling by an integer factor f (nearest neighbour or bilinear): C x H x W to
C x fH x fW.  No parameters; bilinear interpolation costs 3 operations per output
element per axis pair (counted as other operations), nearest none.

For the receptive field it spreads the input out f apart (the jump divides by f).
PyTorch's nearest mode reads input floor(o/f) for output o: within (f-1)/f of o/f,
below it, so the field grows by (f-1)/f and its centre moves back by half that.
Bilinear reads the two inputs either side of the sample point (o + 1/2)/f - 1/2: the
field spans one input step either side of it.

From PyTorch: ``nn.Upsample``, ``nn.UpsamplingNearest2d``, ``nn.UpsamplingBilinear2d``
and ``F.interpolate`` with an integer ``scale_factor`` (or a size that is a multiple).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive(KIND.complete({"f": 2}), Shape(64, 14, 14), Convention()).output
Shape(c=64, h=28, w=28)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import SymcnnError
from .base import ONE, Args, Derivation, LayerKind, Param, Shape, TorchHooks, Window
from .common.torch_values import call_arg, to_int
from .common.window import check_positive

PARAMS = (
    Param("f", "integer scale factor", aliases=("scale", "scale_factor"), positional=True, symbol="f"),
    Param("mode", "nearest or bilinear", default="nearest", kind="choice", choices=("nearest", "bilinear")),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    f = a["f"]
    check_positive("f", f)
    out = Shape(x.c, f * x.h, f * x.w)
    # windows in the input spread out f apart (steps of 1/f input pixel)
    if a["mode"] == "bilinear":
        pad = (3 * f - 1) / 2
        return Derivation(output=out, other_ops=3 * out.elements,
                          window=Window(2 * f + 1, 2 * f + 1, ONE, ONE, pad, pad, f, f))
    return Derivation(output=out, window=Window(f, f, ONE, ONE, f - 1, f - 1, f, f))


def _factor(scale: Any, size: Any, shape_in: Any, shape_out: Any = None) -> sp.Integer:
    if scale is not None:
        values = scale if isinstance(scale, (tuple, list)) else (scale, scale)
    elif size is not None and shape_in:
        sizes = size if isinstance(size, (tuple, list)) else (size, size)
        if not all(isinstance(v, int) for v in sizes):  # a size read off another tensor: the traced output's
            if not shape_out or len(shape_out) != len(shape_in):
                raise SymcnnError("upsampling to a size computed in the graph, with no traced output shape")
            sizes = tuple(shape_out[2:])
        values = tuple(s / n for s, n in zip(sizes, shape_in[2:]))
    else:
        values = ()
    if len(values) != 2 or values[0] != values[1] or float(values[0]) != int(values[0]) or values[0] < 1:
        raise SymcnnError(f"upsampling by {list(values) or '?'}: only one integer factor for both axes is read")
    return sp.Integer(int(values[0]))


def _mode(mode: Any, align_corners: Any) -> str:
    if mode not in ("nearest", "bilinear"):
        raise SymcnnError(f"upsampling mode {mode!r} is not read (nearest, bilinear)")
    return str(mode)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    return {"f": _factor(m.scale_factor, m.size, shape_in), "mode": _mode(m.mode, m.align_corners)}


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    return {"f": _factor(call_arg(node, 2, "scale_factor"), call_arg(node, 1, "size"), shape_in, shape_out),
            "mode": _mode(call_arg(node, 3, "mode", "nearest"), None)}


KIND = LayerKind(
    name="upsample", doc="upsampling by an integer factor f (nearest or bilinear): H x W to fH x fW", params=PARAMS,
    derive=derive, aliases=("interpolate", "upsampling"), textbook=(("h", ("f*H_in",)), ("w", ("f*W_in",))),
    torch=TorchHooks(
        modules=("Upsample",),
        from_module=from_module,
        calls=("F.interpolate",),
        from_call=from_call,
        to_module=lambda a, row, nn: nn.Upsample(scale_factor=to_int(a["f"]), mode=str(a["mode"])),
    ),
    layouts=("chw",), order=12,
)
