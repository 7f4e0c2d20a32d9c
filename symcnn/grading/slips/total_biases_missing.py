"""Biases left out of a total: the claimed total is short by exactly the biases of one layer,
of a family of layers (every module's pool projection), or of one kind of layer."""

from __future__ import annotations

import re

import sympy as sp

from . import Slip


def _groups(table):
    rows = [r for r in table.rows if r.biases != 0]
    yield "every layer", rows
    for r in rows:
        yield r.name, [r]
    families: dict[str, list] = {}
    kinds: dict[str, list] = {}
    for r in rows:
        families.setdefault(re.sub(r"\d+$", "", r.name.split(".")[-1]), []).append(r)
        kinds.setdefault(r.kind, []).append(r)
    for name, rs in families.items():
        if len(rs) > 1:
            yield f"every '{name}' layer", rs
    for name, rs in kinds.items():
        yield f"every {name} layer", rs


def test(ctx):
    c = ctx.claim
    true = sp.sympify(ctx.true)
    for what, rows in _groups(ctx.table):
        short = sum((r.biases for r in rows), sp.Integer(0))
        if short != 0 and c.value.matches(true - short) and not c.value.matches(true):
            if what == "every layer":
                return f"the total leaves out all {int(short):,} biases"
            return f"the total is {int(short):,} short: the biases of {what}"
    return None


SLIP = Slip("total-biases-missing", "biases left out of a total (one layer's, one family's, or all)", order=25,
            applies=lambda ctx: ctx.claim.subject == "total" and ctx.claim.quantity == "params", test=test)
