"""The layer's cost or weights computed with another kernel size."""

from __future__ import annotations

import sympy as sp

from ...errors import SymcnnError
from . import Slip, derived_value


def test(ctx):
    row, c = ctx.row, ctx.claim
    k = row.layer.arg_dict["k"][0]
    for k2 in (1, 3, 5, 7, 11):
        if k2 == k:
            continue
        try:
            d2 = ctx.again(k=sp.Integer(k2), p=sp.Integer(k2 // 2))
        except SymcnnError:
            continue
        value = derived_value(d2, c.quantity)
        # keep the true output size: only the kernel factor changes
        value = value * (row.output.h * row.output.w) / (d2.output.h * d2.output.w) \
            if c.quantity == "macs" else value
        if c.value.matches(value):
            return f"{c.subject} has a {k}x{k} kernel; the claim matches a {k2}x{k2} kernel"
    return None


SLIP = Slip("wrong-kernel", "the layer's cost or weights computed with another kernel size", order=30,
            kind_specific=True, applies=lambda ctx: ctx.claim.quantity in ("weights", "params", "macs"), test=test)
