"""The theorem registry: ``prove(slug)`` builds and verifies a proof.

>>> sorted(THEOREMS)[:3]
['activation-derivatives', 'adam-bias-correction', 'depthwise-separable-cost']
>>> prove("receptive-field").verified
True
>>> prove("receptive-field", claim="N*F - N")
Traceback (most recent call last):
...
symcnn.proof.ProofError: receptive-field: the base case of the claim r_N = N*F - N ends at F, not at the claim F - 1
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ..errors import SymcnnError
from ..proof import Proof, ProofError


@dataclass(frozen=True)
class Theorem:
    slug: str
    title: str
    build: Callable[..., Proof]
    claim_help: str = ""  # what --claim replaces, when the theorem takes one


THEOREMS: dict[str, Theorem] = {}


def register(slug: str, title: str, claim_help: str = ""):
    def wrap(fn):
        THEOREMS[slug] = Theorem(slug, title, fn, claim_help)
        return fn

    return wrap


@lru_cache(maxsize=None)
def prove(slug: str, claim: str | None = None) -> Proof:
    """Build and verify the proof of theorem ``slug``; with ``claim``, try to
    prove that closed form instead (a false one raises :class:`ProofError`)."""
    _load()
    if slug not in THEOREMS:
        import difflib

        close = difflib.get_close_matches(slug, THEOREMS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else "; 'symcnn prove --list' shows them"
        raise SymcnnError(f"no theorem {slug!r}{hint}")
    thm = THEOREMS[slug]
    if claim is not None:
        if not thm.claim_help:
            raise SymcnnError(f"theorem {slug!r} takes no --claim")
        return thm.build(claim=claim)
    return thm.build()


def _load():
    from . import receptive, padding, costs, training  # noqa: F401,I001  (registers the theorems, in this order)


def slugs() -> list[str]:
    _load()
    return list(THEOREMS)


_load()

__all__ = ["THEOREMS", "Theorem", "prove", "slugs", "ProofError"]
