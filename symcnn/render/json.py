"""The JSON printer: tables, proof certificates and graded sheets as data; a list
of them as a JSON array."""

from __future__ import annotations

import json

from . import tabular as T
from .printer import Printer


class JsonPrinter(Printer):
    format = "json"
    order = 4  # where the format comes in every list of formats
    extension = "json"

    def _data(self, obj):
        """The object as JSON data (dispatching like doprint, on _data_<Class>)."""
        for cls in type(obj).__mro__:
            m = getattr(self, f"_data_{cls.__name__}", None)
            if m is not None:
                return m(obj)
        raise TypeError(f"no JSON form for {type(obj).__name__}")

    def _data_Table(self, table):
        return T.as_dict(table)

    def _data_Proof(self, proof):
        from . import proofs as P

        return P.as_dict(proof)

    def _data_GradedSheet(self, sheet):
        from .check import as_dict

        return as_dict(sheet)

    def _print_Table(self, table) -> str:
        return T.json_text(table)

    def _print_Proof(self, proof) -> str:
        from . import proofs as P

        return json.dumps(P.as_dict(proof), indent=2, ensure_ascii=False) + "\n"

    def _print_GradedSheet(self, sheet) -> str:
        return json.dumps(self._data(sheet), indent=2) + "\n"

    def _print_list(self, items) -> str:
        return json.dumps([self._data(i) for i in items], indent=2, ensure_ascii=False) + "\n"
