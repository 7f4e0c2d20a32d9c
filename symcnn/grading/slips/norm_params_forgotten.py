"""Normalisation layers left out of a parameter count: the claimed figure is short by exactly the
learned scale and shift (gamma and beta, two per channel) of the batch, layer or group norms in what
the claim covers (the whole network, a stage such as ResNet's conv4_x, or a module)."""

from __future__ import annotations

import sympy as sp

from ..lookup import group_rows
from . import Slip

NORMS = ("batchnorm", "layernorm", "groupnorm")


def _covered(ctx):
    """The rows the claim's figure sums over."""

    c, t = ctx.claim, ctx.table
    if c.subject == "total":
        return list(t.rows)
    inside = group_rows(t, c.subject)
    if inside:
        return inside
    return [r for r in t.rows if r.name.startswith(c.subject + ".")]  # a module with a merge row of its own


def test(ctx):
    c = ctx.claim
    norms = [r for r in _covered(ctx) if r.kind in NORMS]
    short = sum((r.params if c.quantity == "params" else r.weights for r in norms), sp.Integer(0))
    true = sp.sympify(ctx.true)
    if short == 0 or not c.value.matches(true - short) or c.value.matches(true):
        return None
    kinds = sorted({r.kind for r in norms})
    return (f"the {' and '.join(kinds)} layers' {int(short):,} parameters (a scale and a shift per channel, "
            f"in {len(norms)} layers) are left out; with them the figure is {int(true):,}")


SLIP = Slip("norm-params-forgotten",
            "the normalisation layers' parameters (scale and shift per channel) left out of a count", order=26,
            applies=lambda ctx: ctx.claim.quantity in ("params", "weights") and ctx.row is None
            and ctx.claim.subject != "input", test=test)
