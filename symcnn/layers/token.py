"""One token of a sequence (a vision transformer's class token, ``x[:, 0]``): L x E to
E features, ready for a linear head.  A view: no parameters, nothing computed.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"i": 0}, Shape(768, 197, 1, "seq"), Convention()).output
Shape(c=768, h=1, w=1)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.window import check_nonnegative


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "seq":
        raise DerivationError(f"token: the input must be a token sequence, got {x}")
    check_nonnegative("i", a["i"])
    if (sp.sympify(a["i"]) - x.h).is_nonnegative:
        raise DerivationError(f"token {a['i']} of a sequence of {x.h}: there is no such token")
    one = sp.Integer(1)
    return Derivation(output=Shape(x.c, one, one), inplace=True, window=None)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    index = node.args[1] if len(node.args) > 1 else None
    if shape_in and len(shape_in) == 3 and isinstance(index, tuple) and len(index) == 2 and \
            index[0] == slice(None) and isinstance(index[1], int):
        return {"i": sp.Integer(index[1] % shape_in[1])}
    return NOT_MINE


KIND = LayerKind(name="token", doc="token i of a sequence, as E features (a view)",
                 params=(Param("i", "which token, from 0", default=0, positional=True),), derive=derive,
                 aliases=("select",),
                 torch=TorchHooks(calls=("operator.getitem",), from_call=from_call),
                 layouts=("seq",), order=56)
