"""One budget for every expression a user can hand symcnn.

sympy will happily spend hours expanding ``((N + F + 1)**64)**64`` or printing
a 40,000-digit integer.  Every place that accepts an expression from outside
(spec values and ``set`` chains, ``--set``, ``--symbol``, ``--claim``, claim
values, sweep grids) checks it here *before* anything is expanded: the check
walks the expression tree once, never expands, and stops as soon as a limit
is passed.  The limits are generous for any real network and far below what
would hang a run:

>>> import sympy as sp
>>> C = sp.Symbol("C", positive=True, integer=True)
>>> check((C + 1)**8 * 3, "demo") == (C + 1)**8 * 3
True
>>> check(((C + 1)**64)**64, "demo")
Traceback (most recent call last):
...
symcnn.budget.BudgetError: demo: the expression is too large to work with: polynomial degree 4096 (the limit is 24)
>>> check(sp.Integer(10)**200, "total params")
Traceback (most recent call last):
...
symcnn.budget.BudgetError: total params: the expression is too large to work with: a number with 201 digits ...
>>> grid_points([1000, 1000, 100])
Traceback (most recent call last):
...
symcnn.budget.BudgetError: the sweep grid has 100,000,000 points (the limit is 1,000,000)
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, prod
from typing import Any

import sympy as sp

from .errors import SymcnnError

#: the most layers a network may unroll to, and the largest repeat count, however the count arrives (a
#: literal, a ``--set`` put into ``repeat N:``, nested repeats multiplying)
MAX_LAYERS = 100_000
MAX_REPEAT = 10_000


class BudgetError(SymcnnError):
    """An input that is well formed but too large to derive in reasonable time."""


@dataclass(frozen=True)
class Limits:
    digits: int = 100          # digits of any integer, numerator or denominator
    degree: int = 24           # total polynomial degree (exponents multiplied through)
    terms: int = 5000          # upper bound on the number of terms after full expansion
    nodes: int = 3000          # nodes of the expression tree
    depth: int = 60            # nesting depth of the expression tree
    grid: int = 1_000_000      # points of a sweep grid (the product of the axes; each is a printed row)


LIMITS = Limits()


class _Over(Exception):
    def __init__(self, detail: str):
        self.detail = detail


def _digits(n: int) -> int:
    n = abs(n)
    if n < 10 ** 18:
        return len(str(n))
    # no str() of a huge integer (Python refuses beyond 4300 digits): bound by its bit length
    return int(n.bit_length() * 0.30102999566398120) + 1


class _Walk:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.nodes = 0
        self.memo: dict[int, tuple[int, int]] = {}

    def visit(self, e: Any, depth: int) -> tuple[int, int]:
        """(degree, term bound) of e; raises _Over at the first limit passed."""
        L = self.limits
        if depth > L.depth:
            raise _Over(f"nesting deeper than {L.depth} levels")
        key = id(e)
        if key in self.memo:
            self.nodes += 1
            return self.memo[key]
        self.nodes += 1
        if self.nodes > L.nodes:
            raise _Over(f"more than {L.nodes:,} nodes in its tree")
        if isinstance(e, sp.Integer):
            self._number(int(e.p))
            out = (0, 1)
        elif isinstance(e, sp.Rational):
            self._number(int(e.p))
            self._number(int(e.q))
            out = (0, 1)
        elif isinstance(e, sp.Float):
            out = (0, 1)
        elif isinstance(e, (sp.Symbol, sp.Dummy)) or not isinstance(e, sp.Basic) or not e.args:
            out = (1 if isinstance(e, sp.Symbol) else 0, 1)
        elif isinstance(e, sp.Add):
            parts = [self.visit(a, depth + 1) for a in e.args]
            out = (max(p[0] for p in parts), sum(p[1] for p in parts))
        elif isinstance(e, sp.Mul):
            parts = [self.visit(a, depth + 1) for a in e.args]
            out = (sum(p[0] for p in parts), prod(p[1] for p in parts))
        elif isinstance(e, sp.Pow):
            deg, terms = self.visit(e.base, depth + 1)
            edeg, _ = self.visit(e.exp, depth + 1)
            n = e.exp
            if n.is_Integer:
                k = abs(int(n))
                if deg * k > L.degree:
                    raise _Over(f"polynomial degree {deg * k} (the limit is {L.degree})")
                # a sum of t terms to the k-th power has at most C(t + k - 1, k) terms
                out = (deg * k, comb(terms + k - 1, k) if terms > 1 else 1)
            else:
                out = (deg + edeg, terms)
        else:  # floor, ceiling, Min, Max, Indexed, Sum, ...: expansion stops at the function
            parts = [self.visit(a, depth + 1) for a in e.args]
            out = (max((p[0] for p in parts), default=0), 1)
        if out[0] > L.degree:
            raise _Over(f"polynomial degree {out[0]} (the limit is {L.degree})")
        if out[1] > L.terms:
            raise _Over(f"more than {L.terms:,} terms when expanded")
        self.memo[key] = out
        return out

    def _number(self, n: int) -> None:
        d = _digits(n)
        if d > self.limits.digits:
            raise _Over(f"a number with {d} digits (the limit is {self.limits.digits})")


def check(expr: Any, where: str, limits: Limits = LIMITS) -> Any:
    """Return ``expr`` if it is within the limits, else raise :class:`BudgetError`
    naming the limit and ``where`` (the place the expression came from)."""
    if not isinstance(expr, sp.Basic):
        return expr
    try:
        _Walk(limits).visit(expr, 0)
    except _Over as over:
        raise BudgetError(f"the expression is too large to work with: {over.detail}", where=where or None) from None
    except RecursionError:
        raise BudgetError("the expression is nested too deeply to work with", where=where) from None
    return expr


def within(expr: Any, limits: Limits = LIMITS) -> bool:
    """True when ``expr`` is within the limits."""
    try:
        check(expr, "", limits)
    except BudgetError:
        return False
    return True


def grid_points(sizes: Any, where: str = "", limits: Limits = LIMITS) -> int:
    """The number of points of a product grid, refused above the limit
    (computed from the axis lengths, before anything is allocated)."""
    total = prod(int(s) for s in sizes)
    if total > limits.grid:
        raise BudgetError(f"the sweep grid has {total:,} points (the limit is {limits.grid:,})",
                          where=where or None)
    return total
