"""Answer sheets as students hand them in, read into lines and table rows.

One reader per format (plain text, Markdown, LaTeX, Jupyter notebooks); each turns
a file into :class:`SheetLine` objects: the line number an editor shows, the cells
of a table row (one cell for prose), the column headers of the table the row
belongs to, and the last heading above it.  What a line *claims* is found later
(:mod:`symcnn.grading.figures`); here nothing is interpreted but the layout.

>>> lines = read_sheet("Layer\\tParams\\nconv1\\t34,944\\n", "s.txt")
>>> lines[1].cells, lines[1].header
(('conv1', '34,944'), ('Layer', 'Params'))
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from ..numbers import ClaimsError
from .lines import MAX_BYTES, MAX_LINE, RawLine, SheetLine, attach, split_lines


def _readers() -> list[ModuleType]:
    """Every module here but ``lines`` is a reader: its FORMATS, the SUFFIXES of the files it takes (each with the
    format its name decides, or None when the content decides), looks_like(text) and its RANK among the content
    sniffers, and read(text, filename).  A new reader is one file."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name != "lines" and not info.name.startswith("_"):
            found.append(importlib.import_module(f"{__name__}.{info.name}"))
    return sorted(found, key=lambda m: m.RANK)


_MODULES = _readers()
#: each format and the module that reads it
READERS = {fmt: m for m in _MODULES for fmt in m.FORMATS}
#: the formats, as the command line offers them
FORMATS = tuple(READERS)
#: the file names read as sheets in a folder
SUFFIXES = tuple(dict.fromkeys(s for m in _MODULES for s in m.SUFFIXES))


def sniff(text: str, filename: str = "") -> str:
    """The format of a sheet, by its name, then by its content (each reader's own test, in rank order).

    >>> sniff("# Q1\\n| layer | params |\\n|---|---|\\n", "answers.txt")
    'markdown'
    >>> sniff("anything", "sheet.ipynb")
    'notebook'
    """
    name = filename.lower()
    for m in _MODULES:
        for suffix, fmt in m.SUFFIXES.items():
            if fmt is not None and name.endswith(suffix):
                return str(fmt)
    for m in _MODULES:
        if m.looks_like(text):
            return str(m.FORMATS[0])
    return "text"


def read_sheet(text: str, filename: str = "<sheet>", fmt: str | None = None) -> list[SheetLine]:
    """The lines of a sheet with table headers and headings attached."""
    if len(text) > MAX_BYTES:
        raise ClaimsError(f"the sheet is {len(text):,} characters long (at most {MAX_BYTES:,})", where=filename)
    fmt = fmt or sniff(text, filename)
    return attach(READERS[fmt].read(text, filename))



__all__ = ["FORMATS", "MAX_BYTES", "MAX_LINE", "READERS", "SUFFIXES", "RawLine", "SheetLine", "attach", "read_sheet",
           "sniff", "split_lines"]
