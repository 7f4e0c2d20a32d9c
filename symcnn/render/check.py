"""Graded sheets: the verdicts of `symcnn check` as text and JSON data, and as a
document (the answer-key block model) that the Markdown, LaTeX and HTML
printers print."""

from __future__ import annotations

import sympy as sp

from ..grading.work import readable
from ..keys import Bullets, DataTable, Document, Heading, Para, Worked
from ..keys.notation import notation_table
from ..worked import solve_row
from . import values as V

LABEL = {"right": "right", "right-under-convention": "right under another convention",
         "consistent": "consistent (error carried forward)", "wrong": "WRONG", "unknown": "cannot grade",
         "repeat": "a repeat (not scored again)"}


def _value_text(v) -> str:
    if v is None:
        return "?"
    if isinstance(v, tuple):
        return "x".join(str(x) for x in v) + " (C x H x W)"
    v = sp.sympify(v)
    if v.is_Integer:
        return f"{int(v):,}"
    if v.is_Rational:
        return f"{v} (~{float(v):.6g})"
    return sp.sstr(v)


def score(verdicts) -> tuple[int, int]:
    """(claims given credit, claims graded): a consistent figure (error carried forward) gets credit."""
    from ..grading.grader import CREDIT, NOT_SCORED

    gradable = [v for v in verdicts if v.status not in NOT_SCORED]
    right = sum(v.status in CREDIT for v in gradable)
    return right, len(gradable)


def _claim_text(v) -> str:
    c = v.claim
    if c.claimed is None:
        return readable(c.text)
    label = f"{c.label}: " if c.label else ""
    return f"{label}{c.quantity} {readable(c.claimed)}"


def _describe(sheet) -> list[str]:
    grader = sheet.grader
    return list(grader.convention.describe()) + list(grader.policy.describe())


def text(sheet) -> str:
    verdicts, meta, grader = sheet.verdicts, sheet.meta, sheet.grader
    right, total = score(verdicts)
    out = []
    if meta.get("student"):
        out.append(f"student: {meta['student']}")
    out.append(f"score: {right} of {total} claims right" + (f" ({100 * right / total:.0f}%)" if total else ""))
    out.append("conventions: " + "; ".join(_describe(sheet)))
    for net, how in getattr(sheet, "networks", {}).items():
        out.append(f"network {net}: {how}")
    out.append("")
    for v in verdicts:
        where = f" ({v.claim.where})" if v.claim.where else ""
        subject = f" [{v.claim.network} {v.claim.subject} {v.claim.quantity}]" if v.claim.claimed is not None else ""
        out.append(f"line {v.claim.line}{where}: {_claim_text(v)}{subject}")
        out.append(f"  {LABEL[v.status]}" + (f": {v.note}" if v.note and v.status != "wrong" else ""))
        if v.status == "wrong":
            out.append(f"  correct: {_value_text(v.correct)}")
            if v.slip:
                out.append(f"  likely slip: {_diagnosis(v)}")
            else:
                out.append(f"  {v.note}")
            if v.row is not None and v.row.layer is not None:
                from .proofs import text_of

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


def as_dict(sheet) -> dict:
    verdicts, meta, grader = sheet.verdicts, sheet.meta, sheet.grader
    right, total = score(verdicts)
    return {
        "sheet": getattr(sheet, "source", "") or None,
        "format": getattr(sheet, "fmt", "claims"),
        "student": meta.get("student"),
        "score": {"right": right, "gradable": total},
        "convention": grader.convention.as_dict(),
        "policy": grader.policy.as_dict(),
        "networks": [{"network": n, "how": how} for n, how in getattr(sheet, "networks", {}).items()],
        "claims": [{
            "line": v.claim.line, "where": v.claim.where or None, "network": v.claim.network,
            "subject": v.claim.subject, "label": v.claim.label, "quantity": v.claim.quantity,
            "claimed": v.claim.written, "claim": v.claim.text, "status": v.status, "correct": _json(v.correct),
            "slip": v.slip, "slips": list(v.slips), "note": v.note,
            "carried_from": list(v.roots) if v.roots else None,
            "work": v.claim.work, "how": v.claim.how or None,
        } for v in verdicts],
        "unread": [{"line": n, "where": w or None, "text": t} for n, w, t in getattr(sheet, "unread", ())],
    }


def _json(v):
    if v is None or isinstance(v, tuple):
        return list(v) if isinstance(v, tuple) else None
    from fractions import Fraction

    if isinstance(v, Fraction):
        v = sp.Rational(v.numerator, v.denominator)
    v = sp.sympify(v)
    return int(v) if v.is_Integer else sp.sstr(v)


def _diagnosis(v) -> str:
    """The slip's name and the note, the name once (a note that lists several slips names each itself)."""
    note = v.note or ""
    if v.slip and not note.startswith(f"{v.slip}:"):
        return f"{v.slip}: {note}"
    return note


def document(sheet) -> Document:
    verdicts, meta, grader = sheet.verdicts, sheet.meta, sheet.grader
    right, total = score(verdicts)
    title = "Graded key" + (f": {meta['student']}" if meta.get("student") else "")
    blocks = [Para(f"Score: {right} of {total} claims right."), Para("Conventions used:"),
              Bullets(tuple(_describe(sheet))),
              DataTable("Claims", ("line", "claim", "verdict", "correct value", "diagnosis"),
                        tuple((str(v.claim.line), _claim_text(v), LABEL[v.status],
                               _value_text(v.correct) if v.status != "right" else "",
                               _diagnosis(v)) for v in verdicts),
                        (True, False, False, True, False))]
    unread = getattr(sheet, "unread", ())
    if unread:
        blocks.append(DataTable("Lines with figures not read as claims (grade them by hand)", ("line", "text"),
                                tuple((str(n), t) for n, _, t in unread), (True, False)))
    wrong = [v for v in verdicts if v.status == "wrong"]
    if wrong:
        blocks.append(Heading(1, "The wrong claims, worked"))
    for v in wrong:
        blocks.append(Heading(2, f"Line {v.claim.line}: {_claim_text(v)}"))
        blocks.append(Para(f"Correct: {_value_text(v.correct)}. "
                           + (f"Likely slip: {_diagnosis(v)}." if v.slip else v.note + ".")))
        if v.row is not None and v.row.layer is not None:
            blocks.append(Worked(solve_row(v.row, grader.convention)))
        elif v.claim.subject == "total":
            t = grader.table(v.claim.network)
            blocks.append(Para(f"The total is the sum over the layers of {v.claim.network} (symcnn table "
                               f"{v.claim.network}): weights {int(t.totals['weights']):,}, biases "
                               f"{int(t.totals['biases']):,}, MACs {int(t.totals['macs']):,}."))
    notation = notation_table(blocks)  # the worked layers' symbols, once, before the first of them
    if notation is not None:
        at = next(i for i, b in enumerate(blocks) if isinstance(b, Worked))
        blocks[at:at] = [Para("The worked layers below use these symbols:"), notation]
    return Document(title, tuple(blocks), "graded")
