"""The layer kinds, one module each, and the one dispatcher.

>>> kind("conv2d").name
'conv'
>>> kind("cnv")
Traceback (most recent call last):
...
symcnn.errors.SpecError: unknown layer kind 'cnv' (did you mean conv?)
"""

from __future__ import annotations

import difflib

from ..errors import SpecError
from . import activation, adaptive, batchnorm, conv2d, dropout, flatten, linear, lrn, pooling
from .base import IDENTITY, Derivation, LayerKind, Param, Shape, Window

KINDS: dict[str, LayerKind] = {}
for _k in (conv2d.KIND, *pooling.KINDS, *adaptive.KINDS, linear.KIND, flatten.KIND, batchnorm.KIND,
           lrn.KIND, *activation.KINDS, dropout.KIND):
    KINDS[_k.name] = _k

_LOOKUP = {alias: k for k in KINDS.values() for alias in (k.name, *k.aliases)}


def names() -> list[str]:
    return sorted(_LOOKUP)


def kind(name: str) -> LayerKind:
    """The layer kind called ``name`` (or one of its aliases), case-insensitively."""
    found = _LOOKUP.get(name.lower())
    if found is None:
        close = difflib.get_close_matches(name.lower(), _LOOKUP, n=1)
        hint = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(sorted(KINDS))})"
        raise SpecError(f"unknown layer kind {name!r}{hint}")
    return found


__all__ = ["KINDS", "kind", "names", "LayerKind", "Param", "Shape", "Window", "Derivation", "IDENTITY"]
