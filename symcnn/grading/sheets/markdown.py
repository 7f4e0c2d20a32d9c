"""Markdown: headings, pipe tables, prose; code fences are read as text (a printed table
in a fence is still a table)."""

from __future__ import annotations

from . import plain
from .lines import RawLine


def read(text: str, filename: str) -> list[RawLine]:
    out = []
    for r in plain.read(text, filename):
        if len(r.cells) == 1 and r.cells[0].startswith("```"):
            continue
        out.append(r)
    return out
