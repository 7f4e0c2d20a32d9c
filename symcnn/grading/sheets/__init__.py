"""Answer sheets as students hand them in, read into lines and table rows.

One reader per format (plain text, Markdown, LaTeX, Jupyter notebooks); each turns
a file into :class:`SheetLine` objects: the line number an editor shows, the cells
of a table row (one cell for prose), the column headers of the table the row
belongs to, and the last heading above it.  What a line *claims* is found later
(:mod:`symcnn.grading.extract`); here nothing is interpreted but the layout.

>>> lines = read_sheet("Layer\\tParams\\nconv1\\t34,944\\n", "s.txt")
>>> lines[1].cells, lines[1].header
(('conv1', '34,944'), ('Layer', 'Params'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers import ClaimsError

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


FORMATS = ("text", "markdown", "latex", "notebook", "claims")


def sniff(text: str, filename: str = "") -> str:
    """The format of a sheet, by its name, then by its content."""
    name = filename.lower()
    if name.endswith(".ipynb"):
        return "notebook"
    if name.endswith((".tex", ".latex")):
        return "latex"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith(".claims"):
        return "claims"
    head = text.lstrip()[:2000]
    if head.startswith("{") and '"cells"' in text[:200_000]:
        return "notebook"
    if re.search(r"\\documentclass|\\begin\{(tabular|document|table|align)", head + text[:50_000]):
        return "latex"
    if re.search(r"^\s*\|?\s*:?-{3,}:?\s*\|", text, re.M) or re.search(r"^#{1,6} ", text, re.M):
        return "markdown"
    return "text"


def read_sheet(text: str, filename: str = "<sheet>", fmt: str | None = None) -> list[SheetLine]:
    """The lines of a sheet with table headers and headings attached."""
    if len(text) > MAX_BYTES:
        raise ClaimsError(f"the sheet is {len(text):,} characters long (at most {MAX_BYTES:,})", where=filename)
    fmt = fmt or sniff(text, filename)
    from . import latex, markdown, notebook, plain

    reader = {"text": plain.read, "markdown": markdown.read, "latex": latex.read, "notebook": notebook.read,
              "claims": plain.read}[fmt]
    return attach(reader(text, filename))


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
        out.append(SheetLine(r.line, r.cells, None, heading, r.where))
    return out


__all__ = ["FORMATS", "RawLine", "SheetLine", "attach", "read_sheet", "sniff", "split_lines"]
