"""LaTeX: sections become headings, tabular rows become table rows (cells at '&', rows at
'\\\\'), comments and layout commands are dropped; math is left for the claim reader."""

from __future__ import annotations

import re

from .lines import RawLine, split_lines

FORMATS = ("latex",)
SUFFIXES = {".tex": "latex", ".latex": "latex"}
RANK = 20


def looks_like(text: str) -> bool:
    head = text.lstrip()[:2000] + text[:50_000]
    return bool(re.search(r"\\documentclass|\\begin\{(tabular|document|table|align)", head))

_RULES = re.compile(r"\\(hline|toprule|midrule|bottomrule|cline\{[^}]*\}|cmidrule(\([^)]*\))?\{[^}]*\}|centering|"
                    r"noindent|small|footnotesize|large|Large|newpage|clearpage|maketitle|item)\b")
_HEADING = re.compile(r"\\(part|chapter|section|subsection|subsubsection|paragraph|title|caption)\*?\s*"
                      r"(?:\[[^\]]*\])?\{(.*)\}")
_SKIP = re.compile(r"\\(documentclass|usepackage|begin|end|label|author|date|geometry|setlength|newcommand|"
                   r"renewcommand)\b")


def _uncomment(line: str) -> str:
    return re.sub(r"(?<!\\)%.*", "", line)


def read(text: str, filename: str) -> list[RawLine]:
    out: list[RawLine] = []
    lines = split_lines(text)
    start = 0
    for i, line in enumerate(lines):
        if "\\begin{document}" in line:
            start = i + 1
            break
    depth = 0  # inside a tabular
    pending, pending_line = "", 0
    for n, raw in enumerate(lines[start:], start=start + 1):
        line = _uncomment(raw)
        if "\\end{document}" in line:
            break
        opens = len(re.findall(r"\\begin\{(tabular\*?|tabularx|longtable|array)\}(\{[^}]*\})*(\{[^}]*\})?", line))
        closes = len(re.findall(r"\\end\{(tabular\*?|tabularx|longtable|array)\}", line))
        line = re.sub(r"\\begin\{(tabular\*?|tabularx|longtable|array)\}(\[[^\]]*\])?(\{[^{}]*(\{[^}]*\}[^{}]*)*\})+",
                      "", line)
        line = re.sub(r"\\end\{(tabular\*?|tabularx|longtable|array)\}", "", line)
        depth += opens
        heading = _HEADING.search(line)
        if heading and not depth:
            out.append(RawLine(n, (heading.group(2).strip(),), True))
            continue
        line = _RULES.sub("", line)
        if depth:
            if not pending:
                pending_line = n
            pending += " " + line
            while re.search(r"(?<!\\)\\\\", pending):
                row, pending = re.split(r"(?<!\\)\\\\(?:\[[^\]]*\])?", pending, maxsplit=1)
                cells = tuple(c.strip() for c in re.split(r"(?<!\\)&", row))
                if any(cells):
                    out.append(RawLine(pending_line, cells, table=True))
                pending_line = n
            depth -= closes
            if depth <= 0:
                depth = 0
                if pending.strip():
                    cells = tuple(c.strip() for c in re.split(r"(?<!\\)&", pending))
                    out.append(RawLine(pending_line, cells, table=len(cells) > 1))
                pending = ""
            continue
        if _SKIP.match(line.strip()) and not re.search(r"\d", re.sub(r"\\[a-z]+\{[^}]*\}", "", line)):
            continue
        line = re.sub(r"(?<!\\)\\\\(\[[^\]]*\])?\s*$", "", line)
        line = re.sub(r"(?<!\\)&", " ", line)  # an align's alignment point ('\text{naive output} &= ...')
        out.append(RawLine(n, (line.strip(),)))
    return out
