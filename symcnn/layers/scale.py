"""Layer scale (ConvNeXt): each channel multiplied by a learned factor; C parameters,
one multiply per element.

From PyTorch: ``self.layer_scale * x`` with a (C, 1, 1) tensor on a channels-first map,
or a (C,) tensor on a channels-last map or a sequence.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({}, Shape(96, 56, 56), Convention())
>>> d.weights, d.other_ops == 96 * 56 * 56
(96, True)
"""

from __future__ import annotations

from typing import Any

from .base import IDENTITY, NOT_MINE, Args, Derivation, LayerKind, Shape, TorchArgs, TorchHooks
from .common.learned import learned_operand


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return Derivation(output=x, weights=x.c, other_ops=x.elements, inplace=True, window=IDENTITY)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    found = learned_operand(node)
    if found is None or not shape_in or len(shape_in) < 2:
        return NOT_MINE
    shape = tuple(v for v in found[1])
    while shape and shape[0] == 1 and len(shape) > 1 and len(shape) >= len(shape_in):
        shape = shape[1:]
    channels_first = len(shape_in) == 4 and shape == (shape_in[1], 1, 1)
    channels_last = shape == (shape_in[-1],)
    return {} if channels_first or channels_last else NOT_MINE


KIND = LayerKind(name="scale", doc="a learned factor per channel (layer scale): C parameters", params=(),
                 derive=derive, aliases=("layerscale", "layer_scale"), textbook=(("weights", ("C_in",)),),
                 torch=TorchHooks(
                     calls=("operator.mul", "operator.imul", "torch.mul", "Tensor.mul", "Tensor.mul_"),
                     from_call=from_call,
                 ),
                 order=59)
