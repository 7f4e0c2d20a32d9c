"""Figures for the keys, as data: per-layer bar charts of a derived table (parameters and
multiply-adds, the receptive field and jump, the output size), and the Inception module's branch
costs naive against reduced.  Every value is a number of the derived table; the printers draw them.

>>> import symcnn
>>> charts = layer_charts(symcnn.table("lenet5"))
>>> [c.caption.split(":")[0] for c in charts]  # doctest: +NORMALIZE_WHITESPACE
['Parameters and multiply-adds per layer', 'Receptive field and jump per layer',
 'Output size per convolution and pooling layer']
"""

from __future__ import annotations

import sympy as sp

from ..derive import Table
from .document import BarChart


def _numeric(values) -> bool:
    return all(isinstance(v, sp.Basic) and v.is_number for v in values)


def layer_charts(table: Table) -> list[BarChart]:
    """The per-layer charts of a table with numbers (a symbolic table has none)."""
    net = table.network.name
    out: list[BarChart] = []
    rows = [r for r in table.rows if r.params != 0 or r.macs != 0]
    if rows and _numeric([v for r in rows for v in (r.params, r.macs)]):
        out.append(BarChart(f"Parameters and multiply-adds per layer: {net} (log scale)",
                            tuple(r.name for r in rows),
                            (("parameters", tuple(r.params for r in rows)), ("MACs", tuple(r.macs for r in rows)))))
    from ..layers.base import IDENTITY

    # the layers with a window (convolutions and pools): where the field, the jump and the map size change
    windowed = [r for r in table.rows if r.field is not None and r.layer is not None and r.derivation is not None
                and r.derivation.window is not None and r.derivation.window is not IDENTITY and r.kind != "flatten"]
    rows = windowed
    fields = [r.field for r in rows if r.field is not None]  # every windowed row has one
    if rows and _numeric([v for f in fields for v in (f.rh, f.jh)]):
        out.append(BarChart(f"Receptive field and jump per layer: {net} (log scale)", tuple(r.name for r in rows),
                            (("receptive field", tuple(f.rh for f in fields)),
                             ("jump", tuple(f.jh for f in fields)))))
    rows = [r for r in windowed if r.output.layout == "chw" and r.input.h != 1]
    if rows and _numeric([r.output.h for r in rows]):
        out.append(BarChart(f"Output size per convolution and pooling layer: {net} (height of the map)",
                            tuple(r.name for r in rows),
                            (("output height", tuple(r.output.h for r in rows)),), log=False))
    return out


def branch_chart(naive: Table, reduced: Table, quantity: str = "macs") -> BarChart:
    """The Inception module's cost per branch, naive against reduced (rows grouped by branch prefix)."""
    def per_branch(t: Table) -> dict[str, sp.Expr]:
        out: dict[str, sp.Expr] = {}
        for r in t.rows:
            parts = r.name.split(".")
            if len(parts) >= 3:
                out[parts[1]] = out.get(parts[1], sp.Integer(0)) + getattr(r, quantity)
        return out

    a, b = per_branch(naive), per_branch(reduced)
    keys = sorted(set(a) | set(b))
    members: dict[str, list[str]] = {}
    for t in (naive, reduced):
        for r in t.rows:
            parts = r.name.split(".")
            if len(parts) >= 3 and parts[-1] not in members.setdefault(parts[1], []):
                members[parts[1]].append(parts[-1])
    names = [f"{k} ({', '.join(members.get(k, []))})" for k in keys]
    label = {"macs": "Multiply-adds", "params": "Parameters"}[quantity]
    return BarChart(f"{label} per branch: the naive Inception module against the one with reductions (log scale)",
                    tuple(names), (("naive", tuple(a.get(k, sp.Integer(0)) for k in keys)),
                                   ("with reductions", tuple(b.get(k, sp.Integer(0)) for k in keys))))
