"""Display expressions: built unevaluated, in textbook order, and turned back
into canonical sympy expressions for checking.  No printing here."""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp


def display_subs(e: Any, mapping: Any, drop_ones: bool = True) -> Any:
    """Substitute without letting sympy reorder the display form."""
    with sp.evaluate(False):
        return tidy(e.xreplace(mapping), drop_ones)


def tidy(e: Any, drop_ones: bool = True) -> Any:
    """Flatten nested unevaluated sums and products and (unless asked not
    to) drop factors of 1, without evaluating anything (display only)."""
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.Symbol, sp.IndexedBase, sp.Indexed)):
        return e
    args = [tidy(a, drop_ones) for a in e.args]
    if isinstance(e, sp.Mul):
        flat: list[Any] = []
        for a in args:
            flat.extend(a.args if isinstance(a, sp.Mul) else [a])
        if drop_ones:
            flat = [a for a in flat if a != 1] or [sp.Integer(1)]
        if len(flat) == 2 and flat[0] == -1 and flat[1].is_Number:
            return -flat[1]  # - 11, not - 1*11
        return flat[0] if len(flat) == 1 else sp.Mul(*flat, evaluate=False)
    if isinstance(e, sp.Add):
        flat = []
        for a in args:
            flat.extend(a.args if isinstance(a, sp.Add) else [a])
        return sp.Add(*flat, evaluate=False)
    if isinstance(e, (sp.Sum, sp.Product)):
        return e.func(*args)
    if isinstance(e, sp.Rel):
        return e.func(*args, evaluate=False)
    if isinstance(e, (sp.Pow, sp.floor, sp.ceiling, sp.Min, sp.Max)):
        return e.func(*args, evaluate=False)
    return e.func(*args)


def canon(e: Any) -> Any:
    """Rebuild an unevaluated display expression with evaluation on."""
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.Symbol, sp.IndexedBase)):
        return e
    return _canon(e)


@functools.lru_cache(maxsize=4096)
def _canon(e: Any) -> Any:
    # a proof asks for the same hypotheses' evaluated forms at every step and both checkers;
    # display forms are immutable and compare structurally, so one evaluation serves them all
    return e.func(*[canon(a) for a in e.args])


#: objects that bind a variable: the division by h in lim_(h -> 0) f(h)/h is not a division by 0
_BINDERS = (sp.Limit, sp.Derivative, sp.Integral, sp.Sum, sp.Product)


def _nodes(e: Any) -> Any:
    if not isinstance(e, sp.Basic):
        return
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _BINDERS):
            continue
        stack.extend(node.args)


def denominators(e: Any) -> list[Any]:
    """Every expression the display form ``e`` divides by (bases of negative
    powers), found before evaluation could cancel them: x/x has the
    denominator x even though sympy would evaluate it to 1."""
    out: list[Any] = []
    for node in _nodes(e):
        if isinstance(node, sp.Pow) and node.exp.is_number and node.exp.is_negative:
            base = canon(node.base)
            if base not in out:
                out.append(base)
    return out


def radicands(e: Any) -> list[Any]:
    """Bases of fractional powers (square roots and the like): they must not be negative."""
    out: list[Any] = []
    for node in _nodes(e):
        if isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer:
            base = canon(node.base)
            if base not in out:
                out.append(base)
    return out
