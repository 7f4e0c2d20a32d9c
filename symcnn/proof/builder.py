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
from typing import Any

import sympy as sp

from .. import expr as E
from ..errors import ExprError
from .display import canon, display_subs, tidy
from .kernel import Theory
from .model import (
    CHECKERS,
    RELATIONS,
    Hypothesis,
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
        self.obligations: list[Obligation] = []
        self.display_index = sp.Symbol("n", integer=True, nonnegative=True)
        # the kernel makes every step and the theorem; it refuses contradictory hypotheses here
        self.theory = Theory(slug, self.formal, params=[self.names[p] for p in self.params if p in self.names],
                             checkers=self.checkers)

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.theory.steps

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

    # -- statement ---------------------------------------------------------------------------------------------------
    def state(self, lhs: Any, relation: str, rhs: Any, text: str = "", assume: Any = ()) -> None:
        """One obligation of the theorem: done() fails unless a confirmed step runs exactly
        from ``lhs`` to ``rhs`` with a relation that implies ``relation``."""
        if relation not in RELATIONS:
            raise ProofError(f"{self.slug}: unknown relation {relation!r}")
        self.obligations.append(Obligation(self.ex(lhs), relation, self.ex(rhs), self.prose(text),
                                           tuple(self.relation(a) for a in assume)))

    def say(self, text: str, label: str = "") -> None:
        self.theory.say(self.prose(label), self.prose(text))

    # -- premises ----------------------------------------------------------------------------------------------------
    def define(self, name: str, text: str, lhs: Callable[..., Any], rhs: Callable[..., Any],
               library: Callable[..., Any], *,
               index: Any = None, reason: str = "symcnn's formula") -> None:
        """Introduce the premise ``lhs(q) = rhs(q)`` (a recurrence or an initial value).

        ``library(q)`` names the function of symcnn's that computes it, as a :class:`~.library.Call`; the
        kernel admits the definition only when the checkers confirm ``rhs(q)`` equals what that function
        computes, and only for a fresh name.  With ``index`` a number the premise is one equation; otherwise
        it holds for every value of the display index.  Later links use it by name at an index they state:
        ``("def", name, q)``."""
        q = index if index is not None else self.display_index
        var = q if isinstance(q, sp.Symbol) else None
        call = library(q)
        self.theory.define(Prose(), self.prose(text), name, self._call(lhs, q), self._call(rhs, q), call,
                           var=var, reason=self._why_text(reason))

    def premise(self, name: str, text: str, lhs: Callable[..., Any], rhs: Callable[..., Any], *,
                index: Any = None) -> None:
        """A premise that is one of the theorem's own formal hypotheses (stated, not checked)."""
        q = index if index is not None else self.display_index
        self.theory.hypothesis(Prose(), self.prose(text), name, self._call(lhs, q), self._call(rhs, q))

    def _call(self, f: Any, q: Any) -> Any:
        return self.ex(f(q)) if callable(f) else self.ex(f)

    def _refs(self, uses: Any) -> tuple[tuple[Any, ...], ...]:
        """The premises a link uses, as the kernel's references."""
        out: list[tuple[Any, ...]] = []
        for use in uses:
            if use == "hyp":
                out.append(("induction",))
            elif isinstance(use, tuple) and len(use) == 3 and use[0] in ("def", "fact"):
                kind, name, q = use
                out.append((kind, name, self.ex(q) if not isinstance(q, int) else sp.Integer(q)))
            else:
                raise ProofError(f"{self.slug}: a premise is used as 'hyp', ('def', name, q) or ('fact', name, q), "
                                 f"not {use!r}")
        return tuple(out)

    # -- chains -------------------------------------------------------------------------------------------------------
    def chain(self, text: str, first: Any, *links: Any, label: str | Prose = "", assume: Any = (),
              induction: Any = None) -> None:
        """Add a checked chain.  Each link is (relation, expression, reason, *uses);
        a use is "hyp" (the induction hypothesis, only inside an inductive step) or
        ("def", name, q) / ("fact", name, q) to use a premise at index q in that
        link's check.  ``assume`` are the step's own hypotheses ("for N >= 2")."""
        prev = self.ex(first)
        made = []
        for link in links:
            rel, e, reason = link[:3]
            if rel not in RELATIONS:
                raise ProofError(f"{self.slug}: unknown relation {rel!r}")
            cur = self.ex(e)
            if cur == prev and rel == "=":
                continue  # the same display twice says nothing: no tautology is shown
            made.append((rel, cur, self._why_text(reason), self._refs(link[3:])))
            prev = cur
        assumed = tuple(self.relation(a) if isinstance(a, str) else a for a in assume)
        self.theory.chain(self.prose(label), self.prose(text), self.ex(first), made, assume=assumed,
                          induction=induction)

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
        self.theory.compare(self.prose(label), self.prose(text), a, b, self._why_text(reason),
                            shown=self.ex(shown) if shown is not None else None,
                            display=None if display is None else (first, self.ex(display[1])))

    # -- induction ----------------------------------------------------------------------------------------------------
    def induction(self, var: sp.Symbol, start: int, lhs: Callable[..., Any], rhs: Callable[..., Any], *, name: str,
                  base: list[Any], step: list[Any], step_text: str = "", fact: str | None = None,
                  upto: Any = None) -> None:
        """Prove lhs(n) = rhs(n) for all n >= start (and n <= upto, when given): the base
        chain must run exactly from lhs(start) to rhs(start), the step chain from lhs(n + 1)
        to rhs(n + 1), using lhs(n) = rhs(n) only in links marked "hyp"; the step may
        assume start <= n and n + 1 <= upto."""
        if not (isinstance(start, (int, sp.Integer)) and not isinstance(start, bool)):
            raise ProofError(f"{self.slug}: an induction starts at a whole number, not {start}")
        start_e = sp.Integer(start)
        upto_e = None if upto is None else canon(self.ex(upto))
        self.chain(f"Base case ${var} = {start}$.", lhs(start_e), *base, label=self._label(name, ": base case"))
        base_index = len(self.steps) - 1
        if canon(self.steps[-1].last) != canon(self.ex(rhs(start_e))):
            raise ProofError(f"{self.slug}: the base case of {self._label(name, '').plain} ends at "
                             f"{_show(self.steps[-1].last)}, "
                             f"not at the claim {_show(self.ex(rhs(start_e)))}")
        nxt = sp.Add(var, 1, evaluate=False)  # shown as n + 1, not 1 + n
        claim = {"var": var, "start": start_e, "lhs": self.ex(lhs(var)), "rhs": self.ex(rhs(var)), "upto": upto_e}
        self.chain(step_text or f"Inductive step: assume the claim for ${var}$ (the induction hypothesis); "
                   f"then for ${var} + 1$:", lhs(nxt), *step, label=self._label(name, ": inductive step"),
                   induction=claim)
        step_index = len(self.steps) - 1
        if canon(self.steps[-1].last) != canon(self.ex(rhs(var + 1))):
            raise ProofError(f"{self.slug}: the inductive step of {self._label(name, '').plain} ends at "
                             f"{_show(self.steps[-1].last)}, "
                             f"not at the claim for {var} + 1, {_show(self.ex(rhs(var + 1)))}")
        upto_shown = upto_e if upto_e is not None else None
        where = f"${var} >= {start}$" if upto_shown is None else f"${start} <= {var} <= {sp.sstr(upto_shown)}$"
        self.theory.conclude(self._label(name, ": conclusion"), self.prose(f"By induction, this holds for every "
                                                                         f"{where}."), base_index, step_index,
                             fact=fact)

    # -- done ---------------------------------------------------------------------------------------------------------
    def done(self) -> Proof:
        """The theorem, certified by the kernel (or a ProofError saying what is not proved)."""
        proof = self.theory.theorem(self.title, self.statement, self.obligations, hypotheses=self.hypotheses,
                                    problem=self.problem)
        for number, step in enumerate(self.steps, 1):
            if not step.text and not step.label:  # a numbered step says in words what it does
                raise ProofError(f"{self.slug}: step {number} has no words")
        return proof


__all__ = ["Builder", "ProofError", "canon", "display_subs", "tidy"]
