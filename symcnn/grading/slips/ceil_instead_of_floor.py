"""Output sizes rounded up where the formula floors (the whole network re-derived so)."""

from __future__ import annotations

from ...errors import SymcnnError
from ..lookup import value_of
from . import Slip


def test(ctx):
    c = ctx.claim
    try:
        t2 = ctx.grader.table(c.network, ctx.table.convention.replace(division="ceil"))
        if ctx.matches(value_of(t2, c.subject, c.quantity)):
            return "output sizes are floor((W - F + 2P)/S) + 1"
    except SymcnnError:
        return None
    return None


SLIP = Slip("ceil-instead-of-floor", "output sizes rounded up where the formula floors", order=40,
            applies=lambda ctx: ctx.claim.quantity in ("output", "activations", "macs", "params", "weights", "flops")
            or ctx.claim.subject == "total", test=test)
