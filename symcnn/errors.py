"""Errors that symcnn raises for bad input.

Every error a user can provoke is a :class:`SymcnnError`; the CLI prints its
message on one line and exits with status 2.  Internal bugs are not
``SymcnnError`` and still show a traceback, so they get reported.
"""

from __future__ import annotations


class SymcnnError(Exception):
    """Base class: a problem with the user's input, reported on one line."""

    def __init__(self, message: str, *, where: str | None = None, layer: str | None = None):
        self.message = " ".join(str(message).split())  # always one line
        self.where = where
        self.layer = layer
        super().__init__(self.oneline())

    def oneline(self) -> str:
        parts = []
        if self.where:
            parts.append(self.where)
        if self.layer:
            parts.append(f"layer '{self.layer}'")
        parts.append(self.message)
        return ": ".join(parts)


class ExprError(SymcnnError):
    """An expression that the restricted parser refuses."""


class SpecError(SymcnnError):
    """A malformed network spec (syntax, unknown kind, missing field...)."""


class DerivationError(SymcnnError):
    """A well-formed spec that describes an impossible network
    (channel mismatch, a window that does not tile, shapes that disagree)."""
