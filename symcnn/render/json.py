"""The JSON printer: tables, proof certificates and graded sheets as data; a list
of them as a JSON array."""

from __future__ import annotations

import json

from . import tabular as T
from .printer import Printer


def dumps(data, levels: int = 2, indent: str = "  ", ensure_ascii: bool = True, _at: int = 0) -> str:
    """JSON with the first ``levels`` levels of containers laid out one entry per line and everything
    deeper on one line: a graded sheet's claims are one line each, written by the json module's C
    encoder (an indented dump runs in pure Python: 50 MB of claims took seconds).

    >>> print(dumps({"score": {"right": 1}, "claims": [{"line": 3, "quantity": "params"}]}, levels=2))
    {
      "score": {
        "right": 1
      },
      "claims": [
        {"line": 3, "quantity": "params"}
      ]
    }
    """
    if levels <= 0 or not isinstance(data, (dict, list)) or not data:
        return json.dumps(data, ensure_ascii=ensure_ascii)
    pad, inner = indent * _at, indent * (_at + 1)
    if isinstance(data, dict):
        parts = [f"{inner}{json.dumps(str(k), ensure_ascii=ensure_ascii)}: "
                 f"{dumps(v, levels - 1, indent, ensure_ascii, _at + 1)}" for k, v in data.items()]
        return "{\n" + ",\n".join(parts) + f"\n{pad}}}"
    parts = [f"{inner}{dumps(v, levels - 1, indent, ensure_ascii, _at + 1)}" for v in data]
    return "[\n" + ",\n".join(parts) + f"\n{pad}]"


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
        return dumps(self._data(sheet), levels=2) + "\n"

    def _print_list(self, items) -> str:
        # a class: one claim per line, as for one sheet
        if items and all(any(c.__name__ == "GradedSheet" for c in type(i).__mro__) for i in items):
            return dumps([self._data(i) for i in items], levels=3, ensure_ascii=False) + "\n"
        return json.dumps([self._data(i) for i in items], indent=2, ensure_ascii=False) + "\n"
