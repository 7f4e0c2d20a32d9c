"""Machine-checked proofs: each step is checked by sympy as it is built.

A proof is a list of :class:`Step`\\ s.  A step shows a chain
``e0 = e1 = e2 < e3 ...`` of *display* expressions (kept in textbook order,
built unevaluated) and each link is verified on the canonical expressions
when the step is added: an equality by simplification (or by substituting an
induction hypothesis where the link says so), an inequality by a positivity
argument under the theorem's hypotheses.  A link sympy cannot confirm raises
:class:`ProofError` at once: a proof that is returned has been verified.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> b = Builder("demo", "A demo", "x + x is 2x", ["x > 0"], symbols={"x": x})
>>> b.chain("Add.", "x + x", ("=", "2*x", "collect like terms"))
>>> b.done().verified
True
>>> b.chain("Wrong.", "x + x", ("=", "3*x", "bad algebra"))
Traceback (most recent call last):
...
symcnn.proof.ProofError: demo: step 2 (Wrong.): sympy cannot confirm x + x = 3*x (bad algebra); the difference simplifies to -x
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import sympy as sp
from sympy.simplify.simplify import product_simplify

from . import expr as E
from .errors import SymcnnError

RELATIONS = ("=", "<", "<=", ">", ">=")


class ProofError(SymcnnError):
    """A step sympy could not verify: the statement is not proved."""


@dataclass(frozen=True)
class Link:
    relation: str
    expr: sp.Basic
    reason: str
    method: str


@dataclass(frozen=True)
class Step:
    label: str
    text: str
    first: sp.Basic | None = None
    links: tuple[Link, ...] = ()

    @property
    def exprs(self) -> list[sp.Basic]:
        return ([self.first] if self.first is not None else []) + [l.expr for l in self.links]


@dataclass(frozen=True)
class Proof:
    slug: str
    title: str
    statement: str
    hypotheses: tuple[str, ...]
    claim: tuple[Step, ...]  # the statement in symbols (display only; proved by the steps)
    steps: tuple[Step, ...]
    problem: str = ""
    verified: bool = True

    @property
    def methods(self) -> list[str]:
        """The kinds of check used, once each (details are in each link)."""
        seen: list[str] = []
        for s in self.steps:
            for l in s.links:
                for part in l.method.split(", then "):
                    kind = ("substitution of definitions, proved facts and induction hypotheses"
                            if part.startswith("substitute") else
                            "definitions checked against symcnn's formulas" if part.startswith("definition")
                            else part)
                    if kind not in seen:
                        seen.append(kind)
        return seen


def display_subs(e, mapping, drop_ones: bool = True):
    """Substitute without letting sympy reorder the display form."""
    with sp.evaluate(False):
        return tidy(e.xreplace(mapping), drop_ones)


def tidy(e, drop_ones: bool = True):
    """Flatten nested unevaluated sums and products and (unless asked not
    to) drop factors of 1, without evaluating anything (display only)."""
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.Symbol, sp.IndexedBase, sp.Indexed)):
        return e
    args = [tidy(a, drop_ones) for a in e.args]
    if isinstance(e, sp.Mul):
        flat = []
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
    return e.func(*args, evaluate=False) if isinstance(e, (sp.Pow, sp.floor, sp.ceiling)) else e.func(*args)


def canon(e):
    """Rebuild an unevaluated display expression with evaluation on."""
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.Symbol, sp.IndexedBase)):
        return e
    return e.func(*[canon(a) for a in e.args])


def _is_zero(d) -> bool:
    return d == 0 or d is sp.S.Zero


def equal_method(a, b, assume: Mapping | None = None) -> str | None:
    """How sympy confirms a = b, or None."""
    A, B = canon(a), canon(b)
    if assume:
        A, B = A.subs(assume), B.subs(assume)
    d = A - B
    attempts: list[tuple[str, Callable]] = [
        ("identical", lambda: d),
        ("expand", lambda: sp.expand(d)),
        ("evaluate sums and products, expand", lambda: sp.expand(d.doit())),
        ("simplify", lambda: sp.simplify(d)),
        ("evaluate sums and products, simplify", lambda: sp.simplify(d.doit())),
        ("combine products, simplify", lambda: sp.simplify(product_simplify(A) - product_simplify(B))),
    ]
    for name, attempt in attempts:
        try:
            if _is_zero(attempt()):
                return name
        except Exception:  # noqa: BLE001 - a failed attempt is just not a confirmation
            continue
    return None


def _positive(expr, strict: bool) -> bool:
    expr = sp.together(sp.expand(expr))
    num, den = sp.fraction(expr)
    num, den = sp.expand(num), sp.expand(den)
    test = (lambda v: v.is_positive) if strict else (lambda v: v.is_nonnegative)
    if den.is_positive is not True:
        if (-den).is_positive:
            num, den = -num, -den
        else:
            return False
    return bool(test(num))


def relation_method(a, rel: str, b, shifts: Mapping) -> str | None:
    """Confirm a REL b for all values allowed by the hypotheses.

    ``shifts`` maps each symbol to its lower bound; the check substitutes
    x = bound + t with t a non-negative integer and shows the difference is
    a sum of non-negative terms (positive where strict)."""
    A, B = canon(a), canon(b)
    diff = {"<": B - A, "<=": B - A, ">": A - B, ">=": A - B}[rel]
    direct = diff.is_positive if rel in ("<", ">") else diff.is_nonnegative
    if direct and not shifts:
        return "sympy's assumptions decide the sign"
    parts = []
    # bounds that are expressions (L >= NF - N + 1) go in first, then numeric ones
    for sym, low in sorted(shifts.items(), key=lambda kv: sp.sympify(kv[1]).is_number):
        t = sp.Symbol(f"t_{sym.name}", integer=True, nonnegative=True)
        diff = diff.subs(sym, low + t)
        parts.append(f"{sym} = {low} + t_{sym.name}")
    diff = sp.expand(diff)
    if _positive(diff, strict=rel in ("<", ">")):
        where = f" with {', '.join(parts)} (t >= 0)" if parts else ""
        return f"expand{where}: every term has the right sign"
    return None


def _show(e) -> str:
    from .render.proofs import text_of

    return text_of(tidy(e))


class Builder:
    """Builds a proof, verifying every link as it is added."""

    def __init__(self, slug: str, title: str, statement: str, hypotheses, *, symbols: Mapping[str, sp.Basic],
                 shifts: Mapping | None = None, problem: str = ""):
        self.slug, self.title, self.statement = slug, title, statement
        self.hypotheses = tuple(hypotheses)
        self.names = dict(symbols)
        self.shifts = dict(shifts or {})
        self.problem = problem
        self.steps: list[Step] = []
        self.claim: list[Step] = []
        self.rules: dict[str, tuple] = {}
        self._hypothesis: dict | None = None
        self.display_index = sp.Symbol("n", integer=True, nonnegative=True)

    def show(self, e) -> str:
        return sp.sstr(self.ex(e), order="none")

    def ex(self, e, *, user: bool = False) -> sp.Basic:
        """A display expression: sympy objects as they are, strings parsed
        (restricted parser, unevaluated) with the theorem's names.  ``user``
        marks text from outside symcnn (a --claim), which gets every limit check."""
        if isinstance(e, str):
            try:
                return E.parse(e, self.names, symbol=None, evaluate=False, trusted=not user)
            except E.ExprError as exc:
                known = ", ".join(sorted(k for k, v in self.names.items() if isinstance(v, sp.Symbol)))
                raise E.ExprError(f"{self.slug}: {exc.message} (names: {known})") from None
        return tidy(sp.sympify(e))

    def claim_or(self, claim: str | None, default: str) -> sp.Basic:
        """The user's --claim (checked as user input) or the theorem's own closed form."""
        return self.ex(claim, user=True) if claim is not None else self.ex(default)

    def state(self, text: str, first, *links):
        """The statement in symbols: shown, not verified here (the proof does)."""
        self.claim.append(Step("", text, self.ex(first), tuple(
            Link(rel, self.ex(e), reason, "statement") for rel, e, reason in links)))

    def say(self, text: str, label: str = "") -> None:
        self.steps.append(Step(label, text))

    def define(self, name: str, text: str, lhs: Callable, rhs: Callable, library: Callable, *,
               index=None, reason: str = "definition") -> None:
        """Introduce ``lhs(q) = rhs(q)`` (a recurrence or an initial value).

        A definition is only admitted when its right side equals what
        ``library(q)`` computes: symcnn's own formula.  Later links may use it
        by name, at an index they state: ``("def", name, q)``."""
        q = index if index is not None else self.display_index
        method = equal_method(self.ex_callable(rhs, q), library(q))
        if method is None:
            raise ProofError(f"{self.slug}: definition {name}: {_show(self.ex_callable(rhs, q))} is not "
                             f"symcnn's formula {_show(library(q))}")
        self.rules[name] = (lhs, rhs)
        self.steps.append(Step("", text, self.ex_callable(lhs, q), (
            Link("=", self.ex_callable(rhs, q), reason, f"definition, equal to symcnn's formula ({method})"),)))

    def ex_callable(self, f, q):
        return self.ex(f(q)) if callable(f) else self.ex(f)

    def fact(self, name: str, lhs: Callable, rhs: Callable) -> None:
        """Record a proved statement for later use as ("fact", name, q)."""
        self.rules[name] = (lhs, rhs)

    def _substitutions(self, uses) -> dict:
        subs: dict = {}
        for use in uses:
            if use == "hyp":
                if self._hypothesis is None:
                    raise ValueError("no induction hypothesis in force")
                subs.update(self._hypothesis)
                continue
            kind, name, q = use
            lhs, rhs = self.rules[name]
            subs[canon(self.ex_callable(lhs, q))] = canon(self.ex_callable(rhs, q))
        return subs

    def chain(self, text: str, first, *links, label: str = "", shifts: Mapping | None = None) -> None:
        """Add a verified chain.  Each link is (relation, expression, reason,
        *uses); a use is "hyp" (the induction hypothesis) or ("def", name, q)
        / ("fact", name, q) to substitute a definition or proved fact at
        index q in that link's check.  Nothing else may be assumed."""
        n = len(self.steps) + 1
        first_e = self.ex(first)
        prev = first_e
        done: list[Link] = []
        for link in links:
            rel, e, reason = link[:3]
            uses = link[3:]
            if rel not in RELATIONS:
                raise ValueError(f"unknown relation {rel!r}")
            cur = self.ex(e)
            where = f"{self.slug}: step {n} ({text or label})"
            assume = self._substitutions(uses) if uses else None
            if rel == "=":
                method = equal_method(prev, cur, assume)
                if method is None:
                    A, B = canon(prev), canon(cur)
                    if assume:
                        A, B = A.subs(assume), B.subs(assume)
                    raise ProofError(f"{where}: sympy cannot confirm {_show(prev)} = {_show(cur)} ({reason}); "
                                     f"the difference simplifies to {sp.simplify(A - B)}")
                if uses:
                    used = ", ".join("the induction hypothesis" if u == "hyp" else f"{u[1]}" for u in uses)
                    method = f"substitute {used}, then {method}"
            else:
                method = relation_method(prev, rel, cur, {**self.shifts, **(shifts or {})})
                if method is None:
                    raise ProofError(f"{where}: sympy cannot confirm {_show(prev)} {rel} {_show(cur)} ({reason}) "
                                     "under the hypotheses")
            done.append(Link(rel, cur, reason, method))
            prev = cur
        self.steps.append(Step(label, text, first_e, tuple(done)))

    def induction(self, var: sp.Symbol, start: int, lhs: Callable, rhs: Callable, *, name: str,
                  base: list, step: list, step_text: str = "", fact: str | None = None) -> None:
        """Prove lhs(n) = rhs(n) for all n >= start: the base chain must run
        from lhs(start) to rhs(start), the step chain from lhs(n+1) to
        rhs(n+1), using lhs(n) = rhs(n) only in links marked "hyp"."""
        self.chain(f"Base case {var} = {start}.", lhs(start), *base, label=f"{name}, base case")
        last = self.steps[-1].exprs[-1]
        if equal_method(last, rhs(start)) is None:
            raise ProofError(f"{self.slug}: the base case of {name} ends at {_show(last)}, "
                             f"not at the claim {_show(rhs(start))}")
        self._hypothesis = {canon(self.ex(lhs(var))): canon(self.ex(rhs(var)))}
        nxt = sp.Add(var, 1, evaluate=False)  # shown as n + 1, not 1 + n
        try:
            self.chain(step_text or f"Inductive step: assume the claim for {var} (the induction hypothesis); "
                       f"then for {var} + 1:", lhs(nxt), *step, label=f"{name}, inductive step")
        finally:
            self._hypothesis = None
        last = self.steps[-1].exprs[-1]
        if equal_method(last, rhs(var + 1)) is None:
            raise ProofError(f"{self.slug}: the inductive step of {name} ends at {_show(last)}, "
                             f"not at the claim for {var} + 1, {_show(rhs(var + 1))}")
        self.say(f"By induction, {name} holds for every {var} >= {start}.", label=f"{name}, conclusion")
        if fact:
            self.fact(fact, lhs, rhs)

    def check(self, condition: bool, message: str) -> None:
        """A fact established by computation (a table derived by symcnn, rsolve's answer...)."""
        if not condition:
            raise ProofError(f"{self.slug}: {message}")

    def done(self) -> Proof:
        return Proof(self.slug, self.title, self.statement, self.hypotheses, tuple(self.claim),
                     tuple(self.steps), self.problem)
