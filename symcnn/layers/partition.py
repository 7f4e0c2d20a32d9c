"""Window partition (MaxViT): a C x H x W map cut into p x p blocks, G = (H/p)(W/p)
groups of N = p^2 tokens of width C (the layout ``win``: G x N x C).  A view: no
parameters, nothing computed; attention then mixes the tokens of each group.

``swapaxes`` exchanges groups and tokens (MaxViT's grid attention: the tokens of a
group are then spread across the map), and ``departition`` puts the map back.

From PyTorch: torchvision's ``WindowPartition`` (read by its shapes).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"p": 7}, Shape(64, 56, 56), Convention()).output
Shape(c=64, h=64, w=49, layout='win')
"""

from __future__ import annotations

from math import isqrt
from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.window import check_divides, check_positive


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "chw":
        raise DerivationError(f"partition: the input must be a channels-first map, got {x}")
    p = a["p"]
    check_positive("p", p)
    check_divides("height / p", x.h, p)
    check_divides("width / p", x.w, p)
    return Derivation(output=Shape(x.c, (x.h / p) * (x.w / p), p**2, "win"), inplace=True, window=None)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    if not shape_out or len(shape_out) != 4 or isqrt(shape_out[2]) ** 2 != shape_out[2]:
        raise SymcnnError(f"a window partition to {shape_out} is not read")
    return {"p": sp.Integer(isqrt(shape_out[2]))}


KIND = LayerKind(name="partition", doc="C x H x W to (H/p)(W/p) groups of p x p tokens (a view)",
                 params=(Param("p", "block side: p x p tokens per group", positional=True, symbol="p"),),
                 derive=derive, aliases=("window_partition",),
                                  torch=TorchHooks(modules=("torchvision.models.maxvit.WindowPartition",),
                                                   from_module=from_module),

                 layouts=("chw",), order=65)
