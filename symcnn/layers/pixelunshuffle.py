"""Pixel unshuffle (space to depth on a channels-first map; TResNet's stem): each b x b block of positions becomes b^2
channels, C x H x W to b^2 C x H/b x W/b.  Nothing learned, nothing computed: the elements are
moved.  The receptive field grows as a b x b window with stride b would make it.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"b": 4}, Shape(3, 224, 224), Convention()).output
Shape(c=48, h=56, w=56)
>>> KIND.derive({"b": 4}, Shape(3, 226, 226), Convention())
Traceback (most recent call last):
...
symcnn.errors.DerivationError: pixelunshuffle: blocks of 4 do not tile a 226 x 226 map
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks, Window
from .common.window import check_positive


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    b = sp.sympify(a["b"])
    check_positive("block", b)
    if x.layout != "chw":
        raise DerivationError(f"pixelunshuffle: the input must be a channels-first map, got {x}")
    if any(sp.Mod(v, b) != 0 for v in (x.h, x.w)):
        raise DerivationError(f"pixelunshuffle: blocks of {b} do not tile a {x.h} x {x.w} map")
    return Derivation(output=Shape(b * b * x.c, x.h / b, x.w / b), inplace=True, window=Window(b, b, b, b, 0, 0))


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    b = getattr(m, "downscale_factor", None) or getattr(m, "bs", None)
    if not isinstance(b, int) or b < 1:
        raise SymcnnError(f"{type(m).__name__} whose block size is not one number: not read")
    return {"b": sp.Integer(b)}


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    factor = node.args[1] if len(node.args) > 1 else node.kwargs.get("downscale_factor")
    return {"b": sp.Integer(factor)} if isinstance(factor, int) else NOT_MINE


KIND = LayerKind(
    name="pixelunshuffle", doc="b x b blocks of positions to b^2 channels (pixel unshuffle; a view)",
    params=(Param("b", "block side", positional=True, aliases=("block", "downscale_factor"), symbol="b"),),
    derive=derive, aliases=("pixel_unshuffle", "space_to_depth_nchw"),
    torch=TorchHooks(modules=("PixelUnshuffle", "timm.layers.space_to_depth.SpaceToDepth"), from_module=from_module,
                     calls=("F.pixel_unshuffle", "torch.pixel_unshuffle"), from_call=from_call),
    layouts=("chw",), order=57,
)
