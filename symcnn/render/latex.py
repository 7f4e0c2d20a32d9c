"""The LaTeX printer: answer keys, graded sheets and proofs as complete documents
(amsmath, booktabs, longtables that break across pages)."""

from __future__ import annotations

from ..proof.model import ASSUMED, FAILED, NOT_RUN, PROVED, UNKNOWN, Link, Proof, Step
from ..prose import prose_of
from .document import LATEX_PREAMBLE, cell_prose, cell_text, shown_lines, worked_parts
from .printer import Printer
from .proofs import CHECKER_NAMES, assumed, summary_sentence
from .tex import (
    LATEX_REL,
    MATH_LINE,
    PROOF_PREAMBLE,
    broken_lines,
    latex_of,
    prose_latex,
    reason_latex,
    tex_escape,
    visible_length,
)

_LEVEL = {1: "section", 2: "subsection", 3: "subsubsection", 4: "paragraph"}


class LatexPrinter(Printer):
    format = "latex"
    order = 2  # where the format comes in every list of formats
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
        said = [f"\\texttt{{{tex_escape(sol.spec)}}}"] if sol.spec else []
        said += [tex_escape(sol.summary)] if sol.summary else []
        head = f"\\paragraph{{{tex_escape(sol.row.name)}}} {'; '.join(said)}."
        lines = shown_lines(sol)
        if not lines:
            return head
        body, tail = "", ""
        for k, l in enumerate(lines):
            lhs, *rest = worked_parts(l)
            rows = [f"{lhs} &= {rest[0]} && \\text{{{tex_escape(l.quantity)}}}", *(f"&= {r}" for r in rest[1:])]
            body += " \\\\\n".join(rows)
            last = k + 1 == len(lines)
            if l.note:  # at the step it concerns: between this line and the next, or after the last
                note = f"\\emph{{Note:}} {_words(prose_of(l.note))}."
                if last:
                    tail = f"\n\\noindent{{\\small {note}}}\\par"
                else:  # \intertext follows a line break and starts the next row itself
                    body += f" \\\\\n\\intertext{{\\small {note}}}\n"
                    continue
            if not last:
                body += " \\\\\n"
        return head + "\n\\begin{align*}\n" + body + "\n\\end{align*}" + tail

    def _print_BarChart(self, b) -> str:
        from .charts import latex

        return latex(b, tex_escape)

    def _print_DataTable(self, b) -> str:
        cols = _column_spec(b)
        head = " & ".join(f"\\textbf{{{tex_escape(h)}}}" for h in b.headers) + " \\\\"
        sep = "3pt" if len(b.headers) <= 10 else "2pt"  # the per-layer summary (11 columns) fits at 2pt
        out = [f"{{\\scriptsize\\setlength{{\\tabcolsep}}{{{sep}}}\n\\begin{{longtable}}{{{cols}}}",
               f"\\caption{{{tex_escape(b.caption)}}}\\\\", "\\toprule", head, "\\midrule", "\\endfirsthead",
               "\\toprule", head, "\\midrule", "\\endhead", "\\bottomrule", "\\endlastfoot"]
        for row in b.rows:
            out.append(" & ".join(_cell(c) for c in row) + " \\\\")
        out.append("\\end{longtable}}")
        return "\n".join(out)

    def _print_ProofBlock(self, b) -> str:
        return latex_body(b.proof, level="subsection")

    def _print_Proof(self, proof, fragment: bool = False) -> str:
        return proof_latex(proof, fragment=fragment)

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
    left = max(0.15, 0.95 - sum(n + 2 for n in narrow if n) / 95)  # wide figure columns leave the text less
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
    text = prose_of(text)
    if isinstance(text, str):
        return tex_escape(text)
    return prose_latex(text)


def _cell(c) -> str:
    """A table cell: math typeset, plain text escaped."""
    from ..keys.document import Code

    if isinstance(c, Code):
        return f"\\texttt{{{tex_escape(c.text)}}}"
    prose = cell_prose(c)
    return tex_escape(cell_text(c)) if prose is None else _words(prose)


def _verdict_latex(link: Link, checkers) -> str:
    if all(v == ASSUMED for v in link.checks.values()):
        return "hypothesis"
    marks = {PROVED: r"\checkmark", UNKNOWN: "?", FAILED: r"\times", NOT_RUN: "--"}
    return ", ".join(f"{CHECKER_NAMES[c]}\\,${marks.get(link.checks.get(c, NOT_RUN), '?')}$" for c in checkers)


def _latex_chain(step: Step, checkers) -> str:
    """An aligned chain; a side too long for the line starts a row of its own, and a long sum is broken
    after a term, so that nothing runs past the margin; the checkers' verdicts wrap beneath."""
    rows: list[str] = []
    first = latex_of(step.first)
    # where the alignment point falls: after the first side when it shares its row, else near the margin
    offset = visible_length(first) if step.links and visible_length(first) + visible_length(
        latex_of(step.links[0].expr)) + 3 <= MATH_LINE else 0
    width = max(0.3, min(0.85, 0.88 - offset / MATH_LINE))
    for i, l in enumerate(step.links):
        rel = LATEX_REL[l.relation]
        right = latex_of(l.expr)
        why = reason_latex(l.reason) if assumed(l) else f"{reason_latex(l.reason)}; {_verdict_latex(l, checkers)}"
        if i == 0 and visible_length(first) + visible_length(right) + 3 <= MATH_LINE:
            rows.append(f"{first} &{rel} {right}")
        else:
            if i == 0:
                rows.extend(broken_lines(step.first, ""))
            rows.extend(broken_lines(l.expr, rel))
        rows.append(f"&\\qquad\\parbox[t]{{{width:.2f}\\linewidth}}{{\\raggedright\\small {why}}}")
    if not rows:
        return f"\\[ {first} \\]"
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def latex_body(proof: Proof, level: str = "section") -> str:
    out = [f"\\{level}*{{{tex_escape(proof.title)}}}", f"\\label{{thm:{proof.slug}}}"]
    if proof.problem:
        out.append(f"\\emph{{{tex_escape(proof.problem)}}}\\par")
    out.append(f"\\begin{{theorem}}[\\texttt{{{tex_escape(proof.slug)}}}]")
    out.append(prose_latex(proof.statement))
    for o in proof.obligations:
        cond = f"\\quad\\text{{for }} {', '.join(latex_of(a) for a in o.assume)}" if o.assume else ""
        out.append(f"\\[ {latex_of(o.lhs)} {LATEX_REL[o.relation]} {latex_of(o.rhs)}{cond} \\]")
    out.append("\\end{theorem}")
    out.append("\\noindent\\textbf{Hypotheses:} " + "; ".join(prose_latex(h.text) for h in proof.hypotheses) + ".")
    out.append("\\begin{proof}")
    out.append("\\begin{enumerate}")
    for step in proof.steps:
        label = f"\\textbf{{{prose_latex(step.label)}.}} " if step.label else ""
        out.append(f"\\item {label}{prose_latex(step.text)}")
        if step.first is not None:
            out.append(_latex_chain(step, proof.checkers))
    out.append("\\end{enumerate}")
    out.append(tex_escape(summary_sentence(proof)))
    out.append("\\end{proof}")
    return "\n".join(out) + "\n"


def proof_latex(proof: Proof, *, fragment: bool = False) -> str:
    body = latex_body(proof)
    if fragment:
        return body
    return PROOF_PREAMBLE + "\\begin{document}\n" + body + "\\end{document}\n"
