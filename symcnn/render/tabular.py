"""The per-layer table's text, Markdown, CSV and JSON forms (the printers call these).

>>> import symcnn
>>> print(csv_text(symcnn.table("lenet5")).splitlines()[-1])
total,,,61470,236,61706,9118,416520,833040,,
"""

from __future__ import annotations

import csv
import io
import json

from ..derive import TOTAL_KEYS, Table
from . import values as V
from .escape import csv_cell, md_text

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


def _cells(table: Table, sep=","):
    t = lambda v: V.text(v, sep)  # noqa: E731
    yield ["input", "input", V.shape_text(table.input), "", "", "", t(table.input.elements), "", "", "1", "1"]
    for r in table.rows:
        act = t(r.activations) if r.counted else f"({t(r.activations)})"
        yield ["  " * r.depth + r.name, r.kind, V.shape_text(r.output), t(r.weights), t(r.biases),
               t(r.params), act, t(r.macs), t(r.flops), V.pair_text(r.rf, sep), V.pair_text(r.jump, sep)]


def _header(table: Table) -> list[str]:
    net = table.network
    lines = [f"{net.title or net.name} ({net.name})" if net.title else net.name]
    if net.source:
        lines.append(f"source: {net.source}")
    lines.append(f"input: {V.shape_text(table.input)} (C x H x W)")
    free = sorted(s.name for s in table.free_symbols)
    if free:
        lines.append("symbols: " + ", ".join(free) + " (positive integers unless declared otherwise)")
    return lines


def _total_lines(table: Table) -> list[tuple[str, object]]:
    """The totals, and where the module holds parameters it never runs (inception_v3's auxiliary
    head), the count with them: published figures use one or the other."""
    lines: list[tuple[str, object]] = [(TOTAL_LABELS[key], table.totals[key]) for key in TOTAL_KEYS]
    if table.network.not_run:
        held = table.totals["params"] + sum(c for _, c in table.network.not_run)
        lines.insert(3, ("parameters held, those never run included", held))
    return lines


def _footer_notes(table: Table) -> list[str]:
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


def text(table: Table) -> str:
    rows = [list(COLUMNS), *list(_cells(table))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    right = {3, 4, 5, 6, 7, 8, 9, 10}

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = _header(table)
    out.append("conventions:")
    out.extend(f"  - {c}" for c in table.convention.describe())
    out.append("")
    out.append(line(rows[0]))
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(r) for r in rows[1:])
    out.append("")
    totals = _total_lines(table)
    label_w = max(len(label) for label, _ in totals)
    for label, value in totals:
        out.append(f"{label.ljust(label_w)}  {V.text(value)}")
    notes = _footer_notes(table)
    if notes:
        out.append("")
        out.append("notes:")
        out.extend(f"  - {n}" for n in notes)
    return "\n".join(out) + "\n"


def _md_escape(s: str) -> str:
    return md_text(s)


def markdown(table: Table) -> str:
    head = _header(table)
    out = [f"## {_md_escape(head[0])}", ""]
    out.extend(f"- {_md_escape(h)}" for h in head[1:])
    out.append("- conventions:")
    out.extend(f"  - {_md_escape(c)}" for c in table.convention.describe())
    out.append("")
    out.append("| " + " | ".join(COLUMNS) + " |")
    out.append("|" + "|".join([":--", ":--", ":--"] + ["--:"] * (len(COLUMNS) - 3)) + "|")
    for cells in _cells(table):
        cells[0] = cells[0].strip()
        out.append("| " + " | ".join(_md_escape(c) for c in cells) + " |")
    out.append("")
    out.append("| total | value |")
    out.append("|:--|--:|")
    for label, value in _total_lines(table):
        out.append(f"| {label} | {_md_escape(V.text(value))} |")
    notes = _footer_notes(table)
    if notes:
        out.append("")
        out.append("Notes:")
        out.append("")
        out.extend(f"- {_md_escape(n)}" for n in notes)
    return "\n".join(out) + "\n"


def title(table: Table) -> str:
    """The table's first header line (its network and input)."""
    return _header(table)[0]


def html_fragment(table: Table) -> str:
    """The table as HTML: its header, conventions, one row per layer (numbers carry a data-sort key so a page can
    sort the columns), the totals and the notes."""
    import html as H

    head = _header(table)
    out = [f"<section class=\"symcnn-table\">\n<h2>{H.escape(head[0])}</h2>", "<ul class=\"about\">"]
    out.extend(f"<li>{H.escape(h)}</li>" for h in head[1:])
    out.append("<li>conventions:<ul>" + "".join(f"<li>{H.escape(c)}</li>" for c in table.convention.describe())
               + "</ul></li></ul>")
    out.append("<table class=\"layers\">\n<thead><tr>" + "".join(f"<th>{H.escape(c)}</th>" for c in COLUMNS)
               + "</tr></thead>\n<tbody>")
    for cells in _cells(table):
        row = []
        for i, c in enumerate(cells):
            c = c.strip()
            key = c.replace(",", "").strip("()")
            sort = f" data-sort=\"{H.escape(key)}\"" if i >= 3 and key.lstrip("-").isdigit() else ""
            row.append(f"<td class=\"{'num' if i >= 3 else 'txt'}\"{sort}>{H.escape(c)}</td>")
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</tbody></table>")
    out.append("<table class=\"totals\">\n<thead><tr><th>total</th><th>value</th></tr></thead>\n<tbody>")
    out.extend(f"<tr><td class=\"txt\">{H.escape(label)}</td><td class=\"num\">{H.escape(V.text(value))}</td>"
               "</tr>" for label, value in _total_lines(table))
    out.append("</tbody></table>")
    notes = _footer_notes(table)
    if notes:
        out.append("<p>Notes:</p><ul class=\"notes\">" + "".join(f"<li>{H.escape(n)}</li>" for n in notes) + "</ul>")
    out.append("</section>")
    return "\n".join(out) + "\n"


def csv_text(table: Table) -> str:
    buf = io.StringIO()
    for h in _header(table):
        buf.write("# " + " ".join(h.split()) + "\n")
    buf.write("# conventions: " + "; ".join(table.convention.describe()) + "\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["layer", "kind", "output", "weights", "biases", "params", "activations", "macs", "flops", "rf",
                "jump"])
    w.writerow(["input", "input", V.shape_text(table.input), "", "", "", V.plain(table.input.elements), "", "",
                "1", "1"])
    for r in table.rows:
        w.writerow([csv_cell(r.name), csv_cell(r.kind), V.shape_text(r.output), V.plain(r.weights), V.plain(r.biases),
                    V.plain(r.params), V.plain(r.activations) if r.counted else f"({V.plain(r.activations)})",
                    V.plain(r.macs), V.plain(r.flops), V.pair_text(r.rf, ""), V.pair_text(r.jump, "")])
    tot = table.totals
    w.writerow(["total", "", "", V.plain(tot["weights"]), V.plain(tot["biases"]), V.plain(tot["params"]),
                V.plain(tot["activations"]), V.plain(tot["macs"]), V.plain(tot["flops"]), "", ""])
    return buf.getvalue()


def as_dict(table: Table) -> dict:
    net = table.network
    return {
        "network": net.name,
        "title": net.title,
        "source": net.source,
        "input": [V.json_value(v) for v in table.input.as_tuple()],
        "symbols": sorted(s.name for s in table.free_symbols),
        "parameters_not_run": dict(table.network.not_run),
        "convention": table.convention.as_dict(),
        "convention_text": table.convention.describe(),
        "layers": [
            {
                "name": r.name,
                "kind": r.kind,
                "depth": r.depth,
                "output": [V.json_value(v) for v in r.output.as_tuple()],
                "weights": V.json_value(r.weights),
                "biases": V.json_value(r.biases),
                "params": V.json_value(r.params),
                "activations": V.json_value(r.activations),
                "activations_counted": r.counted,
                "macs": V.json_value(r.macs),
                "flops": V.json_value(r.flops),
                "rf": V.pair_json(r.rf),
                "jump": V.pair_json(r.jump),
                "start": V.pair_json(None if r.field is None else (r.field.starth, r.field.startw)),
                "notes": list(r.notes),
                "shares": None if r.layer is None else r.layer.shares,
            }
            for r in table.rows
        ],
        "input_activations": V.json_value(table.input.elements),
        "totals": {k: V.json_value(v) for k, v in table.totals.items()},
        "notes": table.notes,
    }


def json_text(table: Table) -> str:
    return json.dumps(as_dict(table), indent=2) + "\n"


