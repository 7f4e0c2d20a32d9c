"""Words with typeset math, as data: what a note, a proof's statement or a
key's paragraph says, before any printer decides how math is set.

>>> import sympy as sp
>>> n = Note("r = 3 is odd", Prose((Math(sp.Symbol("r"), (("=", sp.Integer(3)),)), " is odd")))
>>> n == "r = 3 is odd", n.prose.plain
(True, 'r = 3 is odd')
>>> n.prefixed("conv1: ").prose.plain
'conv1: r = 3 is odd'

Nothing here prints: the printers (:mod:`symcnn.render`) set :class:`Math`
as LaTeX, MathML or Unicode text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

#: the multiplication sign, as a Math chain's joiner: Math(C, ((TIMES, H), (TIMES, W))) is a shape C by H by W
TIMES = "\u00d7"


@dataclass(frozen=True)
class Math:
    """A chain of display expressions joined by relations, inside prose: $a >= b$."""

    first: sp.Basic
    rest: tuple[tuple[str, sp.Basic], ...] = ()


@dataclass(frozen=True)
class Prose:
    """Text with typeset math: a tuple of str and :class:`Math` pieces."""

    parts: tuple[Any, ...] = ()

    @property
    def plain(self) -> str:
        """The words alone, math left as its source text (for error messages and search)."""
        out = []
        for p in self.parts:
            if isinstance(p, Math):
                out.append(" ".join([sp.sstr(p.first, order="none")]
                                    + [f"{r} {sp.sstr(e, order='none')}" for r, e in p.rest]))
            else:
                out.append(p)
        return "".join(out)

    def __bool__(self) -> bool:
        return bool(self.parts)


class Note(str):
    """A note on a derivation: the plain words (the ``str`` itself, as text
    tables and JSON print it) and the same note as :class:`Prose`, whose
    math the document printers typeset."""

    prose: Prose
    #: the note says the arithmetic is not integral, yet every input pixel is read (only padding is left over):
    #: the layer's output is what the network means, not a sign that the network stops holding together
    benign: bool

    def __new__(cls, plain: str, prose: Prose | None = None, benign: bool = False) -> Note:
        note = super().__new__(cls, plain)
        note.prose = prose if prose is not None else Prose((plain,))
        note.benign = benign
        return note

    def prefixed(self, prefix: str) -> Note:
        """The same note with words in front (a layer's name)."""
        return Note(prefix + self, Prose((prefix, *self.prose.parts)), getattr(self, "benign", False))


def led(note: Any, prefix: str) -> Any:
    """A note (plain words or a :class:`Note`) with words in front, keeping its typeset form."""
    return note.prefixed(prefix) if isinstance(note, Note) else f"{prefix}{note}"


def prose_of(text: Any) -> Any:
    """What a printer should set: a note's prose, prose as it is, a plain string as it is."""
    return text.prose if isinstance(text, Note) else text


def joined(items: Any, sep: str = "; ") -> Any:
    """Several notes (or strings) as one: a :class:`Note` when any carries math, else a plain string."""
    items = [i for i in items if i]
    if not any(isinstance(i, Note) for i in items):
        return sep.join(items)
    parts: list[Any] = []
    for k, item in enumerate(items):
        if k:
            parts.append(sep)
        parts.extend(prose_of(item).parts if isinstance(item, Note) else (item,))
    return Note(sep.join(items), Prose(tuple(parts)))
