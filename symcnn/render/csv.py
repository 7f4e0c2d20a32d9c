"""The CSV printer: a table's rows (header lines are # comments)."""

from __future__ import annotations

from . import tabular as T
from .printer import Printer


class CsvPrinter(Printer):
    format = "csv"
    order = 5  # where the format comes in every list of formats
    extension = "csv"

    def _print_Table(self, table) -> str:
        return T.csv_text(table)
