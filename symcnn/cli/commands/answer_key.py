"""symcnn answer-key: worked solutions in LaTeX, HTML with MathML and Markdown."""

from __future__ import annotations

from ..common import MissingTool, UsageError, convention_flags, convention_from, write

HELP = "worked solutions: LaTeX, HTML with MathML, Markdown"


def add(sub) -> None:
    from ...render import formats_for

    p = sub.add_parser("answer-key", help=HELP,
                       description="Write an answer key per network (every layer's formulas in symbols, with the "
                                   "numbers, and the results; the summary table and totals), or for the whole "
                                   "problem set with --problems. Files are written atomically; existing ones are "
                                   "replaced only with --force.")
    p.add_argument("nets", nargs="*", metavar="NET_OR_SPEC", help="zoo networks or spec files")
    p.add_argument("--problems", action="store_true", help="the answer key of the problem set (P1 to P8)")
    p.add_argument("--output", "-o", default="output", metavar="DIR", help="where to write (default: output/)")
    p.add_argument("--format", "-f", action="append", choices=formats_for("Document"),
                   help="formats to write (repeatable; default: all three)")
    p.add_argument("--pdf", action="store_true", help="also compile the LaTeX to PDF (needs pdflatex)")
    p.add_argument("--brief", action="store_true",
                   help="figures, the summary table and the totals, without the worked layers (for long networks)")
    p.add_argument("--force", action="store_true", help="replace existing files")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="put a value in for a symbol")
    p.add_argument("--torch", metavar="MODULE_PATH:ATTR",
                   help="also the key of a torch.nn.Module (a dotted module or .py file, and an attribute that is a "
                        "module or builds one); needs --input and symcnn[torch]")
    p.add_argument("--input", metavar="C,H,W", help="the input shape (with --torch; or to override a network's)")
    p.set_defaults(func=run)
    convention_flags(p)


def run(args) -> int:
    from pathlib import Path

    from ... import compile_pdf as C
    from ... import keys
    from ...derive import derive
    from ...files import output_dir, write_atomic
    from ...render import extension, formats_for, printer

    if not args.nets and not args.problems and not args.torch:
        raise UsageError("name at least one network or spec, or give --torch or --problems "
                         "(see 'symcnn answer-key --help')")
    convention = convention_from(args)
    # all of them by default, the source first (LaTeX, then the page that renders it, then Markdown)
    preferred = ["latex", "html", "markdown"]  # a format added later comes after these, never a crash
    formats = args.format or sorted(formats_for("Document"),
                                    key=lambda f: (preferred.index(f) if f in preferred else len(preferred), f))
    from ...sources import network_from as named

    sources = [named(net, input=args.input, assignments=args.set) for net in args.nets]
    if args.torch:  # the module --torch names, read with --input
        sources.append(named(None, torch=args.torch, input=args.input, assignments=args.set))
    docs = [keys.network_key(derive(net, convention), brief=args.brief) for net in sources]
    if args.problems:
        docs.append(keys.problems_document(convention))
    outdir = Path(args.output)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir} is not a directory (it is a file); -o takes a directory")
    files = {}
    for doc in docs:  # render everything first: a failure writes nothing
        for fmt in formats:
            files[outdir / f"{doc.name}.{extension(fmt)}"] = printer(fmt).doprint(doc)
    pdfs = [p.with_suffix(".pdf") for p in files if p.suffix == ".tex"] if args.pdf else []
    if not args.force:
        clash = [p for p in list(files) + pdfs if p.exists()]
        if clash:
            raise UsageError(f"{clash[0]} exists; use --force to replace it, or -o a fresh directory")
    output_dir(outdir)
    for path, text in files.items():
        write_atomic(path, text)
        write(f"wrote {path}\n")
    if args.pdf:
        engine = C.engine()
        if engine is None:
            raise MissingTool("--pdf: no TeX engine (pdflatex) is installed, so no PDF was made; the LaTeX source "
                              "is written (Debian: apt-get install texlive-latex-base texlive-latex-recommended)")
        for tex in [p for p in files if p.suffix == ".tex"]:
            pdf = C.compile_pdf(files[tex], engine)
            write_atomic(tex.with_suffix(".pdf"), pdf)
            write(f"wrote {tex.with_suffix('.pdf')}\n")
    return 0
