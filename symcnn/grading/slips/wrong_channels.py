"""A wrong channel count: the layer's figure recomputed with another number of input or
output channels (one the network uses elsewhere, or half or double the right one)."""

from __future__ import annotations

import sympy as sp

from ...errors import SymcnnError
from ...layers.base import Shape
from . import Slip, derive_cached, derived_value


def _candidates(ctx, right: int) -> list[int]:
    counts = {int(r.output.c) for r in ctx.table.rows if r.output.c.is_Integer}
    counts |= {int(ctx.table.input.c), right * 2, max(1, right // 2)}
    return sorted(c for c in counts if c != right and c > 0)


def test(ctx):
    row, c = ctx.row, ctx.claim
    args = dict(row.layer.args)
    kind = row.layer.layer_kind
    cin = int(row.input.c) if row.input.layout == "chw" else None
    if "out" in args and isinstance(args["out"], sp.Integer):
        for n in _candidates(ctx, int(args["out"])):
            try:
                d = derive_cached(kind, {**args, "out": sp.Integer(n)}, row.input, ctx.table.convention)
            except (SymcnnError, ValueError):
                continue
            if ctx.matches(derived_value(d, c.quantity)):
                return f"{c.subject} has {int(args['out'])} output channels; the figure is right for {n}"
    if cin is not None and c.quantity in ("weights", "params", "macs") and row.input.h.is_Integer:
        for n in _candidates(ctx, cin):
            if "g" in args and args["g"] != 1:
                continue
            try:
                d = derive_cached(kind, args, Shape(sp.Integer(n), row.input.h, row.input.w), ctx.table.convention)
            except (SymcnnError, ValueError):
                continue
            if ctx.matches(derived_value(d, c.quantity)):
                return f"{c.subject} reads {cin} input channels; the figure is right for {n}"
    return None


SLIP = Slip("wrong-channels", "a wrong channel count (input or output) in the layer's figure", order=35,
            needs_row=True, applies=lambda ctx: ctx.claim.quantity in ("weights", "params", "macs", "biases",
                                                                          "output", "activations"), test=test)
