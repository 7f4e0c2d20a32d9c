"""One digit of the figure dropped in copying it (1,677,216 for 16,777,216)."""

from __future__ import annotations

import sympy as sp

from . import Slip


def test(ctx):
    c = ctx.claim
    if c.value.rounded or c.value.value.denominator != 1:
        return None
    true = str(abs(int(ctx.true)))
    written = str(abs(int(c.value.value)))
    if len(written) != len(true) - 1 or len(true) < 3:
        return None
    for i in range(len(true)):
        if true[:i] + true[i + 1:] == written:
            return f"a {true[i]} is missing: the figure is {int(ctx.true):,}"
    return None


SLIP = Slip("digit-dropped", "one digit of the figure dropped in copying it", order=11,
            applies=lambda ctx: ctx.claim.quantity != "output" and sp.sympify(ctx.true).is_Integer, test=test)
