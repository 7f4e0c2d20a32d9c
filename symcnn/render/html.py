"""The HTML printer: self-contained pages with presentation MathML (answer keys,
graded sheets, proofs).  Every math fragment is converted by latex2mathml and
checked as XML with no raw LaTeX left."""

from __future__ import annotations

import html

from ..prose import prose_of
from . import mathml as M
from .document import cell_prose, cell_text, shown_lines
from .printer import Printer


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
            from .proofs import HTML_LINE, visible_length

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

        body = T.html_fragment(table)
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
        from . import proofs as P

        return P.mathml_body(b.proof, level=3)

    def _print_Proof(self, proof) -> str:
        from . import proofs as P

        return P.mathml(proof)

    def _print_GradedSheet(self, sheet) -> str:
        from .check import document

        return self.doprint(document(sheet))


def _words(text) -> str:
    """Plain text, or prose with typeset math (:class:`symcnn.proof.model.Prose`) as MathML."""
    text = prose_of(text)
    if isinstance(text, str):
        return html.escape(text)
    from .proofs import prose_html

    return prose_html(text)


def _cell(c) -> str:
    """A table cell: math typeset, plain text escaped."""
    from ..keys.document import Code

    if isinstance(c, Code):
        return f"<code>{html.escape(c.text)}</code>"
    prose = cell_prose(c)
    return html.escape(cell_text(c)) if prose is None else _words(prose)
