"""symcnn whatif: make a network symbolic; totals, shares, derivatives, budgets, sweeps."""

from __future__ import annotations

from ..common import UsageError, convention_flags, convention_from, say, write

HELP = "make a network symbolic: totals, shares, derivatives, budgets, sweeps"


def add(sub) -> None:
    p = sub.add_parser("whatif", help=HELP,
                       description="Make a network symbolic without editing it (width multiplier, resolution, "
                                   "any layer field), then show the totals as polynomials in the symbols, each "
                                   "layer's share and the dominant layers, derivatives; solve for a budget; "
                                   "sweep a grid (compiled once with lambdify to NumPy).")
    p.add_argument("net", metavar="NET_OR_SPEC")
    p.add_argument("--width", metavar="NAME", help="every channel count c becomes NAME*c (a positive real)")
    p.add_argument("--classes", action="store_true", help="with --width, scale the output classes too")
    p.add_argument("--resolution", metavar="NAME", help="the input becomes NAME x NAME (a positive integer)")
    p.add_argument("--depth", metavar="NAME",
                   help="every 'repeat k' of the spec becomes 'repeat ceiling(NAME*k)' (a positive real); the "
                        "repeated blocks are summed in closed form")
    p.add_argument("--compound", metavar="PHI",
                   help="EfficientNet's compound scaling: depth a**PHI, width b**PHI, resolution c**PHI (with "
                        "--solve: the largest PHI within a budget, exactly)")
    p.add_argument("--compound-base", metavar="A,B,C", default="6/5,11/10,23/20",
                   help="a,b,c for --compound (default EfficientNet's 1.2,1.1,1.15); one may be a name, solved "
                        "from a*b**2*c**2 = 2")
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
    p.add_argument("--at", metavar="NAME=VALUE[,NAME=VALUE...]",
                   help="the point at which layers' shares are given (default: the network's own values: width 1, "
                        "its input size, the fields' values)")
    p.add_argument("--csv", action="store_true", help="print the sweep as CSV")
    p.add_argument("--plot", metavar="FILE", help="plot the sweep (PNG or SVG; needs matplotlib)")
    convention_flags(p)
    p.set_defaults(func=run)


def _fields(items) -> dict:
    fields = {}
    for item in items:
        target, eq, value = item.partition("=")
        if not eq:
            raise UsageError(f"--symbol takes LAYER.FIELD=EXPR, got {item!r}")
        fields[target.strip()] = value
    return fields


def _grid(items) -> dict:
    from ... import budget as B
    from ...whatif import parse_range

    grid: dict = {}
    for item in items:
        name, values = parse_range(item)
        if name in grid:
            raise UsageError(f"--sweep {name} is given twice")
        grid[name] = values
    B.grid_points([len(v) for v in grid.values()], "--sweep")
    return grid


def _budget(item):
    from ... import expr as E
    from ...whatif import QUANTITIES

    q, eq, budget = item.partition("=")
    if not eq or q.strip() not in QUANTITIES:
        raise UsageError(f"--solve takes QUANTITY=BUDGET with QUANTITY one of {', '.join(QUANTITIES)}, got {item!r}")
    value = E.parse(budget, symbol=None, functions=False)
    if not value.is_number or value <= 0:
        raise UsageError(f"--solve {q}: the budget must be a positive number, got {budget!r}")
    return q.strip(), value


def run(args) -> int:
    from ...files import check_output_file
    from ...sources import parse_assignments

    values = parse_assignments(args.set, symbol=None, functions=False)
    if args.plot:
        if not args.sweep:
            raise UsageError("--plot needs --sweep")
        check_output_file(args.plot, force=True)
    budgets = [_budget(item) for item in args.solve]
    quantities = args.quantity or ["params", "macs", "activations"]
    write("\n".join(_compound(args, quantities, budgets) if args.compound else
                     _whatif(args, values, quantities, budgets)))
    return 0


def _compound(args, quantities, budgets) -> list[str]:
    from ...render import whatif as R
    from ...whatif.compound import compound

    if args.width or args.resolution or args.depth or args.symbol or args.sweep or args.at:
        raise UsageError("--compound sets depth, width and resolution itself: it takes only -q and --solve")
    c = compound(args.net, args.compound, tuple(args.compound_base.split(",")), convention_from(args))
    return [R.compound_report(c, quantities)] + [R.phi_answer(c.solve(q, v)) for q, v in budgets]


def _whatif(args, values, quantities, budgets) -> list[str]:
    from ...render import whatif as R
    from ...sources import parse_assignments
    from ...whatif import whatif

    w = whatif(args.net, width=args.width, classes=args.classes, resolution=args.resolution,
               fields=_fields(args.symbol), values=values, convention=convention_from(args), depth=args.depth)
    if not w.symbols:
        raise UsageError("nothing is symbolic: give --width, --resolution, --depth, --symbol or a spec with symbols")
    at = None
    if args.at:
        at = parse_assignments([a for a in args.at.split(",") if a.strip()], symbol=None, functions=False)
        w.point(at)  # unknown names and values outside a symbol's domain are refused here
    out = [R.report(w, quantities=quantities, at=at)] + [R.answer(w.solve(q, v)) for q, v in budgets]
    if args.sweep:
        grid = _grid(args.sweep)
        data = w.sweep(grid, quantities=quantities)
        out.append(R.sweep_csv(data) if args.csv else R.sweep_text(data))
        if args.plot:
            R.plot(data, args.plot, list(grid), title=f"{w.network.title or w.network.name}: {w.description}")
            say(f"wrote {args.plot}")
    return out
