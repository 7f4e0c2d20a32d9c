"""Channel shuffle (ShuffleNet): the channels, in g groups, are interleaved so that
the next grouped convolution sees every group.  A permutation: no parameters,
nothing computed, the receptive field unchanged.

From PyTorch it is three reshapes: ``x.view(N, g, C/g, H, W)``, ``transpose(1, 2)`` (or
``permute(0, 2, 1, 3, 4)``) and ``view(N, C, H, W)``; the first is read as the shuffle, the other two as no-ops.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"groups": 2}, Shape(116, 28, 28), Convention()).output
Shape(c=116, h=28, w=28)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import IDENTITY, NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.torch_values import call_arg, call_name
from .common.window import check_divides, check_positive


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    check_positive("groups", a["groups"])
    check_divides("channels / groups", x.c, a["groups"])
    return Derivation(output=x, inplace=True, window=IDENTITY)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    if not shape_in or not shape_out:
        return NOT_MINE
    if call_name(node) == "transpose":
        dims = sorted(d % 5 for d in (call_arg(node, 1, "dim0"), call_arg(node, 2, "dim1")))
        return None if len(shape_in) == 5 and dims == [1, 2] else NOT_MINE
    if call_name(node) == "permute":  # x.view(N, g, C/g, H, W).permute(0, 2, 1, 3, 4): the same swap
        order = tuple(node.args[1:]) if len(node.args) > 2 else tuple(node.args[1]) if len(node.args) > 1 else ()
        return None if len(shape_in) == 5 and tuple(int(d) % 5 for d in order) == (0, 2, 1, 3, 4) else NOT_MINE
    if len(shape_in) == 4 and len(shape_out) == 5 and shape_out[0] == shape_in[0] and \
            shape_out[1] * shape_out[2] == shape_in[1] and shape_out[3:] == shape_in[2:]:
        return {"groups": sp.Integer(shape_out[1])}
    if len(shape_in) == 5 and len(shape_out) == 4 and shape_out[1] == shape_in[1] * shape_in[2] and \
            shape_out[2:] == shape_in[3:]:
        return None
    return NOT_MINE


KIND = LayerKind(name="shuffle", doc="channel shuffle in g groups (a permutation: nothing computed)",
                 params=(Param("groups", "number of groups", aliases=("g",), positional=True, symbol="G"),),
                 derive=derive, aliases=("channelshuffle", "channel_shuffle"),
                 torch=TorchHooks(
                     modules=("ChannelShuffle",),
                     from_module=lambda m, shape_in=None, shape_out=None: {"groups": sp.Integer(m.groups)},
                     calls=("Tensor.view", "Tensor.reshape", "torch.reshape", "torch.transpose",
                              "Tensor.transpose", "Tensor.permute", "torch.permute"),
                     from_call=from_call,
                     to_module=lambda a, row, nn: nn.ChannelShuffle(int(a["groups"])),
                 ),
                 order=53)
