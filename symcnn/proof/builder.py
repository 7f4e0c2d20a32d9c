"""Building a proof: every relation is checked by every chosen checker as it
is added, and the theorem's statement is a list of obligations that
:meth:`Builder.done` matches against the steps.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> b = Builder("demo", "A demo", "$x + x$ is $2*x$", symbols={"x": x}, hypotheses=["x > 0"])
>>> b.state("x + x", "=", "2*x")
>>> b.chain("Add.", "x + x", ("=", "2*x", "collect like terms"))
>>> p = b.done()
>>> p.verified, p.links[0].checks["sympy"], p.links[0].checks["z3"]
(True, 'proved', 'proved')
>>> b.chain("Wrong.", "x + x", ("=", "3*x", "bad algebra"))
Traceback (most recent call last):
...
symcnn.proof.model.ProofError: demo: step 2 (Wrong.): x + x = 3*x (bad algebra) is not confirmed: ...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import sympy as sp

from .. import expr as E
from ..errors import ExprError
from . import check_sympy, check_z3
from .checking import check_relation, conclusion_checks, discharging_step
from .display import canon, display_subs, tidy
from .model import (
    ASSUMED,
    CHECKERS,
    FAILED,
    PROVED,
    RELATIONS,
    Context,
    Hypothesis,
    Link,
    Math,
    Obligation,
    Proof,
    ProofError,
    Prose,
    Step,
)

#: functions theorem text may use in display math (never user input)
DISPLAY_FUNCTIONS = {"sqrt": sp.sqrt, "exp": sp.exp, "tanh": sp.tanh, "log": sp.log, "abs": sp.Abs,
                     "sigma": sp.Function("sigma"), "E": sp.Function("E"), "Var": sp.Function("Var")}


def _show(e: Any, limit: int = 160) -> str:
    text: str = sp.sstr(e, order="none")
    return text if len(text) <= limit else text[:limit - 3] + "..."


class Builder:
    """Builds a proof, checking every link as it is added.

    hypotheses
        formal relations (``"N >= 1"``, ``"L >= N*F - N + 1"``) that every link may
        assume and the checkers use; shown as math.
    assumptions
        modelling assumptions in words (with ``$math$``), which the definitions
        enforce; shown, never used by a checker.
    params
        the names a ``--claim`` may use (the theorem's free parameters); a
        bound variable such as the induction index is not one of them.
    """

    def __init__(self, slug: str, title: str, statement: str, *, symbols: Mapping[str, sp.Basic],
                 hypotheses: Any = (), assumptions: Any = (), params: Any = None, problem: str = "",
                 checkers: Any = CHECKERS) -> None:
        self.slug, self.title = slug, title
        self.names = dict(symbols)
        self.checkers = tuple(checkers)
        self.problem = problem
        self.params = list(params) if params is not None else [k for k, v in symbols.items()
                                                                if isinstance(v, sp.Symbol)]
        self.formal: list[sp.Basic] = []
        self.hypotheses: list[Hypothesis] = []
        for h in hypotheses:
            rel = self.relation(h)
            self.formal.append(rel)
            self.hypotheses.append(Hypothesis(rel, self.prose(f"${h}$")))
        for a in assumptions:
            self.hypotheses.append(Hypothesis(None, self.prose(a)))
        self.statement = self.prose(statement)
        self.steps: list[Step] = []
        self.obligations: list[Obligation] = []
        self.rules: dict[str, tuple[Any, ...]] = {}  # name -> (lhs(q), rhs(q), kind, start)
        self._hypothesis: tuple[Any, ...] | None = None
        self._induction_context: tuple[Any, ...] = ()
        self.display_index = sp.Symbol("n", integer=True, nonnegative=True)
        self._check_consistency()

    # -- text and expressions -------------------------------------------------------------------------------------
    def ex(self, e: Any, *, user: bool = False) -> sp.Basic:
        """A display expression: sympy objects as they are, strings parsed
        (restricted parser, unevaluated) with the theorem's names.  ``user``
        marks a --claim: every limit check, and only the theorem's parameters."""
        if isinstance(e, str):
            if user:
                names = {k: v for k, v in self.names.items() if k in self.params}
                try:
                    return E.parse(e, names, symbol=None, evaluate=False)
                except ExprError as exc:
                    raise ExprError(f"{self.slug}: {exc.message} (a claim may use {', '.join(self.params)})") \
                        from None
            try:
                return E.parse(e, self.names, symbol=None, evaluate=False, trusted=True,
                               extra_functions=DISPLAY_FUNCTIONS)
            except ExprError as exc:
                raise ExprError(f"{self.slug}: {exc.message}") from None
        return tidy(sp.sympify(e))

    def relation(self, text: str) -> sp.Basic:
        """A formal hypothesis: a relation chain, as one sympy relation (And for a chain)."""
        first, rest = E.parse_relations(text, names=self.names, symbol=None, evaluate=False, trusted=True,
                                        extra_functions=DISPLAY_FUNCTIONS)
        rels, prev = [], first
        for rel, e in rest:
            op = {"=": "==", "!=": "!="}.get(rel, rel)
            rels.append(sp.Rel(canon(prev), canon(e), op, evaluate=False))
            prev = e
        if not rels:
            raise ProofError(f"{self.slug}: hypothesis {text!r} is not a relation")
        return rels[0] if len(rels) == 1 else sp.And(*rels)

    def prose(self, text: str | Prose) -> Prose:
        """Words with ``$...$`` math (parsed with the theorem's names; other names are display symbols)."""
        if isinstance(text, Prose):
            return text
        pieces = re.split(r"\$", text)
        if len(pieces) % 2 == 0:
            raise ProofError(f"{self.slug}: unbalanced $ in {text!r}")
        parts: list[Any] = []
        known = dict(self.names)

        def symbol(name: Any) -> Any:
            return known.setdefault(name, sp.Symbol(name))

        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                if piece:
                    parts.append(piece)
                continue
            for family in re.findall(r"\b([A-Za-z][A-Za-z0-9_]*)\[", piece):
                if not isinstance(known.get(family), sp.IndexedBase):
                    known[family] = sp.IndexedBase(family)  # a family named only in the prose
            first, rest = E.parse_relations(piece, names=known, symbol=symbol, evaluate=False, trusted=True,
                                            extra_functions=DISPLAY_FUNCTIONS)
            parts.append(Math(first, rest))
        return Prose(tuple(parts))

    def _why_text(self, reason: Any) -> Any:
        """A link's reason: plain words, or words with ``$...$`` math as :class:`Prose` (typeset by the printers)."""
        return self.prose(reason) if isinstance(reason, str) and "$" in reason else reason

    def named(self, words: str, lhs: Any, rhs: Any) -> Prose:
        """A label such as 'the claim r_N = ...' with the expressions as math (no re-parsing)."""
        return Prose((words, Math(self.ex(lhs), (("=", self.ex(rhs)),))))

    def _label(self, name: Any, suffix: str) -> Prose:
        base = name if isinstance(name, Prose) else self.prose(name)
        return Prose((*base.parts, suffix))

    def claim_or(self, claim: str | None, default: str) -> sp.Basic:
        """The user's --claim (checked as user input) or the theorem's own closed form."""
        return self.ex(claim, user=True) if claim is not None else self.ex(default)

    # -- context ----------------------------------------------------------------------------------------------------
    def context(self, assume: Any = ()) -> Context:
        hyps = tuple(self.formal) + tuple(canon(a) for a in assume) + self._induction_context
        return Context(hyps, ())

    def _check_consistency(self) -> None:
        """The hypotheses must be shown satisfiable (a model found by Z3, or values found by substitution):
        from contradictory hypotheses anything follows, and unknown never counts as consistent."""
        ctx = Context(tuple(self.formal))
        if not check_sympy.consistent(ctx):
            raise ProofError(f"{self.slug}: the hypotheses contradict the symbols' domains")
        z3_says = check_z3.consistent(ctx) if "z3" in self.checkers else None
        if z3_says == FAILED:
            raise ProofError(f"{self.slug}: the hypotheses contradict each other (Z3 finds no values meeting "
                             "them all)")
        if z3_says != PROVED and self.formal and check_sympy.witness(ctx) is None:
            raise ProofError(f"{self.slug}: the hypotheses are not shown to be consistent (Z3: "
                             f"{z3_says or 'not run'}; no values tried meet them all), so nothing can be proved "
                             "from them")

    # -- statement ---------------------------------------------------------------------------------------------------
    def state(self, lhs: Any, relation: str, rhs: Any, text: str = "", assume: Any = ()) -> None:
        """One obligation of the theorem: done() fails unless a confirmed step runs exactly
        from ``lhs`` to ``rhs`` with a relation that implies ``relation``."""
        if relation not in RELATIONS:
            raise ValueError(f"unknown relation {relation!r}")
        self.obligations.append(Obligation(self.ex(lhs), relation, self.ex(rhs), self.prose(text),
                                           tuple(self.relation(a) for a in assume)))

    def say(self, text: str, label: str = "") -> None:
        self.steps.append(Step(self.prose(label), self.prose(text), kind="prose"))

    # -- premises ----------------------------------------------------------------------------------------------------
    def define(self, name: str, text: str, lhs: Callable[..., Any], rhs: Callable[..., Any],
               library: Callable[..., Any], *,
               index: Any = None, reason: str = "symcnn's formula") -> None:
        """Introduce the premise ``lhs(q) = rhs(q)`` (a recurrence or an initial value).

        It is admitted only when the checkers confirm that ``rhs(q)`` equals
        ``library(q)``, which must be computed by symcnn's own code (the formula
        the tables or the optimizers use).  Later links may use it by name at an
        index they state: ``("def", name, q)``."""
        q = index if index is not None else self.display_index
        self._fresh(name, self._call(lhs, q), library)
        shown = self._call(rhs, q)
        computed = self.ex(library(q))
        ctx = self.context()
        checks, detail = check_relation(shown, "=", computed, ctx, self.checkers)
        link = Link("=", shown, self._why_text(reason), shown, computed, ctx, checks, detail)
        if not link.confirmed():
            raise ProofError(f"{self.slug}: definition {name}: {_show(shown)} is not confirmed equal to symcnn's "
                             f"formula {_show(computed)}: {self._why(link)}")
        self.rules[name] = (lhs, rhs, "def", None, None)
        self.steps.append(Step(Prose(), self.prose(text), self._call(lhs, q), (link,), kind="definition"))

    def _fresh(self, name: str, defined: Any, library: Any) -> None:
        """A definition introduces a fresh name (a conservative extension): never a parameter of the theorem, never
        a symbol its hypotheses constrain, never a name defined before; and its value is checked against symcnn's
        own code, never against a callable from elsewhere."""
        if name in self.rules:
            raise ProofError(f"{self.slug}: {name} is defined twice")
        head = defined.base if isinstance(defined, sp.Indexed) else defined
        constrained = set().union(*(h.free_symbols for h in self.formal)) if self.formal else set()
        params = {self.names[p] for p in self.params if p in self.names}
        if isinstance(head, sp.Symbol) and (head in params or head in constrained):
            raise ProofError(f"{self.slug}: definition {name} would fix {head}, a parameter or a constrained "
                             "symbol of the theorem; a definition introduces a new name")
        if isinstance(defined, sp.Indexed) and any(canon(defined) in canon(h).atoms(sp.Indexed) for h in self.formal):
            raise ProofError(f"{self.slug}: definition {name} would fix {_show(defined)}, which the hypotheses "
                             "constrain")
        if not isinstance(head, (sp.Symbol, sp.IndexedBase)):
            raise ProofError(f"{self.slug}: definition {name} defines {_show(defined)}, which is not a name")
        module = getattr(library, "__module__", "") or ""
        if not (module == "symcnn" or module.startswith("symcnn.")):
            raise ProofError(f"{self.slug}: definition {name} is checked against {module or 'unknown'} code: a "
                             "premise from symcnn's code is computed by symcnn, never by a function handed in")

    def premise(self, name: str, text: str, lhs: Callable[..., Any], rhs: Callable[..., Any], *,
                index: Any = None) -> None:
        """A premise that is one of the theorem's own formal hypotheses (stated, not checked)."""
        q = index if index is not None else self.display_index
        L, R = self._call(lhs, q), self._call(rhs, q)
        eq = sp.Eq(canon(L), canon(R))
        if eq not in self.formal and sp.Eq(canon(R), canon(L)) not in self.formal:
            raise ProofError(f"{self.slug}: premise {name} ({_show(L)} = {_show(R)}) is not one of the hypotheses")
        self.rules[name] = (lhs, rhs, "hyp", None, None)
        link = Link("=", R, "a hypothesis", L, R, self.context(), dict.fromkeys(self.checkers, ASSUMED), {})
        self.steps.append(Step(Prose(), self.prose(text), L, (link,), kind="hypothesis"))

    def _call(self, f: Any, q: Any) -> Any:
        return self.ex(f(q)) if callable(f) else self.ex(f)

    def _uses(self, uses: Any) -> tuple[list[Any], list[Any], list[str]]:
        premises, side, names = [], [], []
        for use in uses:
            if use == "hyp":
                if self._hypothesis is None:
                    raise ValueError("no induction hypothesis in force")
                premises.append(self._hypothesis)
                names.append("the induction hypothesis")
                continue
            _, name, q = use
            if name not in self.rules:
                raise ValueError(f"unknown premise {name!r}")
            lhs, rhs, kind, start, upto = self.rules[name]
            premises.append((canon(self._call(lhs, q)), canon(self._call(rhs, q))))
            if kind == "fact" and start is not None:
                side.append((self.ex(q), ">=", sp.Integer(start)))  # a fact holds from its start on ...
            if kind == "fact" and upto is not None:
                side.append((self.ex(q), "<=", upto))  # ... up to its end
            names.append(name)
        return premises, side, names

    # -- chains -------------------------------------------------------------------------------------------------------
    def chain(self, text: str, first: Any, *links: Any, label: str | Prose = "", assume: Any = ()) -> None:
        """Add a checked chain.  Each link is (relation, expression, reason, *uses);
        a use is "hyp" (the induction hypothesis, only inside an inductive step) or
        ("def", name, q) / ("fact", name, q) to use a premise at index q in that
        link's check.  ``assume`` are the step's own hypotheses ("for N >= 2")."""
        n = len(self.steps) + 1
        first_e = self.ex(first)
        prev = first_e
        assumed = tuple(self.relation(a) if isinstance(a, str) else a for a in assume)
        done: list[Link] = []
        for link in links:
            rel, e, reason = link[:3]
            if rel not in RELATIONS:
                raise ValueError(f"unknown relation {rel!r}")
            cur = self.ex(e)
            if cur == prev and rel == "=":
                continue  # the same display twice says nothing: no tautology is shown

            premises, side, names = self._uses(link[3:])
            ctx = self.context(assumed).extended(premises=premises)
            checks, detail = check_relation(prev, rel, cur, ctx, self.checkers, tuple(side))
            made = Link(rel, cur, self._why_text(reason), prev, cur, ctx, checks, detail, tuple(names), tuple(side))
            if not made.confirmed():
                where = f"{self.slug}: step {n} ({self.prose(text).plain or self.prose(label).plain})"
                raise ProofError(f"{where}: {_show(prev)} {rel} {_show(cur)} ({reason}) is not confirmed: "
                                 f"{self._why(made)}")
            done.append(made)
            prev = cur
        self.steps.append(Step(self.prose(label), self.prose(text), first_e, tuple(done), kind="chain",
                               assume=assumed))

    def _why(self, link: Link) -> str:
        parts = []
        for name in self.checkers:
            verdict, detail = link.checks.get(name), link.detail.get(name, "")
            if verdict != PROVED:
                parts.append(detail or f"{name}: {verdict}")
        return "; ".join(parts)

    def compare(self, text: str, computed: Any, expected: Any, reason: str, *, shown: Any = None, label: str = "",
                display: Any = None) -> None:
        """A fact computed by symcnn (a table, sympy.stats, solve) compared with the value
        the proof expects: the two come from different code, and the checkers compare them.
        ``shown`` is how the computation reads (it must equal the computed value too);
        ``display`` = (left, right) names the two sides instead when they are too long to print
        (the certificate keeps the expressions checked)."""
        a, b = self.ex(computed), self.ex(expected)
        first = self.ex(shown) if shown is not None else a
        if display is not None:
            first = self.ex(display[0])
        if display is None and first == b:
            raise ProofError(f"{self.slug}: {self.prose(text).plain}: {_show(first)} = {_show(b)} reads as a "
                             "tautology; show how the value was computed")
        ctx = self.context()
        side = ((self.ex(shown), "=", a),) if shown is not None else ()
        checks, detail = check_relation(a, "=", b, ctx, self.checkers, side)
        link = Link("=", self.ex(display[1]) if display is not None else b, self._why_text(reason), a, b, ctx,
                    checks, detail,
                    side=side)
        if not link.confirmed():
            raise ProofError(f"{self.slug}: {self.prose(text).plain}: {_show(a)} is not {_show(b)}: "
                             f"{self._why(link)}")
        self.steps.append(Step(self.prose(label), self.prose(text), first, (link,), kind="computation"))

    # -- induction ----------------------------------------------------------------------------------------------------
    def induction(self, var: sp.Symbol, start: int, lhs: Callable[..., Any], rhs: Callable[..., Any], *, name: str,
                  base: list[Any], step: list[Any], step_text: str = "", fact: str | None = None,
                  upto: Any = None) -> None:
        """Prove lhs(n) = rhs(n) for all n >= start (and n <= upto, when given): the base
        chain must run exactly from lhs(start) to rhs(start), the step chain from lhs(n + 1)
        to rhs(n + 1), using lhs(n) = rhs(n) only in links marked "hyp"; the step may
        assume start <= n and n + 1 <= upto."""
        if not (isinstance(var, sp.Symbol) and var.is_integer is True):
            raise ProofError(f"{self.slug}: induction over {var}, which is not declared an integer: it proves the "
                             "claim only at whole steps from the base")
        if int(start) != start:
            raise ProofError(f"{self.slug}: an induction starts at a whole number, not {start}")
        start_e = sp.Integer(start)
        upto_e = None if upto is None else canon(self.ex(upto))
        self.chain(f"Base case ${var} = {start}$.", lhs(start_e), *base, label=self._label(name, ": base case"))
        base_index = len(self.steps) - 1
        if canon(self.steps[-1].last) != canon(self.ex(rhs(start_e))):
            raise ProofError(f"{self.slug}: the base case of {self._label(name, '').plain} ends at "
                             f"{_show(self.steps[-1].last)}, "
                             f"not at the claim {_show(self.ex(rhs(start_e)))}")
        self._hypothesis = (canon(self.ex(lhs(var))), canon(self.ex(rhs(var))))
        self._induction_context = (sp.Ge(var, start_e),) + (() if upto_e is None else (sp.Le(var + 1, upto_e),))
        nxt = sp.Add(var, 1, evaluate=False)  # shown as n + 1, not 1 + n
        try:
            self.chain(step_text or f"Inductive step: assume the claim for ${var}$ (the induction hypothesis); "
                       f"then for ${var} + 1$:", lhs(nxt), *step, label=self._label(name, ": inductive step"))
        finally:
            self._hypothesis = None
            self._induction_context = ()
        step_index = len(self.steps) - 1
        if canon(self.steps[-1].last) != canon(self.ex(rhs(var + 1))):
            raise ProofError(f"{self.slug}: the inductive step of {self._label(name, '').plain} ends at "
                             f"{_show(self.steps[-1].last)}, "
                             f"not at the claim for {var} + 1, {_show(self.ex(rhs(var + 1)))}")
        checks, detail = conclusion_checks(self.steps, base_index, step_index, self.checkers)
        L, R = self.ex(lhs(var)), self.ex(rhs(var))
        bounds = (sp.Ge(var, start_e),) + (() if upto_e is None else (sp.Le(var, upto_e),))
        ctx = self.context(bounds)
        link = Link("=", R, "induction", L, R, ctx, checks, detail)
        where = f"${var} >= {start}$" if upto_e is None else f"${start} <= {var} <= {sp.sstr(upto_e)}$"
        self.steps.append(Step(self._label(name, ": conclusion"), self.prose(f"By induction, this holds for every "
                                                                            f"{where}."), L, (link,),
                               kind="conclusion", assume=bounds,
                               induction={"var": var, "start": start, "base": base_index, "step": step_index}))
        if fact:
            self.rules[fact] = (lhs, rhs, "fact", start, upto_e)

    # -- done ---------------------------------------------------------------------------------------------------------
    def done(self) -> Proof:
        if not self.obligations:
            raise ProofError(f"{self.slug}: the theorem states nothing to prove")
        obligations = []
        for ob in self.obligations:
            # the statement as displayed must be defined wherever it claims to hold (x/x = 1 for x >= 0 is not)
            why = check_sympy.undefined([ob.lhs, ob.rhs], self.context(ob.assume))
            if why:
                raise ProofError(f"{self.slug}: the statement {_show(ob.lhs)} {ob.relation} {_show(ob.rhs)} is "
                                 f"{why}")
            i = discharging_step(ob, self.steps)
            if i is None:
                raise ProofError(f"{self.slug}: no confirmed step runs from {_show(ob.lhs)} to {_show(ob.rhs)} "
                                 f"with relation {ob.relation}: the statement is not proved")
            obligations.append(replace(ob, step=i))
        for number, step in enumerate(self.steps, 1):
            if not step.text and not step.label:  # a numbered step says in words what it does
                raise ProofError(f"{self.slug}: step {number} has no words")
        return Proof(self.slug, self.title, self.statement, tuple(self.hypotheses), tuple(obligations),
                     tuple(self.steps), self.problem, self.checkers)


__all__ = ["Builder", "ProofError", "canon", "display_subs", "tidy"]
