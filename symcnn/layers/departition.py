"""Window departition (MaxViT): G = hp * wp groups of p x p tokens put back as a
C x (hp p) x (wp p) map.  A view: nothing computed.

From PyTorch: torchvision's ``WindowDepartition`` (read by its shapes).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"p": 7, "hp": 8, "wp": 8}, Shape(64, 64, 49, "win"), Convention()).output
Shape(c=64, h=56, w=56)
"""

from __future__ import annotations

from math import isqrt
from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.window import check_match, check_positive

PARAMS = (
    Param("p", "block side: p x p tokens per group", positional=True, symbol="p"),
    Param("hp", "groups down the map", positional=True),
    Param("wp", "groups across the map", positional=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "win":
        raise DerivationError(f"departition: the input must be groups of tokens (partition first), got {x}")
    for f in ("p", "hp", "wp"):
        check_positive(f, a[f])
    check_match("groups (hp * wp)", a["hp"] * a["wp"], x.h)
    check_match("tokens per group (p^2)", a["p"] ** 2, x.w)
    return Derivation(output=Shape(x.c, a["hp"] * a["p"], a["wp"] * a["p"]), inplace=True, window=None)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    if not shape_in or not shape_out or len(shape_in) != 4 or isqrt(shape_in[2]) ** 2 != shape_in[2]:
        raise SymcnnError(f"a window departition from {shape_in} is not read")
    p = isqrt(shape_in[2])
    return {"p": sp.Integer(p), "hp": sp.Integer(shape_out[2] // p), "wp": sp.Integer(shape_out[3] // p)}


KIND = LayerKind(name="departition", doc="groups of p x p tokens back to a C x H x W map (a view)", params=PARAMS,
                 derive=derive, aliases=("window_departition",),
                                  torch=TorchHooks(modules=("torchvision.models.maxvit.WindowDepartition",),
                                                   from_module=from_module),

                 layouts=("win",), order=67)
