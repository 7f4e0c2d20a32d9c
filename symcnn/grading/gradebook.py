"""A class graded at once: per-sheet scores by question, and the class summary (slips by
frequency, questions by success rate).  Data only; the printers lay it out.

A *question* is a network a sheet is about (a sheet's section), and within it a quantity:
"alexnet params", "vgg16 activations".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .grader import CREDIT, NOT_SCORED


def question(v) -> str:
    c = v.claim
    if c.subject in ("ratio", "saving"):
        return f"{c.network}/{c.other} {c.subject}"
    if c.subject == "share":
        return f"{c.network} {c.other} share of {c.quantity}"
    return f"{c.network} {c.quantity}"


@dataclass(frozen=True)
class SheetScore:
    sheet: str
    student: str
    right: int
    graded: int
    unread: int
    by_question: dict  # question -> (right, graded)


@dataclass(frozen=True)
class ClassReport:
    scores: tuple[SheetScore, ...]
    questions: tuple[str, ...]
    slips: tuple[tuple[str, int], ...]  # (slip, how many claims), most frequent first
    success: tuple[tuple[str, int, int], ...]  # (question, right, graded), hardest first


def report(sheets) -> ClassReport:
    scores = []
    questions: list[str] = []
    slips: Counter = Counter()
    totals: dict[str, list[int]] = {}
    for s in sheets:
        by_q: dict[str, list[int]] = {}
        for v in s.verdicts:
            if v.status in NOT_SCORED:
                continue
            q = question(v)
            if q not in questions:
                questions.append(q)
            cell = by_q.setdefault(q, [0, 0])
            cell[0] += v.status in CREDIT
            cell[1] += 1
            t = totals.setdefault(q, [0, 0])
            t[0] += v.status in CREDIT
            t[1] += 1
            if v.status == "wrong":
                for name in v.slips or (("(no catalogued slip)",) if not v.slip else (v.slip,)):
                    slips[name] += 1
        right = sum(c[0] for c in by_q.values())
        graded = sum(c[1] for c in by_q.values())
        student = s.meta.get("student") or Path(s.source).stem
        scores.append(SheetScore(s.source, student, right, graded, len(s.unread),
                                 {q: tuple(c) for q, c in by_q.items()}))
    success = sorted(((q, t[0], t[1]) for q, t in totals.items()), key=lambda x: (x[1] / x[2], x[0]))
    return ClassReport(tuple(scores), tuple(questions), tuple(slips.most_common()), tuple(success))
