"""Printers: one class per output format, dispatching on the type of what it prints.

As sympy's printers do, ``Printer.doprint(obj)`` calls ``_print_<Class>`` for
the first class in ``type(obj).__mro__`` the printer has a method for; the
model never imports a printer.  One function renders anything:

>>> import symcnn
>>> print(render(symcnn.table("lenet5"), "csv").splitlines()[-1])
total,,,61470,236,61706,9118,416520,833040,,
>>> formats_for(symcnn.table("lenet5"))
['text', 'markdown', 'html', 'json', 'csv']
>>> render(symcnn.table("lenet5"), "latex")
Traceback (most recent call last):
...
symcnn.errors.SymcnnError: the latex format cannot show a Table (choose from text, markdown, html, json, csv)
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
        return m(obj, **options)  # type: ignore[no-any-return]


#: format -> (module, extension, the classes it prints, by name): known without importing any printer,
#: so building the command line costs nothing; a test checks it against the printers' _print_ methods
FORMATS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "text": ("text", "txt", ("Table", "Proof", "GradedSheet")),
    "markdown": ("markdown", "md", ("Table", "Proof", "Document", "GradedSheet")),
    "latex": ("latex", "tex", ("Proof", "Document", "GradedSheet")),
    "html": ("html", "html", ("Table", "Proof", "Document", "GradedSheet")),
    "json": ("json", "json", ("Table", "Proof", "GradedSheet", "list")),
    "csv": ("csv", "csv", ("Table",)),
}
ALIASES = {"mathml": "html"}


def printer(fmt: str) -> Printer:
    """The printer of a format (its module is imported on first use)."""
    name = ALIASES.get(fmt, fmt)
    if name not in FORMATS:
        raise SymcnnError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if name not in PRINTERS:
        import importlib

        importlib.import_module(f"{__package__}.{FORMATS[name][0]}")
    return PRINTERS[name]


def formats_for(obj_or_type: Any) -> list[str]:
    """The formats that can show this object (an object, a class or a class name), in a stable order."""
    if isinstance(obj_or_type, str):
        names = {obj_or_type}
    else:
        cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
        names = {c.__name__ for c in cls.__mro__}
    return [fmt for fmt, (_, _, shows) in FORMATS.items() if names & set(shows)]


def extension(fmt: str) -> str:
    return FORMATS[ALIASES.get(fmt, fmt)][1]


def render(obj: Any, fmt: str, **options: Any) -> str:
    """``obj`` in format ``fmt`` (text, markdown, latex, html, json, csv)."""
    return printer(fmt).doprint(obj, **options)
