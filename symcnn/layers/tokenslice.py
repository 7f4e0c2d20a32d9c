"""Tokens ``start`` to ``stop`` of a sequence (``x[:, 1:]``: the patch tokens without the class
token, before their mean; ``x[:, :1]``: the class token kept as a sequence of one): a view, no
parameters, nothing computed.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"start": 1, "stop": 197}, Shape(768, 197, 1, "seq"), Convention()).output
Shape(c=768, h=196, w=1, layout='seq')
>>> KIND.derive({"start": 0, "stop": 198}, Shape(768, 197, 1, "seq"), Convention())
Traceback (most recent call last):
...
symcnn.errors.DerivationError: tokens 0 to 198 of 197: not a range of the sequence's tokens
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.torch_values import second_axis_range

PARAMS = (
    Param("start", "the first token kept, from 0", positional=True),
    Param("stop", "one past the last token kept (none: to the end)", default=None, positional=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "seq":
        raise DerivationError(f"tokenslice: the input must be a token sequence, got {x}")
    start = sp.sympify(a["start"])
    stop = x.h if a.get("stop") is None else sp.sympify(a["stop"])
    inside = [(start >= 0), (stop > start), (stop <= x.h)]
    if any(v is sp.false or v is False for v in inside):
        raise DerivationError(f"tokens {start} to {stop} of {x.h}: not a range of the sequence's tokens")
    return Derivation(output=Shape(x.c, stop - start, x.w, "seq"), inplace=True, window=None)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    """``x[:, a:b]`` (and a trailing full slice or an Ellipsis) of a batch of one token sequence."""
    index = node.args[1] if len(node.args) > 1 else None
    span = second_axis_range(index, shape_in[1]) if shape_in and len(shape_in) == 3 else None
    return NOT_MINE if span is None else {"start": sp.Integer(span[0]), "stop": sp.Integer(span[1])}


KIND = LayerKind(name="tokenslice", doc="tokens start to stop of a sequence (a view)",
                 params=PARAMS, derive=derive, aliases=("token_slice",),
                 torch=TorchHooks(calls=("operator.getitem",), from_call=from_call),
                 layouts=("seq",), order=56)
