"""The theorem registry: ``prove(slug)`` builds and verifies a proof.

>>> sorted(THEOREMS)[:3]
['activation-derivatives', 'adam-bias-correction', 'depthwise-separable-cost']
>>> prove("receptive-field").verified
True
>>> prove("receptive-field", claim="N*F - N")
Traceback (most recent call last):
...
symcnn.proof.model.ProofError: receptive-field: step 8 (Base case n = 1.): 1 + F - 1 = F - 1 (simplify) is not ...
"""

from __future__ import annotations

from functools import cache

from ..errors import SymcnnError
from ..proof import CHECKERS, Proof, ProofError
from ..proof.checking import available, missing
from . import costs, padding, receptive, training
from .registry import THEOREMS, Theorem, register

#: the theorem modules (importing one registers its theorems), in the order the theorems are listed
MODULES = (receptive, padding, costs, training)


def prove(slug: str, claim: str | None = None, checkers=None) -> Proof:
    """Build and verify the proof of theorem ``slug``; with ``claim``, try to
    prove that closed form instead (a false one raises :class:`ProofError`).
    ``checkers``: "sympy", "z3" or both (every link is checked by each); by
    default every checker installed here (sympy alone where Z3 is not)."""
    checkers = tuple(c for c in CHECKERS if c in (available() if checkers is None else checkers))
    if not checkers:
        raise SymcnnError("choose at least one checker: sympy, z3")
    why = missing(checkers)
    if why:
        raise SymcnnError(why)
    return _prove(slug, claim, checkers)


@cache
def _prove(slug: str, claim: str | None, checkers: tuple) -> Proof:
    if slug not in THEOREMS:
        import difflib

        close = difflib.get_close_matches(slug, THEOREMS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else "; 'symcnn prove --list' shows them"
        raise SymcnnError(f"no theorem {slug!r}{hint}")
    thm = THEOREMS[slug]
    if claim is not None:
        if not thm.claim_help:
            raise SymcnnError(f"theorem {slug!r} takes no --claim")
        return thm.build(claim=claim, checkers=checkers)
    return thm.build(checkers=checkers)


def slugs() -> list[str]:
    """The theorems, module by module (as MODULES orders them), each module's in the order it registers them."""
    order = {m.__name__: k for k, m in enumerate(MODULES)}
    return sorted(THEOREMS, key=lambda slug: order.get(THEOREMS[slug].build.__module__, len(order)))



# the registry in MODULES' order (the modules are imported alphabetically; proofs/ and --all list this order)
_ORDERED = {slug: THEOREMS[slug] for slug in slugs()}
THEOREMS.clear()
THEOREMS.update(_ORDERED)

__all__ = ["MODULES", "THEOREMS", "ProofError", "Theorem", "prove", "register", "slugs"]
