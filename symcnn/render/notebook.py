"""Jupyter display: wrap a table, proof, worked solution or answer key so a
notebook shows it as rendered math and tables.

The model classes know nothing of notebooks; :func:`view` picks the
renderer by type.

>>> import symcnn
>>> v = view(symcnn.table("lenet5"))
>>> "<table" in v._repr_html_()
True
>>> view(symcnn.prove("same-padding"))._repr_latex_().startswith("$$")
True
"""

from __future__ import annotations

from ..derive import Table
from ..keys import DataTable, Document, Worked, summary_table, totals_table
from ..proof import Proof
from ..worked import LayerSolution
from . import document as D
from . import tex as P
from .html import mathml_body
from .markdown import proof_markdown
from .printer import printer


class View:
    """Something a notebook can display: HTML (with MathML), LaTeX and Markdown."""

    def __init__(self, html: str, latex: str | None, markdown: str):
        self._html, self._latex, self._markdown = html, latex, markdown

    def _repr_html_(self) -> str:
        return self._html

    def _repr_latex_(self) -> str | None:
        return self._latex

    def _repr_markdown_(self) -> str:
        return self._markdown

    def __repr__(self) -> str:
        return self._markdown


def _blocks_view(blocks) -> View:
    html = "\n".join(printer("html").doprint(b) for b in blocks)
    markdown = "\n\n".join(printer("markdown").doprint(b) for b in blocks)
    return View(html, None, markdown)  # MathJax cannot typeset tables: no LaTeX form


def view(obj) -> View:
    """A notebook view of a Table, Proof, LayerSolution or Document."""
    if isinstance(obj, Table):
        return _blocks_view([summary_table(obj), totals_table(obj)])
    if isinstance(obj, Proof):
        chains = []
        for step in obj.steps:
            if step.first is not None:
                rows = [f"{P.latex_of(step.first) if i == 0 else ''} &{P.LATEX_REL[l.relation]} "
                        f"{P.latex_of(l.expr)} && {P.reason_in_math(l.reason)}"
                        for i, l in enumerate(step.links)]
                chains.append("\\\\ ".join(rows) if rows else P.latex_of(step.first))
        latex = "$$\\begin{aligned}" + " \\\\ ".join(chains) + "\\end{aligned}$$"
        return View(mathml_body(obj, level=3), latex, proof_markdown(obj))
    if isinstance(obj, LayerSolution):
        v = _blocks_view([Worked(obj)])
        latex = "$$\\begin{aligned}" + " \\\\ ".join(m for m, _, _ in D.worked_latex_rows(obj)) + "\\end{aligned}$$"
        return View(v._html, latex, v._markdown)
    if isinstance(obj, Document):
        return _blocks_view(list(obj.blocks))
    if isinstance(obj, DataTable):
        return _blocks_view([obj])
    raise TypeError(f"symcnn.view: nothing to show for {type(obj).__name__}")


def _html_of(obj) -> str | None:
    from html import escape

    from ..derive import Table as _Table
    from ..network import Network

    if isinstance(obj, Network):
        obj = obj.derive()
    if isinstance(obj, (_Table, Proof, LayerSolution, Document)):
        return view(obj)._repr_html_()
    kind = type(obj).__name__
    if kind == "GradedSheet":
        from .printer import render

        return render(obj, "html")
    if kind == "WhatIf":
        from .whatif import report

        return f"<pre>{escape(report(obj, ['params', 'macs', 'activations']))}</pre>"
    return None


def _markdown_of(obj) -> str | None:
    from ..derive import Table as _Table
    from ..network import Network

    if isinstance(obj, Network):
        obj = obj.derive()
    if isinstance(obj, (_Table, Proof, LayerSolution, Document)):
        return view(obj)._repr_markdown_()
    return None


#: the classes a notebook shows rendered: (module, class name)
DISPLAYED = (("symcnn.derive", "Table"), ("symcnn.network", "Network"), ("symcnn.proof.model", "Proof"),
             ("symcnn.worked", "LayerSolution"), ("symcnn.keys.document", "Document"),
             ("symcnn.grading.grader", "GradedSheet"), ("symcnn.whatif", "WhatIf"))


def register(ip) -> None:
    """Teach an IPython shell to show symcnn's objects rendered (HTML with MathML, and Markdown), the way
    sympy's printing hooks in: the model classes themselves know nothing of notebooks."""
    formatters = ip.display_formatter.formatters
    for module, name in DISPLAYED:
        formatters["text/html"].for_type_by_name(module, name, _html_of)
        formatters["text/markdown"].for_type_by_name(module, name, _markdown_of)
