"""Class token (ViT): n learned tokens put before the sequence, L x E to (L+n) x E;
n*E parameters, nothing computed.

From PyTorch: ``torch.cat([self.class_token.expand(N, -1, -1), x], dim=1)``.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"n": 1}, Shape(768, 196, 1, "seq"), Convention())
>>> d.output, d.weights
(Shape(c=768, h=197, w=1, layout='seq'), 768)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.learned import learned_tensor
from .common.torch_values import call_arg, traced_shape
from .common.window import check_positive


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "seq":
        raise DerivationError(f"classtoken: the input must be a token sequence, got {x}")
    check_positive("n", a["n"])
    return Derivation(output=Shape(x.c, x.h + a["n"], x.w, "seq"), weights=a["n"] * x.c, window=None)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    items = call_arg(node, 0, "tensors", ())
    dim = call_arg(node, 1, "dim", 0)
    learned = [t for t in items if learned_tensor(t) is not None]
    if not shape_in or len(shape_in) != 3 or dim % 3 != 1 or not learned or len(items) - len(learned) != 1:
        return NOT_MINE
    shapes = [traced_shape(t) for t in learned]
    if any(s is None or len(s) != 3 or s[2] != shape_in[2] for s in shapes):
        return NOT_MINE
    return {"n": sp.Integer(sum(s[1] for s in shapes if s))}


KIND = LayerKind(name="classtoken", doc="n learned tokens before the sequence: n*E parameters",
                 params=(Param("n", "number of tokens", default=1, positional=True),), derive=derive,
                 aliases=("cls_token", "class_token"), textbook=(("weights", ("n*C_in",)),),
                                  torch=TorchHooks(calls=("torch.cat",), from_call=from_call),
layouts=("seq",), order=57)
