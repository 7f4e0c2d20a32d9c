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
from functools import lru_cache
from typing import Any, ClassVar

import sympy as sp

from .display import canon, denominators, radicands
from .model import FAILED, PROVED, UNKNOWN, Context

#: milliseconds Z3 may spend on one link, per attempt
TIMEOUT_MS = 400



@lru_cache(maxsize=1024)
def _evaluated(e: Any) -> Any:
    """sympy's evaluation of a sum or product (the same sum recurs across a proof's relations: evaluated once)."""
    return e.doit()

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
        #: powers with a symbolic exponent: (base, exponent, Z3 term); sums and products over an index:
        #: (key, bound variable, body, low, high, Z3 term); the axioms relating them are added by axioms()
        self.powers: list[tuple[Any, Any, Any]] = []
        self.folds: list[tuple[Any, Any, Any, Any, Any, Any]] = []
        #: what sympy evaluated before Z3 could read it (a derivative, a limit, an integral, a closed sum)
        self.assisted: set[str] = set()
        self._records = 0  # bumped by every node whose translation must not be memoised
        #: uninterpreted stand-ins used (powers, folds, functions, closed forms): a model of them need not be real
        self.abstractions = 0

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
        before, known, records = len(self.side), set(self.shown), self._records
        term = self._expr(e)
        if key is not None and len(self._memo) < 20000 and records == self._records:
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
            if canon(exp).is_Integer:  # 2**(1 + 1), as displayed
                return self._expr(sp.Pow(base, canon(exp)))
            return self._power(base, exp)
        if isinstance(e, (sp.Sum, sp.Product)):
            return self._fold(e)
        if isinstance(e, (sp.Derivative, sp.Limit, sp.Integral)):
            return self._closed(e)
        if isinstance(e, (sp.exp, sp.tanh, sp.log)) or isinstance(type(e), sp.core.function.UndefinedFunction):
            return self._function(e)
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

    # -- what Z3 has no theory of: uninterpreted terms with the true facts a step needs ---------------------------
    def _power(self, base: Any, exp: Any) -> Any:
        """b**e with a symbolic exponent and a positive base: an uninterpreted pow(b, e), positive; axioms()
        relates the powers of one base whose exponents differ by a whole number: b**(e + k) = b**k * b**e."""
        if not canon(base).is_positive:
            # only a positive base: b**x is then defined for every real x, positive, and b**(x + k) = b**k * b**x
            # holds without exception (0**(n + 1) = 0 * 0**n fails at n = -1; a negative base needs integers)
            raise Untranslatable(f"power with exponent {exp} of a base not known to be positive")
        z3 = self.z3
        if "pow" not in self.funcs:
            self.funcs["pow"] = z3.Function("pow", z3.RealSort(), z3.RealSort(), z3.RealSort())
        term = self.funcs["pow"](self.expr(base), self.expr(exp))
        self.side.append(term > 0)
        self.powers.append((canon(base), canon(exp), term))
        self._records += 1
        self.abstractions += 1
        return term

    _BOUND = sp.Symbol("_bound_", integer=True)

    def _fold(self, e: Any) -> Any:
        """A sum or product over an index: sympy's closed form when it has one (said so in the verdict), else an
        uninterpreted F(low, high) per body, which axioms() relates by F(a, b + 1) = F(a, b) op f(b + 1), the
        join of adjacent ranges and the value of a range of at most four terms."""
        closed = _evaluated(e)
        if not closed.has(sp.Sum, sp.Product):
            self.assisted.add(type(e).__name__)
            self._records += 1
            self.abstractions += 1
            return self.expr(closed)
        if len(e.limits) != 1 or len(e.limits[0]) != 3:
            raise Untranslatable(type(e).__name__)
        var, low, high = e.limits[0]
        if not (var.is_integer and canon(low).is_integer and canon(high).is_integer):
            raise Untranslatable(f"{type(e).__name__} over a range that is not whole numbers")
        z3 = self.z3
        key = (type(e), canon(e.function).xreplace({var: self._BOUND}))
        if key not in self.funcs:
            self.funcs[key] = z3.Function(f"{type(e).__name__.lower()}{len(self.funcs)}", z3.RealSort(),
                                          z3.RealSort(), z3.RealSort())
        term = self.funcs[key](self.expr(low), self.expr(high))
        self.folds.append((key, var, e.function, canon(low), canon(high), term))
        self._records += 1
        self.abstractions += 1
        return term

    def _closed(self, e: Any) -> Any:
        """A derivative, limit or integral that sympy evaluates to a closed form: Z3 checks the rest."""
        closed = e.doit()
        if closed.has(sp.Derivative, sp.Limit, sp.Integral, sp.AccumBounds) or closed.has(sp.nan, sp.zoo) or \
                closed.has(sp.oo, -sp.oo):
            raise Untranslatable(type(e).__name__)
        self.assisted.add(type(e).__name__)
        self._records += 1
        self.abstractions += 1
        return self.expr(closed)

    def _function(self, e: Any) -> Any:
        """exp, tanh, log and functions only named (sigma): uninterpreted, with their sign facts (exp > 0,
        -1 < tanh < 1)."""
        z3 = self.z3
        name = type(e).__name__
        key = ("function", name, len(e.args))
        if key not in self.funcs:
            self.funcs[key] = z3.Function(f"{name}_", *([z3.RealSort()] * len(e.args)), z3.RealSort())
        term = self.funcs[key](*[self.expr(a) for a in e.args])
        self._records += 1
        self.abstractions += 1
        if isinstance(e, sp.exp):
            self.side.append(term > 0)
        elif isinstance(e, sp.tanh):
            self.side += [term > -1, term < 1]
        return term

    def axioms(self) -> list[Any]:
        """True facts relating the uninterpreted powers, sums and products of one check."""
        z3 = self.z3
        out = []
        for i, (b1, e1, t1) in enumerate(self.powers):
            for b2, e2, t2 in self.powers[i + 1:]:
                if b1 != b2:
                    continue
                k = canon(e2 - e1)
                if k.is_Integer and 0 < abs(int(k)) <= 8:
                    lo, hi, n = (t1, t2, int(k)) if k > 0 else (t2, t1, -int(k))
                    out.append(hi == z3.Product(*([self.expr(b1)] * n), lo) if n > 0 else hi == lo)
                elif k == 0:
                    out.append(t1 == t2)
        seen = 0
        while seen < len(self.folds) and seen < 64:  # instantiating a body may add folds: to a fixed point
            key, var, body, low, high, term = self.folds[seen]
            seen += 1
            out += self._fold_axioms(key, var, body, low, high, term)
        return out

    def _fold_axioms(self, key: Any, var: Any, body: Any, low: Any, high: Any, term: Any) -> list[Any]:
        z3 = self.z3
        is_sum = key[0] is sp.Sum
        unit = z3.RealVal(0 if is_sum else 1)

        def op(a: Any, b: Any) -> Any:
            return a + b if is_sum else a * b

        def at(value: Any) -> Any:
            return self.expr(canon(body.xreplace({var: value})))

        out = []
        size = canon(high - low)
        if size.is_Integer and -1 <= int(size) <= 3:  # a range of at most four terms, or the empty range
            total = unit
            for k in range(int(size) + 1):
                total = op(total, at(low + k))
            out.append(term == total)
        A, B = self.expr(low), self.expr(high)
        for other_key, _v, _b, low2, high2, term2 in list(self.folds):
            if other_key != key:
                continue
            if low2 == low and canon(high2 - high) == 1:  # F(a, b + 1) = F(a, b) op f(b + 1), for b >= a - 1
                out.append(z3.Implies(B >= A - 1, term2 == op(term, at(high2))))
            if canon(low2 - high) == 1:  # F(a, m) op F(m + 1, b) = F(a, b), for a - 1 <= m <= b
                for third_key, _v3, _b3, low3, high3, term3 in list(self.folds):
                    if third_key == key and low3 == low and high3 == high2:
                        H2 = self.expr(high2)
                        out.append(z3.Implies(z3.And(B >= A - 1, H2 >= B), term3 == op(term, term2)))
        return out

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
        A, B = self.expr(sp.sympify(a)), self.expr(sp.sympify(b))
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
    axioms = tr.axioms()
    s = _solver()
    s.push()
    try:
        s.add(*tr.side, *axioms, *facts)
        s.add(z3.Not(goal))
        verdict, info = _verdict(s, s.check(), tr, dropped)
        if verdict == FAILED and tr.abstractions and not _refutes(lhs, relation, rhs, ctx, tr, s):
            verdict, info = UNKNOWN, ("Z3 found values for its stand-ins of powers, sums or functions that need not "
                                      "be real ones")
        return verdict, info, (sorted(tr.assisted), tr.abstractions > 0)
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


def _refutes(lhs: Any, relation: str, rhs: Any, ctx: Context, tr: Any, s: Any) -> bool:
    """Is Z3's model, read back as numbers for the symbols, a real counterexample: the hypotheses hold there and
    the link does not (evaluated by sympy, powers and sums included)?"""
    def small(e: Any) -> bool:  # nothing sympy would take long to evaluate: few terms, small powers
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Sum, sp.Product)):
                for lim in node.limits:
                    size = lim[2] - lim[1] if len(lim) == 3 else sp.oo
                    if not (size.is_number and abs(size) <= 200):
                        return False
            if isinstance(node, sp.Pow) and node.exp.is_number and abs(node.exp) > 4096:
                return False
        return True

    try:
        model = s.model()
        values = {sym: _value(model.eval(v, model_completion=True)) for sym, v in tr.shown.items()}
        if any(v is None or (v.is_number and abs(v) > 10**6) for v in values.values()):
            return False
        exprs = [canon(h).xreplace(values) for h in ctx.hypotheses] + [canon(lhs).xreplace(values),
                                                                        canon(rhs).xreplace(values)]
        if not all(small(e) for e in exprs):
            return False
        if any(bool(h.doit()) is not True for h in exprs[:-2]):
            return False
        a, b = exprs[-2].doit(), exprs[-1].doit()
        if a.free_symbols or b.free_symbols:
            return False
        holds = {"=": sp.Eq, "!=": sp.Ne, "<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge}[relation](a, b)
        return bool(holds is sp.false)
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return False


def _has_integers(exprs: Any) -> bool:
    return any(s.is_integer for e in exprs for s in canon(e).free_symbols if isinstance(s, sp.Symbol))


#: the words a verdict uses when sympy evaluated part of a link before Z3 read it (the summaries count them)
ASSISTED = "with sympy's closed form of"


#: the words a verdict uses when Z3 read part of a link through uninterpreted stand-ins
STAND_INS = "reading powers, sums or functions as stand-ins"


def _assisted(how: Any) -> str:
    what, abstracted = how
    if what:
        return f" ({ASSISTED} {' and '.join(w.lower() for w in what)}; {STAND_INS})"
    return f" ({STAND_INS})" if abstracted else ""


def check(lhs: Any, relation: str, rhs: Any, ctx: Context) -> tuple[str, str]:
    """(verdict, detail) for ``lhs RELATION rhs`` under ``ctx``."""
    try:
        verdict, info, assisted = _attempt(lhs, relation, rhs, ctx, integers=False)
        if verdict == PROVED:
            return PROVED, "Z3: the negation is unsatisfiable (integers relaxed to reals)" + _assisted(assisted)
        everything = [lhs, rhs, *ctx.hypotheses, *(x for p in ctx.premises for x in p)]
        if _has_integers(everything):
            verdict, info, assisted = _attempt(lhs, relation, rhs, ctx, integers=True)
            if verdict == PROVED:
                return PROVED, "Z3: the negation is unsatisfiable over the integers" + _assisted(assisted)
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
        before = tr.abstractions
        try:
            fact = tr.boolean(canon(h))
        except Untranslatable:
            left.append(canon(h))  # a contradiction found among the rest is still one
            continue
        facts.append(fact)
        if tr.abstractions != before:
            left.append(canon(h))  # read through stand-ins: the model must be checked on the real relation too
    try:
        s = z3.Solver()
        s.set("timeout", TIMEOUT_MS * 2)
        s.add(*tr.side, *tr.axioms(), *facts)
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
        return PROVED if all(bool(h.subs(values).doit()) is True for h in left) else UNKNOWN
    except Exception:
        return UNKNOWN
