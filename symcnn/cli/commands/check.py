"""symcnn check: grade a worked answer (a claims file) against the derivation."""

from __future__ import annotations

from ..common import UsageError, convention_flags, convention_from, write

HELP = "grade a worked answer (a claims file) against the derivation"


def add(sub) -> None:
    from ...render import formats_for

    p = sub.add_parser("check", help=HELP,
                       description="Mark each claim right or wrong; for a wrong one give the correct value, its "
                                   "worked derivation and the slip that explains it when one does (tested by "
                                   "recomputing under that slip). Exit status 0 (1 with --strict if any claim is "
                                   "wrong; 2 for a malformed claims file).")
    p.add_argument("claims", metavar="CLAIMS_FILE")
    p.add_argument("--format", "-f", choices=formats_for("GradedSheet"), default="text")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when any claim is wrong")
    convention_flags(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ...grading import check_text
    from ...render import render

    path = Path(args.claims)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"cannot read claims file {args.claims}: {getattr(exc, 'strerror', None) or exc}") from None
    sheet = check_text(text, str(path), convention_from(args))
    write(render(sheet, args.format))
    if args.strict and any(v.status == "wrong" for v in sheet.verdicts):
        return 1
    return 0
