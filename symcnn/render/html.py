"""The HTML printer: self-contained pages with presentation MathML (answer keys,
graded sheets, proofs).  Every math fragment is converted by latex2mathml and
checked as XML with no raw LaTeX left."""

from __future__ import annotations

import html

from ..derive import Table
from ..proof.model import Math, Proof, Prose, Step
from ..prose import prose_of
from . import mathml as M
from . import values as V
from .document import cell_prose, cell_text, shown_lines
from .printer import Printer
from .proofs import assumed, summary_sentence, verdict_words
from .tabular import COLUMNS, footer_notes, header, row_cells, total_lines
from .tex import LATEX_REL, broken_lines, latex_of, math_latex, visible_length


class HtmlPrinter(Printer):
    format = "html"
    order = 3  # where the format comes in every list of formats
    aliases = ("mathml",)
    extension = "html"

    def _print_Document(self, doc) -> str:
        parts = [f"<h1>{html.escape(doc.title)}</h1>"]
        parts.extend(self.doprint(b) for b in doc.blocks)
        return M.page(doc.title, "\n".join(parts))

    def _print_Heading(self, b) -> str:
        level = min(b.level + 1, 6)
        return f"<h{level}>{html.escape(b.text)}</h{level}>"

    def _print_Para(self, b) -> str:
        return f"<p>{_words(b.text)}</p>"

    def _print_Bullets(self, b) -> str:
        return "<ul>\n" + "\n".join(f"<li>{_words(i)}</li>" for i in b.items) + "\n</ul>"

    def _print_Worked(self, b) -> str:
        sol = b.solution
        out = [f"<h4 class=\"layer\"><code>{html.escape(sol.row.name)}</code> "
               + (f"<code class=\"spec\">{html.escape(sol.spec)}</code> " if sol.spec else "")
               + (f"<span class=\"note\">{html.escape(sol.summary)}</span>" if sol.summary else "") + "</h4>"]
        lines = shown_lines(sol)
        if lines:
            from .document import worked_parts
            out.append("<table class=\"chain\">")
            for line in lines:
                lhs, *rest = worked_parts(line)
                label = html.escape(line.quantity)
                if visible_length(" = ".join([lhs, *rest])) <= HTML_LINE:
                    out.append(f"<tr><td>{M.display_cell(lhs)}</td><td>{M.display_cell('= ' + ' = '.join(rest))}</td>"
                               f"<td class=\"reason\">{label}</td></tr>")
                else:
                    # too long for the column: each '= ...' on a row of its own, the label beneath
                    for k, part in enumerate(rest):
                        left = M.display_cell(lhs) if k == 0 else ""
                        out.append(f"<tr><td>{left}</td><td>{M.display_cell('= ' + part)}</td><td></td></tr>")
                    out.append(f"<tr><td></td><td class=\"reason\" colspan=\"2\">{label}</td></tr>")
                if line.note:  # at the step it concerns
                    out.append(f"<tr><td></td><td class=\"stepnote\" colspan=\"2\"><em>Note:</em> "
                               f"{_words(prose_of(line.note))}</td></tr>")
            out.append("</table>")
        return "\n".join(out)

    def _print_Table(self, table, fragment: bool = False) -> str:
        from . import tabular as T

        body = table_html(table)
        return body if fragment else M.page(f"symcnn: {T.title(table)}", body)

    def _print_BarChart(self, b) -> str:
        from .charts import svg

        return svg(b)

    def _print_DataTable(self, b) -> str:
        out = [f"<table class=\"data\">\n<caption>{html.escape(b.caption)}</caption>", "<thead><tr>"]
        out.extend(f"<th>{html.escape(h)}</th>" for h in b.headers)
        out.append("</tr></thead><tbody>")
        for row in b.rows:
            cells = "".join(f"<td class=\"{'num' if n else 'txt'}\">{_cell(c)}</td>"
                            for c, n in zip(row, b.numeric))
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)

    def _print_ProofBlock(self, b) -> str:
        return mathml_body(b.proof, level=3)

    def _print_Proof(self, proof) -> str:
        return proof_mathml(proof)

    def _print_GradedSheet(self, sheet) -> str:
        from .check import document

        return self.doprint(document(sheet))


def _words(text) -> str:
    """Plain text, or prose with typeset math (:class:`symcnn.proof.model.Prose`) as MathML."""
    text = prose_of(text)
    if isinstance(text, str):
        return html.escape(text)
    return prose_html(text)


def _cell(c) -> str:
    """A table cell: math typeset, plain text escaped."""
    from ..keys.document import Code

    if isinstance(c, Code):
        return f"<code>{html.escape(c.text)}</code>"
    prose = cell_prose(c)
    return html.escape(cell_text(c)) if prose is None else _words(prose)


def prose_html(p: Prose) -> str:
    return "".join(M.to_mathml(math_latex(x)) if isinstance(x, Math) else html.escape(x) for x in p.parts)


def reason_html(r) -> str:
    return prose_html(r) if isinstance(r, Prose) else html.escape(r)


#: displayed math characters that fit the HTML page's text column (60em)
HTML_LINE = 72


def _mathml_chain(step: Step, checkers) -> str:
    """The chain as the LaTeX lays it out: sides and sums too long for the column on rows of their own,
    each link's reason (and the checkers' verdicts) on the row beneath, so nothing runs past the page."""
    if not step.links:
        return M.to_mathml(latex_of(step.first), "block")
    rows = []
    first = latex_of(step.first)

    def math_rows(pieces: list[str], left: str = "") -> None:
        for k, piece in enumerate(pieces):
            body = piece[1:].strip()  # '&= ...' or '&\\quad + ...'
            indent = " class=\"cont\"" if body.startswith("\\quad") else ""
            body = body.removeprefix("\\quad").strip()
            lhs = M.display_cell(left) if (k == 0 and left) else ""
            rows.append(f"<tr><td>{lhs}</td><td{indent}>{M.display_cell(body)}</td></tr>")

    for i, l in enumerate(step.links):
        rel, right = LATEX_REL[l.relation], latex_of(l.expr)
        if i == 0 and visible_length(first) + visible_length(right) + 3 <= HTML_LINE:
            math_rows([f"&{rel} {right}"], first)
        else:
            if i == 0:
                math_rows(broken_lines(step.first, "", HTML_LINE))
            math_rows(broken_lines(l.expr, rel, HTML_LINE))
        checked = "" if assumed(l) else f" <span class=\"checks\">({html.escape(verdict_words(l, checkers))})</span>"
        rows.append(f"<tr><td></td><td class=\"reason\">{reason_html(l.reason)}{checked}</td></tr>")
    return "<table class=\"chain\">\n" + "\n".join(rows) + "\n</table>"


def mathml_body(proof: Proof, level: int = 1) -> str:
    h = f"h{level}"
    out = [f"<section id=\"{html.escape(proof.slug)}\">",
           f"<{h}><code>{html.escape(proof.slug)}</code>: {html.escape(proof.title)}</{h}>"]
    if proof.problem:
        out.append(f"<p class=\"note\"><em>{html.escape(proof.problem)}</em></p>")
    out.append(f"<p><strong>Theorem.</strong> {prose_html(proof.statement)}</p>")
    for o in proof.obligations:
        cond = f"\\quad\\text{{for }} {', '.join(latex_of(a) for a in o.assume)}" if o.assume else ""
        out.append(M.to_mathml(f"{latex_of(o.lhs)} {LATEX_REL[o.relation]} {latex_of(o.rhs)}{cond}", "block"))
    out.append("<p><strong>Hypotheses:</strong> " + "; ".join(prose_html(h.text) for h in proof.hypotheses)
               + ".</p>")
    out.append("<p><strong>Proof.</strong></p>\n<ol>")
    for step in proof.steps:
        label = f"<strong>{prose_html(step.label)}.</strong> " if step.label else ""
        out.append(f"<li><p>{label}{prose_html(step.text)}</p>")
        if step.first is not None:
            out.append(_mathml_chain(step, proof.checkers))
        out.append("</li>")
    out.append("</ol>")
    cls = "verified" if proof.verified else "unverified"
    out.append(f"<p class=\"{cls}\">&#8718; {html.escape(summary_sentence(proof))}</p>")
    out.append("</section>")
    return "\n".join(out)


def proof_mathml(proof: Proof) -> str:
    return M.page(f"{proof.slug}: {proof.title}", mathml_body(proof))


def table_html(table: Table) -> str:
    """The table as HTML: its header, conventions, one row per layer (numbers carry a data-sort key so a page can
    sort the columns), the totals and the notes."""
    import html as H

    head = header(table)
    out = [f"<section class=\"symcnn-table\">\n<h2>{H.escape(head[0])}</h2>", "<ul class=\"about\">"]
    out.extend(f"<li>{H.escape(h)}</li>" for h in head[1:])
    out.append("<li>conventions:<ul>" + "".join(f"<li>{H.escape(c)}</li>" for c in table.convention.describe())
               + "</ul></li></ul>")
    out.append("<table class=\"layers\">\n<thead><tr>" + "".join(f"<th>{H.escape(c)}</th>" for c in COLUMNS)
               + "</tr></thead>\n<tbody>")
    for cells in row_cells(table):
        row = []
        for i, c in enumerate(cells):
            c = c.strip()
            key = c.replace(",", "").strip("()")
            sort = f" data-sort=\"{H.escape(key)}\"" if i >= 3 and key.lstrip("-").isdigit() else ""
            row.append(f"<td class=\"{'num' if i >= 3 else 'txt'}\"{sort}>{H.escape(c)}</td>")
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</tbody></table>")
    out.append("<table class=\"totals\">\n<thead><tr><th>total</th><th>value</th></tr></thead>\n<tbody>")
    out.extend(f"<tr><td class=\"txt\">{H.escape(label)}</td><td class=\"num\">{H.escape(V.text(value))}</td>"
               "</tr>" for label, value in total_lines(table))
    out.append("</tbody></table>")
    notes = footer_notes(table)
    if notes:
        out.append("<p>Notes:</p><ul class=\"notes\">" + "".join(f"<li>{H.escape(n)}</li>" for n in notes) + "</ul>")
    out.append("</section>")
    return "\n".join(out) + "\n"
