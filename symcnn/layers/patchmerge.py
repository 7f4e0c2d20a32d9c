"""Patch merging (Swin): each 2 x 2 block of a channels-last map becomes one position
with the four positions' channels side by side, H x W x C to ceil(H/2) x ceil(W/2) x 4C
(an odd height or width is first padded by one row or column).  A view: no parameters,
nothing computed; the layer norm and linear reduction after it are layers of their own.

For the receptive field it is a 2 x 2 window at stride 2.

From PyTorch: torchvision's ``_patch_merging_pad`` (the pad, the four strided slices and
their concatenation in one traced call).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(96, 56, 56, "hwc"), Convention()).output
Shape(c=384, h=28, w=28, layout='hwc')
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import ZERO, Args, Derivation, LayerKind, Shape, TorchHooks, Window


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "hwc":
        raise DerivationError(f"patchmerge: the input must be a channels-last map (permute hwc), got {x}")
    two = sp.Integer(2)
    out = Shape(4 * x.c, sp.ceiling(x.h / two), sp.ceiling(x.w / two), "hwc")
    return Derivation(output=out, inplace=True, window=Window(two, two, two, two, ZERO, ZERO))


KIND = LayerKind(name="patchmerge", doc="2 x 2 positions to one, channels side by side: H x W x C to H/2 x W/2 x 4C",
                 params=(), derive=derive, aliases=("patch_merging", "spacetodepth"),
                 textbook=(("c", ("4*C_in",)),),
                 torch=TorchHooks(
                     calls=("torchvision.models.swin_transformer._patch_merging_pad",),
                     from_call=lambda node, shape_in, shape_out: {},
                 ),
                 layouts=("hwc",), order=59.5)
