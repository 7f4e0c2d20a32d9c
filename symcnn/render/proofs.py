"""Proofs in text, Markdown, LaTeX, MathML (HTML) and JSON.

Display expressions are printed with ``order="none"``, so the textbook term
order they were written in survives (sympy would otherwise reorder terms).
All printer settings live here.

>>> from symcnn.theorems import prove
>>> print(render(prove("same-padding"), "text").splitlines()[0])
same-padding: Same padding keeps the size at stride 1
"""

from __future__ import annotations

import html
import json

import sympy as sp
from sympy.printing.str import StrPrinter

from ..errors import SymcnnError
from ..proof import Proof, Step
from . import mathml as M
from .escape import md_text

FORMATS = ("text", "markdown", "latex", "mathml", "json")
LATEX_REL = {"=": "=", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}
LATEX_SETTINGS = dict(order="none", mul_symbol=None)


def latex_of(e) -> str:
    return sp.latex(e, **LATEX_SETTINGS)


class _TextPrinter(StrPrinter):
    """Readable ASCII: r_(n + 1) for Indexed, sum(l=1..L) for sums."""

    printmethod = "_symcnn_text"  # Indexed has its own _sympystr; dispatch on type here instead

    def _print_Indexed(self, expr):
        idx = ", ".join(self._print(i) for i in expr.indices)
        simple = all(i.is_Atom for i in expr.indices)
        return f"{self._print(expr.base)}_{idx}" if simple else f"{self._print(expr.base)}_({idx})"

    def _print_IndexedBase(self, expr):
        return str(expr.label)

    def _print_Sum(self, expr):
        return self._bounds("sum", expr)

    def _print_Product(self, expr):
        return self._bounds("prod", expr)

    def _bounds(self, name, expr):
        (i, a, b), = expr.limits if len(expr.limits) == 1 else (expr.limits[0],)
        return f"{name}({self._print(i)}={self._print(a)}..{self._print(b)}) [{self._print(expr.function)}]"


def text_of(e) -> str:
    return _TextPrinter({"order": "none"}).doprint(e)


def render(proof: Proof, fmt: str = "text", *, fragment: bool = False) -> str:
    if fmt == "text":
        return text(proof)
    if fmt == "markdown":
        return markdown(proof)
    if fmt == "latex":
        return latex(proof, fragment=fragment)
    if fmt == "mathml":
        return mathml(proof)
    if fmt == "json":
        return json.dumps(as_dict(proof), indent=2) + "\n"
    raise SymcnnError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def _chain_text(step: Step, indent: str) -> list[str]:
    if step.first is None:
        return []
    lines = [f"{indent}{text_of(step.first)}"]
    for l in step.links:
        lines.append(f"{indent}  {l.relation} {text_of(l.expr)}    [{l.reason}]")
    return lines


def text(proof: Proof) -> str:
    head = f"{proof.slug}: {proof.title}"
    out = [head, "=" * len(head), ""]
    if proof.problem:
        out.append(f"({proof.problem})")
    out.append(f"Theorem. {proof.statement}")
    for c in proof.claim:
        out.append(f"    {text_of(c.first)} " + " ".join(f"{l.relation} {text_of(l.expr)}" for l in c.links))
    out.append("Hypotheses: " + "; ".join(proof.hypotheses))
    out.append("")
    out.append("Proof.")
    for n, step in enumerate(proof.steps, start=1):
        label = f"[{step.label}] " if step.label else ""
        out.append(f"  {n}. {label}{step.text}")
        out.extend(_chain_text(step, "       "))
    out.append("")
    out.append(f"QED. Every step was checked by sympy ({'; '.join(proof.methods)}).")
    return "\n".join(out) + "\n"


def _md(s: str) -> str:
    return md_text(s)


def _latex_chain(step: Step, align: bool = True) -> str:
    rows = []
    for i, l in enumerate(step.links):
        left = latex_of(step.first) if i == 0 else ""
        rows.append(f"{left} &{LATEX_REL[l.relation]} {latex_of(l.expr)} && \\text{{{tex_escape(l.reason)}}}")
    if not rows:
        return f"\\[ {latex_of(step.first)} \\]"
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def markdown(proof: Proof) -> str:
    out = [f"## `{proof.slug}`: {proof.title}", ""]
    if proof.problem:
        out += [f"*{proof.problem}*", ""]
    out.append(f"**Theorem.** {_md(proof.statement)}")
    out.append("")
    for c in proof.claim:
        out.append("$$" + latex_of(c.first) + " " + " ".join(f"{LATEX_REL[l.relation]} {latex_of(l.expr)}"
                                                            for l in c.links) + "$$")
    out.append("")
    out.append("**Hypotheses:** " + _md("; ".join(proof.hypotheses)))
    out.append("")
    out.append("**Proof.**")
    out.append("")
    for n, step in enumerate(proof.steps, start=1):
        label = f"*{_md(step.label)}.* " if step.label else ""
        out.append(f"{n}. {label}{_md(step.text)}")
        if step.first is not None:
            out.append("")
            out.append("   $$\\begin{aligned}")
            for i, l in enumerate(step.links):
                left = latex_of(step.first) if i == 0 else ""
                end = " \\\\" if i < len(step.links) - 1 else ""
                out.append(f"   {left} &{LATEX_REL[l.relation]} {latex_of(l.expr)} && \\text{{{_md_text(l.reason)}}}{end}")
            if not step.links:
                out.append(f"   {latex_of(step.first)}")
            out.append("   \\end{aligned}$$")
            out.append("")
    out.append("")
    out.append(f"∎ Every step was checked by sympy ({_md('; '.join(proof.methods))}).")
    return "\n".join(out) + "\n"


def _md_text(s: str) -> str:
    return s.replace("{", "(").replace("}", ")").replace("\\", "/")


_TEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex_escape(s: str) -> str:
    """Escape text (not math) for LaTeX; >= and <= become symbols."""
    out = "".join(_TEX_ESCAPES.get(ch, ch) for ch in s)
    out = out.replace(">=", r"$\geq$").replace("<=", r"$\leq$").replace("<", r"$<$").replace(">", r"$>$")
    out = out.replace("×", r"$\times$").replace("−", "-").replace("∎", r"$\blacksquare$")
    return out


def latex_preamble(size: str = "11pt", margin: str = "2.2cm") -> str:
    """The one LaTeX preamble of every document symcnn writes (proofs, answer keys, graded keys)."""
    return (f"\\documentclass[{size}]{{article}}\n"
            "\\usepackage[utf8]{inputenc}\n"
            "\\usepackage{amsmath,amssymb,amsthm}\n"
            "\\usepackage{booktabs,longtable,array}\n"
            f"\\usepackage[margin={margin}]{{geometry}}\n"
            "\\newtheorem*{theorem}{Theorem}\n"
            "\\allowdisplaybreaks\n"
            "\\setlength{\\LTcapwidth}{\\textwidth}\n")


LATEX_PREAMBLE = latex_preamble()


def latex_body(proof: Proof, level: str = "section") -> str:
    out = [f"\\{level}*{{{tex_escape(proof.title)}}}", f"\\label{{thm:{proof.slug}}}"]
    if proof.problem:
        out.append(f"\\emph{{{tex_escape(proof.problem)}}}\\par")
    out.append(f"\\begin{{theorem}}[\\texttt{{{tex_escape(proof.slug)}}}]")
    out.append(tex_escape(proof.statement))
    for c in proof.claim:
        out.append("\\[ " + latex_of(c.first) + " " + " ".join(f"{LATEX_REL[l.relation]} {latex_of(l.expr)}"
                                                              for l in c.links) + " \\]")
    out.append("\\end{theorem}")
    out.append("\\noindent\\textbf{Hypotheses:} " + tex_escape("; ".join(proof.hypotheses)) + ".")
    out.append("\\begin{proof}")
    out.append("\\begin{enumerate}")
    for step in proof.steps:
        label = f"\\textbf{{{tex_escape(step.label)}.}} " if step.label else ""
        out.append(f"\\item {label}{tex_escape(step.text)}")
        if step.first is not None:
            out.append(_latex_chain(step))
    out.append("\\end{enumerate}")
    out.append(f"Every step was checked by sympy ({tex_escape('; '.join(proof.methods))}).")
    out.append("\\end{proof}")
    return "\n".join(out) + "\n"


def latex(proof: Proof, *, fragment: bool = False) -> str:
    body = latex_body(proof)
    if fragment:
        return body
    return LATEX_PREAMBLE + "\\begin{document}\n" + body + "\\end{document}\n"


def _mathml_chain(step: Step) -> str:
    rows = []
    if not step.links:
        return M.to_mathml(latex_of(step.first), "block")
    for i, l in enumerate(step.links):
        left = M.to_mathml(latex_of(step.first)) if i == 0 else ""
        right = M.to_mathml(f"{LATEX_REL[l.relation]} {latex_of(l.expr)}")
        rows.append(f"<tr><td>{left}</td><td>{right}</td><td class=\"reason\">{html.escape(l.reason)}</td></tr>")
    return "<table class=\"chain\">\n" + "\n".join(rows) + "\n</table>"


def mathml_body(proof: Proof, level: int = 1) -> str:
    h = f"h{level}"
    out = [f"<section id=\"{html.escape(proof.slug)}\">",
           f"<{h}><code>{html.escape(proof.slug)}</code>: {html.escape(proof.title)}</{h}>"]
    if proof.problem:
        out.append(f"<p class=\"note\"><em>{html.escape(proof.problem)}</em></p>")
    out.append(f"<p><strong>Theorem.</strong> {html.escape(proof.statement)}</p>")
    for c in proof.claim:
        latex_claim = latex_of(c.first) + " " + " ".join(f"{LATEX_REL[l.relation]} {latex_of(l.expr)}"
                                                         for l in c.links)
        out.append(M.to_mathml(latex_claim, "block"))
    out.append(f"<p><strong>Hypotheses:</strong> {html.escape('; '.join(proof.hypotheses))}.</p>")
    out.append("<p><strong>Proof.</strong></p>\n<ol>")
    for step in proof.steps:
        label = f"<strong>{html.escape(step.label)}.</strong> " if step.label else ""
        out.append(f"<li><p>{label}{html.escape(step.text)}</p>")
        if step.first is not None:
            out.append(_mathml_chain(step))
        out.append("</li>")
    out.append("</ol>")
    out.append(f"<p class=\"verified\">&#8718; Every step was checked by sympy "
               f"({html.escape('; '.join(proof.methods))}).</p>")
    out.append("</section>")
    return "\n".join(out)


def mathml(proof: Proof) -> str:
    return M.page(f"{proof.slug}: {proof.title}", mathml_body(proof))


def _expr_json(e) -> dict:
    return {"text": text_of(e), "latex": latex_of(e), "sympy": sp.sstr(e)}


def as_dict(proof: Proof) -> dict:
    return {
        "slug": proof.slug,
        "title": proof.title,
        "problem": proof.problem,
        "statement": proof.statement,
        "statement_math": [
            {"first": _expr_json(c.first), "links": [{"relation": l.relation, "expr": _expr_json(l.expr)}
                                                     for l in c.links]} for c in proof.claim
        ],
        "hypotheses": list(proof.hypotheses),
        "steps": [
            {
                "label": s.label,
                "text": s.text,
                "first": None if s.first is None else _expr_json(s.first),
                "links": [{"relation": l.relation, "expr": _expr_json(l.expr), "reason": l.reason,
                           "method": l.method, "verified": True} for l in s.links],
            }
            for s in proof.steps
        ],
        "verified": proof.verified,
    }
