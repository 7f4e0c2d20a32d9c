"""Another network's total quoted (every zoo network is tried)."""

from __future__ import annotations

from ...errors import SymcnnError
from ..lookup import value_of
from . import Slip


def test(ctx):
    from ... import zoo

    c = ctx.claim
    for name in zoo.names():
        if name == c.network:
            continue
        try:
            v = value_of(ctx.grader.table(name, ctx.table.convention), "total", c.quantity)
        except SymcnnError:
            continue
        if c.value.matches(v):
            return f"this is {name}'s total, not {c.network}'s"
    return None


SLIP = Slip("wrong-network", "another network's figure quoted", order=60,
            applies=lambda ctx: ctx.claim.subject == "total" and ctx.claim.quantity != "output", test=test)
