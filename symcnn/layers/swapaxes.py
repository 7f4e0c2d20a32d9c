"""Groups and tokens exchanged in a G x N x C layout of windows (MaxViT's grid
attention): N groups of G tokens.  A view: nothing computed.

From PyTorch: torchvision's ``SwapAxes(-2, -3)``.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(64, 64, 49, "win"), Convention()).output
Shape(c=64, h=49, w=64, layout='win')
"""

from __future__ import annotations

from typing import Any

from ..errors import DerivationError, SymcnnError
from .base import Args, Derivation, LayerKind, Shape, TorchHooks


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "win":
        raise DerivationError(f"swapaxes: the input must be groups of tokens (partition first), got {x}")
    return Derivation(output=Shape(x.c, x.w, x.h, "win"), inplace=True, window=None)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    if shape_in is None or len(shape_in) != 4 or sorted((m.a % 4, m.b % 4)) != [1, 2]:
        raise SymcnnError(f"a swap of axes {m.a} and {m.b} is not read (only groups and tokens)")
    return {}


KIND = LayerKind(name="swapaxes", doc="groups and tokens exchanged (a view)", params=(), derive=derive,
                 aliases=("swap_axes",),
                 torch=TorchHooks(modules=("torchvision.models.maxvit.SwapAxes",), from_module=from_module),
                 layouts=("win",), order=66)
