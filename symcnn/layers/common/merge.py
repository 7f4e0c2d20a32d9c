"""Merging parallel paths: channel concatenation (Inception) and elementwise
addition (ResNet).  Both need their inputs' spatial sizes to agree.

>>> from symcnn.convention import Convention
>>> concat([Shape(64, 28, 28), Shape(128, 28, 28)]).output
Shape(c=192, h=28, w=28)
>>> add([Shape(64, 56, 56), Shape(128, 56, 56)])
Traceback (most recent call last):
...
symcnn.errors.DerivationError: residual add: path 2 gives 128x56x56 but path 1 gives 64x56x56
"""

from __future__ import annotations

import sympy as sp

from ...errors import DerivationError
from ..base import Derivation, Shape
from .window import same


def _check(what: str, shapes: list[Shape], fields: tuple[str, ...]) -> None:
    first = shapes[0]
    for i, s in enumerate(shapes[1:], start=2):
        for f in fields:
            verdict = same(getattr(first, f), getattr(s, f))
            if verdict is False:
                raise DerivationError(f"{what}: path {i} gives {s} but path 1 gives {first}")
            if verdict is None:
                raise DerivationError(
                    f"{what}: cannot show that path {i} ({s}) and path 1 ({first}) agree; "
                    "give the symbols values with --set"
                )


def concat(shapes: list[Shape]) -> Derivation:
    if not shapes:
        raise DerivationError("concat has no branches")
    _check("concat", shapes, ("h", "w"))
    layouts = {s.layout for s in shapes}
    if len(layouts) > 1:
        raise DerivationError("concat: the paths are laid out differently (" + ", ".join(
            f"{s} ({s.layout})" for s in shapes) + ")")
    out = Shape(sp.Add(*[s.c for s in shapes]), shapes[0].h, shapes[0].w, shapes[0].layout)  # a sequence's width
    return Derivation(output=out, parts=tuple(s.c for s in shapes))


def tokencat(shapes: list[Shape]) -> Derivation:
    """Sequences of tokens of one width joined along the sequence (CaiT's class token before the patch tokens, each a
    computed tensor): L_1 + L_2 tokens of E features.

    >>> tokencat([Shape(192, 1, 1, "seq"), Shape(192, 196, 1, "seq")]).output
    Shape(c=192, h=197, w=1, layout='seq')
    """
    if not shapes:
        raise DerivationError("token concatenation has no branches")
    # a vector of C features (a mean over the tokens kept as one) is one token
    shapes = [Shape(s.c, 1, 1, "seq") if s.layout == "chw" and same(s.h, 1) and same(s.w, 1) else s for s in shapes]
    if any(s.layout != "seq" for s in shapes):
        raise DerivationError("token concatenation: every path must be a sequence of tokens, got "
                              + ", ".join(f"{s} ({s.layout})" for s in shapes))
    _check("token concatenation", shapes, ("c",))
    out = Shape(shapes[0].c, sp.Add(*[s.h for s in shapes]), 1, "seq")
    return Derivation(output=out, parts=tuple(s.h for s in shapes))


def mul(shapes: list[Shape]) -> Derivation:
    """Elementwise product; a C x 1 x 1 gate is broadcast over every position."""
    full = [s for s in shapes if not (same(s.h, 1) and same(s.w, 1))] or shapes[:1]
    _check("gate (multiply)", full, ("c", "h", "w"))
    _check("gate (multiply)", [full[0], *[s for s in shapes if s not in full]], ("c",))
    out = full[0]
    return Derivation(output=out, other_ops=(len(shapes) - 1) * out.elements)


def add(shapes: list[Shape], what: str = "residual add") -> Derivation:
    """An elementwise sum (or difference: ``what``, for the messages) of paths of one shape."""
    _check(what, shapes, ("c", "h", "w"))
    out = shapes[0]
    return Derivation(output=out, other_ops=(len(shapes) - 1) * out.elements)
