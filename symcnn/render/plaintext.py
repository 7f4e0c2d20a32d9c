"""Formulas and prose as plain text (Unicode operators, no markup): what the terminal and the worked solutions
print."""

from __future__ import annotations

from sympy.printing.str import StrPrinter

from ..proof.model import Math, Prose
from ..prose import TIMES

TEXT_REL = {"=": "=", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "!=": "≠", TIMES: TIMES}


class _TextPrinter(StrPrinter):
    """Readable text: r_(n + 1) for Indexed, Σ over l = 1..L for sums."""

    printmethod = "_symcnn_text"  # Indexed has its own _sympystr; dispatch on type here instead

    def _print_Indexed(self, expr):
        idx = ", ".join(self._print(i) for i in expr.indices)
        simple = all(i.is_Atom for i in expr.indices)
        return f"{self._print(expr.base)}_{idx}" if simple else f"{self._print(expr.base)}_({idx})"

    def _print_IndexedBase(self, expr):
        return str(expr.label)

    def _print_Sum(self, expr):
        return self._bounds("sum", expr)

    def _print_Product(self, expr):
        return self._bounds("prod", expr)

    def _bounds(self, name, expr):
        (i, a, b), = expr.limits if len(expr.limits) == 1 else (expr.limits[0],)
        return f"{name}({self._print(i)}={self._print(a)}..{self._print(b)}) [{self._print(expr.function)}]"


def text_of(e) -> str:
    """ASCII text of an expression (the text tables and error messages)."""
    return _TextPrinter({"order": "none"}).doprint(e)


def pretty_of(e) -> str:
    """Text for reading: Unicode operators, no programming notation (· ^ √ ≥)."""
    s = text_of(e)
    s = s.replace("**", "^").replace("*", "·").replace("sqrt(", "√(")
    return s


def _math_text(m: Math) -> str:
    return pretty_of(m.first) + "".join(f" {TEXT_REL[r]} {pretty_of(e)}" for r, e in m.rest)


def prose_text(p: Prose) -> str:
    return "".join(_math_text(x) if isinstance(x, Math) else x for x in p.parts)


def reason_text(r) -> str:
    return prose_text(r) if isinstance(r, Prose) else r
