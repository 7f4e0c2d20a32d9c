"""Where a symbolic network exists: the validity domain of a what-if.

Every layer must produce a map of at least 1 x 1 with at least one channel (under the
floor convention that is exactly "its window fits": floor(span/S) + 1 >= 1 iff span >= 0);
under the exact convention every size must also be a whole number.  These conditions are
read off the derived table as sympy expressions, the earliest layer first, and then:

- for an integer symbol (a resolution, a layer's field) whose conditions only grow with it
  (checked on the expression tree: sums and positive multiples of the symbol, floors and
  ceilings of such), the smallest valid value is found by bisection: "valid for R >= 67";
- for a real symbol (a width multiplier) with polynomial conditions, sympy solves the
  inequalities: "valid for alpha >= 1/64";
- at any point (a sweep's grid), each condition is evaluated and the first that fails is named.

>>> from symcnn.whatif import whatif
>>> w = whatif("alexnet", resolution="R")
>>> w.domain.describe()
['valid for R >= 67 (below it, pool5: output height >= 1 fails)']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..errors import SymcnnError


@dataclass(frozen=True)
class Condition:
    layer: str
    what: str  # "output height >= 1"
    expr: sp.Expr
    kind: str = "positive"  # "positive": expr >= 1; "integer": expr is a whole number

    def holds_at(self, values: dict) -> bool:
        v = self.expr.xreplace(values)
        if not v.is_number:
            raise SymcnnError(f"{self.layer}: {self.what} cannot be decided without values for "
                              f"{', '.join(sorted(s.name for s in v.free_symbols))}")
        v = sp.nsimplify(v) if v.is_Float else v
        return bool(v >= 1) if self.kind == "positive" else bool(sp.sympify(v).is_integer)

    def text(self) -> str:
        return f"{self.layer}: {self.what}"


@dataclass
class Bound:
    symbol: sp.Symbol
    low: sp.Expr | None  # the smallest valid value (None: none found)
    high: sp.Expr | None = None
    reason: str = ""  # the condition that fails just below ``low``
    at: dict = field(default_factory=dict)  # the values of the other symbols it was found at


def conditions(table, convention) -> list[Condition]:
    """Every size that depends on a symbol must be at least 1 (and whole, under the exact convention);
    the first layer to mention an expression names it."""
    seen: set = set()
    out: list[Condition] = []
    for row in table.rows:
        for axis, name in (("c", "channels"), ("h", "height"), ("w", "width")):
            e = sp.sympify(getattr(row.output, axis))
            if not e.free_symbols:
                continue
            if (e, "positive") not in seen:
                seen.add((e, "positive"))
                out.append(Condition(row.name, f"output {name} >= 1", e))
            if convention.division == "exact" and axis != "c" and (e, "integer") not in seen and \
                    e.is_integer is not True:
                seen.add((e, "integer"))
                out.append(Condition(row.name, f"output {name} is a whole number", e, "integer"))
        g = dict(row.layer.args).get("g") if row.layer is not None else None
        if g is not None and sp.sympify(g) != 1:
            # a grouped convolution: both channel counts split evenly into the groups
            for what, ch in (("input", row.input.c), ("output", row.output.c)):
                q = sp.sympify(ch) / sp.sympify(g)
                if q.free_symbols and q.is_integer is not True and (q, "integer") not in seen:
                    seen.add((q, "integer"))
                    out.append(Condition(row.name, f"{what} channels divisible by the {g} groups", q, "integer"))
    return out


def mask(conds: list[Condition], symbols: list[sp.Symbol], arrays: list[Any]) -> Any:
    """Where every condition holds on a grid (NumPy arrays, one per symbol, of one shape): compiled once each
    with lambdify, evaluated vectorised."""
    import numpy as np

    shape = np.shape(arrays[0])
    valid = np.ones(shape, dtype=bool)
    for c in conds:
        v = np.broadcast_to(np.asarray(sp.lambdify(symbols, c.expr, modules="numpy")(*arrays), dtype=float), shape)
        valid &= (v >= 1) if c.kind == "positive" else (np.abs(v - np.round(v)) < 1e-9)
    return valid


def nondecreasing(e: sp.Expr, s: sp.Symbol) -> bool:
    """Structurally non-decreasing in ``s`` (for s > 0): numbers, ``s``, other symbols, sums and
    products of such with non-negative factors, floors and ceilings of such."""
    if s not in e.free_symbols:
        return True
    if e == s:
        return True
    if isinstance(e, sp.Add):
        return all(nondecreasing(a, s) for a in e.args)
    if isinstance(e, sp.Mul):
        consts = [a for a in e.args if s not in a.free_symbols]
        varying = [a for a in e.args if s in a.free_symbols]
        coeff = sp.Mul(*consts)
        # several growing factors (a flatten's C*H*W) grow together where each is non-negative, which the
        # conditions of the layers before (each size >= 1) ensure wherever the bisection looks
        return bool(coeff.is_nonnegative) and all(nondecreasing(a, s) for a in varying)
    if isinstance(e, (sp.floor, sp.ceiling)):
        return nondecreasing(e.args[0], s)
    if isinstance(e, sp.Pow) and e.exp.is_positive and e.exp.is_number:
        return nondecreasing(e.base, s)  # a square of sizes: grows where the size is non-negative (as above)
    return False


class Domain:
    """The conditions under which every layer of a what-if exists, and per-symbol bounds."""

    def __init__(self, table, convention, symbols, point: dict):
        self.conditions = conditions(table, convention)
        self.symbols = list(symbols)
        self.point = dict(point)
        self.bounds: dict[sp.Symbol, Bound] = {}
        for s in self.symbols:
            self.bounds[s] = self._bound(s)

    def failing(self, values: dict) -> Condition | None:
        """The first condition (in network order) that fails at ``values``, or None."""
        for c in self.conditions:
            if not c.holds_at(values):
                return c
        return None

    def contains(self, values: dict) -> bool:
        return self.failing(values) is None

    def _others(self, s: sp.Symbol) -> dict:
        return {k: v for k, v in self.point.items() if k != s}

    def _bound(self, s: sp.Symbol) -> Bound:
        others = self._others(s)
        conds = [c for c in self.conditions if s in c.expr.free_symbols]
        if not conds:
            return Bound(s, None, None, "no condition depends on it", others)
        conds = [Condition(c.layer, c.what, c.expr.xreplace(others), c.kind) for c in conds]
        if any(c.expr.free_symbols - {s} for c in conds):
            return Bound(s, None, None, "the conditions also involve other symbols", others)
        if s.is_integer:
            return self._integer_bound(s, conds, others)
        return self._real_bound(s, conds, others)

    def _integer_bound(self, s, conds, others) -> Bound:
        if any(c.kind == "integer" for c in conds) and all(nondecreasing(c.expr, s) for c in conds
                                                           if c.kind == "positive"):
            return self._progression(s, conds, others)
        if not all(nondecreasing(c.expr, s) for c in conds if c.kind == "positive"):
            return Bound(s, None, None, "the conditions are not monotone in it: check points with --sweep", others)

        def ok(n: int) -> Condition | None:
            for c in conds:
                if not c.holds_at({s: sp.Integer(n)}):
                    return c
            return None

        if ok(1) is None:
            return Bound(s, sp.Integer(1), None, "", others)
        hi = 2
        while ok(hi) is not None:
            hi *= 2
            if hi > 2 ** 40:
                return Bound(s, None, None, "no value up to 2**40 is valid", others)
        lo = hi // 2  # fails at lo, holds at hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if ok(mid) is None:
                hi = mid
            else:
                lo = mid
        failed = ok(hi - 1)
        for n in (hi + 1, hi + 2, 2 * hi, 10 * hi):  # the bisection's premise, checked above the answer
            if ok(n) is not None:
                return Bound(s, None, None, f"valid at {hi} but not at {n}: check points with --sweep", others)
        return Bound(s, sp.Integer(hi), None, failed.text() if failed else "", others)

    def _progression(self, s, conds, others, up_to: int = 2048) -> Bound:
        """Sizes that must be whole (exact division): the valid values up to ``up_to``, described as an
        arithmetic progression when they are one (AlexNet at 227: R = 227 + 32k... from its smallest)."""
        import numpy as np

        grid = np.arange(1, up_to + 1, dtype=float)
        values = [int(x) for x in grid[mask(conds, [s], [grid])]]
        if not values:
            return Bound(s, None, None, f"no value up to {up_to} makes every size whole", others)
        if len(values) == 1:
            return Bound(s, None, None, f"only {s} = {values[0]} up to {up_to} makes every size whole", others)
        step = values[1] - values[0]
        if all(b - a == step for a, b in itertools.pairwise(values)) and \
                all(c.holds_at({s: sp.Integer(values[0] + k * step)}) for c in conds for k in (0, 1)):
            return Bound(s, sp.Integer(values[0]), None,
                         f"every size whole only for {s} = {values[0]} + {step}k (k = 0, 1, 2, ...; checked up to "
                         f"{up_to})", others)
        shown = ", ".join(map(str, values[:8]))
        return Bound(s, None, None, f"every size is whole only for {s} in {{{shown}, ...}} (up to {up_to})", others)

    def _real_bound(self, s, conds, others) -> Bound:
        region = sp.Interval.open(0, sp.oo)
        reason = ""
        tiny = sp.Rational(1, 10 ** 9)
        for c in conds:
            if c.kind == "positive" and c.expr.has(sp.floor, sp.ceiling) and nondecreasing(c.expr, s) and \
                    c.holds_at({s: tiny}):
                continue  # grows with s and holds as s -> 0+ (a depth's ceiling(d*k) is 1 there): holds for all s
            if c.kind != "positive" or c.expr.has(sp.floor, sp.ceiling):
                return Bound(s, None, None, "the conditions are not polynomial in it: check points with --sweep",
                             others)
            try:
                poly = sp.Poly(c.expr, s)
            except sp.PolynomialError:
                poly = None
            if poly is not None and poly.degree() == 1 and poly.LC().is_positive:
                a, b = poly.all_coeffs()  # a*s + b >= 1  <=>  s >= (1 - b)/a
                sol = sp.Interval(max(sp.Integer(0), (1 - b) / a), sp.oo, left_open=bool((1 - b) / a <= 0))
            else:
                try:
                    sol = sp.solve_univariate_inequality(c.expr >= 1, s, relational=False,
                                                         domain=sp.Interval.open(0, sp.oo))
                except (NotImplementedError, ValueError, TypeError):
                    return Bound(s, None, None, "sympy cannot solve the conditions", others)
            new = region.intersect(sol)
            if new != region:
                reason = c.text()
            region = new
        if region.is_empty:
            return Bound(s, None, None, f"no value is valid ({reason})", others)
        if isinstance(region, sp.Interval):
            return Bound(s, region.inf, None if region.sup == sp.oo else region.sup, reason, others)
        return Bound(s, None, None, f"the valid values are {region}", others)

    def describe(self) -> list[str]:
        out = []
        for s, b in self.bounds.items():
            at = ", ".join(f"{k.name} = {v}" for k, v in b.at.items() if k in self.symbols)
            where = f" (at {at})" if at else ""
            if b.low is not None and b.reason.startswith("every size whole"):
                out.append(f"valid for {s.name} >= {b.low}, {b.reason}{where}")
            elif b.low is not None:
                text = f"valid for {s.name} >= {b.low}" + (f" and <= {b.high}" if b.high is not None else "")
                if b.reason and b.low != 1 and not (not s.is_integer and b.low == 0):
                    text += f" (below it, {b.reason} fails)"
                out.append(text + where)
            elif b.reason != "no condition depends on it":
                out.append(f"{s.name}: {b.reason}{where}")
        return out
