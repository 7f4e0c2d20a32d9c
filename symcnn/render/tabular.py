"""What every format's per-layer table shares: its columns, each row's cells, the header lines (network, input,
conventions), the totals and the notes under the table. Each printer sets the table in its own format
(``text.py``, ``markdown.py``, ``html.py``, ``csv.py``, ``json.py``).

>>> import symcnn
>>> next(iter(row_cells(symcnn.table("lenet5"))))[:3]
['input', 'input', '1x32x32']
"""
from __future__ import annotations

from ..derive import TOTAL_KEYS, Table
from . import values as V

COLUMNS = ("layer", "kind", "output", "weights", "biases", "params", "activations", "MACs", "FLOPs", "RF",
           "jump")
TOTAL_LABELS = {
    "weights": "weights (parameters without biases)",
    "biases": "biases",
    "params": "parameters (weights + biases)",
    "activations": "activations (elements, input included)",
    "bytes_forward": "activation bytes, forward",
    "bytes_forward_backward": "activation bytes, forward + backward",
    "macs": "multiply-adds (MACs)",
    "flops": "FLOPs",
}


def row_cells(table: Table, sep=","):
    t = lambda v: V.text(v, sep)  # noqa: E731
    yield ["input", "input", V.shape_text(table.input), "", "", "", t(table.input.elements), "", "", "1", "1"]
    for r in table.rows:
        act = t(r.activations) if r.counted else f"({t(r.activations)})"
        yield ["  " * r.depth + r.name, r.kind, V.shape_text(r.output), t(r.weights), t(r.biases),
               t(r.params), act, t(r.macs), t(r.flops), V.pair_text(r.rf, sep), V.pair_text(r.jump, sep)]


def header(table: Table) -> list[str]:
    net = table.network
    lines = [f"{net.title or net.name} ({net.name})" if net.title else net.name]
    if net.source:
        lines.append(f"source: {net.source}")
    lines.append(f"input: {V.shape_text(table.input)} (C x H x W)")
    free = sorted(s.name for s in table.free_symbols)
    if free:
        lines.append("symbols: " + ", ".join(free) + " (positive integers unless declared otherwise)")
    return lines


def total_lines(table: Table) -> list[tuple[str, object]]:
    """The totals, and where the module holds parameters it never runs (inception_v3's auxiliary
    head), the count with them: published figures use one or the other."""
    lines: list[tuple[str, object]] = [(TOTAL_LABELS[key], table.totals[key]) for key in TOTAL_KEYS]
    if table.network.not_run:
        held = table.totals["params"] + sum(c for _, c in table.network.not_run)
        lines.insert(3, ("parameters held, those never run included", held))
    return lines


def footer_notes(table: Table) -> list[str]:
    notes = []
    if any(not r.counted for r in table.rows):
        notes.append("activations in parentheses belong to layers that run in place and are not counted")
    if any(r.rf is None for r in table.rows):
        notes.append("RF '?': no single window describes the layer (adaptive pooling of a size that does "
                     "not divide evenly)")
    for name, count in table.network.not_run:
        notes.append(f"{name}: {count:,} parameters the traced graph never runs (an auxiliary head?); "
                     "not in the totals, in the line 'parameters held'")
    return notes + table.notes


def title(table: Table) -> str:
    """The table's first header line (its network and input)."""
    return header(table)[0]


