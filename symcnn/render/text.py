"""The plain-text printer: tables, proofs and graded sheets for the terminal."""

from __future__ import annotations

from . import tabular as T
from .printer import Printer


class TextPrinter(Printer):
    format = "text"
    order = 0  # where the format comes in every list of formats
    extension = "txt"

    def _print_Table(self, table) -> str:
        return T.text(table)

    def _print_Proof(self, proof) -> str:
        from . import proofs as P

        return P.text(proof)

    def _print_GradedSheet(self, sheet) -> str:
        from .check import text

        return text(sheet)
