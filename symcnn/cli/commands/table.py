"""symcnn table: the per-layer table and totals of a network."""

from __future__ import annotations

from ..common import convention_flags, convention_from, network_args, network_from, write

HELP = "the per-layer table and totals of a network"


def add(sub) -> None:
    from ...render import formats_for

    p = sub.add_parser("table", help=HELP,
                       description="Derive the per-layer table (output shape, weights, biases, parameters, "
                                   "activations, MACs, FLOPs, receptive field, jump) and the totals.")
    network_args(p, torch=True)
    p.add_argument("--format", "-f", choices=formats_for("Table"), default="text")
    convention_flags(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ...derive import derive
    from ...render import render

    write(render(derive(network_from(args), convention_from(args)), args.format))
    return 0
