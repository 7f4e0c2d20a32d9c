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
    from ... import keys
    from ...derive import derive
    from ...render import formats_for
    from ...render.written import NoTexEngine, default_formats, write_documents
    from ...sources import network_from as named

    if not args.nets and not args.problems and not args.torch:
        raise UsageError("name at least one network or spec, or give --torch or --problems "
                         "(see 'symcnn answer-key --help')")
    convention = convention_from(args)
    sources = [named(net, input=args.input, assignments=args.set) for net in args.nets]
    if args.torch:  # the module --torch names, read with --input
        sources.append(named(None, torch=args.torch, input=args.input, assignments=args.set))
    docs = [keys.network_key(derive(net, convention), brief=args.brief) for net in sources]
    if args.problems:
        docs.append(keys.problems_document(convention))
    formats = args.format or default_formats(formats_for("Document"))
    try:
        write_documents(docs, args.output, formats, force=args.force, pdf=args.pdf, say=lambda s: write(s + "\n"))
    except NoTexEngine as exc:
        raise MissingTool(exc.message) from None
    return 0
