"""The command line: a thin leaf that parses arguments and calls the library.

Every user mistake (a bad flag, spec, expression or value) is reported on one
line on stderr with exit status 2; nothing is half-written.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .errors import SymcnnError


class UsageError(SymcnnError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage dump
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _convention_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("conventions (every output states the ones it used)")
    g.add_argument("--macs", action="store_true",
                   help="report FLOPs as multiply-adds (FLOPs = MACs) instead of 2 x MACs")
    g.add_argument("--bias-flops", action="store_true", help="count bias additions in FLOPs")
    g.add_argument("--other-ops", action="store_true",
                   help="count pooling, normalisation, activation and add operations in FLOPs")
    g.add_argument("--division", choices=("floor", "exact"), default="floor",
                   help="floor: as frameworks compute sizes, noting non-integral quotients (default); "
                        "exact: a window that does not tile the input is an error")
    g.add_argument("--exact", action="store_const", const="exact", dest="division",
                   help="same as --division exact")
    g.add_argument("--bytes", type=int, default=4, metavar="N", help="bytes per activation element (default 4)")
    g.add_argument("--count-inplace", action="store_true",
                   help="count the outputs of in-place layers (ReLU, dropout, flatten) as activations")


def convention_from(args):
    from .convention import Convention

    if args.bytes <= 0:
        raise UsageError(f"--bytes must be a positive integer, got {args.bytes}")
    return Convention(
        flops_per_mac=1 if args.macs else 2,
        bias_flops=args.bias_flops,
        other_ops=args.other_ops,
        division=args.division,
        bytes_per_element=args.bytes,
        count_inplace=args.count_inplace,
    )


def _network_args(p: argparse.ArgumentParser, torch: bool = False) -> None:
    p.add_argument("net", metavar="NET_OR_SPEC", nargs="?" if torch else None,
                   help="a zoo network name (see 'symcnn list') or a spec file")
    if torch:
        p.add_argument("--torch", metavar="MODULE_PATH:ATTR",
                       help="read a torch.nn.Module instead (a dotted module or .py file, and an attribute that "
                            "is a module or builds one); needs --input and symcnn[torch]")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="put a value in for a symbol (repeatable); VALUE may use other symbols")
    p.add_argument("--input", metavar="C,H,W", help="override the input shape")


def network_from(args):
    """The network the arguments name, with --input and --set applied."""
    from . import expr as E
    from . import load
    from .layers.base import Shape

    if getattr(args, "torch", None):
        from .pytorch import from_torch, load_module

        if args.net:
            raise UsageError("give a network or --torch MODULE_PATH:ATTR, not both")
        if not args.input:
            raise UsageError("--torch needs --input C,H,W")
        net = None
    elif not args.net:
        raise UsageError("name a network or spec file (or --torch MODULE_PATH:ATTR)")
    else:
        net = load(args.net)
    names = dict(net.symbols) if net is not None else {}

    def symbol(name):
        return names.setdefault(name, E.size_symbol(name))

    if args.input:
        parts = args.input.replace("x", ",").split(",") if "," in args.input or "x" in args.input else []
        if len(parts) != 3:
            raise UsageError(f"--input takes C,H,W (for example 3,224,224), got {args.input!r}")
        values = [E.parse(p, symbol=symbol, functions=False) for p in parts]
        for v in values:
            if v.is_positive is False or (v.is_number and not v.is_Integer):
                raise UsageError(f"--input values must be positive integers, got {v}")
        if net is None:
            if not all(v.is_Integer for v in values):
                raise UsageError("--torch needs a numeric --input C,H,W")
            net = from_torch(load_module(args.torch), tuple(int(v) for v in values))
        else:
            net = net.with_input(Shape(*values))
    if args.set:
        net = net.subs(assignments(args.set, symbol=symbol))
    return net


def assignments(items, **kwargs) -> dict:
    """``--set NAME=VALUE`` items; a name given twice is an error, not "the last one wins"."""
    from . import expr as E

    mapping: dict = {}
    for item in items:
        name, value = E.parse_assignment(item, **kwargs)
        if name in mapping:
            raise UsageError(f"--set {name} is given twice ({mapping[name]} and {value})")
        mapping[name] = value
    return mapping


def cmd_table(args) -> int:
    from .derive import derive
    from .render.tabular import render

    table = derive(network_from(args), convention_from(args))
    _write(render(table, args.format))
    return 0


class NotProved(SymcnnError):
    """A statement symcnn could not prove (exit status 1)."""


def cmd_prove(args) -> int:
    from .proof import ProofError
    from .theorems import THEOREMS, prove, slugs

    if args.list:
        for slug in slugs():
            thm = THEOREMS[slug]
            claim = f"  (--claim: {thm.claim_help})" if thm.claim_help else ""
            _write(f"{slug.ljust(26)} {thm.title}{claim}\n")
        return 0
    if args.all == bool(args.theorem):
        raise UsageError("name one theorem, or give --all (see 'symcnn prove --list')")
    if args.claim is not None and args.all:
        raise UsageError("--claim goes with one theorem, not --all")
    checkers = ("sympy", "z3") if args.checker == "both" else (args.checker,)
    chosen = slugs() if args.all else [args.theorem]
    try:
        if args.write:
            from .render import proofdir

            if args.claim is not None:
                raise UsageError("--write renders the theorems as proved; it takes no --claim")
            if args.checker != "both":
                raise UsageError("--write renders the proofs as both checkers confirm them; it takes no --checker")
            for slug in chosen:
                prove(slug)  # check the name before writing anything
            written = proofdir.write(args.write, None if args.all else chosen)
            for path in written:
                print(f"wrote {path}", file=sys.stderr)
            return 0
        from .render.proofs import render

        proofs = []
        for slug in chosen:
            proof = prove(slug, args.claim, checkers)
            if not proof.verified:  # the builder refuses first; this is the certificate's own verdict
                raise NotProved(f"not proved: {slug}: the certificate is not verified")
            proofs.append(proof)
        if args.format == "json" and args.all:
            import json

            from .render.proofs import as_dict

            _write(json.dumps([as_dict(p) for p in proofs], indent=2, ensure_ascii=False) + "\n")
        else:
            _write("\n".join(render(p, args.format, fragment=args.fragment) for p in proofs))
    except ProofError as exc:
        raise NotProved(f"not proved: {exc.message}") from None
    return 0


def cmd_answer_key(args) -> int:
    from pathlib import Path

    from . import compile_pdf as C
    from . import keys
    from .derive import derive
    from .files import output_dir, write_atomic
    from .render.document import FORMATS, render

    if not args.nets and not args.problems:
        raise UsageError("name at least one network or spec, or give --problems (see 'symcnn answer-key --help')")
    convention = convention_from(args)
    formats = args.format or list(FORMATS)
    docs = []
    for net in args.nets:
        args.net = net
        docs.append(keys.network_key(derive(network_from(args), convention)))
    if args.problems:
        docs.append(keys.problems_document(convention))
    outdir = Path(args.output)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir} is not a directory (it is a file); -o takes a directory")
    files = {}
    for doc in docs:  # render everything first: a failure writes nothing
        for fmt in formats:
            files[outdir / f"{doc.name}.{FORMATS[fmt]}"] = render(doc, fmt)
    pdfs = [p.with_suffix(".pdf") for p in files if p.suffix == ".tex"] if args.pdf else []
    if not args.force:
        clash = [p for p in list(files) + pdfs if p.exists()]
        if clash:
            raise UsageError(f"{clash[0]} exists; use --force to replace it, or -o a fresh directory")
    output_dir(outdir)
    for path, text in files.items():
        write_atomic(path, text)
        _write(f"wrote {path}\n")
    if args.pdf:
        engine = C.engine()
        if engine is None:
            raise NotProved("--pdf: no TeX engine (pdflatex) is installed, so no PDF was made; the LaTeX source "
                            "is written (Debian: apt-get install texlive-latex-base texlive-latex-recommended)")
        for tex in [p for p in files if p.suffix == ".tex"]:
            pdf = C.compile_pdf(files[tex], engine)
            write_atomic(tex.with_suffix(".pdf"), pdf)
            _write(f"wrote {tex.with_suffix('.pdf')}\n")
    return 0


def cmd_whatif(args) -> int:

    from . import budget as B
    from . import expr as E
    from .files import check_output_file
    from .render import whatif as R
    from .whatif import QUANTITIES, parse_range, whatif

    fields = {}
    for item in args.symbol:
        target, eq, value = item.partition("=")
        if not eq:
            raise UsageError(f"--symbol takes LAYER.FIELD=EXPR, got {item!r}")
        fields[target.strip()] = value
    values = assignments(args.set, symbol=None, functions=False)
    if args.plot:
        if not args.sweep:
            raise UsageError("--plot needs --sweep")
        check_output_file(args.plot, force=True)
    w = whatif(args.net, width=args.width, classes=args.classes, resolution=args.resolution, fields=fields,
               values=values, convention=convention_from(args))
    if not w.symbols:
        raise UsageError("nothing is symbolic: give --width, --resolution, --symbol or a spec with symbols")
    out = [R.report(w, quantities=args.quantity or ["params", "macs", "activations"])]
    for item in args.solve:
        q, eq, budget = item.partition("=")
        if not eq or q.strip() not in QUANTITIES:
            raise UsageError(f"--solve takes QUANTITY=BUDGET with QUANTITY one of {', '.join(QUANTITIES)}, "
                             f"got {item!r}")
        value = E.parse(budget, symbol=None, functions=False)
        if not value.is_number or value <= 0:
            raise UsageError(f"--solve {q}: the budget must be a positive number, got {budget!r}")
        out.append(R.answer(w.solve(q.strip(), value)))
    if args.sweep:
        grid = {}
        for item in args.sweep:
            name, values = parse_range(item)
            if name in grid:
                raise UsageError(f"--sweep {name} is given twice")
            grid[name] = values
        B.grid_points([len(v) for v in grid.values()], "--sweep")
        data = w.sweep(grid, quantities=args.quantity or ["params", "macs", "activations"])
        out.append(R.sweep_csv(data) if args.csv else R.sweep_text(data))
        if args.plot:
            R.plot(data, args.plot, list(grid))
            print(f"wrote {args.plot}", file=sys.stderr)
    _write("\n".join(out))
    return 0


def cmd_export(args) -> int:
    from .files import check_output_file, write_atomic
    from .pytorch import torch_source

    if not args.to_torch:
        raise UsageError("say what to export to: --torch (the only target so far)")
    if args.output:
        check_output_file(args.output, force=args.force)
    source = torch_source(network_from(args), convention_from(args))
    if args.output:
        write_atomic(args.output, source, force=args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        _write(source)
    return 0


def cmd_check(args) -> int:
    from pathlib import Path

    from .grading import check_text
    from .render.check import render

    path = Path(args.claims)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"cannot read claims file {args.claims}: {getattr(exc, 'strerror', None) or exc}") from None
    verdicts, meta, grader = check_text(text, str(path), convention_from(args))
    _write(render(verdicts, meta, grader, args.format))
    if args.strict and any(v.status == "wrong" for v in verdicts):
        return 1
    return 0


def cmd_list(args) -> int:
    from . import zoo
    from .layers import KINDS

    if args.kinds:
        for k in KINDS.values():
            aliases = f" (also {', '.join(k.aliases)})" if k.aliases else ""
            _write(f"{k.name}{aliases}: {k.doc}\n")
            for p in k.params:
                default = "required" if p.required else f"default {p.default}"
                pos = ", positional" if p.positional else ""
                _write(f"    {p.name}: {p.doc} ({default}{pos})\n")
        return 0
    names = zoo.names()
    width = max(len(n) for n in names)
    for n in names:
        net = zoo.load(n)
        _write(f"{n.ljust(width)}  {'x'.join(str(v) for v in net.input.as_tuple()):>11}  {net.title}\n")
    return 0


def _write(text: str) -> None:
    sys.stdout.write(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symcnn", description="Symbolic derivations of CNN architecture arithmetic.")
    parser.add_argument("--version", action="version", version=f"symcnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("table", help="the per-layer table and totals of a network",
                       description="Derive the per-layer table (output shape, weights, biases, parameters, "
                                   "activations, MACs, FLOPs, receptive field, jump) and the totals.")
    _network_args(p, torch=True)
    p.add_argument("--format", "-f", choices=("text", "markdown", "json", "csv"), default="text")
    _convention_flags(p)
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("prove", help="machine-checked proofs of the closed forms",
                       description="Build a proof, checking every relation with sympy and with the Z3 SMT solver, "
                                   "and print it with each step's verdicts. A statement the checkers do not "
                                   "confirm (for example a false --claim) is refused with exit status 1; a "
                                   "malformed one with 2.")
    p.add_argument("theorem", nargs="?", metavar="THEOREM", help="a theorem slug (see --list)")
    p.add_argument("--list", action="store_true", help="list the theorems")
    p.add_argument("--all", action="store_true", help="every theorem")
    p.add_argument("--claim", metavar="EXPR", help="try to prove this closed form instead of the theorem's own")
    p.add_argument("--checker", choices=("both", "sympy", "z3"), default="both",
                   help="which checkers check every relation (default both: a relation counts as checked when "
                        "one proves it and none fails it)")
    p.add_argument("--format", "-f", choices=("text", "markdown", "latex", "mathml", "json"), default="text")
    p.add_argument("--fragment", action="store_true", help="LaTeX: a fragment to \\input, not a document")
    p.add_argument("--write", metavar="DIR", help="write every format into DIR (as proofs/ holds them)")
    p.set_defaults(func=cmd_prove)

    p = sub.add_parser("answer-key", help="worked solutions: LaTeX, HTML with MathML, Markdown",
                       description="Write an answer key per network (every layer's formulas in symbols, with the "
                                   "numbers, and the results; the summary table and totals), or for the whole "
                                   "problem set with --problems. Files are written atomically; existing ones are "
                                   "replaced only with --force.")
    p.add_argument("nets", nargs="*", metavar="NET_OR_SPEC", help="zoo networks or spec files")
    p.add_argument("--problems", action="store_true", help="the answer key of the problem set (P1 to P8)")
    p.add_argument("--output", "-o", default="output", metavar="DIR", help="where to write (default: output/)")
    p.add_argument("--format", "-f", action="append", choices=("latex", "html", "markdown"),
                   help="formats to write (repeatable; default: all three)")
    p.add_argument("--pdf", action="store_true", help="also compile the LaTeX to PDF (needs pdflatex)")
    p.add_argument("--force", action="store_true", help="replace existing files")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="put a value in for a symbol")
    p.set_defaults(func=cmd_answer_key, input=None)
    _convention_flags(p)

    p = sub.add_parser("whatif", help="make a network symbolic: totals, shares, derivatives, budgets, sweeps",
                       description="Make a network symbolic without editing it (width multiplier, resolution, "
                                   "any layer field), then show the totals as polynomials in the symbols, each "
                                   "layer's share and the dominant layers, derivatives; solve for a budget; "
                                   "sweep a grid (compiled once with lambdify to NumPy).")
    p.add_argument("net", metavar="NET_OR_SPEC")
    p.add_argument("--width", metavar="NAME", help="every channel count c becomes NAME*c (a positive real)")
    p.add_argument("--classes", action="store_true", help="with --width, scale the output classes too")
    p.add_argument("--resolution", metavar="NAME", help="the input becomes NAME x NAME (a positive integer)")
    p.add_argument("--symbol", action="append", default=[], metavar="LAYER.FIELD=EXPR",
                   help="set any field of any layer to an expression (e.g. conv3.out=C3)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="fix a symbol")
    p.add_argument("--quantity", "-q", action="append", choices=("params", "macs", "activations", "bytes",
                                                                   "flops", "weights"),
                   help="quantities to report (repeatable; default params, macs, activations)")
    p.add_argument("--solve", action="append", default=[], metavar="QUANTITY=BUDGET",
                   help="largest value of the (single) symbol within the budget, e.g. params=10e6")
    p.add_argument("--sweep", action="append", default=[], metavar="NAME=START:STOP:STEP",
                   help="evaluate the totals on a grid (repeatable: a product grid); needs NumPy")
    p.add_argument("--csv", action="store_true", help="print the sweep as CSV")
    p.add_argument("--plot", metavar="FILE", help="plot the sweep (PNG or SVG; needs matplotlib)")
    _convention_flags(p)
    p.set_defaults(func=cmd_whatif)

    p = sub.add_parser("check", help="grade a worked answer (a claims file) against the derivation",
                       description="Mark each claim right or wrong; for a wrong one give the correct value, its "
                                   "worked derivation and the slip that explains it when one does (tested by "
                                   "recomputing under that slip). Exit status 0 (1 with --strict if any claim is "
                                   "wrong; 2 for a malformed claims file).")
    p.add_argument("claims", metavar="CLAIMS_FILE")
    p.add_argument("--format", "-f", choices=("text", "markdown", "latex", "html", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when any claim is wrong")
    _convention_flags(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="build a network in a framework (PyTorch source)",
                       description="Write standalone PyTorch source that builds the network (needs symcnn[torch]).")
    _network_args(p)
    p.add_argument("--torch", action="store_true", dest="to_torch",
                   help="export PyTorch source (a build() function)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    _convention_flags(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("list", help="the networks in the zoo", description="List the zoo networks.")
    p.add_argument("--kinds", action="store_true", help="list the layer kinds and their fields instead")
    p.set_defaults(func=cmd_list)
    return parser


class Terminated(BaseException):
    """SIGTERM, turned into an exception so every cleanup (temp folders, child processes) runs."""


def _terminate(signum, frame):
    raise Terminated()


def main(argv=None) -> int:
    import signal
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            commands = ", ".join(parser._subparsers._group_actions[0].choices)
            raise UsageError(f"a command is required: {commands} (see 'symcnn --help')")
        return args.func(args)
    except NotProved as exc:
        print(f"symcnn: {exc.oneline()}", file=sys.stderr)
        return 1
    except SymcnnError as exc:
        print(f"symcnn: error: {exc.oneline()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symcnn: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("symcnn: terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:
        return 0
    except RecursionError:
        print("symcnn: error: the input is nested too deeply to work with", file=sys.stderr)
        return 2
    except MemoryError:
        print("symcnn: error: out of memory: the input is too large to work with", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug in symcnn: one line, never a traceback (unless asked)
        import os

        if os.environ.get("SYMCNN_DEBUG"):
            raise
        text = " ".join(str(exc).split())[:300]
        print(f"symcnn: internal error: {type(exc).__name__}: {text} (a bug in symcnn: please report it; "
              "SYMCNN_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
