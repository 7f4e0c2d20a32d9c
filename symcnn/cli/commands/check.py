"""symcnn check: grade answer sheets (as handed in, or claims files) against the derivation."""

from __future__ import annotations

from ..common import UsageError, convention_flags, convention_from, write

HELP = "grade answer sheets (text, Markdown, LaTeX, notebooks, claims files) against the derivation"



def add(sub) -> None:
    from ...render import formats_for

    p = sub.add_parser("check", help=HELP,
                       description="Read each sheet as handed in (plain text, tab-separated tables, Markdown, LaTeX, "
                                   "Jupyter notebooks, or a claims file), find every figure with its line, layer and "
                                   "quantity, and mark it right, right under another convention, consistent (right "
                                   "from the student's own earlier wrong figure), or wrong with the correct value, "
                                   "the worked layer and every catalogued slip that explains it (each tested by "
                                   "recomputing under that slip). A folder grades every sheet in it. Exit status 0 "
                                   "(1 with --strict if any claim is wrong; 2 for an unreadable sheet).")
    p.add_argument("sheets", metavar="SHEET", nargs="+", help="answer sheets, claims files, or folders of them")
    p.add_argument("--format", "-f", choices=formats_for("GradedSheet"), default="text")
    p.add_argument("--network", metavar="NET_OR_SPEC",
                   help="the network the sheets are about (default: the networks they name, else a guess)")
    p.add_argument("--sheet-format", choices=("auto", *sheet_formats()),
                   default="auto", help="how to read the sheets (default: by name and content)")
    p.add_argument("--truncation", choices=("accept", "reject"), default="accept",
                   help="a figure truncated instead of rounded (35%% for 35.62%%): right (default) or wrong")
    p.add_argument("--min-digits", type=int, default=1, metavar="N",
                   help="a figure with fewer significant digits is read as having N (with 2, '60M' means 60.0M and "
                        "is wrong for 62.4M; default 1)")
    p.add_argument("--max-error", default="5%", metavar="PERCENT",
                   help="no figure more than this far off the true value is ever credited, however few its digits "
                        "(default 5%%: '60M' is right for 62.4M, '100M' never for 138M)")
    p.add_argument("--no-follow-through", action="store_true",
                   help="mark figures computed from the student's own earlier wrong figures wrong, not consistent")
    p.add_argument("--gradebook", metavar="CSV", help="write a gradebook: one row per sheet, a column per question")
    p.add_argument("--output-dir", "-o", metavar="DIR",
                   help="write a feedback page per sheet (in --format, Markdown by default) and a class summary")
    p.add_argument("--pdf", action="store_true",
                   help="with -o: the feedback pages and the summary also as PDF (LaTeX compiled; needs pdflatex)")
    p.add_argument("--force", action="store_true", help="overwrite the gradebook and feedback files")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when any claim is wrong")
    convention_flags(p)
    p.set_defaults(func=run)


def sheet_formats() -> tuple[str, ...]:
    """The formats the sheet readers declare, read off their sources: building the command line imports no part
    of the grader (where only compiled code ships, the readers themselves are asked)."""
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "grading" / "sheets"
    found: list[tuple[int, tuple[str, ...]]] = []
    for path in sorted(folder.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        formats, rank = re.search(r"^FORMATS = \((.*)\)", text, re.M), re.search(r"^RANK = (\d+)", text, re.M)
        if formats:
            found.append((int(rank.group(1)) if rank else 99, tuple(re.findall(r'"(\w+)"', formats.group(1)))))
    if not found:
        from ...grading.sheets import FORMATS

        return FORMATS
    return tuple(f for _, fs in sorted(found) for f in fs)


def sheet_paths(names) -> list:
    from pathlib import Path

    from ...grading.sheets import SUFFIXES as SHEET_SUFFIXES

    out = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = sorted(q for q in path.iterdir() if q.is_file() and q.suffix.lower() in SHEET_SUFFIXES)
            if not found:
                raise UsageError(f"the folder {name} holds no sheets ({', '.join(SHEET_SUFFIXES)})")
            out += found
        elif path.exists() or path.is_symlink():
            out.append(path)  # read (and refused if it is no regular file) by files.read_text_limited
        else:
            raise UsageError(f"no such sheet or folder: {name}")
    return out


def _min_digits(n: int) -> int:
    if not 1 <= n <= 15:
        raise UsageError(f"--min-digits takes a whole number from 1 to 15, got {n}")
    return n


def _max_error(text: str):
    """'5%' or '0.05' as a fraction between 0 and 1."""
    import re
    from fractions import Fraction

    m = re.fullmatch(r"\s*(\d{1,3}(?:\.\d{1,6})?)\s*(%?)\s*", text)
    if not m:
        raise UsageError(f"--max-error takes a percentage such as 5% (or a fraction such as 0.05), got {text!r}")
    value = Fraction(m.group(1)) / (100 if m.group(2) else 1)
    if not 0 <= value <= 1:
        raise UsageError(f"--max-error must be between 0% and 100%, got {text!r}")
    return value


def _grader(args):
    from ...grading import Grader, GradingPolicy

    policy = GradingPolicy(truncation=args.truncation, follow_through=not args.no_follow_through,
                           min_digits=_min_digits(args.min_digits), max_error=_max_error(args.max_error))
    return Grader(convention_from(args), policy=policy)


def _outputs(args):
    """Refuse what cannot be written before any sheet is graded: the gradebook, the folder, a PDF engine."""
    from ...files import check_output_file, output_dir

    if args.gradebook:
        check_output_file(args.gradebook, force=args.force)
    if args.pdf and not args.output_dir:
        raise UsageError("--pdf writes feedback pages: give -o DIR")
    if args.pdf:
        from ...compile_pdf import engine
        from ..common import MissingTool

        if engine() is None:
            raise MissingTool("--pdf: no TeX engine (pdflatex) is installed; nothing was graded")
    return output_dir(args.output_dir) if args.output_dir else None


def run(args) -> int:
    from ...files import write_atomic
    from ...grading import grade_files
    from ...grading.gradebook import report
    from ...render import render
    from ...render.gradebook import gradebook_csv, write_feedback
    from ...sources import network_from

    paths = sheet_paths(args.sheets)
    if args.network:
        network_from(args.network)  # an unknown network is a usage error before any sheet is read
    grader, out_dir = _grader(args), _outputs(args)
    sheets = grade_files(paths, grader, network=args.network,
                         fmt=None if args.sheet_format == "auto" else args.sheet_format)
    if out_dir is not None:
        fmt = "latex" if args.pdf else "markdown" if args.format in ("text", "json") else args.format
        write_feedback(sheets, paths, out_dir, fmt, pdf=args.pdf, force=args.force)
    if args.gradebook:
        write_atomic(args.gradebook, gradebook_csv(report(sheets)), force=args.force)
    if args.format == "json":
        write(render(sheets[0] if len(sheets) == 1 else sheets, "json"))
    elif len(sheets) == 1:
        write(render(sheets[0], args.format))
    elif not (args.gradebook or out_dir is not None) or args.format == "text":
        if args.format != "text":
            raise UsageError(f"-f {args.format} prints one sheet; for several use -o DIR (a page per sheet)")
        write("\n".join(f"== {s.source} ==\n" + render(s, "text") for s in sheets))
    return 1 if args.strict and any(v.status == "wrong" for s in sheets for v in s.verdicts) else 0
