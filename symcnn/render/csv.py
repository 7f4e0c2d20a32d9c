"""The CSV printer: a table's rows (header lines are # comments)."""

from __future__ import annotations

import csv
import io

from ..derive import Table
from . import values as V
from .escape import csv_cell
from .printer import Printer
from .tabular import header


class CsvPrinter(Printer):
    format = "csv"
    order = 5  # where the format comes in every list of formats
    extension = "csv"

    def _print_Table(self, table) -> str:
        return table_csv(table)


def table_csv(table: Table) -> str:
    buf = io.StringIO()
    for h in header(table):
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
