"""A fully connected layer fed a map of another spatial size: 6,400 = 5x5x256 inputs where the
map is 6x6x256 (the flatten's input worked out wrongly, or taken from another variant)."""

from __future__ import annotations

from . import Slip


def test(ctx):
    row, t, c = ctx.row, ctx.table, ctx.claim
    flats = [r for r in t.rows if r.kind == "flatten"]
    if not flats or not flats[0].input.h.is_Integer:
        return None
    before = flats[0].input
    first_fc = next((r for r in t.rows if r.kind == "linear"), None)
    if first_fc is not row:
        return None
    size = int(before.h)
    for s in range(1, 2 * size + 3):
        if s == size:
            continue
        n_in = before.c * s * s
        w = n_in * row.output.c
        value = {"weights": w, "params": w + row.biases, "macs": w}[c.quantity]
        if c.value.matches(value):
            return (f"{c.subject} is fed a {s}x{s}x{before.c} map ({int(n_in):,} inputs); the map before it is "
                    f"{size}x{size}x{before.c} ({int(before.c * size * size):,} inputs)")
    return None


SLIP = Slip("fc-other-map", "a fully connected layer fed a map of another spatial size", order=22, needs_row=True,
            applies=lambda ctx: ctx.claim.quantity in ("weights", "params", "macs") and ctx.row is not None and
            ctx.row.kind == "linear",
            test=test)
