"""From a map to a token sequence (a vision transformer's patch embedding, after its
convolution): C x H x W becomes H*W tokens of width C.  A view, nothing computed.

The receptive field is not carried past it: the layers on tokens (attention) mix every
position with every other.

From PyTorch: ``x.reshape(N, C, H*W)`` or ``x.flatten(2)`` (the ``permute(0, 2, 1)``
after it is a no-op here: a sequence is stored one way), or a channels-last map's
``x.reshape(N, H*W, C)``.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(768, 14, 14), Convention()).output
Shape(c=768, h=196, w=1, layout='seq')
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import NOT_MINE, Args, Derivation, LayerKind, Shape, TorchArgs, TorchHooks


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout not in ("chw", "hwc"):
        raise DerivationError(f"tokens: the input must be a map, got {x}")
    return Derivation(output=Shape(x.c, x.h * x.w, sp.Integer(1), "seq"), inplace=True, window=None)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    if shape_in and shape_out and len(shape_in) == 4 and shape_out == (shape_in[0], shape_in[1],
                                                                        shape_in[2] * shape_in[3]):
        return {}
    if shape_in and shape_out and len(shape_in) == 4 and shape_out == (shape_in[0], shape_in[1] * shape_in[2],
                                                                        shape_in[3]):
        return {}  # a channels-last map, H x W x C, reshaped to H*W tokens of width C
    return NOT_MINE


KIND = LayerKind(name="tokens", doc="C x H x W map to a sequence of H*W tokens of width C (a view)", params=(),
                 derive=derive, aliases=("patches",),
                 torch=TorchHooks(
                     calls=("torch.flatten", "torch.reshape", "Tensor.flatten", "Tensor.view", "Tensor.reshape"),
                     from_call=from_call,
                 ),
                 layouts=("chw", "hwc"), order=52)
