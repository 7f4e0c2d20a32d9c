"""The LaTeX printer: answer keys, graded sheets and proofs as complete documents
(amsmath, booktabs, longtables that break across pages)."""

from __future__ import annotations

from .document import LATEX_PREAMBLE, cell_text, worked_parts
from .printer import Printer
from .proofs import tex_escape

_LEVEL = {1: "section", 2: "subsection", 3: "subsubsection", 4: "paragraph"}


class LatexPrinter(Printer):
    format = "latex"
    extension = "tex"

    def _print_Document(self, doc) -> str:
        body = [LATEX_PREAMBLE, "\\begin{document}", f"\\title{{{tex_escape(doc.title)}}}", "\\date{}",
                "\\maketitle"]
        for b in doc.blocks:
            body.append(self.doprint(b))
        body.append("\\end{document}")
        return "\n".join(body) + "\n"

    def _print_Heading(self, b) -> str:
        return f"\\{_LEVEL.get(b.level, 'paragraph')}*{{{tex_escape(b.text)}}}"

    def _print_Para(self, b) -> str:
        return _words(b.text) + "\n"

    def _print_Bullets(self, b) -> str:
        return "\\begin{itemize}\n" + "\n".join(f"\\item {_words(i)}" for i in b.items) + "\n\\end{itemize}"

    def _print_Worked(self, b) -> str:
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

    def _print_BarChart(self, b) -> str:
        from .charts import latex

        return latex(b, tex_escape)

    def _print_DataTable(self, b) -> str:
        cols = _column_spec(b)
        head = " & ".join(f"\\textbf{{{tex_escape(h)}}}" for h in b.headers) + " \\\\"
        out = [f"{{\\scriptsize\\setlength{{\\tabcolsep}}{{3pt}}\n\\begin{{longtable}}{{{cols}}}",
               f"\\caption{{{tex_escape(b.caption)}}}\\\\", "\\toprule", head, "\\midrule", "\\endfirsthead",
               "\\toprule", head, "\\midrule", "\\endhead", "\\bottomrule", "\\endlastfoot"]
        for row in b.rows:
            out.append(" & ".join(tex_escape(cell_text(c)) for c in row) + " \\\\")
        out.append("\\end{longtable}}")
        return "\n".join(out)

    def _print_ProofBlock(self, b) -> str:
        from . import proofs as P

        return P.latex_body(b.proof, level="subsection")

    def _print_Proof(self, proof, fragment: bool = False) -> str:
        from . import proofs as P

        return P.latex(proof, fragment=fragment)

    def _print_GradedSheet(self, sheet) -> str:
        from .check import document

        return self.doprint(document(sheet))


def _column_spec(b) -> str:
    """Column types that keep a table within the text width: short columns at their natural width,
    long text columns (a claim as written, a diagnosis) as wrapping paragraphs sharing what is left."""
    widths = []
    for i, head in enumerate(b.headers):
        cells = [cell_text(row[i]) for row in b.rows if i < len(row)]
        widths.append(min(90, max([len(head)] + [len(c) for c in cells])))
    total = sum(widths) + 2 * len(widths)
    if total <= 95:  # fits at \scriptsize (about 95 characters to a line of text)
        return "".join("r" if n else "l" for n in b.numeric)
    narrow = [w if w <= 18 or b.numeric[i] else 0 for i, w in enumerate(widths)]
    wide = [w if not narrow[i] else 0 for i, w in enumerate(widths)]
    left = max(0.25, 0.95 - sum(n + 2 for n in narrow if n) / 95)
    out = []
    for i, n in enumerate(b.numeric):
        if narrow[i]:
            out.append("r" if n else "l")
        else:
            share = left * wide[i] ** 0.6 / sum(w ** 0.6 for w in wide if w)
            out.append(f">{{\\raggedright\\arraybackslash}}p{{{share:.3f}\\linewidth}}")
    return "".join(out)


def _words(text) -> str:
    """Plain text, or prose with typeset math (:class:`symcnn.proof.model.Prose`) set in LaTeX math."""
    if isinstance(text, str):
        return tex_escape(text)
    from .proofs import prose_latex

    return prose_latex(text)
