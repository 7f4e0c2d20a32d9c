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

from pathlib import Path
from typing import Any, ClassVar

from ..errors import SymcnnError

PRINTERS: dict[str, Printer] = {}


class Printer:
    """Base of the format printers; a subclass names its ``format`` (and file ``extension``)."""

    format: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    extension: ClassVar[str] = ""
    order: ClassVar[int] = 99

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


def _read_printers() -> tuple[dict[str, tuple[str, str, tuple[str, ...]]], dict[str, str]]:
    """format -> (module, extension, the classes it prints, by name), and the aliases: read off the printer
    classes in this folder's sources, without importing them (building the command line costs nothing).  A new
    format is one file here: its class names its ``format``, ``extension`` (and ``order``, ``aliases``) and has a
    ``_print_<Class>`` per object it shows.  Where only compiled code ships (the browser page), the printers
    are imported and read instead."""
    import re
    from pathlib import Path

    found: list[tuple[int, str, tuple[str, str, tuple[str, ...]]]] = []
    aliases: dict[str, str] = {}
    sources = sorted(Path(__file__).parent.glob("*.py"))
    if not sources:
        return _imported_printers()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^class \w+\(Printer\):\n((?:    .*\n|\n)+)", text, re.M):
            body = m.group(1)
            fmt = re.search(r'^    format = "(\w+)"', body, re.M)
            if fmt is None:
                continue
            ext = re.search(r'^    extension = "(\w+)"', body, re.M)
            order = re.search(r"^    order = (\d+)", body, re.M)
            shows = tuple(dict.fromkeys(re.findall(r"^    def _print_(\w+)\(", body, re.M)))
            declared = re.search(r"^    aliases = \((.*)\)", body, re.M)
            for alias in re.findall(r'"(\w+)"', declared.group(1) if declared else ""):
                aliases[alias] = fmt.group(1)
            found.append((int(order.group(1)) if order else 99, fmt.group(1),
                          (path.stem, ext.group(1) if ext else fmt.group(1), shows)))
    return {fmt: entry for _, fmt, entry in sorted(found)}, aliases


def _imported_printers() -> tuple[dict[str, tuple[str, str, tuple[str, ...]]], dict[str, str]]:
    import importlib
    import pkgutil
    from pathlib import Path

    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        importlib.import_module(f"{__package__}.{info.name}")
    classes = sorted({type(p) for p in PRINTERS.values()}, key=lambda c: (getattr(c, "order", 99), c.format))
    formats = {c.format: (c.__module__.rsplit(".", 1)[-1], c.extension,
                          tuple(n[len("_print_"):] for n in dir(c) if n.startswith("_print_"))) for c in classes}
    return formats, {a: c.format for c in classes for a in c.aliases}


#: format -> (module, extension, the classes it prints, by name), and the aliases; filled at import from the
#: sources, or (compiled code only) on first use, once every printer module can be imported
FORMATS: dict[str, tuple[str, str, tuple[str, ...]]] = {}
ALIASES: dict[str, str] = {}


def _known() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    if not FORMATS:
        formats, aliases = _read_printers()
        FORMATS.update(formats)
        ALIASES.update(aliases)
    return FORMATS


if any(Path(__file__).parent.glob("*.py")):
    _known()  # from the sources: no printer imported


def printer(fmt: str) -> Printer:
    """The printer of a format (its module is imported on first use)."""
    _known()
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
    return [fmt for fmt, (_, _, shows) in _known().items() if names & set(shows)]


def extension(fmt: str) -> str:
    _known()
    return FORMATS[ALIASES.get(fmt, fmt)][1]


def render(obj: Any, fmt: str, **options: Any) -> str:
    """``obj`` in format ``fmt`` (text, markdown, latex, html, json, csv)."""
    return printer(fmt).doprint(obj, **options)
