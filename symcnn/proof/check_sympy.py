"""The first checker: sympy.

A relation is checked under the link's :class:`~.model.Context` only:

- both sides must be defined: every denominator of the *display* forms (read
  before evaluation could cancel x/x) must be provably non-zero, every
  radicand provably non-negative;
- premises (definitions, proved facts, the induction hypothesis) are
  substituted, min and max are resolved where the hypotheses decide them;
- an equality holds when the difference simplifies to 0;
- an inequality holds when, after writing every bounded symbol as its bound
  plus a non-negative t (an integer t only when the symbol and its bound are
  integers), the expanded difference is a sum of terms whose signs sympy's
  assumptions decide.

It never answers "false": "failed" means sympy could not confirm the relation.

>>> import sympy as sp
>>> from .model import Context
>>> x = sp.Symbol("x", real=True)
>>> check(sp.floor(x), ">=", x, Context())[0]
'failed'
>>> n = sp.Symbol("n", integer=True)
>>> check(sp.floor(n), ">=", n, Context())[0]
'proved'
>>> F = sp.Symbol("F", integer=True, positive=True)
>>> with sp.evaluate(False):
...     e = (F - 1)**2 / (2*(F - 1))
>>> check(e, "=", (F - 1)/2, Context())
('failed', 'undefined where 2*F - 2 = 0, which the hypotheses allow')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.simplify.simplify import product_simplify

from .display import canon, denominators, radicands
from .model import FAILED, PROVED, Context


def _substitute(e: Any, ctx: Context) -> Any:
    if not ctx.premises:
        return e
    mapping = {canon(a): canon(b) for a, b in ctx.premises}
    return e.subs(mapping)


# -- bounds from the hypotheses and the domains ------------------------------------------------------------------

def _bounds(ctx: Context, symbols: Any) -> dict[Any, Any]:
    """symbol -> {"low": bound, "up": bound} from the hypotheses (single symbols against
    expressions free of them), with integer and positive domains' lower bounds."""
    out: dict[Any, Any] = {}
    for h in ctx.hypotheses:
        h = canon(h)
        for r in (h.args if isinstance(h, sp.And) else (h,)):
            if not isinstance(r, sp.Rel) or isinstance(r, (sp.Eq, sp.Ne)):
                continue
            lhs, rhs, op = r.lhs, r.rhs, r.rel_op
            if not isinstance(lhs, sp.Symbol) and isinstance(rhs, sp.Symbol):
                lhs, rhs = rhs, lhs
                op = {">": "<", ">=": "<=", "<": ">", "<=": ">="}[op]
            if not isinstance(lhs, sp.Symbol) or lhs in rhs.free_symbols:
                continue
            if op in (">", "<") and lhs.is_integer and rhs.is_integer:
                rhs = rhs + 1 if op == ">" else rhs - 1
            side = "low" if op in (">", ">=") else "up"
            have = out.setdefault(lhs, {})
            if side not in have:
                have[side] = rhs
            elif rhs.is_number and have[side].is_number:
                have[side] = max(have[side], rhs) if side == "low" else min(have[side], rhs)
    for s in symbols:
        if not isinstance(s, sp.Symbol) or "low" in out.get(s, {}):
            continue
        if s.is_integer and s.is_positive:
            out.setdefault(s, {})["low"] = sp.Integer(1)
        elif s.is_integer and s.is_nonnegative:
            out.setdefault(s, {})["low"] = sp.Integer(0)
        elif s.is_positive and "up" in out.get(s, {}):
            out[s]["low"] = sp.Integer(0)
    return out


def _shifted(expr: Any, ctx: Context) -> Any:
    """Write each bounded symbol through a non-negative t: bound + t, bound - t, or, for a real
    between two numbers L and U, (L + U t)/(1 + t); returns the new expression."""
    bounds = _bounds(ctx, expr.free_symbols)
    done: set[Any] = set()
    # bounds that are expressions (L >= N F - N + 1) go in first, then numeric ones
    for _ in range(len(bounds) + 1):
        pending = [s for s in expr.free_symbols if s in bounds and s not in done]
        if not pending:
            break
        pending.sort(key=lambda s: (all(b.is_number for b in bounds[s].values()), s.name))
        s = pending[0]
        have = bounds[s]
        low, up = have.get("low"), have.get("up")
        if low is not None and up is not None and low.is_number and up.is_number and not s.is_integer:
            t = sp.Symbol(f"t_{s.name}", nonnegative=True)
            expr = expr.subs(s, (low + up * t) / (1 + t))
        else:
            # a bound that is an expression says more than a number (n <= N - 1 rather than n >= 0)
            if up is not None and (low is None or (low.is_number and not up.is_number)):
                side, bound = "up", up
            else:
                side, bound = "low", low
            integral = bool(s.is_integer and bound.is_integer)
            t = sp.Symbol(f"t_{s.name}", integer=True, nonnegative=True) if integral else \
                sp.Symbol(f"t_{s.name}", nonnegative=True)
            expr = expr.subs(s, bound + t if side == "low" else bound - t)
        done.add(s)
    return expr


def _sign(expr: Any, strict: bool) -> bool:
    """Decide the sign from sympy's assumptions on the fraction's numerator and denominator,
    as they stand (a square of a real stays visibly non-negative), expanded, and factored."""
    def test(v: Any) -> bool:
        return bool(v.is_positive if strict else v.is_nonnegative)

    forms: tuple[Callable[[Any], Any], ...] = (sp.together, lambda e: sp.together(sp.expand(e)), sp.factor)
    for form in forms:
        try:
            num, den = sp.fraction(form(expr))
        except (TypeError, ValueError, sp.PolynomialError):
            continue
        for n, d in ((num, den), (sp.expand(num), sp.expand(den))):
            if d.is_positive is not True:
                if (-d).is_positive:
                    n = -n
                else:
                    continue
            if test(n):
                return True
    return False


def _stated(ctx: Context) -> Any:
    """Each inequality hypothesis as (expression that is >= 0, strict?)."""
    for h in ctx.hypotheses:
        h = canon(h)
        parts = h.args if isinstance(h, sp.And) else (h,)
        for r in parts:
            if isinstance(r, (sp.StrictLessThan, sp.LessThan)):
                yield r.rhs - r.lhs, isinstance(r, sp.StrictLessThan)
            elif isinstance(r, (sp.StrictGreaterThan, sp.GreaterThan)):
                yield r.lhs - r.rhs, isinstance(r, sp.StrictGreaterThan)


def nonnegative(expr: Any, ctx: Context, strict: bool = False) -> bool:
    """Is expr >= 0 (> 0 when strict) for every value the context allows?"""
    expr = canon(expr)
    direct = expr.is_positive if strict else expr.is_nonnegative
    if direct:
        return True
    for known, known_strict in _stated(ctx):  # the hypothesis itself, as stated
        if (known_strict or not strict) and sp.expand(expr - known) == 0:
            return True
    try:
        if not _sign(_shifted(expr, ctx), strict):
            return False
    except (TypeError, ValueError, RecursionError, sp.PolynomialError):
        return False
    # a real between two numbers is written (L + U t)/(1 + t), which never reaches U: where the hypotheses allow
    # U itself (x <= 1), the relation must hold there too
    bounds = _bounds(ctx, expr.free_symbols)
    for sym, b in bounds.items():
        low, up = b.get("low"), b.get("up")
        if sym in expr.free_symbols and not sym.is_integer and low is not None and up is not None and \
                low.is_number and up.is_number and not _strict_upper(ctx, sym, up) and \
                not nonnegative(expr.subs(sym, up), ctx, strict):
            return False
    return True


def _strict_upper(ctx: Context, sym: Any, up: Any) -> bool:
    """Does a hypothesis exclude the upper bound itself (x < 1, not x <= 1)?"""
    for h in ctx.hypotheses:
        h = canon(h)
        for r in (h.args if isinstance(h, sp.And) else (h,)):
            if isinstance(r, sp.StrictLessThan) and r.lhs == sym and r.rhs == up:
                return True
            if isinstance(r, sp.StrictGreaterThan) and r.rhs == sym and r.lhs == up:
                return True
    return False


def nonzero(expr: Any, ctx: Context) -> bool:
    expr = canon(expr)
    if expr.is_zero is False:
        return True
    for h in ctx.hypotheses:
        h = canon(h)
        if (isinstance(h, sp.Ne) and sp.expand(h.lhs - h.rhs - expr) == 0) or \
                (isinstance(h, sp.Ne) and sp.expand(h.lhs - h.rhs + expr) == 0):
            return True
    return nonnegative(expr, ctx, strict=True) or nonnegative(-expr, ctx, strict=True)


def _resolve_minmax(e: Any, ctx: Context) -> Any:
    """max(a, b) is a where the context proves a >= b (and so on); otherwise it stays."""
    if not e.has(sp.Max, sp.Min):
        return e

    def pick(node: Any) -> Any:
        args = list(node.args)
        for a in args:
            others = [b for b in args if b is not a]
            if isinstance(node, sp.Max) and all(nonnegative(a - b, ctx) for b in others):
                return a
            if isinstance(node, sp.Min) and all(nonnegative(b - a, ctx) for b in others):
                return a
        return node

    return e.replace(lambda x: isinstance(x, (sp.Max, sp.Min)), pick)


def _resolve_rounding(e: Any, ctx: Context) -> Any:
    """floor(x) is k where the context proves k <= x < k + 1, ceiling(x) is k where k - 1 < x <= k; the
    candidate k is the value at the symbols' lower bounds (floor(1/(n + 1)) is 0 for n >= 1).  Both
    inequalities go through :func:`nonnegative`, so nothing is assumed; otherwise the node stays."""
    if not e.has(sp.floor, sp.ceiling):
        return e

    def pick(node: Any) -> Any:
        x = node.args[0]
        bounds = _bounds(ctx, x.free_symbols)
        at = {s: b["low"] for s, b in bounds.items() if "low" in b and b["low"].is_number}
        try:
            k = node.func(x.subs(at))
        except (TypeError, ValueError):
            return node
        if not k.is_Integer:
            return node
        if isinstance(node, sp.floor) and nonnegative(x - k, ctx) and nonnegative(k + 1 - x, ctx, strict=True):
            return k
        if isinstance(node, sp.ceiling) and nonnegative(k - x, ctx) and nonnegative(x - k + 1, ctx, strict=True):
            return k
        return node

    return e.replace(lambda x: isinstance(x, (sp.floor, sp.ceiling)) and x.args[0].free_symbols, pick)


def _undefined(displays: Any, ctx: Context) -> str | None:
    for e in displays:
        for d in denominators(e):
            if not nonzero(d, ctx):
                return f"undefined where {sp.sstr(d)} = 0, which the hypotheses allow"
        for r in radicands(e):
            if not nonnegative(r, ctx):
                return f"undefined where {sp.sstr(r)} < 0, which the hypotheses allow"
    return None


_EQUAL: list[tuple[str, Callable[..., Any]]] = [
    ("identical", lambda A, B, d: d),
    ("expand", lambda A, B, d: sp.expand(d)),
    ("evaluate sums and products, expand", lambda A, B, d: sp.expand(d.doit())),
    ("cancel", lambda A, B, d: sp.cancel(sp.together(d))),
    ("simplify", lambda A, B, d: sp.simplify(d)),
    ("evaluate sums and products, simplify", lambda A, B, d: sp.simplify(d.doit())),
    ("combine products, simplify", lambda A, B, d: sp.simplify(product_simplify(A) - product_simplify(B))),
]


def equal_method(a: Any, b: Any, ctx: Context | None = None) -> str | None:
    """How sympy confirms a = b (canonical forms, premises substituted), or None."""
    ctx = ctx or Context()
    A, B = _resolve_minmax(_substitute(canon(a), ctx), ctx), _resolve_minmax(_substitute(canon(b), ctx), ctx)
    d = A - B
    for name, attempt in _EQUAL:
        try:
            r = attempt(A, B, d)
            if r == 0 or r is sp.S.Zero:
                return name
        except Exception:
            continue
    if d.has(sp.floor, sp.ceiling):  # last: roundings the hypotheses decide (floor(1/(n + 1)) = 0 for n >= 1)
        try:
            A2, B2 = _resolve_rounding(A, ctx), _resolve_rounding(B, ctx)
            if (A2, B2) != (A, B) and sp.simplify(A2 - B2) == 0:
                return "roundings decided by the hypotheses, simplify"
        except Exception:
            return None
    return None


def undefined(displays: Any, ctx: Context) -> str | None:
    """Why a display form is undefined somewhere the hypotheses allow (a denominator that may be 0, a radicand that
    may be negative), or None."""
    return _undefined(displays, ctx)


def check(lhs: Any, relation: str, rhs: Any, ctx: Context) -> tuple[str, str]:
    """(verdict, detail) for ``lhs RELATION rhs`` under ``ctx``."""
    why = _undefined([lhs, rhs], ctx)
    if why:
        return FAILED, why
    if relation == "=":
        method = equal_method(lhs, rhs, ctx)
        if method is None:
            return FAILED, "sympy could not simplify the difference of the two sides to 0"
        return PROVED, method
    A, B = _resolve_minmax(_substitute(canon(lhs), ctx), ctx), _resolve_minmax(_substitute(canon(rhs), ctx), ctx)
    if relation == "!=":
        return (PROVED, "the difference is non-zero by its sign") if nonzero(A - B, ctx) else \
            (FAILED, "sympy could not show the two sides differ")
    diff = {"<": B - A, "<=": B - A, ">": A - B, ">=": A - B}[relation]
    if nonnegative(diff, ctx, strict=relation in ("<", ">")):
        bounds = _bounds(ctx, canon(diff).free_symbols)
        where = ", ".join(f"{s} from {b.get('low', '-oo')} to {b.get('up', 'oo')}" for s, b in
                          sorted(bounds.items(), key=lambda kv: kv[0].name))
        return PROVED, ("signs of the expanded difference" + (f", with {where}" if where else ""))
    return FAILED, "sympy could not decide the sign of the difference"


def consistent(ctx: Context) -> bool:
    """False when a hypothesis evaluates to false under the symbols' domains."""
    return all(canon(h) is not sp.false for h in ctx.hypotheses)


def witness(ctx: Context, budget: int = 20000) -> dict[Any, Any] | None:
    """Values of the hypotheses' unknowns (symbols within their domains, and terms such as M[0]) that meet every
    hypothesis, checked by exact substitution, or None when the search finds none: small integers and simple
    fractions, assigned one unknown at a time, each hypothesis tried as soon as its unknowns have values (a
    backtracking search of at most ``budget`` assignments).  A witness shows the hypotheses are consistent; none
    found proves nothing, and the builder then refuses to treat them as consistent.

    >>> x, y = sp.symbols("x y", positive=True)
    >>> witness(Context((x >= 2*y, y >= 1))) is not None, witness(Context((2**x < 1,)))
    (True, None)
    """
    hyps = [canon(h) for h in ctx.hypotheses]
    indexed = {a for h in hyps for a in h.atoms(sp.Indexed)}
    needs = [_unknowns(h) for h in hyps]
    order = sorted(set().union(*needs) if needs else set(), key=lambda u: (u not in indexed, str(u)))
    if not order:
        return {} if all(bool(h) is True for h in hyps) else None
    # the hypotheses each new unknown completes: tried as soon as it has a value
    ready = {i: [hyps[k] for k, need in enumerate(needs) if need <= set(order[:i + 1]) and
                 (i == 0 or not need <= set(order[:i]))] for i in range(len(order))}
    return _Search(order, {u: _trial_values(u) for u in order}, ready, budget).run(0, {})


def _unknowns(h: Any) -> set[Any]:
    """What a hypothesis needs values for: its indexed terms (M[0]) and the symbols outside them."""
    own = set(h.atoms(sp.Indexed))
    inner = set().union(*(a.free_symbols for a in own)) if own else set()
    return own | {s for s in h.free_symbols if isinstance(s, sp.Symbol) and s not in inner}


def _trial_values(u: Any) -> list[Any]:
    """Small integers (and for a real unknown simple fractions) within the unknown's declared signs."""
    pool = [sp.Integer(v) for v in (0, 1, 2, 3, 4, 5, 7, 8, 10, 16, 100, -1, -2, -5)]
    if isinstance(u, sp.Indexed):
        return [*pool, sp.Rational(1, 2)]
    if not u.is_integer:
        pool += [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(3, 2), sp.Rational(1, 10),
                 sp.Rational(9, 10), sp.Rational(-1, 2), sp.Rational(1, 100)]
    return [v for v in pool if all(bool(a) for a in (
        (v > 0) if u.is_positive else True, (v >= 0) if u.is_nonnegative else True,
        (v < 0) if u.is_negative else True, (v <= 0) if u.is_nonpositive else True))]


def _holds(h: Any, at: dict[Any, Any]) -> bool:
    try:
        v = h.subs(at)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return False
    return v is sp.true or bool(v) is True


class _Search:
    """Backtracking over the unknowns in order, at most ``budget`` assignments in all."""

    def __init__(self, order: list[Any], pools: dict[Any, list[Any]], ready: dict[int, list[Any]], budget: int):
        self.order, self.pools, self.ready, self.budget, self.steps = order, pools, ready, budget, 0

    def run(self, i: int, at: dict[Any, Any]) -> dict[Any, Any] | None:
        if i == len(self.order):
            return dict(at)
        u = self.order[i]
        for v in self.pools[u]:
            self.steps += 1
            if self.steps > self.budget:
                return None
            at[u] = v
            try:
                if all(_holds(h, at) for h in self.ready[i]):
                    found = self.run(i + 1, at)
                    if found is not None:
                        return found
            except TypeError:
                pass
            del at[u]
        return None
