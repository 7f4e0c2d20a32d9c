"""Printers: one class per output format, dispatching on the type of what it prints.

As sympy's printers do, ``Printer.doprint(obj)`` calls ``_print_<Class>`` for
the first class in ``type(obj).__mro__`` the printer has a method for; the
model never imports a printer.  One function renders anything:

>>> import symcnn
>>> print(render(symcnn.table("lenet5"), "csv").splitlines()[-1])
total,,,61470,236,61706,9118,416520,833040,,
>>> formats_for(symcnn.table("lenet5"))
['text', 'markdown', 'json', 'csv']
>>> render(symcnn.table("lenet5"), "latex")
Traceback (most recent call last):
...
symcnn.errors.SymcnnError: the latex format cannot show a Table (choose from text, markdown, json, csv)
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import SymcnnError

PRINTERS: dict[str, Printer] = {}


class Printer:
    """Base of the format printers; a subclass names its ``format`` (and file ``extension``)."""

    format: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    extension: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.format:
            instance = cls()
            for name in (cls.format, *cls.aliases):
                PRINTERS[name] = instance

    def method(self, obj: Any):
        for cls in type(obj).__mro__:
            m = getattr(self, f"_print_{cls.__name__}", None)
            if m is not None:
                return m
        return None

    def doprint(self, obj: Any, **options: Any) -> str:
        m = self.method(obj)
        if m is None:
            raise SymcnnError(f"the {self.format} format cannot show a {type(obj).__name__} "
                              f"(choose from {', '.join(formats_for(obj))})")
        return m(obj, **options)


def _load() -> None:
    from . import csv, html, json, latex, markdown, text  # noqa: F401  (each registers its printer)


def printer(fmt: str) -> Printer:
    _load()
    if fmt not in PRINTERS:
        raise SymcnnError(f"unknown format {fmt!r} (choose from {', '.join(sorted(PRINTERS))})")
    return PRINTERS[fmt]


def formats_for(obj_or_type: Any) -> list[str]:
    """The formats that can show this object (or objects of this type), in a stable order."""
    _load()
    probe = obj_or_type if not isinstance(obj_or_type, type) else None
    types = type(probe).__mro__ if probe is not None else obj_or_type.__mro__
    seen = []
    for name, p in PRINTERS.items():
        if name != p.format:
            continue  # aliases are not listed
        if any(hasattr(p, f"_print_{t.__name__}") for t in types):
            seen.append(name)
    order = ["text", "markdown", "latex", "html", "json", "csv"]
    return sorted(seen, key=order.index)


def render(obj: Any, fmt: str, **options: Any) -> str:
    """``obj`` in format ``fmt`` (text, markdown, latex, html, json, csv)."""
    return printer(fmt).doprint(obj, **options)
