"""Learned positional embedding (ViT): a tensor of the input's own shape added to it;
one parameter and one add per element.

From PyTorch: ``x + self.pos_embedding``.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({}, Shape(768, 197, 1, "seq"), Convention())
>>> d.weights, d.other_ops
(151296, 151296)
"""

from __future__ import annotations

from typing import Any

from .base import NOT_MINE, Args, Derivation, LayerKind, Shape, TorchArgs, TorchHooks
from .common.learned import learned_operand


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return Derivation(output=x, weights=x.elements, other_ops=x.elements, window=None)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    found = learned_operand(node)
    if found is None or not shape_in or tuple(found[1]) != (1, *shape_in[1:]):
        return NOT_MINE
    return {}


KIND = LayerKind(name="posembed", doc="learned positional embedding added to the input: one parameter per element",
                 params=(), derive=derive, aliases=("pos_embedding", "positional"),
                 textbook=(("weights", ("C_in*H_in*W_in",)),),
                 torch=TorchHooks(
                     calls=("operator.add", "operator.iadd", "torch.add", "Tensor.add", "Tensor.add_"),
                     from_call=from_call,
                 ),
                 order=58)
