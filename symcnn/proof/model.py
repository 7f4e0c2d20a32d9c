"""What a proof is, as data: obligations, steps, links, the context each link
is checked under, and the verdict each checker gave it.  Nothing here prints
(the printers live in the printers in :mod:`symcnn.render`) and nothing here checks
(:mod:`.check_sympy`, :mod:`.check_z3`, :mod:`.verify`)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from ..errors import SymcnnError
from ..prose import Math as Math  # re-exported: proofs and keys import it from here
from ..prose import Prose as Prose

RELATIONS = ("=", "<", "<=", ">", ">=", "!=")
CHECKERS = ("sympy", "z3")

#: a checker's verdict on one link
PROVED, FAILED, UNKNOWN, NOT_RUN = "proved", "failed", "unknown", "not-run"
#: the "verdict" of a premise that is one of the theorem's own hypotheses: not checked, stated
ASSUMED = "assumed"


class _Made:
    """Objects the kernel made, by identity: a copy, a ``dataclasses.replace`` or a proof built by hand is not one
    of them.  Only :mod:`.kernel` adds to it."""

    def __init__(self) -> None:
        self._refs: dict[int, weakref.ref[Any]] = {}

    def add(self, obj: Any) -> None:
        key = id(obj)

        def forget(_ref: weakref.ref[Any], key: int = key) -> None:
            self._refs.pop(key, None)

        self._refs[key] = weakref.ref(obj, forget)

    def __contains__(self, obj: Any) -> bool:
        ref = self._refs.get(id(obj))
        return ref is not None and ref() is obj


#: proofs and links the kernel certified
CERTIFIED = _Made()


class ProofError(SymcnnError):
    """A step the checkers could not confirm, or a statement no step proves."""


@dataclass(frozen=True)
class Context:
    """What one link may assume: formal hypotheses (sympy relations, the
    theorem's and the step's own) and premises (equalities: definitions,
    proved facts, the induction hypothesis), each instantiated where used.
    The symbols' domains are their sympy assumptions."""

    hypotheses: tuple[sp.Basic, ...] = ()
    premises: tuple[tuple[sp.Basic, sp.Basic], ...] = ()

    def extended(self, hypotheses: Any = (), premises: Any = ()) -> Context:
        return Context(self.hypotheses + tuple(h for h in hypotheses if h not in self.hypotheses),
                       self.premises + tuple(p for p in premises if p not in self.premises))


@dataclass(frozen=True)
class Link:
    """One relation of a chain: ``previous REL expr``.

    ``lhs``/``rhs`` are what the checkers check (for a definition, the
    definition's right side against symcnn's own formula; otherwise the
    previous expression and this one); ``checks`` maps each checker to its
    verdict and ``detail`` to how it reached it (or why it could not)."""

    relation: str
    expr: sp.Basic
    reason: Any  # words, or Prose (words with typeset math)
    lhs: sp.Basic
    rhs: sp.Basic
    context: Context
    checks: Mapping[str, str] = field(default_factory=dict)
    detail: Mapping[str, str] = field(default_factory=dict)
    uses: tuple[str, ...] = ()  # names of the premises this link substitutes
    #: side conditions checked with the link (a proved fact used at index q needs q >= its start)
    side: tuple[tuple[sp.Basic, str, sp.Basic], ...] = ()
    #: the premises used, as the kernel resolved them: (kind, name, index), kind "def", "fact", "hyp" or
    #: "induction" (the induction hypothesis)
    at: tuple[tuple[str, str, Any], ...] = ()

    def confirmed(self) -> bool:
        """At least one checker proved it and none failed it (sympy "failed": it could not
        confirm the relation, or a side is undefined somewhere the hypotheses allow; Z3
        "failed": it found a counterexample).  Z3's "unknown" leaves the link to sympy."""
        values = list(self.checks.values())
        return PROVED in values and FAILED not in values

    def by(self) -> tuple[str, ...]:
        return tuple(k for k, v in self.checks.items() if v == PROVED)


@dataclass(frozen=True)
class Step:
    """A numbered step: prose, and a chain first REL e1 REL e2 ... (or no chain).

    kind: ``chain`` (checked relations), ``definition`` (a premise admitted
    after comparison with symcnn's code), ``hypothesis`` (a premise that is one
    of the theorem's hypotheses), ``conclusion`` (an induction's conclusion,
    confirmed by its base case and step), ``computation`` (a fact computed by
    symcnn: a table, sympy.stats), ``prose`` (words only)."""

    label: Prose
    text: Prose
    first: sp.Basic | None = None
    links: tuple[Link, ...] = ()
    kind: str = "chain"
    assume: tuple[sp.Basic, ...] = ()  # local hypotheses of this step ("for N >= 2")
    #: for a conclusion: variable, start, base and step indices; for an inductive step: variable, start, the
    #: claim's two sides at the variable, and its end (``upto``)
    induction: Mapping[Any, Any] | None = None
    #: for a definition: its name, the variable it is stated for (or None) and the call of symcnn's code it was
    #: compared with; for a hypothesis used as a premise: its name
    premise: Mapping[Any, Any] | None = None

    @property
    def exprs(self) -> list[sp.Basic]:
        return ([self.first] if self.first is not None else []) + [l.expr for l in self.links]

    @property
    def last(self) -> Any:
        return self.links[-1].expr if self.links else self.first

    def composite(self) -> str | None:
        """The relation between the first and the last expression the chain establishes."""
        return compose([l.relation for l in self.links])


def compose(relations: Any) -> str | None:
    """= and < give <; = and <= give <=; a chain that turns direction gives nothing."""
    rels = [r for r in relations if r != "="]
    if not rels:
        return "=" if relations else None
    if "!=" in rels:
        return "!=" if rels == ["!="] and len(relations) == 1 else None
    ups = {r for r in rels if r in ("<", "<=")}
    downs = {r for r in rels if r in (">", ">=")}
    if ups and downs:
        return None
    if ups:
        return "<" if "<" in ups else "<="
    return ">" if ">" in downs else ">="


def implies(established: str | None, wanted: str) -> bool:
    if established is None:
        return False
    if established == wanted:
        return True
    return (established, wanted) in {("<", "<="), (">", ">="), ("<", "!="), (">", "!=")}


@dataclass(frozen=True)
class Obligation:
    """One relation the theorem states: lhs REL rhs, under the theorem's
    hypotheses and ``assume``.  ``step`` is the index of the step that
    discharges it (a chain whose endpoints are exactly lhs and rhs)."""

    lhs: sp.Basic
    relation: str
    rhs: sp.Basic
    text: Prose = Prose()  # noqa: RUF009  (Prose is a frozen dataclass: an immutable default)
    assume: tuple[sp.Basic, ...] = ()
    step: int | None = None


@dataclass(frozen=True)
class Hypothesis:
    """A hypothesis as stated: its formal relation (what the checkers use), or
    ``None`` for a modelling assumption stated in words (what the definitions
    enforce), and how it reads."""

    relation: sp.Basic | None
    text: Prose


@dataclass(frozen=True)
class Proof:
    slug: str
    title: str
    statement: Prose
    hypotheses: tuple[Hypothesis, ...]
    obligations: tuple[Obligation, ...]
    steps: tuple[Step, ...]
    problem: str = ""
    checkers: tuple[str, ...] = CHECKERS
    params: tuple[sp.Basic, ...] = ()
    #: why the kernel did not certify it (empty when it did, or before it was judged)
    refused: str = ""

    def __repr__(self) -> str:
        return f"<Proof {self.slug}: {'verified' if self.verified else 'NOT verified'}, {len(self.steps)} steps>"

    @property
    def links(self) -> list[Link]:
        """Every checked relation (premises taken from the hypotheses are stated, not checked)."""
        return [l for s in self.steps if s.kind != "hypothesis" for l in s.links]

    @property
    def discharged(self) -> bool:
        return all(o.step is not None for o in self.obligations) and bool(self.obligations)

    @property
    def verified(self) -> bool:
        """True only for a proof the kernel (:mod:`.kernel`) certified: it made this very object after every
        rule's side conditions held, every link was confirmed and every obligation discharged.  A copy or a
        changed proof is not certified; :func:`.kernel.recheck` judges it afresh."""
        return self in CERTIFIED

    def summary(self) -> dict[Any, Any]:
        """How many relations each combination of checkers confirmed (the numbers the printers state)."""
        out = {"relations": 0, "confirmed": 0, "by_all": 0, "sympy_only": 0, "z3_only": 0, "unconfirmed": 0,
               "refuted": 0, "z3_assisted": 0}
        for l in self.links:
            out["relations"] += 1
            by = set(l.by())
            if "z3" in by and "sympy's closed form" in l.detail.get("z3", ""):
                out["z3_assisted"] += 1  # Z3 read a derivative, limit, integral or sum as sympy evaluated it
            if l.confirmed():
                out["confirmed"] += 1
                if by >= set(self.checkers):
                    out["by_all"] += 1
                elif by == {"sympy"}:
                    out["sympy_only"] += 1
                elif by == {"z3"}:
                    out["z3_only"] += 1
            else:
                out["unconfirmed"] += 1
            if l.checks.get("z3") == FAILED:
                out["refuted"] += 1
        return out

    def with_link(self, step_index: int, link_index: int, link: Link) -> Proof:
        """The same proof with one link replaced (the mutation tests use it)."""
        steps = list(self.steps)
        links = list(steps[step_index].links)
        links[link_index] = link
        steps[step_index] = replace(steps[step_index], links=tuple(links))
        return replace(self, steps=tuple(steps))
