"""The Markdown printer: tables, answer keys, graded sheets and proofs.  Every
string from outside symcnn is escaped (HTML entities and backslash escapes):
Markdown is pasted where it is rendered as HTML."""

from __future__ import annotations

from ..derive import Table
from ..proof.model import Math, Proof, Prose
from ..prose import prose_of
from . import values as V
from .document import cell_prose, cell_text, shown_lines, worked_latex_rows
from .escape import md_code, md_text
from .printer import Printer
from .proofs import assumed, summary_sentence, verdict_words
from .tabular import COLUMNS, footer_notes, header, row_cells, total_lines
from .tex import LATEX_REL, latex_of, math_latex, md_math_text, reason_in_math


class MarkdownPrinter(Printer):
    format = "markdown"
    order = 1  # where the format comes in every list of formats
    extension = "md"

    def _print_Table(self, table) -> str:
        return table_markdown(table)

    def _print_Proof(self, proof) -> str:
        return proof_markdown(proof)

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
        return proof_markdown(b.proof)

    def _print_GradedSheet(self, sheet) -> str:
        from .check import document

        return self.doprint(document(sheet))


def _words(text) -> str:
    """Plain text, or prose with typeset math (:class:`symcnn.proof.model.Prose`) as $...$."""
    text = prose_of(text)
    if isinstance(text, str):
        return md_text(text)
    return prose_markdown(text)


def _cell(c) -> str:
    """A table cell: math typeset, plain text escaped."""
    from ..keys.document import Code

    if isinstance(c, Code):
        return md_code(c.text)
    prose = cell_prose(c)
    return md_text(cell_text(c)) if prose is None else _words(prose)


def _md(s: str) -> str:
    return md_text(s)


def proof_markdown(proof: Proof) -> str:
    out = [f"## `{proof.slug}`: {_md(proof.title)}", ""]
    if proof.problem:
        out += [f"*{_md(proof.problem)}*", ""]
    out.append(f"**Theorem.** {prose_markdown(proof.statement)}")
    out.append("")
    for o in proof.obligations:
        cond = f"\\quad\\text{{for }} {', '.join(latex_of(a) for a in o.assume)}" if o.assume else ""
        out.append(f"$${latex_of(o.lhs)} {LATEX_REL[o.relation]} {latex_of(o.rhs)}{cond}$$")
    out.append("")
    out.append("**Hypotheses:** " + "; ".join(prose_markdown(h.text) for h in proof.hypotheses))
    out.append("")
    out.append("**Proof.**")
    out.append("")
    for n, step in enumerate(proof.steps, start=1):
        label = f"*{prose_markdown(step.label)}.* " if step.label else ""
        out.append(f"{n}. {label}{prose_markdown(step.text)}".rstrip())
        if step.first is not None:
            out.append("")
            out.append("   $$\\begin{aligned}")
            for i, l in enumerate(step.links):
                left = latex_of(step.first) if i == 0 else ""
                end = " \\\\" if i < len(step.links) - 1 else ""
                verdict = "" if assumed(l) else f"\\text{{; {md_math_text(verdict_words(l, proof.checkers))}}}"
                out.append(f"   {left} &{LATEX_REL[l.relation]} {latex_of(l.expr)} && "
                           f"{reason_in_math(l.reason)}{verdict}{end}")
            if not step.links:
                out.append(f"   {latex_of(step.first)}")
            out.append("   \\end{aligned}$$")
            out.append("")
    out.append("")
    out.append(f"∎ {_md(summary_sentence(proof))}")
    return "\n".join(out) + "\n"


def prose_markdown(p: Prose) -> str:
    return "".join(f"${math_latex(x)}$" if isinstance(x, Math) else md_text(x) for x in p.parts)


def _md_escape(s: str) -> str:
    return md_text(s)


def table_markdown(table: Table) -> str:
    head = header(table)
    out = [f"## {_md_escape(head[0])}", ""]
    out.extend(f"- {_md_escape(h)}" for h in head[1:])
    out.append("- conventions:")
    out.extend(f"  - {_md_escape(c)}" for c in table.convention.describe())
    out.append("")
    out.append("| " + " | ".join(COLUMNS) + " |")
    out.append("|" + "|".join([":--", ":--", ":--"] + ["--:"] * (len(COLUMNS) - 3)) + "|")
    for cells in row_cells(table):
        cells[0] = cells[0].strip()
        out.append("| " + " | ".join(_md_escape(c) for c in cells) + " |")
    out.append("")
    out.append("| total | value |")
    out.append("|:--|--:|")
    for label, value in total_lines(table):
        out.append(f"| {label} | {_md_escape(V.text(value))} |")
    notes = footer_notes(table)
    if notes:
        out.append("")
        out.append("Notes:")
        out.append("")
        out.extend(f"- {_md_escape(n)}" for n in notes)
    return "\n".join(out) + "\n"
