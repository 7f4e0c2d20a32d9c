"""symcnn list: the zoo, or the layer kinds and their fields."""

from __future__ import annotations

from ..common import write

HELP = "the networks in the zoo"


def add(sub) -> None:
    p = sub.add_parser("list", help=HELP, description="List the zoo networks.")
    p.add_argument("--kinds", action="store_true", help="list the layer kinds and their fields instead")
    p.set_defaults(func=run)


def run(args) -> int:
    from ... import zoo
    from ...layers import KINDS

    if args.kinds:
        for k in KINDS.values():
            aliases = f" (also {', '.join(k.aliases)})" if k.aliases else ""
            write(f"{k.name}{aliases}: {k.doc}\n")
            for p in k.params:
                default = "required" if p.required else f"default {p.default}"
                pos = ", positional" if p.positional else ""
                write(f"    {p.name}: {p.doc} ({default}{pos})\n")
        return 0
    names = zoo.names()
    width = max(len(n) for n in names)
    for n in names:
        net = zoo.load(n)
        write(f"{n.ljust(width)}  {'x'.join(str(v) for v in net.input.as_tuple()):>11}  {net.title}\n")
    return 0
