"""Markdown: headings, pipe tables, prose; code fences are read as text (a printed table
in a fence is still a table)."""

from __future__ import annotations

import re

from . import plain
from .lines import RawLine

FORMATS = ("markdown",)
SUFFIXES = {".md": "markdown", ".markdown": "markdown"}
RANK = 30


def looks_like(text: str) -> bool:
    """A pipe table's rule line or a heading."""
    return bool(re.search(r"^\s*\|?\s*:?-{3,}:?\s*\|", text, re.M) or re.search(r"^#{1,6} ", text, re.M))


def read(text: str, filename: str) -> list[RawLine]:
    out = []
    for r in plain.read(text, filename):
        if len(r.cells) == 1 and r.cells[0].startswith("```"):
            continue
        out.append(r)
    return out
