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
    cin = int(row.input.c) if row.input.layout == "chw" else None
    tries = _tries(ctx, c.quantity)
    if c.factors:  # the working names the count it used: tried first (it may fit either way by coincidence)
        tries = sorted(tries, key=lambda t: t[1] not in c.factors)
    for which, n, value in tries:
        if value is not None and ctx.matches(value):
            return (f"{c.subject} has {int(args['out'])} output channels; the figure is right for {n}" if which == "out"
                    else f"{c.subject} reads {cin} input channels; the figure is right for {n}")
    return None


_TRIES: dict = {}


def _tries(ctx, quantity: str) -> list[tuple[str, int, object]]:
    """(which, count, the layer's figure with that count): output channels, then input channels; the same for every
    figure claimed of this layer and quantity, so recomputed once (a sheet of wrong figures costs one search each)."""
    row = ctx.row
    key = (id(ctx.table), row.name, quantity)
    found = _TRIES.get(key)
    if found is not None and found[0] is ctx.table:
        return found[1]
    args = dict(row.layer.args)
    tries = []
    if "out" in args and isinstance(args["out"], sp.Integer):
        tries += [("out", n) for n in _candidates(ctx, int(args["out"]))]
    cin = int(row.input.c) if row.input.layout == "chw" else None
    if cin is not None and quantity in ("weights", "params", "macs") and row.input.h.is_Integer and \
            args.get("g", 1) == 1:
        tries += [("in", n) for n in _candidates(ctx, cin)]
    out = [(which, n, _value_with(ctx, row, args, which, n, quantity)) for which, n in tries]
    if len(_TRIES) > 20_000:
        _TRIES.clear()
    _TRIES[key] = (ctx.table, out)  # the table kept with its figures: its id is never another table's meanwhile
    return out


def _value_with(ctx, row, args, which: str, n: int, quantity: str):
    try:
        if which == "out":
            d = derive_cached(row.layer.layer_kind, {**args, "out": sp.Integer(n)}, row.input, ctx.table.convention)
        else:
            d = derive_cached(row.layer.layer_kind, args, Shape(sp.Integer(n), row.input.h, row.input.w),
                              ctx.table.convention)
        return derived_value(d, quantity)
    except (SymcnnError, ValueError):
        return None


SLIP = Slip("wrong-channels", "a wrong channel count (input or output) in the layer's figure", order=35,
            needs_row=True, applies=lambda ctx: ctx.claim.quantity in ("weights", "params", "macs", "biases",
                                                                          "output", "activations"), test=test)
