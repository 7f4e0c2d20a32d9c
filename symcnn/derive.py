"""From a network to its table: walk the tree once, apply each layer kind's
formulas, carry the receptive field, and sum the totals.

>>> from symcnn import load
>>> t = load("lenet5").derive()
>>> t.totals["params"] == (6*1*5*5 + 6) + (16*6*5*5 + 16) + (400*120 + 120) + (120*84 + 84) + (84*10 + 10)
True
>>> [str(r.output) for r in t.rows if r.kind in ("conv", "avgpool")]
['6x28x28', '6x14x14', '16x10x10', '16x5x5']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import sympy as sp

from . import network as network_module
from . import repeat as R
from .convention import DEFAULT, Convention
from .errors import DerivationError, SymcnnError
from .layers.base import IDENTITY, ZERO, Derivation, Shape, Window
from .layers.common import merge
from .layers.common.window import same
from .network import GRAPH_INPUT, Concat, Graph, Join, Layer, Network, Repeat, Residual, Sequence
from .prose import led
from .walk import Visitor

HALF = sp.Rational(1, 2)


@dataclass(frozen=True)
class Field:
    """Receptive field along height and width: size r, jump j (effective
    stride) and start (input coordinate of the centre of the first output's
    field, pixel centres at 0, 1, ...)."""

    rh: sp.Expr
    rw: sp.Expr
    jh: sp.Expr
    jw: sp.Expr
    starth: sp.Expr
    startw: sp.Expr

    def step(self, win: Window) -> Field:
        """The standard recurrences: r += (k-1) j, start += ((k-1)/2 - p) j, j *= s;
        after an upsampling by u (j /= u first: a transposed convolution is a
        convolution at stride 1 on its input spread out u apart)."""
        jh, jw = self.jh / win.uh, self.jw / win.uw
        return Field(
            self.rh + (win.kh - 1) * jh,
            self.rw + (win.kw - 1) * jw,
            jh * win.sh,
            jw * win.sw,
            self.starth + ((win.kh - 1) * HALF - win.ph) * jh,
            self.startw + ((win.kw - 1) * HALF - win.pw) * jw,
        )

    @staticmethod
    def union(fields: list[Field | None], broadcast: tuple[Field | None, ...] = ()) -> Field | None:
        """Several paths merged: the field covers the union of the paths'
        fields, which must share one jump (Araujo et al., Distill 2019).
        A ``broadcast`` path (a gate's 1 x 1 map, the same for every position)
        adds its whole field to the first position's, whatever its jump."""
        if any(f is None for f in (*fields, *broadcast)) or not fields:
            return None
        out = []
        for axis in ("h", "w"):
            rs = [getattr(f, "r" + axis) for f in fields]
            js = [getattr(f, "j" + axis) for f in fields]
            starts = [getattr(f, "start" + axis) for f in fields]
            for j in js[1:]:
                verdict = same(j, js[0])
                if verdict is False:
                    raise DerivationError(f"paths have different effective strides ({js[0]} and {j})")
                if verdict is None:
                    return None
            spans = [*zip(starts, rs), *((getattr(f, "start" + axis), getattr(f, "r" + axis)) for f in broadcast)]
            lefts = [s - (r - 1) * HALF for s, r in spans]
            rights = [s + (r - 1) * HALF for s, r in spans]
            if all(v.is_number for v in lefts + rights):  # exact rationals: compare directly, no Min/Max objects
                left, right = min(lefts), max(rights)
            else:
                left, right = sp.Min(*lefts), sp.Max(*rights)
            out.append((right - left + 1, js[0], (left + right) * HALF))
        (rh, jh, sh), (rw, jw, sw) = out
        return Field(rh, rw, jh, jw, sh, sw)


INPUT_FIELD = Field(sp.Integer(1), sp.Integer(1), sp.Integer(1), sp.Integer(1), ZERO, ZERO)


@dataclass(frozen=True)
class Row:
    """One line of the table: a layer, or the merge of a concat/residual."""

    name: str
    kind: str
    depth: int
    input: Shape
    output: Shape
    weights: sp.Expr
    biases: sp.Expr
    macs: sp.Expr
    flops: sp.Expr
    activations: sp.Expr
    counted: bool  # are the activations counted in the total?
    field: Field | None
    notes: tuple[str, ...] = ()
    origin: str | None = None
    derivation: Derivation | None = None
    layer: Layer | None = None  # the spec layer (None for the merge of a concat or residual)
    #: how many layers the row stands for: a layer inside ``repeat N:`` with a symbolic N is one row whose
    #: weights, multiply-adds and activations are N times one copy's
    copies: Any = 1

    @property
    def params(self) -> sp.Expr:
        return self.weights + self.biases

    @property
    def rf(self) -> tuple[sp.Expr, sp.Expr] | None:
        return None if self.field is None else (self.field.rh, self.field.rw)

    @property
    def jump(self) -> tuple[sp.Expr, sp.Expr] | None:
        return None if self.field is None else (self.field.jh, self.field.jw)


#: the note on a row whose output nothing reads (the forward pass computes it all the same)
DISCARDED = "computed and never used: the forward pass runs it, so its cost is counted"

TOTAL_KEYS = ("weights", "biases", "params", "activations", "bytes_forward", "bytes_forward_backward",
              "macs", "flops")


@dataclass(frozen=True)
class Table:
    """The derived table of a network under a convention."""

    def __repr__(self) -> str:
        """Short, for a notebook's text view (the printers show the table itself)."""
        params, macs = _short(self.totals.get("params")), _short(self.totals.get("macs"))
        return f"<Table {self.network.name}: {len(self.rows)} rows; params {params}; MACs {macs}>"

    network: Network
    convention: Convention
    rows: tuple[Row, ...]
    totals: dict[str, sp.Expr] = field(hash=False, compare=False)

    @property
    def input(self) -> Shape:
        return self.network.input

    @property
    def notes(self) -> list[str]:
        """Every row's notes, each led by the row's name (a :class:`~symcnn.prose.Note` keeps its typeset form)."""
        return [led(n, f"{r.name}: ") for r in self.rows for n in r.notes]

    @property
    def free_symbols(self) -> set[sp.Symbol]:
        return self.network.free_symbols()

    @cached_property
    def _named(self) -> tuple[dict[str, Row], dict[str, tuple[Row, ...]]]:
        """Each row by its name (the first of a name), and the rows inside each module a dotted name shows."""
        by_name: dict[str, Row] = {}
        inside: dict[str, list[Row]] = {}
        for r in self.rows:
            by_name.setdefault(r.name, r)
            parts = r.name.split(".")
            for k in range(1, len(parts)):
                inside.setdefault(".".join(parts[:k]), []).append(r)
        return by_name, {m: tuple(rs) for m, rs in inside.items()}

    def row(self, name: str) -> Row:
        found = self._named[0].get(name)
        if found is None:
            raise SymcnnError(f"network {self.network.name!r} has no layer {name!r}")
        return found

    def has_row(self, name: str) -> bool:
        return name in self._named[0]

    def inside(self, module: str) -> tuple[Row, ...]:
        """The rows whose dotted names lie inside a module's ('layer1' holds 'layer1.0.conv1', ...), in order."""
        return self._named[1].get(module, ())

    def subs(self, values: Any) -> Table:
        """The table of the same network with values put in for symbols."""
        return derive(self.network.subs(values), self.convention)


#: what flows along the network: the activation's shape and its receptive field
Flow = tuple[Shape, "Field | None"]


class _Walker(Visitor):
    """The derivation pass: each node takes the input shape and field and returns the output's."""

    def __init__(self, convention: Convention):
        self.convention = convention
        self.rows: list[Row] = []

    def flops(self, d: Derivation) -> sp.Expr:
        c = self.convention
        terms = [c.flops_per_mac * d.macs]
        if c.bias_flops:
            terms.append(d.bias_adds)
        if c.other_ops:
            terms.append(d.other_ops)
        return sp.Add(*terms)

    def emit(self, name: str, kind: str, depth: int, x: Shape, d: Derivation, fld: Field | None,
             origin: str | None, layer: Layer | None = None) -> None:
        counted = self.convention.count_inplace or not d.inplace
        self.rows.append(Row(
            name=name, kind=kind, depth=depth, input=x, output=d.output,
            weights=sp.sympify(d.weights), biases=sp.sympify(d.biases), macs=sp.sympify(d.macs),
            flops=self.flops(d), activations=d.output.elements, counted=counted, field=fld,
            notes=d.notes, origin=origin, derivation=d, layer=layer,
        ))

    def visit_Sequence(self, node: Sequence, x: Shape, fld: Field | None, depth: int) -> Flow:
        for child in node.children:
            x, fld = self.visit(child, x, fld, depth)
        return x, fld

    def visit_Concat(self, node: Concat, x: Shape, fld: Field | None, depth: int) -> Flow:
        return self.merge(node, list(node.branches), x, fld, depth, "concat")

    def visit_Repeat(self, node: Repeat, x: Shape, fld: Field | None, depth: int) -> Flow:
        """A block applied N times, N a symbol, in closed form (:mod:`symcnn.repeat`).  One copy is derived on a
        general input; each output size must be its input's plus a constant (stride 1: a block that keeps its
        shape, unpadded convolutions shrinking the map by F - 1, a dense block adding k channels), a geometric
        step, or a constant (``conv C``).  Copy i then reads a known size, and each of the block's rows sums its
        figures over the copies (sympy's summation of a polynomial in i).  The receptive field grows by the same
        amount with each copy when the block keeps the jump: r_N = r_0 + N (r_1 - r_0)."""
        n = sp.sympify(node.count)
        if n.is_Integer:
            flow: Flow = self.visit(node.unrolled(), x, fld, depth)
            return flow
        i = sp.Symbol("_copy", integer=True, nonnegative=True)
        reads, first_apart = self._copy_reads(node, x, depth, n, i)
        self._summed_rows(node, x, depth, n, i, reads, first_apart)
        out = _shape([sp.expand(sp.sympify(v).xreplace({i: n})) for v in reads], x.layout)
        new = None
        if fld is not None:
            _, once = _Walker(self.convention).visit(node.body, x, fld, depth + 1)
            if once is not None:
                fh = R.field_after((fld.rh, fld.jh, fld.starth), (once.rh, once.jh, once.starth), n)
                fw = R.field_after((fld.rw, fld.jw, fld.startw), (once.rw, once.jw, once.startw), n)
                if fh is not None and fw is not None:
                    new = Field(fh[0], fw[0], fh[1], fw[1], fh[2], fw[2])
        # the repeat's own row: where the block ends, with the field after the N copies (its figures are
        # in the rows above)
        self.emit(node.name, "repeat", depth, x, Derivation(output=out, window=None,
                                                            notes=(f"the output and receptive field after {n} "
                                                                   "copies",), inplace=True),
                  new, node.origin)
        return out, new

    def _copy_reads(self, node: Repeat, x: Shape, depth: int, n: sp.Expr,
                    i: sp.Symbol) -> tuple[list[sp.Expr], bool]:
        """The sizes copy i reads, found by deriving one copy on a general input (then with the channels, then
        every size fixed at the block's own input: a residual add needs its channel count; a channel split
        keeps only its own), and whether the first copy differs."""
        symbols = tuple(sp.Symbol(f"_{a}0", integer=True, positive=True) for a in "chw")
        failure, shown = "", ""
        for general in (symbols, (x.c, *symbols[1:]), (x.c, x.h, x.w)):
            try:
                out0, _ = _Walker(self.convention).visit(node.body, _shape(general, x.layout), None, depth + 1)
            except SymcnnError as exc:
                failure = exc.message
                continue
            shown = f"{out0}".replace("_c0", "C").replace("_h0", "H").replace("_w0", "W")
            found = R.copy_reads(general, out0.as_tuple(), x.as_tuple(), symbols, i)
            if found is not None:
                return found
        raise DerivationError(
            f"repeat {n}: a closed form needs each output size of the block to be a multiple of its input's plus a "
            f"constant, or a constant; " + (f"this one maps {x} to {shown}" if shown else failure)
            + ("" if self.convention.division == "exact" or not shown or "floor" not in shown else
               " (a strided block floors its sizes: under --exact, where every division must be exact, its "
               "sizes are geometric in N)"), where=node.origin, layer=node.name)

    def _summed_rows(self, node: Repeat, x: Shape, depth: int, n: sp.Expr, i: sp.Symbol, reads: list[sp.Expr],
                     first_apart: bool) -> None:
        """Each row of the block once, its figures summed over the N copies (the first copy apart when it
        reads another size)."""
        rule = _Walker(self.convention)
        rule.visit(node.body, _shape(reads, x.layout), None, depth + 1)
        head = None
        if first_apart:
            head = _Walker(self.convention)
            head.visit(node.body, x, None, depth + 1)
        start = 1 if first_apart else 0
        note = (f"stands for {n} copies (repeat {n}): its weights, multiply-adds and activations are summed over "
                "the copies in closed form; input and output are the first copy's and the last's")
        for k, r in enumerate(rule.rows):
            h = head.rows[k] if head is not None else None
            sums = {}
            for q in ("weights", "biases", "macs", "flops", "activations"):
                got = R.summed(getattr(r, q), getattr(h, q) if h is not None else 0, n, start, i)
                if got is None:
                    raise DerivationError(f"repeat {n}: sympy finds no closed form for the sum over the copies of "
                                          f"{getattr(r, q)}", where=node.origin, layer=node.name)
                sums[q] = got
            first_in = h.input if h is not None else \
                _shape([sp.expand(sp.sympify(v).xreplace({i: 0})) for v in r.input.as_tuple()], r.input.layout)
            last_out = _shape([sp.expand(sp.sympify(v).xreplace({i: n - 1})) for v in r.output.as_tuple()],
                              r.output.layout)
            self.rows.append(replace(r, input=first_in, output=last_out, field=None, notes=(*r.notes, note),
                                     copies=n, **sums))

    def visit_Residual(self, node: Residual, x: Shape, fld: Field | None, depth: int) -> Flow:
        paths = [node.body, node.shortcut if node.shortcut is not None else Sequence("identity", ())]
        return self.merge(node, paths, x, fld, depth, node.op)

    def visit_Graph(self, node: Graph, x: Shape, fld: Field | None, depth: int) -> Flow:
        """Each step on the tensors it names, in order; the last step's tensor is the output."""
        tensors: dict[str, Flow] = {GRAPH_INPUT: (x, fld)}
        for step in node.steps:
            flows = [tensors[name] for name in step.inputs]
            first = len(self.rows)
            if isinstance(step.node, Join):
                tensors[step.name] = self.join(step.node, flows, depth)
            else:
                tensors[step.name] = self.visit(step.node, *flows[0], depth)
            if step.name in node.discarded:
                self.rows[first:] = [replace(r, notes=(*r.notes, DISCARDED)) for r in self.rows[first:]]
        return tensors[node.steps[-1].name]

    def join(self, node: Join, flows: list[Flow], depth: int) -> Flow:
        return self.joined(node.name, node.op, flows, flows[0][0], depth, node.origin)

    def joined(self, name: str, op: str, flows: list[Flow], x: Shape, depth: int, origin: str | None) -> Flow:
        """The row of a join (add, mul, concat) of several paths' outputs and fields."""
        outs = [shape for shape, _ in flows]
        fields = [f for _, f in flows]
        try:
            d = merge.concat(outs) if op == "concat" else merge.tokencat(outs) if op == "tokencat" else \
                merge.mul(outs) if op == "mul" else \
                merge.add(outs, "residual subtraction" if op == "sub" else "residual add")
            gates = [_broadcast(out, d.output) for out in outs]
            new = Field.union([f for f, g in zip(fields, gates) if not g], tuple(f for f, g in zip(fields, gates) if g))
        except SymcnnError as exc:
            raise type(exc)(exc.message, where=origin, layer=name) from None
        self.emit(name, op, depth, x, d, new, origin)
        return d.output, new

    def visit_Layer(self, layer: Layer, x: Shape, fld: Field | None, depth: int) -> Flow:
        try:
            kind = layer.layer_kind
            d = kind.derive(layer.arg_dict, x, self.convention)
        except SymcnnError as exc:
            raise type(exc)(exc.message, where=layer.origin, layer=layer.name) from None
        if layer.shares is not None and (d.weights != 0 or d.biases != 0):
            d = replace(d, weights=ZERO, biases=ZERO,
                        notes=(*d.notes, f"reuses the parameters of {layer.shares} (counted there); "
                                                    "its multiply-adds are counted here"))
        if d.window is None:
            new = None
        elif fld is None or d.window is IDENTITY:
            new = fld
        else:
            new = fld.step(d.window)
        self.emit(layer.name, kind.name, depth, x, d, new, layer.origin, layer)
        return d.output, new

    def merge(self, node: Concat | Residual, paths: list[Sequence], x: Shape, fld: Field | None, depth: int,
              kind: str) -> Flow:
        flows = [self.visit(path, x, fld, depth + 1) for path in paths]
        return self.joined(node.name, kind, flows, x, depth, node.origin)


def _short(e: Any, width: int = 40) -> str:
    text = f"{int(e):,}" if isinstance(e, sp.Integer) else sp.sstr(e)
    return text if len(text) <= width else text[:width - 3] + "..."


def _shape(sizes: Any, layout: str) -> Shape:
    c, h, w = sizes
    return Shape(c, h, w, layout)


def _broadcast(part: Shape, whole: Shape) -> bool:
    """A 1 x 1 map broadcast over a larger one (a gate): its field, the same for every
    position, is not the per-position field the union describes."""
    # a gate's map is 1 x 1 as written (an adaptive pool's output), never an expression that happens to equal
    # 1: testing a symbolic size against 1 would ask sympy to simplify nested floors for every branch
    if not (sp.sympify(part.h) == 1 and sp.sympify(part.w) == 1):
        return False
    return not (same(whole.h, 1) and same(whole.w, 1))


def derive(network: Network, convention: Convention | None = None) -> Table:
    """Derive every layer's quantities and the totals, as sympy expressions.  A network is
    immutable: its table under a convention is derived once and kept on it."""
    convention = convention or DEFAULT
    kept: dict[Convention, Table] = network.__dict__.setdefault("_tables", {})
    if convention not in kept:
        kept[convention] = _derive(network, convention)
    return kept[convention]


def _derive(network: Network, convention: Convention) -> Table:
    walker = _Walker(convention)
    walker.visit(network.body, network.input, INPUT_FIELD, 0)
    rows = tuple(walker.rows)
    weights = sp.Add(*[r.weights for r in rows])
    biases = sp.Add(*[r.biases for r in rows])
    activations = sp.Add(network.input.elements, *[r.activations for r in rows if r.counted])
    fwd = convention.bytes_per_element * activations
    totals = {
        "weights": weights,
        "biases": biases,
        "params": weights + biases,
        "activations": activations,
        "bytes_forward": fwd,
        "bytes_forward_backward": 2 * fwd,
        "macs": sp.Add(*[r.macs for r in rows]),
        "flops": sp.Add(*[r.flops for r in rows]),
    }
    return Table(network=network, convention=convention, rows=rows, totals=totals)


network_module.DERIVATION[:] = [derive]  # Network.derive() calls it
