"""The Markdown printer: tables, answer keys, graded sheets and proofs.  Every
string from outside symcnn is escaped (HTML entities and backslash escapes):
Markdown is pasted where it is rendered as HTML."""

from __future__ import annotations

from ..prose import prose_of
from . import tabular as T
from .document import cell_prose, cell_text, shown_lines, worked_latex_rows
from .escape import md_code, md_text
from .printer import Printer


class MarkdownPrinter(Printer):
    format = "markdown"
    order = 1  # where the format comes in every list of formats
    extension = "md"

    def _print_Table(self, table) -> str:
        return T.markdown(table)

    def _print_Proof(self, proof) -> str:
        from . import proofs as P

        return P.markdown(proof)

    def _print_Document(self, doc) -> str:
        out = [f"# {md_text(doc.title)}", ""]
        for b in doc.blocks:
            out.append(self.doprint(b))
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def _print_Heading(self, b) -> str:
        return "#" * min(b.level + 1, 6) + " " + md_text(b.text)

    def _print_Para(self, b) -> str:
        return _words(b.text)

    def _print_Bullets(self, b) -> str:
        return "\n".join(f"- {_words(i)}" for i in b.items)

    def _print_Worked(self, b) -> str:
        sol = b.solution
        said = [md_code(sol.spec)] if sol.spec else []
        said += [md_text(sol.summary)] if sol.summary else []
        out = [f"**{md_code(sol.row.name)}** {'; '.join(said)}"]
        if shown_lines(sol):
            out.append("")
            for math, label, note in worked_latex_rows(sol):
                out.append(f"- {md_text(label)}: ${math}$")
                if note:  # at the step it concerns
                    out.append(f"  *Note:* {_words(prose_of(note))}.")
        return "\n".join(out)

    def _print_BarChart(self, b) -> str:
        from .charts import markdown

        return markdown(b, md_text)

    def _print_DataTable(self, b) -> str:
        out = [f"*{md_text(b.caption)}*", "", "| " + " | ".join(b.headers) + " |",
               "|" + "|".join("--:" if n else ":--" for n in b.numeric) + "|"]
        for row in b.rows:
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        return "\n".join(out)

    def _print_ProofBlock(self, b) -> str:
        from . import proofs as P

        return P.markdown(b.proof)

    def _print_GradedSheet(self, sheet) -> str:
        from .check import document

        return self.doprint(document(sheet))


def _words(text) -> str:
    """Plain text, or prose with typeset math (:class:`symcnn.proof.model.Prose`) as $...$."""
    text = prose_of(text)
    if isinstance(text, str):
        return md_text(text)
    from .proofs import prose_markdown

    return prose_markdown(text)


def _cell(c) -> str:
    """A table cell: math typeset, plain text escaped."""
    from ..keys.document import Code

    if isinstance(c, Code):
        return md_code(c.text)
    prose = cell_prose(c)
    return md_text(cell_text(c)) if prose is None else _words(prose)
