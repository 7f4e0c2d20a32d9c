"""Plain text: prose lines, tables pasted from a document (tab-separated), and tables
drawn with '|' (as a text export of a notebook or a Markdown table shows them)."""

from __future__ import annotations

import re

from .lines import RawLine, split_lines

#: the formats this reader reads (a claims file is read as text by its own grammar), the file names it takes,
#: and its rank when a sheet's content decides (the last resort)
FORMATS = ("text", "claims")
SUFFIXES = {".txt": None, ".text": None, ".claims": "claims"}  # suffix -> the format it decides (None: the content)
RANK = 99


def looks_like(text: str) -> bool:
    return True


def cells_of(line: str) -> tuple[tuple[str, ...], bool]:
    """A line's cells and whether it is a table row."""
    if "\t" in line.strip("\t "):
        return tuple(c.strip() for c in line.strip().split("\t")), True
    if line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")
                                and re.search(r"\S\s*\|\s*\S", line)):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        return tuple(cells), True
    # columns aligned with runs of spaces (a table printed by a program): three or more cells; a model
    # summary's tree ('│    │    └─Conv2d: 3-1') is one label, its branches not columns
    body = re.sub(r"^[\s│├└─]*(?=[│├└─])[│├└─\s]*", "", line) if re.match(r"\s*[│├└]", line) else line
    parts = [p for p in re.split(r"\s{3,}", body.strip()) if p]
    if len(parts) >= 3:
        return tuple(parts), True
    return (line.strip(),), False


#: '# params = (5*5*1 + 1) * 6 = 156', '# of filters: 96': the number sign says "number of", not a heading
_NUMBER_SIGN = re.compile(r"\s*#\s*(?:of\b|(?:params?|parameters|weights|biases|filters|channels|neurons|units|ops|"
                          r"operations|macs|flops|multipl\w*|connections|layers|activations)\b)", re.I)


#: a line of words that ends in ':-' (a heading, as many write one by hand)
_TITLE = re.compile(r"\s*([A-Za-z][^:=|\t]{0,60}?)\s*:-\s*")


def read(text: str, filename: str) -> list[RawLine]:
    out = []
    for n, line in enumerate(split_lines(text), start=1):
        if re.fullmatch(r"\s*\|?[\s:|+=\-─━_]*[-=─━_]{3,}[\s:|+=\-─━_]*\|?\s*", line):
            continue  # a rule under a header, or a table's border (---, ===, ___ or box drawing)
        heading = re.match(r"\s*#{1,6}\s+(.*)", line)
        if heading and not _NUMBER_SIGN.match(line):
            out.append(RawLine(n, (heading.group(1).strip(),), True))
            continue
        heading = _TITLE.fullmatch(line) if ":-" in line else None
        if heading:  # "Receptive field :-", "ALEXNET :-": a handwritten page's heading
            out.append(RawLine(n, (heading.group(1).strip(),), True))
            continue
        cells, table = cells_of(line)
        head = line[:len(line) - len(line.lstrip(" \t"))]
        out.append(RawLine(n, cells, table=table, indent=len(head.expandtabs(4))))
    return out
