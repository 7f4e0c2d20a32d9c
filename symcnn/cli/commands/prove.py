"""symcnn prove: machine-checked proofs of the closed forms."""

from __future__ import annotations

from ..common import NotProved, UsageError, say, write

HELP = "machine-checked proofs of the closed forms"


def add(sub) -> None:
    from ...render import formats_for

    p = sub.add_parser("prove", help=HELP,
                       description="Build a proof, checking every relation with sympy and with the Z3 SMT solver, "
                                   "and print it with each step's verdicts. A statement the checkers do not "
                                   "confirm (for example a false --claim) is refused with exit status 1; a "
                                   "malformed one with 2.")
    p.add_argument("theorem", nargs="?", metavar="THEOREM", help="a theorem slug (see --list)")
    p.add_argument("--list", action="store_true", help="list the theorems")
    p.add_argument("--all", action="store_true", help="every theorem")
    p.add_argument("--claim", metavar="EXPR", help="try to prove this closed form instead of the theorem's own")
    p.add_argument("--checker", choices=("both", "sympy", "z3"), default=None,
                   help="which checkers check every relation (default: both where Z3 is installed, else sympy; a "
                        "relation counts as checked when one proves it and none fails it)")
    p.add_argument("--format", "-f", choices=[*formats_for("Proof"), "mathml"], default="text")
    p.add_argument("--fragment", action="store_true", help="LaTeX: a fragment to \\input, not a document")
    p.add_argument("--write", metavar="DIR", help="write every format into DIR (as proofs/ holds them)")
    p.add_argument("--recheck", metavar="CERT.json",
                   help="recheck the certificate(s) in a file written by 'prove -f json': every step replayed by "
                        "the proof kernel, every relation and side condition checked again, from the file alone")
    p.set_defaults(func=run)


def _list() -> int:
    from ...theorems import THEOREMS, slugs

    for slug in slugs():
        thm = THEOREMS[slug]
        claim = f"  (--claim: {thm.claim_help})" if thm.claim_help else ""
        write(f"{slug.ljust(26)} {thm.title}{claim}\n")
    return 0


def _checkers(args) -> tuple[str, ...]:
    """The checkers to run: those asked for (a missing one is one line, exit 2), or every one installed."""
    from ...proof.checking import available, missing

    if args.checker is None:
        return available()
    chosen = ("sympy", "z3") if args.checker == "both" else (args.checker,)
    why = missing(chosen)
    if why:
        raise UsageError(why)
    return chosen


def _recheck(args) -> int:
    """Certificates rechecked by the kernel, with no theorem code loaded."""
    from ...files import read_text_limited
    from ...proof.certificate import certificates
    from ...proof.kernel import recheck
    from ...render import render

    text = read_text_limited(args.recheck, 16_000_000, "certificate")
    checkers = _checkers(args)
    proofs = [recheck(p, checkers) for p in certificates(text)]
    if args.format == "text":
        from ...render.proofs import summary_sentence

        for p in proofs:
            verdict = "verified by the kernel" if p.verified else "NOT verified"
            write(f"{p.slug}: {verdict} ({len(p.steps)} steps rechecked). {summary_sentence(p)}\n")
    else:
        write("\n".join(render(p, args.format) for p in proofs))
    bad = [p.slug for p in proofs if not p.verified]
    if bad:
        raise NotProved(f"not verified on recheck: {', '.join(bad)}")
    return 0


def run(args) -> int:
    if args.recheck is not None:  # before any theorem is loaded: the certificate alone is rechecked
        if args.theorem or args.all or args.claim is not None or args.write or args.list:
            raise UsageError("--recheck reads its proofs from the file; it takes no theorem, --all, --list, "
                             "--claim or --write")
        return _recheck(args)
    from ...proof import ProofError
    from ...theorems import slugs

    if args.list:
        return _list()
    _check_choice(args)
    chosen = slugs() if args.all else [args.theorem]
    try:
        if args.write:
            _write(args, chosen)
        else:
            _print(args, chosen, _checkers(args))
    except ProofError as exc:
        raise NotProved(f"not proved: {exc.message}") from None
    return 0


def _check_choice(args) -> None:
    if args.all == bool(args.theorem):
        raise UsageError("name one theorem, or give --all (see 'symcnn prove --list')")
    if args.claim is not None and args.all:
        raise UsageError("--claim goes with one theorem, not --all")
    if args.write and args.claim is not None:
        raise UsageError("--write renders the theorems as proved; it takes no --claim")
    if args.write and args.checker not in (None, "both"):
        raise UsageError("--write renders the proofs as both checkers confirm them; it takes no --checker")


def _write(args, chosen) -> None:
    """proofs/ (every format of each theorem) as both checkers confirm them."""
    from ...render import proofdir
    from ...theorems import prove

    if _checkers(args) != ("sympy", "z3"):
        raise UsageError("--write renders the proofs as both checkers confirm them; Z3 is not installed")
    for slug in chosen:
        prove(slug)  # check the name before writing anything
    for path in proofdir.write(args.write, None if args.all else chosen):
        say(f"wrote {path}")


def _print(args, chosen, checkers) -> None:
    from ...render import render
    from ...theorems import prove

    proofs = []
    for slug in chosen:
        proof = prove(slug, args.claim, checkers)
        if not proof.verified:  # the builder refuses first; this is the certificate's own verdict
            raise NotProved(f"not proved: {slug}: the certificate is not verified")
        proofs.append(proof)
    options = {"fragment": True} if args.fragment and args.format == "latex" else {}
    if args.format == "json" and args.all:
        write(render(proofs, "json"))
    else:
        write("\n".join(render(p, args.format, **options) for p in proofs))
