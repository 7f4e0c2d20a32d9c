"""Two neighbouring digits swapped in copying the figure (10,146 for 10,164)."""

from __future__ import annotations

import sympy as sp

from . import Slip


def test(ctx):
    c = ctx.claim
    true = str(abs(int(ctx.true)))
    if c.value.tolerance != 0 or c.value.value.denominator != 1:
        return None
    written = str(abs(int(c.value.value)))
    if len(written) != len(true) or written == true:
        return None
    diff = [i for i in range(len(true)) if true[i] != written[i]]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and true[diff[0]] == written[diff[1]] and \
            true[diff[1]] == written[diff[0]]:
        return f"the digits {true[diff[0]]}{true[diff[1]]} are swapped: the figure is {int(ctx.true):,}"
    return None


SLIP = Slip("digits-transposed", "two neighbouring digits swapped in copying the figure", order=12,
            applies=lambda ctx: ctx.claim.quantity != "output" and sp.sympify(ctx.true).is_Integer, test=test)
