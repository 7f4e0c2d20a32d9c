"""Running the checkers: one link, a whole proof, and the obligations.

Judging a finished proof afresh is the kernel's (:func:`.kernel.recheck`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import check_sympy, check_z3
from .display import canon
from .model import CHECKERS, FAILED, NOT_RUN, PROVED, UNKNOWN, Context, Link, Obligation, implies

_RUN = {"sympy": check_sympy.check, "z3": check_z3.check}


def available() -> tuple[str, ...]:
    """The checkers installed here: sympy always; Z3 where the z3-solver package installs (not in a browser's
    Python, which has no build of it)."""
    import importlib.util

    return ("sympy", "z3") if importlib.util.find_spec("z3") is not None else ("sympy",)


def missing(checkers: Any) -> str | None:
    """Why a checker asked for cannot run here, or None."""
    if "z3" in checkers and "z3" not in available():
        return ("the Z3 checker is not installed here (pip install z3-solver; it has no build for a browser's "
                "Python): choose --checker sympy")
    return None


def _combine(verdicts: Any) -> str:
    verdicts = list(verdicts)
    if FAILED in verdicts:
        return FAILED
    if UNKNOWN in verdicts:
        return UNKNOWN
    return PROVED


def check_relation(lhs: Any, relation: str, rhs: Any, ctx: Context, checkers: Any = CHECKERS,
                   side: Any = ()) -> tuple[dict[str, str], dict[str, str]]:
    """Every checker's verdict and detail on ``lhs RELATION rhs`` (and its side conditions)."""
    checks, detail = {}, {}
    for name in CHECKERS:
        if name not in checkers:
            checks[name], detail[name] = NOT_RUN, ""
            continue
        results = [_RUN[name](lhs, relation, rhs, ctx)]
        results += [_RUN[name](a, r, b, ctx) for a, r, b in side]
        verdict = _combine(v for v, _ in results)
        if name == "sympy" and verdict == UNKNOWN:
            verdict = FAILED
        checks[name] = verdict
        bad = [d for v, d in results if v != PROVED]
        detail[name] = bad[0] if bad else results[0][1]
    return checks, detail


def check_link(link: Link, checkers: Any = CHECKERS) -> Link:
    checks, detail = check_relation(link.lhs, link.relation, link.rhs, link.context, checkers, link.side)
    return replace(link, checks=checks, detail=detail)


def conclusion_checks(steps: Any, base: int, step: int,
                      checkers: Any = CHECKERS) -> tuple[dict[str, str], dict[str, str]]:
    """An induction's conclusion holds for a checker when that checker proved every
    link of the base case and of the inductive step."""
    links = list(steps[base].links) + list(steps[step].links)
    checks, detail = {}, {}
    for name in CHECKERS:
        if name not in checkers:
            checks[name], detail[name] = NOT_RUN, ""
            continue
        vs = [l.checks.get(name, NOT_RUN) for l in links]
        if vs and all(v == PROVED for v in vs):
            checks[name], detail[name] = PROVED, f"base case (step {base + 1}) and inductive step (step {step + 1})"
        elif FAILED in vs and name == "z3":
            checks[name], detail[name] = FAILED, "a link of the base case or the step was refuted"
        elif name == "sympy":
            checks[name], detail[name] = FAILED, "a link of the base case or the step was not confirmed"
        else:
            checks[name], detail[name] = UNKNOWN, "not every link of the base case and the step was decided"
    return checks, detail


def _key(e: Any) -> Any:
    return canon(e)


def discharging_step(ob: Obligation, steps: Any) -> int | None:
    """The first confirmed step whose endpoints are exactly the obligation's, with a relation
    that implies it and no hypothesis the obligation does not make."""
    lhs, rhs = _key(ob.lhs), _key(ob.rhs)
    allowed = {_key(a) for a in ob.assume}
    for i, s in enumerate(steps):
        if s.kind not in ("chain", "conclusion", "computation") or not s.links:
            continue
        if _key(s.first) != lhs or _key(s.last) != rhs:
            continue
        if not implies(s.composite(), ob.relation):
            continue
        if not {_key(a) for a in s.assume} <= allowed:
            continue
        if all(l.confirmed() for l in s.links):
            return i
    return None
