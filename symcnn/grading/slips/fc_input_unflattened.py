"""A fully connected layer's input counted as C instead of C x H x W (or as its own width)."""

from __future__ import annotations

from . import Slip


def test(ctx):
    row, t, c = ctx.row, ctx.table, ctx.claim
    prev = row.input
    src = [r for r in t.rows if r.kind == "flatten"]
    before = src[-1].input if src else None
    for n_in in ([before.c] if before is not None else []) + [row.output.c]:
        w = n_in * row.output.c
        value = {"weights": w, "params": w + row.biases, "macs": w}[c.quantity]
        if c.value.matches(value):
            return (f"{c.subject} takes {int(prev.c):,} inputs"
                    + (f" ({before.c} x {before.h} x {before.w} flattened)" if before is not None else ""))
    return None


SLIP = Slip("fc-input-unflattened",
            "a fully connected layer's input counted as C instead of C x H x W (or as its own width)", order=20,
            kind_specific=True, applies=lambda ctx: ctx.claim.quantity in ("weights", "params", "macs"), test=test)
