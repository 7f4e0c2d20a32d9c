"""Jupyter notebooks (.ipynb): Markdown cells as Markdown, code cells' source and their
printed output as text, each line numbered in the notebook's text export order and placed
by cell ("cell 4, line 2")."""

from __future__ import annotations

import json
import re

from ..numbers import ClaimsError
from . import plain
from .lines import RawLine, split_lines

FORMATS = ("notebook",)
SUFFIXES = {".ipynb": "notebook"}
RANK = 10


def looks_like(text: str) -> bool:
    return text.lstrip()[:2000].startswith("{") and '"cells"' in text[:200_000]


def _text(value) -> str:
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


def read(text: str, filename: str) -> list[RawLine]:
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):
        raise ClaimsError("not a Jupyter notebook (the file is not valid JSON)", where=filename) from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise ClaimsError("not a Jupyter notebook (no list of cells)", where=filename)
    out: list[RawLine] = []
    line = 0
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        parts = [_text(cell.get("source"))]
        if cell.get("cell_type") == "code":
            for o in cell.get("outputs") or ():
                if not isinstance(o, dict):
                    continue
                parts.append(_text(o.get("text")))
                data = o.get("data")
                if isinstance(data, dict):
                    parts.append(_text(data.get("text/plain")))
        for k, part in enumerate(p for p in parts if p):
            for _i, r in enumerate(plain.read(part, filename), start=1):
                if k and len(r.cells) == 1 and re.fullmatch(r"[\d.,eE+\s-]+", r.cells[0]):
                    continue  # a bare printed number: the value of the code line above, graded there
                where = f"cell {number}, {'output ' if k else ''}line {r.line}"
                # in a code cell '# conv1' is a comment (a label for the lines below it), never a heading that
                # starts a new question
                heading = r.is_heading and cell.get("cell_type") != "code"
                out.append(RawLine(line + r.line, r.cells, heading, where, r.table))
            line += len(split_lines(part))
    return out
