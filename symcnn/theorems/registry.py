"""The theorem registry: each theorem module registers its builder here (it never imports the package)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..proof import Proof


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
