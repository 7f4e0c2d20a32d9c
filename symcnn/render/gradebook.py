"""A class's grades: the CSV gradebook, and the class summary as a document (the
answer-key block model, printed as Markdown, LaTeX or HTML)."""

from __future__ import annotations

import csv
import io

from ..keys import DataTable, Document, Para
from .escape import csv_cell


def gradebook_csv(report) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["sheet", "student", "score", "right", "graded", "percent", "unread lines",
                *report.questions])
    for s in report.scores:
        pct = f"{100 * s.right / s.graded:.1f}" if s.graded else ""
        cells = []
        for q in report.questions:
            r = s.by_question.get(q)
            cells.append(f"{r[0]}/{r[1]}" if r else "")
        w.writerow([csv_cell(s.sheet), csv_cell(s.student), f"{s.right}/{s.graded}", s.right, s.graded, pct,
                    s.unread, *cells])
    return out.getvalue()


def summary_document(report) -> Document:
    n = len(report.scores)
    right = sum(s.right for s in report.scores)
    graded = sum(s.graded for s in report.scores)
    blocks: list[object] = [Para(f"{n} sheet{'s' if n != 1 else ''} graded; {right} of {graded} claims given credit"
                   + (f" ({100 * right / graded:.1f}%)." if graded else "."))]
    blocks.append(DataTable("Sheets", ("sheet", "student", "score", "lines not read"),
                            tuple((s.sheet, s.student, f"{s.right} of {s.graded}", str(s.unread))
                                  for s in report.scores), (False, False, True, True)))
    if report.slips:
        blocks.append(DataTable("Slips by frequency", ("slip", "wrong claims it explains"),
                                tuple((name, str(k)) for name, k in report.slips), (False, True)))
    if report.success:
        blocks.append(DataTable("Questions by success rate (hardest first)", ("question", "right", "graded", "rate"),
                                tuple((q, str(r), str(g), f"{100 * r / g:.0f}%") for q, r, g in report.success),
                                (False, True, True, True)))
    return Document("Class summary", tuple(blocks), "graded")


def feedback_pages(sheets, paths) -> list:
    """(file stem, object) for each sheet's feedback page and the class summary: stems from the sheets' names,
    made unique (two 'answers.txt' from different folders become answers and answers_)."""
    from ..grading.gradebook import report

    names: set[str] = set()
    pages = []
    for sheet, path in zip(sheets, paths):
        stem = path.stem
        while stem in names or stem == "summary":
            stem += "_"
        names.add(stem)
        pages.append((stem, sheet))
    pages.append(("summary", summary_document(report(sheets))))
    return pages


def write_feedback(sheets, paths, folder, fmt: str, *, pdf: bool = False, force: bool = False) -> list:
    """A feedback page per sheet and the class summary written into ``folder`` in ``fmt`` (and as PDF, compiled
    from the LaTeX); nothing is written when any page would overwrite a file and ``force`` is not given."""
    from ..files import check_output_file, write_atomic
    from .printer import extension, render

    pages = feedback_pages(sheets, paths)
    if not force:
        for stem, _ in pages:
            check_output_file(folder / f"{stem}.{extension(fmt)}", force=False)
            if pdf:
                check_output_file(folder / f"{stem}.pdf", force=False)
    written = []
    for stem, obj in pages:
        source = render(obj, fmt)
        written.append(write_atomic(folder / f"{stem}.{extension(fmt)}", source, force=force))
        if pdf:
            from ..compile_pdf import compile_pdf

            written.append(write_atomic(folder / f"{stem}.pdf", compile_pdf(source), force=force))
    return written
