"""The layer kinds, one module each, and the one dispatcher.

Every module in this package that defines ``KIND`` is a layer kind: adding a
kind is adding a file (its formulas, textbook forms, torch mapping, channel
fields and slips all live on its :class:`~symcnn.layers.base.LayerKind`).

>>> kind("conv2d").name
'conv'
>>> kind("cnv")
Traceback (most recent call last):
...
symcnn.errors.SpecError: unknown layer kind 'cnv' (did you mean conv?)
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from ..errors import SpecError
from .base import IDENTITY, Derivation, LayerKind, Param, Shape, Window


def _discover() -> dict[str, LayerKind]:
    """Every module beside this one is a kind, but ``base`` (the types every kind uses); what kinds share lives in
    the ``common`` package, never a module here."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.ispkg or info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        k = getattr(module, "KIND", None)
        if isinstance(k, LayerKind):
            found.append(k)
    found.sort(key=lambda k: (k.order, k.name))
    return {k.name: k for k in found}


KINDS: dict[str, LayerKind] = _discover()

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


__all__ = ["IDENTITY", "KINDS", "Derivation", "LayerKind", "Param", "Shape", "Window", "kind", "names"]


def kinds_markdown() -> str:
    """The README's table of layer kinds, generated from the registry (a test keeps them equal)."""
    rows = ["| kind | also | fields | PyTorch | what |", "|---|---|---|---|---|"]
    for k in KINDS.values():
        fields = " ".join(f"`{p.name}`" for p in k.params) or "none"
        torch = ", ".join([f"`{m}`" if "." in m else f"`nn.{m}`" for m in k.torch.modules]
                          + [f"`{c}`" for c in k.torch.calls]) or "none"
        also = ", ".join(f"`{a}`" for a in k.aliases)
        rows.append(f"| `{k.name}` | {also} | {fields} | {torch} | {k.doc} |")
    return "\n".join(rows) + "\n"


__all__ += ["kinds_markdown"]
