"""What the document printers share: numbers in math, table cells, the worked
lines of a layer.  The printers themselves live one per format (latex.py,
html.py, markdown.py) and dispatch on the block types of :mod:`symcnn.keys`.

Every math fragment in HTML goes through :func:`symcnn.render.mathml.to_mathml`,
which refuses MathML that is not XML or that leaks raw LaTeX.
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from ..proof.display import canon
from .tex import latex_of, latex_preamble


def number_latex(v) -> str:
    """A result in math: integers with thousands separators."""
    v = sp.sympify(v)
    if v.is_Integer:
        return f"{int(v):,}".replace(",", "{,}")
    return latex_of(v)


def cell_text(v) -> str:
    """A table cell as plain text (numbers with thousands separators; math as its source text)."""
    from ..keys.document import Code
    from ..prose import Math, Prose, prose_of

    if isinstance(v, Code):
        return v.text
    v = prose_of(v)
    if isinstance(v, Math):
        v = Prose((v,))
    if isinstance(v, Prose):
        return v.plain
    if isinstance(v, sp.Basic):
        return f"{int(v):,}" if v.is_Integer else sp.sstr(v)
    return str(v)


def cell_prose(v) -> Any:
    """A table cell the printers typeset: Prose for math (a symbol, a formula, a symbolic figure, words with
    math); None for plain text and whole numbers."""
    from ..prose import Math, Note, Prose

    if isinstance(v, Note):
        return v.prose
    if isinstance(v, Prose):
        return v
    if isinstance(v, Math):
        return Prose((v,))
    if isinstance(v, sp.Basic) and not v.is_Integer:
        return Prose((Math(v),))
    return None


def _lhs_latex(lhs: str) -> str:
    return {"weights": r"\mathrm{weights}", "biases": r"\mathrm{biases}", "params": r"\mathrm{params}",
            "activations": r"\mathrm{activations}", "MACs": r"\mathrm{MACs}"}.get(lhs, latex_of(sp.Symbol(lhs)))


@functools.lru_cache(maxsize=8192)
def worked_parts(l) -> tuple[str, ...]:
    """lhs, formula in symbols, formula with the values, result (LaTeX)."""
    parts = [_lhs_latex(l.lhs)]
    if l.formula is not None:
        parts.append(latex_of(l.formula))
    parts.append(latex_of(l.substituted))
    if l.result.is_number or l.result != canon(l.substituted):
        parts.append(number_latex(l.result))  # a symbolic result that only reorders the formula says nothing new
    out = [parts[0]]
    for p in parts[1:]:  # C_out = C_out = 96 = 96 says nothing twice
        if p != out[-1] and p.replace("{,}", "") != out[-1]:
            out.append(p)
    return tuple(out)


def worked_latex_rows(sol) -> list[tuple[str, str, Any]]:
    """(math, label, note) per line: lhs = formula = substituted = result; the note (words or a
    :class:`~symcnn.prose.Note`) belongs under that line."""
    return [(" = ".join(worked_parts(l)), l.quantity, l.note) for l in shown_lines(sol)]


def shown_lines(sol) -> list:
    """The lines of a worked layer that say something: C_out = C_out (a layer whose channel count is the
    symbol itself) is left out."""
    return [l for l in sol.lines if len(worked_parts(l)) > 1 or l.note]


LATEX_PREAMBLE = latex_preamble("10pt", "2cm")
