"""symcnn export: build a network in a framework (PyTorch source)."""

from __future__ import annotations

from ..common import UsageError, convention_flags, convention_from, network_args, network_from, say, write

HELP = "build a network in a framework (PyTorch source)"


def add(sub) -> None:
    p = sub.add_parser("export", help=HELP,
                       description="Write standalone PyTorch source that builds the network (needs symcnn[torch]).")
    network_args(p)
    p.add_argument("--torch", action="store_true", dest="to_torch",
                   help="export PyTorch source (a build() function)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    convention_flags(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ...files import check_output_file, write_atomic
    from ...pytorch import torch_source

    if not args.to_torch:
        raise UsageError("say what to export to: --torch (the only target so far)")
    if args.output:
        check_output_file(args.output, force=args.force)
    source = torch_source(network_from(args), convention_from(args))
    if args.output:
        write_atomic(args.output, source, force=args.force)
        say(f"wrote {args.output}")
    else:
        write(source)
    return 0
