"""A group of three digits dropped from the number (1,384,576 written as 1,384)."""

from __future__ import annotations

import sympy as sp

from . import Slip


def _dropped_groups(n: int) -> list[int]:
    s = f"{abs(int(n)):,}".split(",")
    out = []
    for i in range(len(s)):
        rest = s[:i] + s[i + 1:]
        if rest:
            out.append(int("".join(rest)))
    return out


def test(ctx):
    if any(ctx.claim.value.matches(v) for v in _dropped_groups(int(ctx.true))):
        return f"the number is {int(ctx.true):,}; the claim drops one group of digits"
    return None


SLIP = Slip("digit-group-dropped", "a group of three digits dropped from the number", order=10,
            applies=lambda ctx: ctx.claim.quantity != "output" and sp.sympify(ctx.true).is_Integer, test=test)
