"""The layout of a sheet, whatever its format: lines and table rows (:class:`RawLine` from a reader,
:class:`SheetLine` with its table's header and the heading above), and the format sniffed from a file.

>>> attach([RawLine(1, ("Layer", "Params"), table=True), RawLine(2, ("conv1", "34,944"), table=True)])[1].header
('Layer', 'Params')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: a sheet longer than this is refused before anything is read (a class's sheets are a few KB each)
MAX_BYTES = 2_000_000
MAX_LINE = 4_000


@dataclass(frozen=True)
class SheetLine:
    line: int  # 1-based, as an editor shows it (for a notebook: the line of the cell's text)
    cells: tuple[str, ...]
    header: tuple[str, ...] | None = None
    heading: str | None = None
    where: str = ""  # "cell 3, line 2" in a notebook
    is_heading: bool = False
    indent: int = 0  # leading spaces (a tab counts 4): a line indented under a layer's line is about that layer

    @property
    def text(self) -> str:
        return " | ".join(self.cells)

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1


@dataclass(frozen=True)
class RawLine:
    """What a format reader gives: a line's number, its text or cells, and whether it is a heading."""

    line: int
    cells: tuple[str, ...]
    is_heading: bool = False
    where: str = ""
    table: bool = False  # a row of a table (its cells are columns)
    indent: int = 0




def split_lines(text: str) -> list[str]:
    """Lines end at \\n (or \\r\\n, \\r) only: str.splitlines also splits at U+2028 and the like,
    and line numbers would not be those an editor shows."""
    return [line[:MAX_LINE] for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _is_header(cells: tuple[str, ...]) -> bool:
    """A table row of words: no cell holds a number (beyond a digit inside a word such as 'conv3')."""
    numeric = [c for c in cells if re.search(r"(?<![A-Za-z])\d", c)]
    return len(cells) > 1 and not numeric and sum(bool(re.search(r"[A-Za-z]", c)) for c in cells) >= 2


def attach(raw: list[RawLine]) -> list[SheetLine]:
    """Give every table row the header of its table and every line the heading above it."""
    out: list[SheetLine] = []
    header: tuple[str, ...] | None = None
    heading: str | None = None
    in_table = False
    for r in raw:
        if r.is_heading:
            heading = " ".join(r.cells).strip()
            header, in_table = None, False
            out.append(SheetLine(r.line, r.cells, None, heading, r.where, True))
            continue
        if r.table and len(r.cells) > 1:
            if _is_header(r.cells) and (not in_table or header is None or len(r.cells) >= len(header)):
                header = r.cells
                in_table = True
                out.append(SheetLine(r.line, r.cells, None, heading, r.where))
                continue
            in_table = True
            out.append(SheetLine(r.line, r.cells, header, heading, r.where))
            continue
        if not " ".join(r.cells).strip():
            continue  # a blank line does not end a table pasted with blank lines between rows
        in_table = False
        header = None
        out.append(SheetLine(r.line, r.cells, None, heading, r.where, indent=r.indent))
    return out


__all__ = ["MAX_BYTES", "MAX_LINE", "RawLine", "SheetLine", "attach", "split_lines"]
