"""What the subcommands share: one-line errors, the convention flags, naming a
network, writing to stdout."""

from __future__ import annotations

import argparse
import sys

from ..errors import SymcnnError


class UsageError(SymcnnError):
    """A bad command line (exit status 2)."""


class NotProved(SymcnnError):
    """A statement symcnn could not prove (exit status 1)."""


class MissingTool(SymcnnError):
    """An external program the command needs is not installed (exit status 1: the rest was done)."""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage dump
        raise UsageError(f"{message} (see '{self.prog} --help')")


def convention_flags(p: argparse.ArgumentParser) -> None:
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
    from ..convention import Convention

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


def network_args(p: argparse.ArgumentParser, torch: bool = False) -> None:
    p.add_argument("net", metavar="NET_OR_SPEC", nargs="?" if torch else None,
                   help="a zoo network name (see 'symcnn list') or a spec file")
    if torch:
        p.add_argument("--torch", metavar="MODULE_PATH:ATTR",
                       help="read a torch.nn.Module instead (a dotted module or .py file, and an attribute that "
                            "is a module or builds one); needs --input and symcnn[torch]")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="put a value in for a symbol (repeatable); VALUE may use other symbols")
    p.add_argument("--input", metavar="C,H,W", help="override the input shape")


def network_from(args, name: str | None = None):
    """The network the arguments name (or ``name``), with --input and --set applied."""
    from ..sources import network_from as library

    return library(name if name is not None else getattr(args, "net", None), torch=getattr(args, "torch", None),
                   input=getattr(args, "input", None), assignments=getattr(args, "set", ()))


def write(text: str) -> None:
    sys.stdout.write(text)


def say(text: str) -> None:
    print(text, file=sys.stderr)
