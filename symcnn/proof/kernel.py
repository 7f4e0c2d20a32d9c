"""The trusted kernel: the only code that admits a step of a proof or certifies a :class:`~.model.Proof`.

In the LCF tradition, a :class:`Theory` is one theorem in the making and its
methods are the rules.  Each rule checks its own side conditions, runs the
checkers and appends one step; :meth:`Theory.theorem` certifies only the steps
this theory made itself.  Nothing else can make ``Proof.verified`` true: it
is true only for the very object the kernel certified (a copy, a
``dataclasses.replace`` or a proof put together by hand is not).

The rules:

- ``chain``: each link ``previous REL next`` is confirmed by the checkers
  under the hypotheses, the step's own assumptions and the premises it names;
  the kernel instantiates each premise itself, and only where it holds (a fact
  proved for ``n >= 1`` at ``q`` needs ``q >= 1``, checked with the link).
- ``define``: a definition only of a fresh name (never a parameter, never a
  symbol the hypotheses constrain, never an index already defined; a
  recurrence refers only to smaller indices), compared with a function of
  symcnn's that the kernel looks up by name (:mod:`.library`), never with a
  callable handed in.
- ``hypothesis``: a premise that is one of the hypotheses, as stated.
- ``compare``: a value computed elsewhere, confirmed equal to the expected one.
- ``conclude``: induction over an integer variable the hypotheses leave free,
  from a base chain at the start to a step chain from ``n + 1``.
- ``theorem``: the hypotheses shown satisfiable (a model from Z3 or values
  found by substitution; unknown is never consistent), the statement defined
  wherever it claims to hold, every obligation discharged by a step.

:func:`recheck` replays a proof's steps through the same rules: a certificate
read from a file, or a proof changed after it was made, is judged afresh.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> t = Theory("demo", [sp.Gt(x, 0)])
>>> step = t.chain("", "Add.", x + x, [("=", 2 * x, "collect", ())])
>>> proof = t.theorem("A demo", "", [Obligation(x + x, "=", 2 * x)])
>>> proof.verified, recheck(proof).verified, replace(proof).verified
(True, True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from . import check_sympy, check_z3
from .checking import check_relation, conclusion_checks, discharging_step, missing
from .display import canon
from .library import Call
from .model import (
    ASSUMED,
    CERTIFIED,
    CHECKERS,
    FAILED,
    PROVED,
    RELATIONS,
    Context,
    Hypothesis,
    Link,
    Obligation,
    Proof,
    ProofError,
    Prose,
    Step,
)

__all__ = ["Theory", "recheck", "verify"]


def _show(e: Any, limit: int = 160) -> str:
    text: str = sp.sstr(e, order="none")
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _plain(p: Any) -> str:
    return p.plain if isinstance(p, Prose) else str(p or "")


@dataclass(frozen=True)
class _Equation:
    """An admitted premise: ``lhs = rhs`` for every integer ``var`` in ``[start, upto]`` (``var`` None: once)."""

    lhs: Any
    rhs: Any
    var: Any = None
    start: Any = None
    upto: Any = None


def _lower(var: Any) -> Any:
    """The least value an integer variable's assumptions allow (None: unbounded below)."""
    if var.is_positive:
        return sp.Integer(1)
    if var.is_nonnegative:
        return sp.Integer(0)
    return None


class Theory:
    """One theorem in the making.  ``strict`` rules raise :class:`ProofError` at the first failure (the builder);
    otherwise the first reason is kept and the proof is not certified (a recheck, which shows every verdict)."""

    def __init__(self, slug: str, hypotheses: Iterable[Any], *, params: Iterable[Any] = (),
                 checkers: Iterable[str] = CHECKERS, strict: bool = True) -> None:
        self.slug = slug
        self.formal = tuple(canon(h) for h in hypotheses)
        self.params = tuple(params)
        self.checkers = tuple(c for c in CHECKERS if c in tuple(checkers))
        if not self.checkers:
            raise ProofError(f"{slug}: no checker to run (known: {', '.join(CHECKERS)})")
        why = missing(self.checkers)
        if why:
            raise ProofError(f"{slug}: {why}")
        self.strict = strict
        self.refused = ""
        self._steps: list[Step] = []
        self._defs: dict[str, _Equation] = {}
        self._facts: dict[str, _Equation] = {}
        self._patterns: dict[Any, list[tuple[Any, ...]]] = {}  # head -> ("const", k) / ("var", c, lowest index)
        self._frozen: set[Any] = {p for p in self.params if isinstance(p, (sp.Symbol, sp.IndexedBase))}
        self._constrained: set[Any] = set()
        for h in self.formal:
            for s in h.free_symbols:
                if isinstance(s, sp.Symbol):
                    self._frozen.add(s)
                    self._constrained.add(s)
            for a in h.atoms(sp.Indexed):
                if len(a.indices) == 1 and a.indices[0].is_Integer:
                    self._patterns.setdefault(a.base, []).append(("const", a.indices[0]))
                else:
                    self._frozen.add(a.base)
        self._consistent()

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps)

    # -- failures -------------------------------------------------------------------------------------------------
    def _refuse(self, message: str) -> None:
        if self.strict:
            raise ProofError(f"{self.slug}: {message}")
        self.refused = self.refused or message

    def _where(self, label: Any, text: Any) -> str:
        return f"step {len(self._steps) + 1} ({_plain(text) or _plain(label)})"

    def _why(self, link: Link) -> str:
        return "; ".join(link.detail.get(c, "") or f"{c}: {link.checks.get(c)}" for c in self.checkers
                         if link.checks.get(c) != PROVED)

    def _consistent(self, extra: tuple[Any, ...] = (), what: str = "the hypotheses") -> None:
        """From contradictory hypotheses anything follows: they must be shown satisfiable (with a statement's own
        assumptions, when it makes some)."""
        hyps = self.formal + tuple(canon(a) for a in extra)
        ctx = Context(hyps)
        if not check_sympy.consistent(ctx):
            return self._refuse(f"{what} contradict the symbols' domains")
        z3_says = check_z3.consistent(ctx) if "z3" in self.checkers else None
        if z3_says == FAILED:
            return self._refuse(f"{what} contradict each other (Z3 finds no values meeting them all)")
        if z3_says != PROVED and hyps and check_sympy.witness(ctx) is None:
            return self._refuse(f"{what} are not shown to be consistent (Z3: {z3_says or 'not run'}; no values "
                                "tried meet them all), so nothing can be proved from them")
        return None

    # -- premises ---------------------------------------------------------------------------------------------------
    def _instance(self, ref: Any, induction: Any) -> tuple[Any, tuple[Any, ...], tuple[str, str, Any]] | None:
        """A premise the kernel instantiates: (lhs, rhs), the side conditions of the instance, the reference."""
        kind, name, q = (*tuple(ref), None, None)[:3]
        if kind == "induction":
            if induction is None:
                self._refuse("the induction hypothesis is used outside an inductive step")
                return None
            var = induction["var"]
            return (canon(induction["lhs"]), canon(induction["rhs"])), (), ("induction", "", var)
        table = self._defs if kind == "def" else self._facts if kind == "fact" else {}
        if name not in table:
            self._refuse(f"unknown premise {name!r} ({kind})")
            return None
        eq = table[name]
        if eq.var is None:
            return (canon(eq.lhs), canon(eq.rhs)), (), (kind, name, None)
        q = canon(sp.sympify(q))
        if eq.var.is_integer and q.is_integer is not True:
            self._refuse(f"{name} holds at whole numbers; {_show(q)} is not declared an integer")
            return None
        side: list[Any] = []
        if eq.start is not None:
            side.append((q, ">=", eq.start))
        if eq.upto is not None:
            side.append((q, "<=", eq.upto))
        at = {eq.var: q}
        return (canon(eq.lhs.xreplace(at)), canon(eq.rhs.xreplace(at))), tuple(side), (kind, name, q)

    def _context(self, assume: Any = (), induction: Any = None) -> Context:
        extra: tuple[Any, ...] = ()
        if induction is not None:
            var = induction["var"]
            extra = (sp.Ge(var, induction["start"]),)
            if induction.get("upto") is not None:
                extra += (sp.Le(var + 1, induction["upto"]),)
        return Context(self.formal + tuple(canon(a) for a in assume) + extra, ())

    def _induction_ok(self, induction: Any, assume: Any) -> bool:
        var, start = induction["var"], induction["start"]
        if not (isinstance(var, sp.Symbol) and var.is_integer is True):
            self._refuse(f"induction over {var}, which is not declared an integer: it proves the claim only at "
                         "whole steps from the base")
            return False
        if not (isinstance(start, sp.Integer) or (isinstance(start, int) and not isinstance(start, bool))):
            self._refuse(f"an induction starts at a whole number, not {start}")
            return False
        if var in self._constrained or any(var in canon(a).free_symbols for a in assume):
            self._refuse(f"induction over {var}, which the hypotheses constrain: the step would not reach every "
                         "value from the base")
            return False
        return True

    # -- rules ------------------------------------------------------------------------------------------------------
    def say(self, label: Any, text: Any) -> Step:
        step = Step(label, text, kind="prose")
        self._steps.append(step)
        return step

    def chain(self, label: Any, text: Any, first: Any, links: Iterable[Any], *, assume: Any = (),
              induction: Any = None) -> Step:
        """``first REL e1 REL e2 ...``; each link is (relation, expression, reason, references), a reference
        ("def", name, q), ("fact", name, q) or ("induction",) (only in an inductive step)."""
        assume = tuple(canon(a) for a in assume)
        if induction is not None:
            induction = dict(induction)
            induction["start"] = sp.Integer(induction["start"]) if isinstance(induction["start"], int) else \
                induction["start"]
            if not self._induction_ok(induction, assume):
                induction = None
        base_ctx = self._context(assume, induction)
        made: list[Link] = []
        shown_prev = first
        for rel, cur, reason, refs in links:
            if rel not in RELATIONS:
                self._refuse(f"unknown relation {rel!r}")
                continue
            premises: list[Any] = []
            side: list[Any] = []
            at: list[Any] = []
            for ref in refs:
                got = self._instance(ref, induction)
                if got is None:
                    continue
                premises.append(got[0])
                side += got[1]
                at.append(got[2])
            ctx = base_ctx.extended(premises=premises)
            checks, detail = check_relation(shown_prev, rel, cur, ctx, self.checkers, tuple(side))
            link = Link(rel, cur, reason, shown_prev, cur, ctx, checks, detail,
                        tuple(n for _, n, _ in at if n), tuple(side), tuple(at))
            if not link.confirmed():
                self._refuse(f"{self._where(label, text)}: {_show(shown_prev)} {rel} {_show(cur)} "
                             f"({_plain(reason)}) is not confirmed: {self._why(link)}")
            made.append(link)
            shown_prev = cur
        step = Step(label, text, first, tuple(made), kind="chain", assume=assume,
                    induction=None if induction is None else dict(induction, kind="step"))
        self._steps.append(step)
        return step

    def compare(self, label: Any, text: Any, computed: Any, expected: Any, reason: Any, *, shown: Any = None,
                display: Any = None) -> Step:
        """A value computed by symcnn (a table, sympy.stats) against the one expected.  With ``display`` (two
        names for long sides) the step shows the names and can discharge no obligation."""
        side = ((shown, "=", computed),) if shown is not None else ()
        ctx = self._context()
        checks, detail = check_relation(computed, "=", expected, ctx, self.checkers, side)
        first = display[0] if display is not None else (shown if shown is not None else computed)
        link = Link("=", display[1] if display is not None else expected, reason, computed, expected, ctx, checks,
                    detail, side=side)
        if not link.confirmed():
            self._refuse(f"{self._where(label, text)}: {_show(computed)} is not {_show(expected)}: {self._why(link)}")
        step = Step(label, text, first, (link,), kind="computation",
                    premise={"display": True} if display is not None else None)
        self._steps.append(step)
        return step

    def hypothesis(self, label: Any, text: Any, name: str, lhs: Any, rhs: Any) -> Step:
        """A premise that is one of the theorem's hypotheses (stated, not checked)."""
        L, R = canon(lhs), canon(rhs)
        if name in self._defs or name in self._facts:
            self._refuse(f"{name} is defined twice")
        elif sp.Eq(L, R) not in self.formal and sp.Eq(R, L) not in self.formal:
            self._refuse(f"premise {name} ({_show(lhs)} = {_show(rhs)}) is not one of the hypotheses")
        else:
            self._defs[name] = _Equation(lhs, rhs)
        link = Link("=", rhs, "a hypothesis", lhs, rhs, self._context(), dict.fromkeys(self.checkers, ASSUMED), {})
        step = Step(label, text, lhs, (link,), kind="hypothesis", premise={"name": name})
        self._steps.append(step)
        return step

    def define(self, label: Any, text: Any, name: str, lhs: Any, rhs: Any, call: Call | Any, *, var: Any = None,
               reason: Any = "symcnn's formula") -> Step:
        """``lhs = rhs`` for every ``var`` its assumptions allow, admitted when ``rhs`` is confirmed equal to what
        symcnn's function ``call`` computes (at ``var``)."""
        ok = self._fresh(name, canon(lhs), canon(rhs), var)
        computed: Any = sp.nan
        if not isinstance(call, Call):
            self._refuse(f"definition {name} is checked against {type(call).__name__}: a premise from symcnn's "
                         "code is a call of one of symcnn's functions the kernel names (symcnn.proof.library), "
                         "never a value or a function handed in")
            ok = False
        else:
            try:
                computed = call.evaluate()
            except ProofError as exc:
                self._refuse(f"definition {name}: {exc.message}")
                ok = False
        ctx = self._context()
        if ok:
            checks, detail = check_relation(rhs, "=", computed, ctx, self.checkers)
        else:
            checks, detail = dict.fromkeys(self.checkers, FAILED), dict.fromkeys(self.checkers, "not admitted")
        link = Link("=", rhs, reason, rhs, computed, ctx, checks, detail)
        if ok and not link.confirmed():
            self._refuse(f"definition {name}: {_show(rhs)} is not confirmed equal to symcnn's formula "
                         f"{_show(computed)}: {self._why(link)}")
        elif ok:
            self._defs[name] = _Equation(lhs, rhs, var, None if var is None else _lower(var))
        step = Step(label, text, lhs, (link,), kind="definition", premise={"name": name, "var": var, "call": call})
        self._steps.append(step)
        return step

    def _fresh(self, name: str, lhs: Any, rhs: Any, var: Any) -> bool:
        """A definition is a conservative extension: a new name, or a new index of a family whose other indices
        it does not touch, defined from smaller indices and from names that can no longer be defined."""
        if name in self._defs or name in self._facts:
            self._refuse(f"{name} is defined twice")
            return False
        if var is not None and not (isinstance(var, sp.Symbol) and var.is_integer and _lower(var) is not None):
            self._refuse(f"definition {name} is stated for {var}, which is not an integer bounded below")
            return False
        if var is not None and var in self._constrained:
            self._refuse(f"definition {name} is stated for {var}, which the hypotheses constrain")
            return False
        head = lhs.base if isinstance(lhs, sp.Indexed) else lhs
        if not isinstance(head, (sp.Symbol, sp.IndexedBase)):
            self._refuse(f"definition {name} defines {_show(lhs)}, which is not a name")
            return False
        if head in self._frozen:
            self._refuse(f"definition {name} would fix {head}, a parameter or a constrained symbol of the theorem "
                         "(or one a definition already uses): a definition introduces a new name")
            return False
        if isinstance(head, sp.Symbol):
            if head in self._patterns or head in rhs.free_symbols:
                self._refuse(f"definition {name}: {head} is defined twice or in terms of itself")
                return False
            pattern: tuple[Any, ...] = ("const", None)

            def below(idx: Any) -> bool:
                return False  # a name's definition refers to nothing below it
        else:
            pattern_or_none = self._pattern(lhs, var)
            if pattern_or_none is None:
                self._refuse(f"definition {name} defines {_show(lhs)}: an index is a whole number or the "
                             "variable plus one")
                return False
            pattern = pattern_or_none
            if any(self._overlap(pattern, p) for p in self._patterns.get(head, [])):
                self._refuse(f"definition {name}: {_show(lhs)} is defined twice (or a hypothesis constrains it)")
                return False

            def below(idx: Any) -> bool:
                return self._below(idx, pattern, var)
        for s in rhs.free_symbols:
            if isinstance(s, sp.Symbol) and s != var and s not in self._patterns:
                self._frozen.add(s)  # used undefined: it can never be defined after (no circular definitions)
        for a in rhs.atoms(sp.Indexed):
            if a.base == head and not below(a.indices[0] if len(a.indices) == 1 else None):
                self._refuse(f"definition {name} defines {_show(lhs)} in terms of itself ({_show(a)})")
                return False
            if below(a.indices[0] if len(a.indices) == 1 else None):
                continue
            if a.base in self._patterns:
                self._refuse(f"definition {name} uses {_show(a)}, defined already, at an index not below its own: "
                             "definitions would go round in a circle")
                return False
            self._frozen.add(a.base)
        self._patterns.setdefault(head, []).append(pattern)
        return True

    @staticmethod
    def _pattern(lhs: Any, var: Any) -> tuple[Any, ...] | None:
        if len(lhs.indices) != 1:
            return None
        idx = lhs.indices[0]
        if idx.is_Integer:
            return ("const", idx)
        if var is not None:
            c = sp.expand(idx - var)
            if c.is_Integer:
                return ("var", c, _lower(var) + c)
        return None

    @staticmethod
    def _overlap(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        if a[0] == "const" and b[0] == "const":
            return bool(a[1] == b[1])
        if a[0] == "var" and b[0] == "var":
            return True
        const, ranged = (a, b) if a[0] == "const" else (b, a)
        return bool(const[1] >= ranged[2])

    @staticmethod
    def _below(idx: Any, pattern: tuple[Any, ...], var: Any) -> bool:
        """An index strictly below every index the definition covers."""
        if idx is None:
            return False
        if pattern[0] == "const":
            return bool(idx.is_Integer and idx < pattern[1])
        if idx.is_Integer:
            return bool(idx < pattern[2])
        c = sp.expand(idx - var)
        return bool(c.is_Integer and c < pattern[1])

    def conclude(self, label: Any, text: Any, base: int, step: int, *, fact: str | None = None) -> Step:
        """By induction: the base chain runs from lhs(start) to rhs(start), the step chain (made with the
        induction hypothesis) from lhs(n + 1) to rhs(n + 1), both by equalities only."""
        steps = self._steps
        ok = 0 <= base < step < len(steps) and steps[base].kind == "chain" and steps[base].induction is None \
            and steps[step].kind == "chain" and (steps[step].induction or {}).get("kind") == "step" \
            and not steps[base].assume and not steps[step].assume
        if not ok:
            self._refuse(f"{self._where(label, text)}: an induction needs a base chain, then an inductive step")
            ind: dict[str, Any] = {"var": sp.Symbol("n", integer=True), "start": sp.Integer(0), "lhs": sp.nan,
                                   "rhs": sp.nan, "upto": None}
        else:
            ind = dict(steps[step].induction or {})
        var, start, L, R, upto = ind["var"], ind["start"], ind["lhs"], ind["rhs"], ind.get("upto")
        if ok:
            b, s = steps[base], steps[step]
            wanted = ((b, start, "base case"), (s, var + 1, "inductive step"))
            for chain_step, at, what in wanted:
                if chain_step.composite() != "=" or canon(chain_step.first) != canon(L.xreplace({var: at})) or \
                        canon(chain_step.last) != canon(R.xreplace({var: at})):
                    self._refuse(f"the {what} of the induction runs from {_show(chain_step.first)} to "
                                 f"{_show(chain_step.last)}, not from {_show(L.xreplace({var: at}))} to "
                                 f"{_show(R.xreplace({var: at}))}")
                    ok = False
        checks, detail = conclusion_checks(steps, base, step, self.checkers) if ok else \
            (dict.fromkeys(self.checkers, FAILED), dict.fromkeys(self.checkers, "not an induction"))
        bounds = (sp.Ge(var, start),) + (() if upto is None else (sp.Le(var, upto),))
        link = Link("=", R, "induction", L, R, self._context(bounds), checks, detail)
        if ok and not link.confirmed():
            self._refuse(f"the induction's base case or step is not confirmed: {self._why(link)}")
            ok = False
        if fact is not None:
            if fact in self._defs or fact in self._facts:
                self._refuse(f"{fact} is defined twice")
            elif ok:
                self._facts[fact] = _Equation(L, R, var, start, upto)
        made = Step(label, text, L, (link,), kind="conclusion", assume=bounds,
                    induction={"var": var, "start": start, "base": base, "step": step, "upto": upto, "fact": fact})
        self._steps.append(made)
        return made

    # -- the theorem --------------------------------------------------------------------------------------------------
    def theorem(self, title: str, statement: Any, obligations: Iterable[Obligation], *,
                hypotheses: Iterable[Hypothesis] | None = None, problem: str = "") -> Proof:
        """The proof of the obligations from the steps this theory made; certified when nothing was refused."""
        hyps = tuple(hypotheses) if hypotheses is not None else tuple(Hypothesis(h, Prose()) for h in self.formal)
        if tuple(canon(h.relation) for h in hyps if h.relation is not None) != self.formal:
            self._refuse("the hypotheses shown are not the hypotheses the steps were checked under")
        obligations = list(obligations)
        if not obligations:
            self._refuse("the theorem states nothing to prove")
        done = []
        usable = [s if not (s.premise or {}).get("display") else replace(s, kind="display") for s in self._steps]
        for ob in obligations:
            if ob.assume:  # "for N >= 2": a statement about no values at all says nothing
                self._consistent(ob.assume, f"the hypotheses with the statement's own ({_show(ob.lhs)} "
                                            f"{ob.relation} {_show(ob.rhs)})")
            # the statement as displayed must be defined wherever it claims to hold (x/x = 1 for x >= 0 is not)
            why = check_sympy.undefined([ob.lhs, ob.rhs], self._context(ob.assume))
            if why:
                self._refuse(f"the statement {_show(ob.lhs)} {ob.relation} {_show(ob.rhs)} is {why}")
            i = discharging_step(ob, usable)
            if i is None:
                self._refuse(f"no confirmed step runs from {_show(ob.lhs)} to {_show(ob.rhs)} with relation "
                             f"{ob.relation}: the statement is not proved")
            done.append(replace(ob, step=i))
        proof = Proof(self.slug, title, statement, hyps, tuple(done), tuple(self._steps), problem, self.checkers,
                      self.params, self.refused)
        if not self.refused:
            CERTIFIED.add(proof)
        return proof


def recheck(proof: Proof, checkers: Iterable[str] | None = None) -> Proof:
    """The proof judged afresh: every step replayed through the kernel's rules, every checker run again.  The
    verdicts a proof carries are never read; the result is certified only if every rule holds again."""
    formal = [h.relation for h in proof.hypotheses if h.relation is not None]
    t = Theory(proof.slug, formal, params=proof.params, checkers=tuple(checkers or proof.checkers), strict=False)
    # (a certificate made with both checkers, rechecked where Z3 is not installed: pass checkers=("sympy",))
    for s in proof.steps:
        try:
            _replay(t, s)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # a malformed step: refused
            t._refuse(f"step {len(t.steps) + 1} is malformed ({type(exc).__name__}: {str(exc)[:80]})")
    return t.theorem(proof.title, proof.statement, [replace(o, step=None) for o in proof.obligations],
                     hypotheses=proof.hypotheses, problem=proof.problem)


def _replay(t: Theory, s: Step) -> None:
    link = s.links[0] if s.links else None
    if s.kind == "prose":
        t.say(s.label, s.text)
    elif s.kind == "chain":
        induction = s.induction if (s.induction or {}).get("kind") == "step" else None
        t.chain(s.label, s.text, s.first, [(l.relation, l.expr, l.reason, l.at) for l in s.links],
                assume=s.assume, induction=induction)
    elif s.kind == "definition" and link is not None and s.premise:
        t.define(s.label, s.text, s.premise.get("name", ""), s.first, link.expr, s.premise.get("call"),
                 var=s.premise.get("var"), reason=link.reason)
    elif s.kind == "hypothesis" and link is not None and s.premise:
        t.hypothesis(s.label, s.text, s.premise.get("name", ""), s.first, link.rhs)
    elif s.kind == "computation" and link is not None:
        display = (s.first, link.expr) if (s.premise or {}).get("display") else None
        t.compare(s.label, s.text, link.lhs, link.rhs, link.reason,
                  shown=link.side[0][0] if link.side else None, display=display)
    elif s.kind == "conclusion" and s.induction is not None:
        made = t.conclude(s.label, s.text, int(s.induction.get("base", -1)), int(s.induction.get("step", -1)),
                          fact=s.induction.get("fact"))
        said = {k: s.induction.get(k) for k in ("var", "start", "upto")}
        if said != {k: (made.induction or {}).get(k) for k in said} or canon(s.first) != canon(made.first):
            t._refuse(f"step {len(t.steps)} states an induction its base and step do not prove")
    else:
        t._refuse(f"step {len(t.steps) + 1} is of no kind the kernel knows ({s.kind})")
        t.say(s.label, s.text)


#: the name the rest of symcnn has used for a recheck
verify = recheck
