"""A permute between channels-first (N, C, H, W) and channels-last (N, H, W, C): a view,
no parameters, nothing computed; the layers after it read the layout (a linear layer on a
channels-last map is a 1 x 1 convolution).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"to": "hwc"}, Shape(96, 56, 56), Convention()).output
Shape(c=96, h=56, w=56, layout='hwc')
"""

from __future__ import annotations

from typing import Any

from ..errors import DerivationError, SymcnnError
from .base import IDENTITY, Args, Derivation, LayerKind, Param, Shape, TorchHooks


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    to = str(a["to"])
    if to not in ("hwc", "chw"):
        raise DerivationError(f"permute to {to!r}: choose hwc (channels last) or chw (channels first)")
    if x.layout not in ("hwc", "chw"):
        raise DerivationError(f"permute of a {x.layout} tensor: only maps (chw, hwc)")
    return Derivation(output=Shape(x.c, x.h, x.w, to), inplace=True, window=IDENTITY)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args | None:
    dims = tuple(node.args[1:]) if len(node.args) > 2 else tuple(node.args[1]) if len(node.args) > 1 else ()
    dims = tuple(d % 4 for d in dims)
    if dims == (0, 2, 3, 1):
        return {"to": "hwc"}
    if dims == (0, 3, 1, 2):
        return {"to": "chw"}
    if dims == (0, 2, 1) and shape_in is not None and len(shape_in) == 3:
        return None  # (N, C, L) -> (N, L, C): a sequence is stored one way only here
    raise SymcnnError(f"permute {list(node.args[1:])}: only NCHW <-> NHWC")


KIND = LayerKind(name="permute", doc="NCHW <-> NHWC (a view: nothing computed)",
                 params=(Param("to", "layout after the permute: hwc or chw", kind="choice", choices=("hwc", "chw"),
                               positional=True),), derive=derive,
                                  torch=TorchHooks(calls=("Tensor.permute", "torch.permute"), from_call=from_call),
layouts=("chw", "hwc"), order=51)
