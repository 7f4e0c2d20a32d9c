"""From a token sequence back to a map (the inverse of ``tokens``): L = H*W tokens of width C
become a C x H x W map, or an H x W x C one where the model keeps its channels last (Swin,
DaViT, Hiera).  A view, nothing computed.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"h": 56, "w": 56, "to": "chw"}, Shape(64, 3136, 1, "seq"), Convention()).output
Shape(c=64, h=56, w=56)
>>> KIND.derive({"h": 56, "w": 55, "to": "chw"}, Shape(64, 3136, 1, "seq"), Convention())
Traceback (most recent call last):
...
symcnn.errors.DerivationError: untokens: 3136 tokens are not a 56 x 55 map
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks

PARAMS = (
    Param("h", "the map's height", positional=True, symbol="H"),
    Param("w", "the map's width", positional=True, symbol="W"),
    Param("to", "the map's layout: chw (channels first) or hwc (channels last)", default="chw",
          kind="choice", choices=("chw", "hwc")),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "seq":
        raise DerivationError(f"untokens: the input must be a token sequence, got {x}")
    h, w = sp.sympify(a["h"]), sp.sympify(a["w"])
    if sp.simplify(h * w - x.h) != 0:
        raise DerivationError(f"untokens: {x.h} tokens are not a {h} x {w} map")
    return Derivation(output=Shape(x.c, h, w, a.get("to", "chw")), inplace=True, window=None)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    """(B, C, L) viewed as (B, C, H, W) (the sequence transposed first), or (B, L, C) as (B, H, W, C)."""
    if not shape_in or not shape_out or len(shape_in) != 3 or len(shape_out) != 4 or shape_in[0] != shape_out[0]:
        return NOT_MINE
    if shape_out[1] == shape_in[1] and shape_out[2] * shape_out[3] == shape_in[2] and shape_in[1] != shape_in[2]:
        return {"h": sp.Integer(shape_out[2]), "w": sp.Integer(shape_out[3]), "to": "chw"}
    if shape_out[3] == shape_in[2] and shape_out[1] * shape_out[2] == shape_in[1] and shape_in[1] != shape_in[2]:
        return {"h": sp.Integer(shape_out[1]), "w": sp.Integer(shape_out[2]), "to": "hwc"}
    return NOT_MINE


KIND = LayerKind(name="untokens", doc="a sequence of H*W tokens back to a C x H x W (or H x W x C) map (a view)",
                 params=PARAMS, derive=derive, aliases=("detokens", "to_map"),
                 torch=TorchHooks(calls=("Tensor.view", "Tensor.reshape", "torch.reshape"), from_call=from_call),
                 layouts=("seq",), order=53)
