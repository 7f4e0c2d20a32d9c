"""The answer key of one network: its worked layers, the summary table and the totals.

    derive the table  ->  solve each row  ->  blocks

Every number comes from the derived table (``symcnn table``'s own rows and
totals); nothing here computes a figure itself.

>>> import symcnn
>>> doc = network_key(symcnn.table("lenet5"))
>>> doc.title
'Answer key: LeNet-5 (lenet5)'
"""

from __future__ import annotations

import sympy as sp

from ..derive import TOTAL_KEYS, Table
from ..proof.model import Math, Prose
from ..worked import solve
from .document import Bullets, DataTable, Document, Heading, Para, Worked
from .figures import layer_charts

TOTAL_LABELS = {
    "weights": "parameters without biases (weights)",
    "biases": "biases",
    "params": "parameters with biases",
    "activations": "activations (elements, input included)",
    "bytes_forward": "activation bytes, forward",
    "bytes_forward_backward": "activation bytes, forward + backward",
    "macs": "multiply-adds (MACs)",
    "flops": "FLOPs",
}


def summary_table(table: Table) -> DataTable:
    rows = [("input", "input", _shape(table.input), "", "", "", table.input.elements, "", "", "1")]
    for r in table.rows:
        acts = r.activations if r.counted else f"({_fmt(r.activations)})"
        rf = "?" if r.rf is None else (r.rf[0] if r.rf[0] == r.rf[1] else f"{r.rf[0]}x{r.rf[1]}")
        rows.append((r.name, r.kind, _shape(r.output), r.weights, r.biases, r.params, acts, r.macs, r.flops, rf))
    return DataTable(
        f"Per-layer summary of {table.network.name}",
        ("layer", "kind", "output", "weights", "biases", "params", "activations", "MACs", "FLOPs", "RF"),
        tuple(rows), (False, False, False, True, True, True, True, True, True, True))


def totals_table(table: Table) -> DataTable:
    return DataTable(f"Totals of {table.network.name}", ("total", "value"),
                     tuple((TOTAL_LABELS[k], table.totals[k]) for k in TOTAL_KEYS), (False, True))


def _shape(s) -> str:
    return "x".join(str(v) if v.is_Integer else f"({v})" for v in s.as_tuple())


def _fmt(v) -> str:
    return f"{int(v):,}" if isinstance(v, sp.Basic) and v.is_Integer else str(v)


def network_blocks(table: Table, level: int = 1, brief: bool = False) -> list:
    net = table.network
    blocks: list = [Heading(level, f"{net.title or net.name} ({net.name})")]
    if net.source:
        blocks.append(Para(f"Layout: {net.source}. Input {_shape(table.input)} (C x H x W)."))
    blocks.append(Para("Conventions used throughout:"))
    blocks.append(Bullets(tuple(table.convention.describe())))
    if brief:
        blocks.append(Para("The figures, the summary table and the totals; the full key (without --brief) works "
                           "every layer's formulas."))
    else:
        c, h, w, k, s, p, f = (sp.Symbol(n) for n in ("C_in", "H_in", "W_in", "K", "S", "P", "F"))
        blocks.append(Para(Prose((
            "For each layer: the formula in symbols, the same formula with this layer's values, and the result. "
            "A layer reads ", Math(c), " channels of ", Math(h), " by ", Math(w), "; ", Math(k), ", ", Math(s),
            " and ", Math(p), " are its kernel, stride and padding (", Math(f), " for a pooling window)."))))
    charts = layer_charts(table)
    if charts:
        blocks.append(Heading(level + 1, "Figures"))
        blocks.extend(charts)
    if not brief:
        blocks.append(Heading(level + 1, "Layer by layer"))
    quiet = []
    for sol in ([] if brief else solve(table)):
        if not sol.lines or all(l.quantity == "activations" and l.note for l in sol.lines):
            quiet.append(sol.row.name)
            continue
        if quiet:
            blocks.append(Para(f"{', '.join(quiet)}: no parameters, shape unchanged (run in place)."))
            quiet = []
        blocks.append(Worked(sol))
    if quiet:
        blocks.append(Para(f"{', '.join(quiet)}: no parameters, shape unchanged (run in place)."))
    blocks.append(Heading(level + 1, "Summary table"))
    blocks.append(summary_table(table))
    blocks.append(Heading(level + 1, "Totals"))
    blocks.append(totals_table(table))
    if table.notes:
        blocks.append(Para("Where the arithmetic is not integral:"))
        blocks.append(Bullets(tuple(table.notes)))
    return blocks


def network_key(table: Table, brief: bool = False) -> Document:
    """The key of a network; ``brief``: the figures, the summary table and the totals, without the worked
    layers (for long networks)."""
    net = table.network
    blocks = network_blocks(table, brief=brief)[1:]  # the document's title already names the network: one title
    return Document(f"Answer key: {net.title or net.name} ({net.name})", tuple(blocks), net.name)


# -- the problem set (../shared/problems.md) ---------------------------------------------------------------------
