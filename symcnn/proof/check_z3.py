"""The second, independent checker: the Z3 SMT solver.

A link ``lhs REL rhs`` is translated, with its context, into Z3's arithmetic
and proved by refuting its negation: the symbols' domains (integer, positive,
non-negative, real), the hypotheses and the premise instances are asserted,
then ``not (lhs REL rhs)``; "unsat" proves the link, a model is a
counterexample.  Nothing is shared with the sympy checker but the
expressions: no simplification, no substitution.

- Division is real division; Z3 leaves x/0 unconstrained, so a step that
  cancels x/x where x can be 0 has a counterexample.
- floor and ceiling are ``ToInt``; min and max, ``If``; indexed families
  (r_n, j_n) are uninterpreted functions; a square root is a fresh
  non-negative s with s^2 equal to its radicand.
- First every integer symbol is relaxed to a real (an identity proved over the
  reals holds over the integers); when that does not settle it, the integers
  are declared as integers and Z3 tries again.
- Sums and products over an index, exponentials, limits, derivatives and
  powers with a symbolic exponent are not translated: the link is "unknown"
  to Z3 and rests on sympy alone, and the proof says so.

>>> import sympy as sp
>>> from .model import Context
>>> x = sp.Symbol("x", real=True)
>>> check(sp.floor(x), ">=", x, Context())
('failed', 'Z3 found a counterexample: x = 1/2')
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> check(n**2, ">=", n, Context())[0]
'proved'
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, ClassVar

import sympy as sp

from .display import canon, denominators, radicands
from .model import FAILED, PROVED, UNKNOWN, Context

#: milliseconds Z3 may spend on one link, per attempt
TIMEOUT_MS = 400


class Untranslatable(Exception):
    pass


def _z3() -> Any:
    import z3

    return z3


class _Translator:
    def __init__(self, integers: bool) -> None:
        self.z3 = _z3()
        self.integers = integers
        self.vars: dict[Any, Any] = {}
        self.funcs: dict[Any, Any] = {}
        self.side: list[Any] = []
        self.shown: dict[Any, Any] = {}  # z3 var -> sympy symbol, for counterexamples

    def symbol(self, s: sp.Symbol) -> Any:
        z3 = self.z3
        if s in self.vars:
            return self.vars[s]
        if s.is_real is False or (s.is_complex and not s.is_real and s.is_real is not None):
            raise Untranslatable(f"{s} is not real")
        if s.is_integer and self.integers:
            v = z3.Int(s.name)
            term = z3.ToReal(v)
        else:
            v = z3.Real(s.name)
            term = v
        if s.is_integer is None and s.is_real is None:
            raise Untranslatable(f"the domain of {s} is not stated")
        if s.is_positive:
            self.side.append(term > 0)
        elif s.is_nonnegative:
            self.side.append(term >= 0)
        elif s.is_negative:
            self.side.append(term < 0)
        elif s.is_nonpositive:
            self.side.append(term <= 0)
        self.vars[s] = term
        self.shown[s] = v
        return term

    def function(self, base: sp.IndexedBase, arity: int) -> Any:
        z3 = self.z3
        key = (base, arity)
        if key not in self.funcs:
            self.funcs[key] = z3.Function(f"{base.label}", *([z3.RealSort()] * arity), z3.RealSort())
        return self.funcs[key]

    #: translations shared by every check of a run: (integers, expression) -> (term, side constraints, symbols)
    _memo: ClassVar[dict[Any, Any]] = {}

    def expr(self, e: Any) -> Any:
        key: tuple[bool, Any] | None = (self.integers, e)
        try:
            hit = self._memo.get(key)
        except TypeError:  # an unhashable argument somewhere inside: translate afresh
            hit, key = None, None
        if hit is not None:
            term, side, shown = hit
            self.side.extend(side)
            for sym, v in shown:
                self.shown.setdefault(sym, v)
                self.vars.setdefault(sym, v if not (sym.is_integer and self.integers) else self.z3.ToReal(v))
            return term
        before, known = len(self.side), set(self.shown)
        term = self._expr(e)
        if key is not None and len(self._memo) < 20000:
            shown = tuple((s, v) for s, v in self.shown.items() if s not in known or s in e.free_symbols)
            self._memo[key] = (term, tuple(self.side[before:]) + tuple(self._domain(s) for s, _ in shown
                                                                       if s not in known), shown)
        return term

    def _domain(self, s: Any) -> Any:
        """The side constraint of a symbol's domain (true when it has none)."""
        z3 = self.z3
        term = self.vars[s]
        if s.is_positive:
            return term > 0
        if s.is_nonnegative:
            return term >= 0
        if s.is_negative:
            return term < 0
        if s.is_nonpositive:
            return term <= 0
        return z3.BoolVal(True)

    def _expr(self, e: Any) -> Any:
        z3 = self.z3
        if isinstance(e, sp.Rational):
            return z3.RealVal(Fraction(int(e.p), int(e.q)))
        if isinstance(e, sp.Float):
            return z3.RealVal(str(sp.Rational(e)))
        if isinstance(e, sp.Symbol):
            return self.symbol(e)
        if isinstance(e, sp.Indexed):
            f = self.function(e.base, len(e.indices))
            return f(*[self.expr(i) for i in e.indices])
        if isinstance(e, sp.Add):
            return z3.Sum(*[self.expr(a) for a in e.args])
        if isinstance(e, sp.Mul):
            return z3.Product(*[self.expr(a) for a in e.args])
        if isinstance(e, sp.Pow):
            base, exp = e.base, e.exp
            if exp.is_Integer:
                k = int(exp)
                if abs(k) > 32:
                    raise Untranslatable("exponent too large")
                b = self.expr(base)
                p = z3.RealVal(1) if k == 0 else z3.Product(*([b] * abs(k))) if abs(k) > 1 else b
                return p if k >= 0 else z3.RealVal(1) / p
            if exp.is_Rational and exp.q == 2 and abs(exp.p) <= 15:
                r = self.expr(base)
                s = z3.FreshReal("sqrt")
                self.side += [s >= 0, s * s == r]
                k = abs(int(exp.p))
                p = s if k == 1 else z3.Product(*([s] * k))
                return p if exp > 0 else z3.RealVal(1) / p
            raise Untranslatable(f"power with exponent {exp}")
        if isinstance(e, sp.floor):
            return z3.ToReal(z3.ToInt(self.expr(e.args[0])))
        if isinstance(e, sp.ceiling):
            return -z3.ToReal(z3.ToInt(-self.expr(e.args[0])))
        if isinstance(e, (sp.Max, sp.Min)):
            args = [self.expr(a) for a in e.args]
            out = args[0]
            for a in args[1:]:
                out = z3.If(a > out, a, out) if isinstance(e, sp.Max) else z3.If(a < out, a, out)
            return out
        if isinstance(e, sp.Abs):
            a = self.expr(e.args[0])
            return z3.If(a >= 0, a, -a)
        if isinstance(e, sp.Piecewise):
            out = None
            for expr_, cond in reversed(e.args):
                val = self.expr(expr_)
                out = val if out is None or cond is sp.true else z3.If(self.boolean(cond), val, out)
            return out
        raise Untranslatable(type(e).__name__)

    def boolean(self, c: Any) -> Any:
        z3 = self.z3
        if c is sp.true:
            return z3.BoolVal(True)
        if c is sp.false:
            return z3.BoolVal(False)
        if isinstance(c, sp.And):
            return z3.And(*[self.boolean(a) for a in c.args])
        if isinstance(c, sp.Or):
            return z3.Or(*[self.boolean(a) for a in c.args])
        if isinstance(c, sp.Not):
            return z3.Not(self.boolean(c.args[0]))
        if isinstance(c, sp.Rel):
            return self.relation(c.lhs, c.rel_op, c.rhs)
        raise Untranslatable(type(c).__name__)

    def relation(self, a: Any, rel: str, b: Any) -> Any:
        A, B = self.expr(a), self.expr(b)
        return {"=": A == B, "==": A == B, "!=": A != B, "<": A < B, "<=": A <= B, ">": A > B, ">=": A >= B}[rel]


def _attempt(lhs: Any, relation: Any, rhs: Any, ctx: Context, integers: bool) -> Any:
    z3 = _z3()
    tr = _Translator(integers)
    facts, dropped = [], []
    # a hypothesis or premise Z3 cannot express is left out: a proof without it is still a proof,
    # but a "counterexample" might then violate it: it counts only if sympy finds it meets them too
    for h in ctx.hypotheses:
        try:
            facts.append(tr.boolean(canon(h)))
        except Untranslatable:
            dropped.append(canon(h))
    for a, b in ctx.premises:
        try:
            facts.append(tr.relation(canon(a), "=", canon(b)))
        except Untranslatable:
            dropped.append(sp.Eq(canon(a), canon(b)))
    # the display forms as written: evaluation would cancel x/x before Z3 could see the division by x;
    # and both sides must be defined (Z3 leaves x/0 unconstrained, and 0 * (1/0) is 0 there)
    goal = tr.relation(lhs, relation, rhs)
    defined = [tr.expr(d) != 0 for e in (lhs, rhs) for d in denominators(e)]
    defined += [tr.expr(r) >= 0 for e in (lhs, rhs) for r in radicands(e)]
    if defined:
        goal = z3.And(goal, *defined)
    s = _solver()
    s.push()
    try:
        s.add(*tr.side, *facts)
        s.add(z3.Not(goal))
        return _verdict(s, s.check(), tr, dropped)
    finally:
        s.pop()


_SOLVERS: list[Any] = []


def _solver() -> Any:
    """One solver for the run, each check in its own push/pop scope (creating a solver per
    check costs more than the check)."""
    if not _SOLVERS:
        z3 = _z3()
        s = z3.Solver()
        s.set("timeout", TIMEOUT_MS)
        _SOLVERS.append(s)
    return _SOLVERS[0]


def _verdict(s: Any, result: Any, tr: Any, dropped: Any) -> Any:
    z3 = _z3()
    if result == z3.unsat:
        return PROVED, None
    if result == z3.sat:
        model = s.model()
        values, shown = {}, []
        for sym, v in sorted(tr.shown.items(), key=lambda kv: kv[0].name):
            val = model.eval(v, model_completion=True)
            shown.append(f"{sym.name} = {val}")
            values[sym] = _value(val)
        if dropped and not _meets(dropped, values):
            return UNKNOWN, (f"a model exists once {len(dropped)} hypothesis or premise Z3 cannot express is left "
                             "out, and it may not meet them")
        return FAILED, ", ".join(shown)
    return UNKNOWN, s.reason_unknown()


def _value(val: Any) -> Any:
    """A Z3 numeral as an exact sympy number (None for an algebraic number)."""
    try:
        if hasattr(val, "as_fraction"):
            f = val.as_fraction()
            return sp.Rational(f.numerator, f.denominator)
        if hasattr(val, "as_long"):
            return sp.Integer(val.as_long())
    except Exception:
        return None
    return None


def _meets(relations: Any, values: Any) -> bool:
    """Does the model meet the relations Z3 could not express?  Symbols the model does not
    fix are tried at a few values of their domain."""
    if any(v is None for v in values.values()):
        return False
    free = sorted({s for r in relations for s in r.free_symbols if s not in values and isinstance(s, sp.Symbol)},
                  key=lambda s: s.name)
    trials: list[dict[str, Any]] = [{}]
    for s in free:
        options = [sp.Integer(1), sp.Integer(2), sp.Integer(3)] if s.is_integer else \
            [sp.Rational(1, 2), sp.Integer(1), sp.Integer(2)]
        trials = [dict(t, **{s.name: o}) for t in trials for o in options][:27]
    for extra in trials:
        point = dict(values)
        point.update({s: extra[s.name] for s in free})
        try:
            if all(bool(r.xreplace(point)) is True for r in relations):
                return True
        except (TypeError, ValueError):
            continue
    return False


def _has_integers(exprs: Any) -> bool:
    return any(s.is_integer for e in exprs for s in canon(e).free_symbols if isinstance(s, sp.Symbol))


def check(lhs: Any, relation: str, rhs: Any, ctx: Context) -> tuple[str, str]:
    """(verdict, detail) for ``lhs RELATION rhs`` under ``ctx``."""
    try:
        verdict, info = _attempt(lhs, relation, rhs, ctx, integers=False)
        if verdict == PROVED:
            return PROVED, "Z3: the negation is unsatisfiable (integers relaxed to reals)"
        everything = [lhs, rhs, *ctx.hypotheses, *(x for p in ctx.premises for x in p)]
        if _has_integers(everything):
            verdict, info = _attempt(lhs, relation, rhs, ctx, integers=True)
            if verdict == PROVED:
                return PROVED, "Z3: the negation is unsatisfiable over the integers"
    except Untranslatable as exc:
        return UNKNOWN, f"Z3 cannot express it ({exc})"
    except Exception as exc:
        return UNKNOWN, f"Z3 could not check it ({type(exc).__name__})"
    if verdict == FAILED:
        return FAILED, f"Z3 found a counterexample: {info}" if info else "Z3 found a counterexample"
    return UNKNOWN, f"Z3 could not decide it ({info})"


def consistent(ctx: Context) -> str:
    """PROVED when the hypotheses (with the domains) have a model, FAILED when they contradict each other."""
    z3 = _z3()
    tr = _Translator(True)
    facts = []
    left = []  # hypotheses Z3 cannot read: a model of the others must be checked against them
    for h in ctx.hypotheses:
        try:
            facts.append(tr.boolean(canon(h)))
        except Untranslatable:
            left.append(canon(h))  # a contradiction found among the rest is still one
    try:
        s = z3.Solver()
        s.set("timeout", TIMEOUT_MS * 2)
        s.add(*tr.side, *facts)
        r = s.check()
    except Exception:
        return UNKNOWN
    if r == z3.unsat:
        return FAILED
    if r != z3.sat:
        return UNKNOWN  # unknown is never taken for consistent
    if not left:
        return PROVED
    # the model of the hypotheses Z3 read, tried on those it could not: a witness only if they all hold there
    try:
        model = s.model()
        values = {}
        for sym, term in tr.vars.items():
            v = model.eval(term, model_completion=True)
            values[sym] = sp.Rational(str(v.as_fraction())) if hasattr(v, "as_fraction") else sp.Integer(v.as_long())
        return PROVED if all(bool(h.subs(values)) is True for h in left) else UNKNOWN
    except Exception:
        return UNKNOWN
