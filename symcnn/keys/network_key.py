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
from ..prose import TIMES, Math, Prose, led
from ..worked import solve
from .document import Bullets, Code, DataTable, Document, Heading, Para, Worked
from .figures import layer_charts
from .notation import notation_table

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
    """One row per layer: output, parameters, activations (in brackets where they run in place and are not
    counted), multiply-adds, FLOPs, receptive field and jump."""
    rows: list[tuple[object, ...]] = [("input", "input", _shape(table.input), "", "", "", table.input.elements, "", "",
                                       "1", "1")]
    for r in table.rows:
        acts = r.activations if r.counted else _bracketed(r.activations)
        rows.append((Code(r.name), r.kind, _shape(r.output), r.weights, r.biases, r.params, acts, r.macs, r.flops,
                     _per_axis(r.rf), _per_axis(r.jump)))
    return DataTable(
        f"Per-layer summary of {table.network.name}",
        ("layer", "kind", "output", "weights", "biases", "params", "activations", "MACs", "FLOPs", "RF", "jump"),
        tuple(rows), (False, False, False, True, True, True, True, True, True, True, True))


def _per_axis(pair) -> object:
    """One value when height and width agree, 'h x w' when they differ, '?' where no field is known."""
    if pair is None:
        return "?"
    a, b = pair
    if a == b:
        return a
    return _shape_like((a, b))


def _bracketed(v) -> object:
    """A figure in brackets (activations not counted): typeset when it is symbolic."""
    v = sp.sympify(v)
    return f"({_fmt(v)})" if v.is_Integer else Prose(("(", Math(v), ")"))


def _shape_like(values) -> object:
    values = [sp.sympify(v) for v in values]
    if all(v.is_Integer for v in values):
        return "x".join(str(v) for v in values)
    return Prose((Math(values[0], tuple((TIMES, v) for v in values[1:])),))


def totals_table(table: Table) -> DataTable:
    return DataTable(f"Totals of {table.network.name}", ("total", "value"),
                     tuple((TOTAL_LABELS[k], table.totals[k]) for k in TOTAL_KEYS), (False, True))


def _shape(s) -> object:
    """C x H x W: plain text for numbers, typeset math when a size is symbolic."""
    return _shape_like(s.as_tuple())


def _fmt(v) -> str:
    return f"{int(v):,}" if isinstance(v, sp.Basic) and v.is_Integer else str(v)


def network_blocks(table: Table, level: int = 1, brief: bool = False, standalone: bool = True) -> list:
    """The blocks of a network's key.  ``standalone``: the key is a document of its own, so it states its
    conventions and its notation table; inside a larger document (the problem set) that document states
    them once, for all its parts."""
    net = table.network
    blocks: list = [Heading(level, f"{net.title or net.name} ({net.name})")]
    if net.source:
        shape = _shape(table.input)
        blocks.append(Para(Prose((f"Layout: {net.source}. Input ", *(shape.parts if isinstance(shape, Prose)
                                                                    else (shape,)),
                                  " (channels x height x width)."))))
    if standalone:
        blocks.append(Para("Conventions used throughout:"))
        blocks.append(Bullets(tuple(table.convention.describe())))
    solutions = [] if brief else solve(table)
    worked = [Worked(sol) for sol in solutions
              if sol.lines and not all(l.quantity == "activations" and l.note for l in sol.lines)]
    if brief:
        blocks.append(Para("The figures, the summary table and the totals; the full key (without --brief) works "
                           "every layer's formulas."))
    else:
        blocks.append(Para("For each layer: the formula in symbols, the same formula with this layer's values, "
                           "and the result; a note stands at the step it concerns."))
        notation = notation_table(worked) if standalone else None
        if notation is not None:
            blocks.append(notation)
    charts = layer_charts(table)
    if charts:
        blocks.append(Heading(level + 1, "Figures"))
        blocks.extend(charts)
    if not brief:
        blocks.append(Heading(level + 1, "Layer by layer"))
    by_name = {b.solution.row.name: b for b in worked}
    shown = set(by_name)
    quiet = []
    for sol in solutions:
        if sol.row.name not in shown:
            quiet.append(sol.row.name)
            continue
        if quiet:
            blocks.append(Para(f"{', '.join(quiet)}: no parameters, shape unchanged (run in place)."))
            quiet = []
        blocks.append(by_name[sol.row.name])
    if quiet:
        blocks.append(Para(f"{', '.join(quiet)}: no parameters, shape unchanged (run in place)."))
    blocks.append(Heading(level + 1, "Summary table"))
    blocks.append(summary_table(table))
    blocks.append(Heading(level + 1, "Totals"))
    blocks.append(totals_table(table))
    blocks += _notes(table, shown)
    return blocks


def _notes(table: Table, shown: set[str]) -> list:
    """The derivation's notes that no worked step carries (all of them in a brief key); those at a step
    are listed by layer only, so that nothing is said twice."""
    at_step, rest = [], []
    for r in table.rows:
        for n in r.notes:
            if r.name in shown and n.startswith(("height", "width")):
                if r.name not in at_step:
                    at_step.append(r.name)
            else:
                rest.append(led(n, f"{r.name}: "))
    blocks: list = []
    if at_step:
        blocks.append(Para(f"Sizes that are not whole numbers before rounding (noted at the step): "
                           f"{', '.join(at_step)}."))
    if rest:
        blocks.append(Para("Notes:"))
        blocks.append(Bullets(tuple(rest)))
    return blocks


def network_key(table: Table, brief: bool = False) -> Document:
    """The key of a network; ``brief``: the figures, the summary table and the totals, without the worked
    layers (for long networks)."""
    net = table.network
    blocks = network_blocks(table, brief=brief)[1:]  # the document's title already names the network: one title
    return Document(f"Answer key: {net.title or net.name} ({net.name})", tuple(blocks), net.name)


# -- the problem set (../shared/problems.md) ---------------------------------------------------------------------
