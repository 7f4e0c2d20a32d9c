"""Documents (answer keys) in LaTeX, HTML with presentation MathML, and Markdown.

Every math fragment in HTML goes through :func:`symcnn.render.mathml.to_mathml`,
which refuses MathML that is not XML or that leaks raw LaTeX.
"""

from __future__ import annotations

import html

import sympy as sp

from ..errors import SymcnnError
from ..keys import Bullets, DataTable, Document, Heading, Para, ProofBlock, Worked
from . import mathml as M
from . import proofs as P
from .escape import md_code, md_text
from .proofs import latex_of, tex_escape

FORMATS = {"latex": "tex", "html": "html", "markdown": "md"}


def render(doc: Document, fmt: str) -> str:
    if fmt == "latex":
        return latex(doc)
    if fmt == "html":
        return html_page(doc)
    if fmt == "markdown":
        return markdown(doc)
    raise SymcnnError(f"unknown answer-key format {fmt!r} (choose from {', '.join(FORMATS)})")


# -- shared pieces --------------------------------------------------------------------------------------------

def number_latex(v) -> str:
    """A result in math: integers with thousands separators."""
    v = sp.sympify(v)
    if v.is_Integer:
        return f"{int(v):,}".replace(",", "{,}")
    return latex_of(v)


def cell_text(v) -> str:
    if isinstance(v, sp.Basic):
        return f"{int(v):,}" if v.is_Integer else sp.sstr(v)
    return str(v)


def _lhs_latex(lhs: str) -> str:
    return {"weights": r"\mathrm{weights}", "biases": r"\mathrm{biases}", "params": r"\mathrm{params}",
            "activations": r"\mathrm{activations}", "MACs": r"\mathrm{MACs}"}.get(lhs, latex_of(sp.Symbol(lhs)))


def worked_parts(l) -> list[str]:
    """lhs, formula in symbols, formula with the values, result (LaTeX)."""
    parts = [_lhs_latex(l.lhs)]
    if l.formula is not None:
        parts.append(latex_of(l.formula))
    parts.append(latex_of(l.substituted))
    parts.append(number_latex(l.result))
    out = [parts[0]]
    for p in parts[1:]:  # C_out = C_out = 96 = 96 says nothing twice
        if p != out[-1] and p.replace("{,}", "") != out[-1]:
            out.append(p)
    return out


def worked_latex_rows(sol) -> list[tuple[str, str]]:
    """(math, label) per line: lhs = formula = substituted = result."""
    return [(" = ".join(worked_parts(l)), l.quantity + (f" ({l.note})" if l.note else "")) for l in sol.lines]


# -- LaTeX ----------------------------------------------------------------------------------------------------

LATEX_PREAMBLE = P.latex_preamble("10pt", "2cm")


def latex(doc: Document) -> str:
    body = [LATEX_PREAMBLE, "\\begin{document}", f"\\title{{{tex_escape(doc.title)}}}", "\\date{}",
            "\\maketitle"]
    for b in doc.blocks:
        body.append(latex_block(b))
    body.append("\\end{document}")
    return "\n".join(body) + "\n"


_LATEX_LEVEL = {1: "section", 2: "subsection", 3: "subsubsection", 4: "paragraph"}


def latex_block(b) -> str:
    if isinstance(b, Heading):
        return f"\\{_LATEX_LEVEL.get(b.level, 'paragraph')}*{{{tex_escape(b.text)}}}"
    if isinstance(b, Para):
        return tex_escape(b.text) + "\n"
    if isinstance(b, Bullets):
        return "\\begin{itemize}\n" + "\n".join(f"\\item {tex_escape(i)}" for i in b.items) + "\n\\end{itemize}"
    if isinstance(b, Worked):
        sol = b.solution
        head = f"\\paragraph{{{tex_escape(sol.row.name)}}} {tex_escape(sol.summary)}."
        if not sol.lines:
            return head
        rows = []
        for l in sol.lines:
            lhs, *rest = worked_parts(l)
            rows.append(f"{lhs} &= {rest[0]} && \\text{{{tex_escape(l.quantity)}}}")
            rows.extend(f"&= {r}" for r in rest[1:])
        notes = [l.note for l in sol.lines if l.note]
        tail = "".join(f"\n\\noindent\\emph{{Note:}} {tex_escape(n)}.\\par" for n in notes)
        return head + "\n\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}" + tail
    if isinstance(b, DataTable):
        cols = "".join("r" if n else "l" for n in b.numeric)
        head = " & ".join(f"\\textbf{{{tex_escape(h)}}}" for h in b.headers) + " \\\\"
        out = [f"{{\\scriptsize\\setlength{{\\tabcolsep}}{{3pt}}\n\\begin{{longtable}}{{{cols}}}",
               f"\\caption{{{tex_escape(b.caption)}}}\\\\", "\\toprule", head, "\\midrule", "\\endfirsthead",
               "\\toprule", head, "\\midrule", "\\endhead", "\\bottomrule", "\\endlastfoot"]
        for row in b.rows:
            out.append(" & ".join(tex_escape(cell_text(c)) for c in row) + " \\\\")
        out.append("\\end{longtable}}")
        return "\n".join(out)
    if isinstance(b, ProofBlock):
        return P.latex_body(b.proof, level="subsection")
    raise TypeError(f"unknown block {b!r}")


# -- HTML with MathML -------------------------------------------------------------------------------------------

def html_page(doc: Document) -> str:
    parts = [f"<h1>{html.escape(doc.title)}</h1>"]
    parts.extend(html_block(b) for b in doc.blocks)
    return M.page(doc.title, "\n".join(parts))


def html_block(b) -> str:
    if isinstance(b, Heading):
        level = min(b.level + 1, 6)
        return f"<h{level}>{html.escape(b.text)}</h{level}>"
    if isinstance(b, Para):
        return f"<p>{html.escape(b.text)}</p>"
    if isinstance(b, Bullets):
        return "<ul>\n" + "\n".join(f"<li>{html.escape(i)}</li>" for i in b.items) + "\n</ul>"
    if isinstance(b, Worked):
        sol = b.solution
        out = [f"<h4 class=\"layer\"><code>{html.escape(sol.row.name)}</code> "
               f"<span class=\"note\">{html.escape(sol.summary)}</span></h4>"]
        if sol.lines:
            out.append("<table class=\"chain\">")
            for math, label in worked_latex_rows(sol):
                out.append(f"<tr><td>{M.to_mathml(math)}</td><td class=\"reason\">{html.escape(label)}</td></tr>")
            out.append("</table>")
        return "\n".join(out)
    if isinstance(b, DataTable):
        out = [f"<table class=\"data\">\n<caption>{html.escape(b.caption)}</caption>", "<thead><tr>"]
        out.extend(f"<th>{html.escape(h)}</th>" for h in b.headers)
        out.append("</tr></thead><tbody>")
        for row in b.rows:
            cells = "".join(f"<td class=\"{'num' if n else 'txt'}\">{html.escape(cell_text(c))}</td>"
                            for c, n in zip(row, b.numeric))
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)
    if isinstance(b, ProofBlock):
        return P.mathml_body(b.proof, level=3)
    raise TypeError(f"unknown block {b!r}")


# -- Markdown ---------------------------------------------------------------------------------------------------

def _md(s: str) -> str:
    return md_text(s)


def markdown(doc: Document) -> str:
    out = [f"# {_md(doc.title)}", ""]
    for b in doc.blocks:
        out.append(markdown_block(b))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def markdown_block(b) -> str:
    if isinstance(b, Heading):
        return "#" * min(b.level + 1, 6) + " " + _md(b.text)
    if isinstance(b, Para):
        return _md(b.text)
    if isinstance(b, Bullets):
        return "\n".join(f"- {_md(i)}" for i in b.items)
    if isinstance(b, Worked):
        sol = b.solution
        out = [f"**{md_code(sol.row.name)}** {_md(sol.summary)}"]
        if sol.lines:
            out.append("")
            for math, label in worked_latex_rows(sol):
                out.append(f"- {_md(label)}: ${math}$")
        return "\n".join(out)
    if isinstance(b, DataTable):
        out = [f"*{_md(b.caption)}*", "", "| " + " | ".join(b.headers) + " |",
               "|" + "|".join("--:" if n else ":--" for n in b.numeric) + "|"]
        for row in b.rows:
            out.append("| " + " | ".join(_md(cell_text(c)) for c in row) + " |")
        return "\n".join(out)
    if isinstance(b, ProofBlock):
        return P.markdown(b.proof)
    raise TypeError(f"unknown block {b!r}")
