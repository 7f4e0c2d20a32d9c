"""What a proof says about its checking, in words every format shares: which checkers confirmed each relation,
the summary sentence and "QED", all computed from the verdicts the proof carries (never printed as constants).

Each format's printer prints the proof itself (``text.py``, ``markdown.py``, ``latex.py``, ``html.py`` with MathML,
``json.py``); formulas and prose are set by ``tex.py`` (LaTeX) and ``plaintext.py`` (Unicode).

>>> from symcnn.theorems import prove
>>> summary_sentence(prove("same-padding")).startswith("All ")
True
"""
from __future__ import annotations

import re

from ..proof.model import ASSUMED, FAILED, NOT_RUN, PROVED, UNKNOWN, Link, Proof
from .plaintext import TEXT_REL, pretty_of, reason_text
from .tex import LATEX_REL

CHECKER_NAMES = {"sympy": "sympy", "z3": "Z3"}

# -- expressions ----------------------------------------------------------------------------------------------------


# -- prose -----------------------------------------------------------------------------------------------------------


# -- what the checkers said -------------------------------------------------------------------------------------------

def assumed(link: Link) -> bool:
    return bool(link.checks) and all(v == ASSUMED for v in link.checks.values())


def reason_with_checks(link: Link, checkers) -> str:
    """The reason and what the checkers said: 'simplify; sympy ✓, Z3 ✓' (a hypothesis is just that)."""
    words = reason_text(link.reason)
    return words if assumed(link) else f"{words}; {verdict_words(link, checkers)}"


def verdict_words(link: Link, checkers) -> str:
    """'sympy ✓, Z3 ✓' / 'sympy ✓, Z3 ?' (unknown) / 'assumed'."""
    if assumed(link):
        return "a hypothesis"
    marks = {PROVED: "✓", UNKNOWN: "?", FAILED: "✗", NOT_RUN: "–"}
    return ", ".join(f"{CHECKER_NAMES[c]} {marks.get(link.checks.get(c, NOT_RUN), '?')}" for c in checkers)


def summary_sentence(proof: Proof) -> str:
    """A true sentence about what was checked, computed from the verdicts."""
    s = proof.summary()
    names = " and ".join(CHECKER_NAMES[c] for c in proof.checkers)
    total = s["relations"]
    if not proof.verified:
        missing = [o for o in proof.obligations if o.step is None]
        why = []
        if s["unconfirmed"]:
            why.append(f"{s['unconfirmed']} of {total} relations are not confirmed")
        if missing:
            why.append(f"{len(missing)} of {len(proof.obligations)} statements are not discharged")
        if proof.refused:
            why.append(f"the kernel refused it ({proof.refused.rstrip('.')})")
        return "Not proved: " + "; ".join(why or ["the kernel did not certify it"]) + "."
    parts = []
    if len(proof.checkers) == 1 or s["by_all"] == total:
        parts.append(f"All {total} relations were confirmed by {names}")
        if "z3" not in proof.checkers:
            from ..proof.checking import available

            parts.append("Z3 did not check them (" + ("not asked for" if "z3" in available() else
                                                      "it is not installed here, as in a browser") + ")")
    else:
        parts.append(f"{s['confirmed']} of {total} relations were confirmed: {s['by_all']} by {names}")
        if s["sympy_only"]:
            parts.append(f"{s['sympy_only']} by sympy alone (Z3 could not decide them)")
        if s["z3_only"]:
            parts.append(f"{s['z3_only']} by Z3 alone (sympy could not confirm them)")
    if s["z3_assisted"]:
        parts.append(f"Z3 read {s['z3_assisted']} of them with a derivative, limit, integral or sum in the closed "
                     "form sympy gave it")
    n = len(proof.obligations)
    return "; ".join(parts) + f"; {n} of {n} statement{'s' if n != 1 else ''} discharged."


def qed(proof: Proof) -> str:
    return "QED." if proof.verified else "NOT PROVED."


# -- text -------------------------------------------------------------------------------------------------------------

def _statement_lines(proof: Proof, math) -> list[str]:
    out = []
    for o in proof.obligations:
        line = f"{math(o.lhs)} {TEXT_REL[o.relation] if math is pretty_of else LATEX_REL[o.relation]} {math(o.rhs)}"
        out.append(line)
    return out


# -- Markdown -------------------------------------------------------------------------------------------------------


# -- LaTeX ----------------------------------------------------------------------------------------------------------


# -- HTML with MathML -----------------------------------------------------------------------------------------------


# -- JSON: the certificate --------------------------------------------------------------------------------------------


_PROGRAMMER = re.compile(r"\*\*|(?<=\w)\*(?=\w)|>=|<=|sqrt\(")


def programmer_notation(text: str) -> list[str]:
    """Python operators left in rendered prose (the tests use it)."""
    return _PROGRAMMER.findall(text)
