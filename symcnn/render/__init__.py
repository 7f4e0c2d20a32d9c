"""Printers: one class per output format (text, markdown, latex, html, json, csv),
each dispatching on the type of what it prints (``_print_Table``,
``_print_Proof``, ``_print_Document``...), as sympy's printers do.  The model
never imports a printer.

>>> import symcnn
>>> from symcnn.render import render
>>> render(symcnn.table("lenet5"), "json").splitlines()[1]
'  "network": "lenet5",'
"""

from .printer import FORMATS, PRINTERS, Printer, extension, formats_for, printer, render

__all__ = ["FORMATS", "PRINTERS", "Printer", "extension", "formats_for", "printer", "render"]
