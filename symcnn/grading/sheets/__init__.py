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

from ..numbers import ClaimsError
from . import latex, markdown, notebook, plain
from .lines import FORMATS, MAX_BYTES, MAX_LINE, RawLine, SheetLine, attach, sniff, split_lines

#: each format and its reader (a new reader is a module here and a line in this table)
READERS = {"text": plain.read, "markdown": markdown.read, "latex": latex.read, "notebook": notebook.read,
           "claims": plain.read}


def read_sheet(text: str, filename: str = "<sheet>", fmt: str | None = None) -> list[SheetLine]:
    """The lines of a sheet with table headers and headings attached."""
    if len(text) > MAX_BYTES:
        raise ClaimsError(f"the sheet is {len(text):,} characters long (at most {MAX_BYTES:,})", where=filename)
    fmt = fmt or sniff(text, filename)
    return attach(READERS[fmt](text, filename))



__all__ = ["FORMATS", "MAX_BYTES", "MAX_LINE", "READERS", "RawLine", "SheetLine", "attach", "read_sheet", "sniff",
           "split_lines"]
