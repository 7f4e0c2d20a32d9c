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
from .base import IDENTITY, NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.torch_values import call_name


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    to = str(a["to"])
    if to not in ("hwc", "chw"):
        raise DerivationError(f"permute to {to!r}: choose hwc (channels last) or chw (channels first)")
    if x.layout not in ("hwc", "chw"):
        raise DerivationError(f"permute of a {x.layout} tensor: only maps (chw, hwc)")
    return Derivation(output=Shape(x.c, x.h, x.w, to), inplace=True, window=IDENTITY)


def _token_swap(shape_in: Any) -> None:
    """(N, C, L) <-> (N, L, C): a sequence is stored one way only here, so the swap is no layer; but where C = L the
    shapes cannot tell which axis a later layer mixes (a token-mixing linear would read as a channel-mixing one), so
    it is refused."""
    if shape_in[1] == shape_in[2]:
        raise SymcnnError(f"a swap of the two axes of a square token tensor {list(shape_in)}: which axis the "
                          "layers after it mix cannot be told from the shapes")


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    name = call_name(node)
    rank = len(shape_in) if shape_in is not None else 0
    if name in ("transpose", "swapaxes"):  # Tensor.transpose(1, 2) of a token sequence
        dims = tuple(sorted(int(d) % rank for d in node.args[1:3])) if rank and len(node.args) >= 3 else ()
        if rank == 3 and dims == (1, 2):
            _token_swap(shape_in)
            return None
        return NOT_MINE  # another kind's (a channel shuffle's transpose), or refused by name
    dims = tuple(node.args[1:]) if len(node.args) > 2 else tuple(node.args[1]) if len(node.args) > 1 else ()
    if rank == 5 and tuple(int(d) % 5 for d in dims) == (0, 2, 1, 3, 4):
        return NOT_MINE  # a channel shuffle's swap of groups and channels (the shuffle kind's)
    dims = tuple(d % 4 for d in dims)
    if dims == (0, 2, 3, 1):
        return {"to": "hwc"}
    if dims == (0, 3, 1, 2):
        return {"to": "chw"}
    if dims == (0, 2, 1) and rank == 3:
        _token_swap(shape_in)
        return None  # (N, C, L) -> (N, L, C): a sequence is stored one way only here
    raise SymcnnError(f"permute {list(node.args[1:])}: only NCHW <-> NHWC")


KIND = LayerKind(name="permute", doc="NCHW <-> NHWC, or a token sequence's two axes swapped (a view: nothing computed)",
                 params=(Param("to", "layout after the permute: hwc or chw", kind="choice", choices=("hwc", "chw"),
                               positional=True),), derive=derive,
                 torch=TorchHooks(calls=("Tensor.permute", "torch.permute", "Tensor.transpose", "torch.transpose",
                                         "Tensor.swapaxes"), from_call=from_call),
                 layouts=("chw", "hwc"), order=51)
