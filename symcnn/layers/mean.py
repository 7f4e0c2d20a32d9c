"""Global average over height and width (``x.mean([2, 3])``): C x H x W to C features.
No parameters; one add per input element.  Like a flatten after a global pool, its
receptive field is the union of all positions'.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(1280, 7, 7), Convention()).output
Shape(c=1280, h=1, w=1)

The mean of a sequence's tokens (``x.mean(1)`` on N x L x C) is said so: the layer's input must then be a sequence.

>>> KIND.derive(KIND.complete(over="tokens"), Shape(64, 64, 1, "seq"), Convention()).output
Shape(c=64, h=1, w=1)
>>> KIND.derive(KIND.complete(over="tokens"), Shape(64, 8, 8), Convention())
Traceback (most recent call last):
...
symcnn.errors.DerivationError: mean over tokens: the input must be a sequence of tokens, got 64x8x8
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import Args, Derivation, LayerKind, Param, Shape, TorchHooks, Window
from .common.torch_values import call_arg

PARAMS = (
    Param("over", "what is averaged: height and width ('space'; a sequence's tokens too), or the tokens of a "
                  "sequence only ('tokens')", default="space", kind="choice", choices=("space", "tokens")),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    one = sp.Integer(1)
    if a.get("over") == "tokens" and x.layout != "seq":
        raise DerivationError(f"mean over tokens: the input must be a sequence of tokens, got {x}")
    if x.layout == "seq":  # the average of the tokens (an MLP-Mixer's head): no field to carry on
        return Derivation(output=Shape(x.c, one, one), other_ops=x.elements, window=None)
    return Derivation(output=Shape(x.c, one, one), other_ops=x.elements,
                      window=Window(x.h, x.w, x.h, x.w, sp.Integer(0), sp.Integer(0)))


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    dims = call_arg(node, 1, "dim")
    dims = tuple(dims) if isinstance(dims, (list, tuple)) else (dims,)
    rank = len(shape_in) if shape_in else 4
    if rank == 3 and [d % 3 for d in dims] == [1]:
        return {"over": "tokens"}  # (N, L, C) -> (N, C): the derivation checks the input is a sequence
    if rank != 4 or sorted(d % 4 for d in dims) != [2, 3]:
        raise SymcnnError(f"a mean over dims {list(dims)} of a {rank}-d tensor is not a global average over "
                          "height and width, nor over the tokens of a sequence")
    return {}


KIND = LayerKind(name="mean", doc="global average over height and width: C x H x W to C", params=PARAMS,
                 derive=derive, aliases=("globalmean", "global_avg"),
                 torch=TorchHooks(calls=("Tensor.mean", "torch.mean"), from_call=from_call),
                 order=32)
