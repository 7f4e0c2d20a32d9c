"""What the document printers share: numbers in math, table cells, the worked
lines of a layer.  The printers themselves live one per format (latex.py,
html.py, markdown.py) and dispatch on the block types of :mod:`symcnn.keys`.

Every math fragment in HTML goes through :func:`symcnn.render.mathml.to_mathml`,
which refuses MathML that is not XML or that leaks raw LaTeX.
"""

from __future__ import annotations

import sympy as sp

from . import proofs as P
from .proofs import latex_of


def number_latex(v) -> str:
    """A result in math: integers with thousands separators."""
    v = sp.sympify(v)
    if v.is_Integer:
        return f"{int(v):,}".replace(",", "{,}")
    return latex_of(v)


def cell_text(v) -> str:
    if isinstance(v, sp.Basic):
        return f"{int(v):,}" if v.is_Integer else sp.sstr(v)
    return str(v)


def _lhs_latex(lhs: str) -> str:
    return {"weights": r"\mathrm{weights}", "biases": r"\mathrm{biases}", "params": r"\mathrm{params}",
            "activations": r"\mathrm{activations}", "MACs": r"\mathrm{MACs}"}.get(lhs, latex_of(sp.Symbol(lhs)))


def worked_parts(l) -> list[str]:
    """lhs, formula in symbols, formula with the values, result (LaTeX)."""
    parts = [_lhs_latex(l.lhs)]
    if l.formula is not None:
        parts.append(latex_of(l.formula))
    parts.append(latex_of(l.substituted))
    parts.append(number_latex(l.result))
    out = [parts[0]]
    for p in parts[1:]:  # C_out = C_out = 96 = 96 says nothing twice
        if p != out[-1] and p.replace("{,}", "") != out[-1]:
            out.append(p)
    return out


def worked_latex_rows(sol) -> list[tuple[str, str]]:
    """(math, label) per line: lhs = formula = substituted = result."""
    return [(" = ".join(worked_parts(l)), l.quantity + (f" ({l.note})" if l.note else "")) for l in sol.lines]


LATEX_PREAMBLE = P.latex_preamble("10pt", "2cm")
