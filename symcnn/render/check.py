"""Graded sheets: what every format shares (the verdicts' labels, the score, a claim and its diagnosis in
words) and the document (the answer-key block model) that the Markdown, LaTeX and HTML printers print; the text
and JSON printers set a sheet themselves."""
from __future__ import annotations

import sympy as sp

from ..grading.work import readable
from ..keys import Bullets, DataTable, Document, Heading, Para, Worked
from ..keys.notation import notation_table
from ..worked import solve_row

LABEL = {"right": "right", "right-under-convention": "right under another convention",
         "consistent": "consistent (error carried forward)", "wrong": "WRONG", "unknown": "cannot grade",
         "repeat": "a repeat (not scored again)"}


def value_text(v) -> str:
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


def claim_text(v) -> str:
    c = v.claim
    if c.claimed is None:
        return readable(c.text)
    label = f"{c.label}: " if c.label else ""
    return f"{label}{c.quantity} {readable(c.claimed)}"


def describe(sheet) -> list[str]:
    grader = sheet.grader
    return list(grader.convention.describe()) + list(grader.policy.describe())


def diagnosis(v) -> str:
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
              Bullets(tuple(describe(sheet))),
              DataTable("Claims", ("line", "claim", "verdict", "correct value", "diagnosis"),
                        tuple((str(v.claim.line), claim_text(v), LABEL[v.status],
                               value_text(v.correct) if v.status != "right" else "",
                               diagnosis(v)) for v in verdicts),
                        (True, False, False, True, False))]
    unread = getattr(sheet, "unread", ())
    if unread:
        blocks.append(DataTable("Lines with figures not read as claims (grade them by hand)", ("line", "text"),
                                tuple((str(n), t) for n, _, t in unread), (True, False)))
    wrong = [v for v in verdicts if v.status == "wrong"]
    if wrong:
        blocks.append(Heading(1, "The wrong claims, worked"))
    for v in wrong:
        blocks.append(Heading(2, f"Line {v.claim.line}: {claim_text(v)}"))
        blocks.append(Para(f"Correct: {value_text(v.correct)}. "
                           + (f"Likely slip: {diagnosis(v)}." if v.slip else v.note + ".")))
        if v.row is not None and v.row.layer is not None:
            blocks.append(Worked(solve_row(v.row, grader.convention)))
        elif v.claim.subject == "total":
            t = grader.table(v.claim.network)
            blocks.append(Para(f"The total is the sum over the layers of {v.claim.network} (symcnn table "
                               f"{v.claim.network}): weights {_count(t.totals['weights'])}, biases "
                               f"{_count(t.totals['biases'])}, MACs {_count(t.totals['macs'])}."))
    notation = notation_table(blocks)  # the worked layers' symbols, once, before the first of them
    if notation is not None:
        at = next(i for i, b in enumerate(blocks) if isinstance(b, Worked))
        blocks[at:at] = [Para("The worked layers below use these symbols:"), notation]
    return Document(title, tuple(blocks), "graded")


def _count(x) -> str:
    """A total as a grouped integer, or its formula where it depends on a symbol (a stack on an L x L input)."""
    return f"{int(x):,}" if getattr(x, "is_Integer", False) or isinstance(x, int) else str(x)
