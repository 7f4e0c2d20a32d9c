"""The plain-text printer: tables, proofs and graded sheets for the terminal."""

from __future__ import annotations

from ..derive import Table
from ..proof.model import Proof
from ..worked import solve_row
from . import values as V
from .check import LABEL, claim_text, describe, diagnosis, score, value_text
from .plaintext import TEXT_REL, pretty_of, prose_text
from .printer import Printer
from .proofs import qed, reason_with_checks, summary_sentence
from .tabular import COLUMNS, footer_notes, header, row_cells, total_lines


class TextPrinter(Printer):
    format = "text"
    order = 0  # where the format comes in every list of formats
    extension = "txt"

    def _print_Table(self, table) -> str:
        return table_text(table)

    def _print_Proof(self, proof) -> str:
        return proof_text(proof)

    def _print_GradedSheet(self, sheet) -> str:
        return sheet_text(sheet)


def proof_text(proof: Proof) -> str:
    head = f"{proof.slug}: {proof.title}"
    out = [head, "=" * len(head), ""]
    if proof.problem:
        out.append(f"({proof.problem})")
    out.append(f"Theorem. {prose_text(proof.statement)}")
    for o in proof.obligations:
        cond = f"   (for {', '.join(pretty_of(a) for a in o.assume)})" if o.assume else ""
        out.append(f"    {pretty_of(o.lhs)} {TEXT_REL[o.relation]} {pretty_of(o.rhs)}{cond}")
    out.append("Hypotheses: " + "; ".join(prose_text(h.text) for h in proof.hypotheses))
    out.append("")
    out.append("Proof.")
    for n, step in enumerate(proof.steps, start=1):
        label = f"[{prose_text(step.label)}] " if step.label else ""
        out.append(f"  {n}. {label}{prose_text(step.text)}".rstrip())
        if step.first is not None:
            out.append(f"       {pretty_of(step.first)}")
            for l in step.links:
                said = reason_with_checks(l, proof.checkers)
                out.append(f"         {TEXT_REL[l.relation]} {pretty_of(l.expr)}    [{said}]")
    out.append("")
    out.append(f"{qed(proof)} {summary_sentence(proof)}")
    return "\n".join(out) + "\n"


def table_text(table: Table) -> str:
    rows = [list(COLUMNS), *list(row_cells(table))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    right = {3, 4, 5, 6, 7, 8, 9, 10}

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = header(table)
    out.append("conventions:")
    out.extend(f"  - {c}" for c in table.convention.describe())
    out.append("")
    out.append(line(rows[0]))
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(r) for r in rows[1:])
    out.append("")
    totals = total_lines(table)
    label_w = max(len(label) for label, _ in totals)
    for label, value in totals:
        out.append(f"{label.ljust(label_w)}  {V.text(value)}")
    notes = footer_notes(table)
    if notes:
        out.append("")
        out.append("notes:")
        out.extend(f"  - {n}" for n in notes)
    return "\n".join(out) + "\n"


def sheet_text(sheet) -> str:
    verdicts, meta, grader = sheet.verdicts, sheet.meta, sheet.grader
    right, total = score(verdicts)
    out = []
    if meta.get("student"):
        out.append(f"student: {meta['student']}")
    out.append(f"score: {right} of {total} claims right" + (f" ({100 * right / total:.0f}%)" if total else ""))
    out.append("conventions: " + "; ".join(describe(sheet)))
    for net, how in getattr(sheet, "networks", {}).items():
        out.append(f"network {net}: {how}")
    out.append("")
    for v in verdicts:
        where = f" ({v.claim.where})" if v.claim.where else ""
        about = f"{v.claim.other} share of" if v.claim.subject == "share" else v.claim.subject
        subject = f" [{v.claim.network} {about} {v.claim.quantity}]" if v.claim.claimed is not None else ""
        out.append(f"line {v.claim.line}{where}: {claim_text(v)}{subject}")
        out.append(f"  {LABEL[v.status]}" + (f": {v.note}" if v.note and v.status != "wrong" else ""))
        if v.status == "wrong":
            out.append(f"  correct: {value_text(v.correct)}")
            if v.slip:
                out.append(f"  likely slip: {diagnosis(v)}")
            else:
                out.append(f"  {v.note}")
            if v.row is not None and v.row.layer is not None:
                from .plaintext import text_of

                for line in solve_row(v.row, grader.convention).lines:
                    parts = [line.lhs] + ([text_of(line.formula)] if line.formula is not None else []) + \
                            [text_of(line.substituted), V.text(line.result)]
                    shown = [parts[0]]
                    for part in parts[1:]:  # C_out = C_out = 96 = 96 says nothing twice
                        if part != shown[-1] and part.replace(",", "") != shown[-1]:
                            shown.append(part)
                    out.append(f"    {' = '.join(shown)}")
    for line, where, txt in getattr(sheet, "unread", ()):
        out.append(f"line {line}{f' ({where})' if where else ''}: not read as a claim: {txt}")
    return "\n".join(out) + "\n"
