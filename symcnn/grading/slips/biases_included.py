"""Biases counted where only the weights were asked for: a figure claimed as weights that is the
layer's (or the network's) parameters, weights and biases together."""

from __future__ import annotations

from . import Slip


def test(ctx):
    c = ctx.claim
    params = ctx.row.params if ctx.row is not None else ctx.table.totals["params"]
    biases = ctx.row.biases if ctx.row is not None else ctx.table.totals["biases"]
    if biases != 0 and ctx.matches(params):
        where = "the network's" if ctx.row is None else f"{c.subject}'s"
        return f"this is {where} parameters with its {int(biases):,} biases; the weights alone are {int(ctx.true):,}"
    return None


SLIP = Slip("biases-included", "biases added where only the weights were asked for", order=26,
            applies=lambda ctx: ctx.claim.quantity == "weights" and
            (ctx.row is not None or ctx.claim.subject == "total"), test=test)
