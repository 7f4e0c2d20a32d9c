"""What-if analysis: make a network symbolic without editing it, then read
off totals as polynomials, each layer's share, derivatives, the largest
design that meets a budget, and fast sweeps over a grid.

>>> import symcnn
>>> w = whatif("vgg16", width="alpha")
>>> w.totals["params"].subs(w.symbol("alpha"), 1)
138357544
>>> a = w.solve("params", 10_000_000)
>>> a.value
-21407/1398400 + sqrt(146110359649)/1398400
>>> round(float(a.value), 4), a.meets
(0.258, True)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from collections.abc import Sequence as _Seq
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from .. import budget
from .. import expr as E
from ..convention import DEFAULT, Convention
from ..derive import Table, derive
from ..errors import SymcnnError
from ..layers.base import Shape
from ..network import Layer, Network, iter_layers
from ..walk import map_layers

QUANTITIES = {"params": "params", "macs": "macs", "activations": "activations", "bytes": "bytes_forward",
              "flops": "flops", "weights": "weights"}


# -- making a network symbolic --------------------------------------------------------------------------------

def scale_width(net: Network, alpha: sp.Expr, *, classes: bool = False) -> Network:
    """Every channel count c becomes alpha*c: the fields each layer kind declares as
    channels (the last linear layer's output, the classes, only with ``classes``), and
    what the kind says must follow them (depthwise groups).  Declared ``in=``/``c=``
    checks are dropped (they named the unscaled counts)."""
    flat = [l.name for l in iter_layers(net.body) if l.layer_kind.flat_input and l.layer_kind.channels]
    last = flat[-1] if flat else None

    def fn(layer: Layer) -> Layer:
        kind = layer.layer_kind
        args = dict(layer.args)
        if kind.channels and (classes or layer.name != last):
            if kind.scale is not None:
                args = kind.scale(args, alpha)
            for field in kind.channels:
                args[field] = alpha * args[field]
        for p in kind.params:
            if p.declared and p.name in args:
                args[p.name] = None
        return replace(layer, args=tuple(args.items()))

    return replace(net, body=map_layers(net.body, fn))


def set_resolution(net: Network, r: sp.Expr) -> Network:
    return net.with_input(Shape(net.input.c, r, r))


def set_field(net: Network, layer_name: str, field: str, value) -> Network:
    """Put ``value`` in one field of one layer (``conv3.out=C3``)."""
    found = []

    def fn(layer: Layer) -> Layer:
        if layer.name != layer_name:
            return layer
        kind = layer.layer_kind
        p = kind.param(field)
        if p is None:
            raise SymcnnError(f"layer {layer_name!r} ({kind.name}) has no field {field!r} "
                              f"(fields: {', '.join(q.name for q in kind.params)})")
        args = dict(layer.args)
        args[p.name] = (value, value) if p.kind == "pair" else value
        found.append(p.name)
        return replace(layer, args=tuple(args.items()))

    out = replace(net, body=map_layers(net.body, fn))
    if not found:
        names = [l.name for l in iter_layers(net.body)]
        import difflib

        close = difflib.get_close_matches(layer_name, names, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise SymcnnError(f"network {net.name!r} has no layer {layer_name!r}{hint}")
    return out


# -- the analysis ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """The largest value of the symbol whose total stays within the budget."""

    quantity: str
    budget: sp.Expr
    symbol: sp.Symbol
    exact: sp.Expr | None  # the boundary as sympy found it (a root), if it did
    value: sp.Expr  # the answer: the root for a real symbol, the largest integer for an integer one
    total_at_value: sp.Expr
    next_total: sp.Expr | None  # at value + 1 (integer symbols)
    meets: bool


class WhatIf:
    """A symbolic network and what can be read off it."""

    def __init__(self, network: Network, convention: Convention = DEFAULT, description: str = "",
                 origin: Mapping | None = None):
        self.network = network
        self.convention = convention
        self.description = description
        self.table: Table = derive(network, convention)
        self.totals = self.table.totals
        self.symbols = sorted(self.table.free_symbols, key=lambda s: s.name)
        #: the network's own values of the symbols (width 1, its input size, a field's value): the default point
        self.origin = {k: sp.sympify(v) for k, v in (origin or {}).items() if k in self.symbols}
        self._domain = None

    def __repr__(self) -> str:
        return f"<WhatIf {self.network.name}: symbols {', '.join(s.name for s in self.symbols) or 'none'}>"

    @property
    def domain(self):
        """Where every layer exists (:mod:`symcnn.whatif.domain`), bounds found at the network's own values."""
        if self._domain is None:
            from .domain import Domain

            self._domain = Domain(self.table, self.convention, self.symbols, self.origin)
        return self._domain

    def point(self, values: Mapping | None = None) -> dict:
        """The network's own values with ``values`` (names or symbols) put over them; every symbol needs one."""
        out = dict(self.origin)
        for k, v in (values or {}).items():
            sym = k if isinstance(k, sp.Symbol) else self.symbol(str(k))
            if sym not in self.symbols:
                raise SymcnnError(f"{sym.name!r} is not a symbol of this what-if "
                                  f"({', '.join(s.name for s in self.symbols) or 'none'})")
            out[sym] = sp.sympify(v)
        missing = [s.name for s in self.symbols if s not in out]
        if missing:
            raise SymcnnError(f"no value for {', '.join(missing)}: give one with --at NAME=VALUE")
        self.check_values(out)
        return out

    def check_values(self, values: Mapping) -> None:
        """Values outside a symbol's declared domain (a resolution is a positive integer) are refused."""
        for sym, v in values.items():
            v = sp.sympify(v)
            if not v.is_number or not v.is_positive:
                raise SymcnnError(f"{sym.name} = {v}: {sym.name} is positive")
            if sym.is_integer and not v.is_integer:
                raise SymcnnError(f"{sym.name} = {v}: {sym.name} is a positive integer")

    def shares_at(self, quantity: str, values: Mapping | None = None) -> list[tuple[str, sp.Expr]]:
        """Each layer's share of the total at a point (default: the network's own values), largest first."""
        key = {"params": "params", "macs": "macs", "weights": "weights", "flops": "flops"}.get(quantity)
        if key is None:
            raise SymcnnError(f"shares are given for params, weights, macs and flops, not {quantity!r}")
        at = self.point(values)
        total = self.total(quantity).xreplace(at)
        if total == 0:
            return []
        out = [(r.name, sp.Rational(getattr(r, key).xreplace(at)) / total) for r in self.table.rows
               if getattr(r, key) != 0]
        return sorted(out, key=lambda kv: -kv[1])

    def limit_shares(self, quantity: str, symbol: sp.Symbol, values: Mapping | None = None):
        """As ``symbol`` grows without bound (the others at the point): each layer's limiting share,
        exact, from the leading coefficients (sizes relaxed: floor(x) -> x does not change a limit)."""
        key = {"params": "params", "macs": "macs", "weights": "weights", "flops": "flops"}[quantity]
        at = {k: v for k, v in self.point(values).items() if k != symbol}
        total = sp.expand(self.relaxed(self.total(quantity)).xreplace(at))
        try:
            tpoly = sp.Poly(total, symbol)
        except sp.PolynomialError:
            return []
        deg, lc = tpoly.degree(), tpoly.LC()
        out = []
        for r in self.table.rows:
            part = getattr(r, key)
            if part == 0:
                continue
            p = sp.Poly(sp.expand(self.relaxed(part).xreplace(at)), symbol)
            share = sp.Rational(p.LC() / lc) if p.degree() == deg else sp.Integer(0)
            if share != 0:
                out.append((r.name, share))
        return sorted(out, key=lambda kv: -kv[1])

    def symbol(self, name: str) -> sp.Symbol:
        return self.network.symbol(name)

    def total(self, quantity: str) -> sp.Expr:
        if quantity not in QUANTITIES:
            raise SymcnnError(f"unknown quantity {quantity!r} (choose from {', '.join(QUANTITIES)})")
        return self.totals[QUANTITIES[quantity]]

    def forms(self, quantity: str) -> dict[str, sp.Expr]:
        """The total expanded and collected in the symbols, and factored."""
        e = self.total(quantity)
        expanded = sp.expand(e)
        collected = sp.collect(expanded, self.symbols) if self.symbols else expanded
        return {"collected": collected, "factored": sp.factor(e)}

    def derivatives(self, quantity: str) -> dict[sp.Symbol, sp.Expr]:
        """d total / d symbol.  Output sizes with floors are step functions; their
        derivative is taken of the continuous relaxation floor(x) -> x (see
        :meth:`relaxed`)."""
        e = self.relaxed(self.total(quantity))
        return {s: sp.factor(sp.diff(e, s)) for s in self.symbols}

    @staticmethod
    def relaxed(e: sp.Expr) -> sp.Expr:
        """floor(x) and ceiling(x) replaced by x (exact when every division is exact)."""
        return e.replace(lambda x: isinstance(x, (sp.floor, sp.ceiling)), lambda x: x.args[0])

    def has_floors(self, quantity: str) -> bool:
        return self.total(quantity).has(sp.floor, sp.ceiling)

    def shares(self, quantity: str) -> list[tuple[str, sp.Expr]]:
        """Each layer's share of the total, as an exact fraction (layers with a nonzero part)."""
        key = {"params": "params", "macs": "macs", "weights": "weights", "flops": "flops"}.get(quantity)
        if key is None:
            raise SymcnnError(f"shares are given for params, weights, macs and flops, not {quantity!r}")
        total = self.total(quantity)
        out = []
        for r in self.table.rows:
            part = getattr(r, key)
            if part != 0:
                out.append((r.name, sp.cancel(part / total)))
        return out

    def solve(self, quantity: str, budget) -> Answer:
        """The largest value of the network's one symbol with total <= budget."""
        budget = sp.sympify(budget)
        if len(self.symbols) != 1:
            names = ", ".join(s.name for s in self.symbols) or "none"
            raise SymcnnError(f"--solve needs exactly one symbol; this network has {names} "
                              "(give the others values with --set)")
        (s,) = self.symbols
        total = self.total(quantity)
        if s.is_integer:
            return self._solve_integer(quantity, total, s, budget)
        return self._solve_real(quantity, total, s, budget)

    def _solve_real(self, quantity, total, s, budget) -> Answer:
        try:
            roots = [r for r in sp.real_roots(sp.Poly(sp.expand(total - budget), s)) if r > 0]
        except (sp.PolynomialError, NotImplementedError):
            found = sp.solveset(total - budget, s, domain=sp.S.Reals)
            if not isinstance(found, sp.FiniteSet):
                raise SymcnnError(f"sympy cannot solve {quantity} = {budget} for {s} in closed form "
                                  "(try --sweep to locate it)") from None
            roots = [r for r in found if r.is_positive]
        if not roots:
            at_zero = sp.limit(total, s, 0, "+")
            if at_zero > budget:
                raise SymcnnError(f"no positive {s} meets {quantity} <= {budget}: as {s} -> 0 the total tends to "
                                  f"{at_zero} (the parts that do not scale)")
            raise SymcnnError(f"no positive {s} brings {quantity} to {budget}: it stays below for every {s}")
        bound = self.domain.bounds.get(s)
        if bound is not None and bound.low is not None:
            if total.subs(s, bound.low) > budget:
                raise SymcnnError(f"no valid {s} meets {quantity} <= {budget}: the smallest valid {s}, {bound.low}, "
                                  f"already gives {sp.nsimplify(total.subs(s, bound.low))}")
            roots = [r for r in roots if r >= bound.low]
        root = min(roots)  # the first crossing: below it the budget is met
        at = total.subs(s, root)
        met = bool(sp.N(at - budget, 50) <= abs(budget) * sp.Float("1e-30"))
        return Answer(quantity, budget, s, root, root, sp.nsimplify(at), None, met)

    def _solve_integer(self, quantity, total, s, budget) -> Answer:
        f = lambda n: total.xreplace({s: sp.Integer(n)})  # noqa: E731
        bound = self.domain.bounds.get(s)
        start = int(bound.low) if bound is not None and bound.low is not None else 1
        if bound is not None and bound.low is None and bound.reason != "no condition depends on it":
            raise SymcnnError(f"the valid values of {s} are not known ({bound.reason}): --solve needs them")
        if f(start) > budget:
            where = f"the smallest valid {s}, {start}," if start > 1 else f"{s} = 1"
            raise SymcnnError(f"no valid {s} meets {quantity} <= {budget}: {where} already gives {f(start)}")
        hi = start
        while f(hi) <= budget:
            hi *= 2
            if hi > 2 ** 40:
                raise SymcnnError(f"{quantity} stays within {budget} for every {s} up to 2**40")
        lo = max(start, hi // 2)  # f(lo) <= budget < f(hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if f(mid) <= budget:
                lo = mid
            else:
                hi = mid
        for n in (max(start, lo - 3), lo):  # the search assumes the total grows with the symbol; check near it
            if f(n) > f(n + 1):
                raise SymcnnError(f"{quantity} is not increasing in {s} near {n}; no single largest value")
        exact = None
        try:
            roots = [r for r in sp.real_roots(sp.Poly(sp.expand(total - budget), s)) if r > 0]
            exact = min(roots) if roots else None
        except (sp.PolynomialError, NotImplementedError):
            pass
        return Answer(quantity, budget, s, exact, sp.Integer(lo), f(lo), f(lo + 1), True)

    def sweep(self, grid: Mapping[str, Any], quantities=("params", "macs", "activations")):
        """Evaluate totals on a grid: the symbolic totals are compiled once with
        lambdify (NumPy) and evaluated vectorised.  ``grid`` maps symbol names
        to 1-D arrays; every other symbol must be fixed.  Returns (columns, arrays)."""
        np = _numpy()
        names = list(grid)
        syms = [self.symbol(n) for n in names]
        missing = [s.name for s in self.symbols if s not in syms]
        if missing:
            raise SymcnnError(f"sweep every symbol or fix it with --set: {', '.join(missing)} not swept")
        budget.grid_points([len(grid[n]) for n in names], "--sweep")
        for name, sym in zip(names, syms):
            for v in _extremes(grid[name]):
                self.check_values({sym: v})
            if sym.is_integer and not all(sp.sympify(v).is_integer for v in _sample(grid[name])):
                raise SymcnnError(f"--sweep {name}: {name} is a positive integer; the grid has fractional values")
        axes = np.meshgrid(*[np.asarray(grid[n], dtype=float) for n in names], indexing="ij")
        flat = [a.ravel() for a in axes]
        out = dict(zip(names, flat))
        from .domain import mask

        valid = mask(self.domain.conditions, syms, flat)
        for q in quantities:
            fn = sp.lambdify(syms, self.total(q), modules="numpy")
            values = np.array(np.broadcast_to(np.asarray(fn(*flat), dtype=float), flat[0].shape))
            values[~valid] = np.nan  # the network does not exist there
            out[q] = values
        out["valid"] = valid
        return out


def _extremes(values):
    n = len(values)
    return [values[0], values[n - 1]] if n else []


def _sample(values, k: int = 2000):
    """Every value of a short axis; an even sample of a long one (a progression's step decides the rest)."""
    n = len(values)
    if isinstance(values, Progression):
        return [values[0], values[n - 1], values.step] if n > 1 else [values[0]]
    return [values[i] for i in range(0, n, max(1, n // k))]


def _numpy():
    try:
        import numpy
    except ImportError:
        raise SymcnnError("sweeps need NumPy: pip install 'symcnn[sweep]'") from None
    return numpy


class Progression(_Seq):
    """start, start + step, ..., up to stop: exact values on demand, a NumPy
    array without building a list (a million-point axis costs nothing until used).

    >>> p = Progression(sp.Rational(1, 4), sp.Rational(1, 4), 4)
    >>> len(p), p[1], list(p) == [sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4), 1]
    (4, 1/2, True)
    """

    def __init__(self, start, step, count: int):
        self.start, self.step, self.length = sp.Rational(start), sp.Rational(step), int(count)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.length))]
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError(i)
        return self.start + i * self.step

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, (list, tuple, Progression)) else NotImplemented

    def __array__(self, dtype=None, copy=None):
        np = _numpy()
        out = float(self.start) + np.arange(self.length, dtype=float) * float(self.step)
        return out if dtype is None else out.astype(dtype)


def parse_range(text: str) -> tuple[str, _Seq]:
    """``alpha=0.25:2:0.25`` (start:stop:step, stop included) or ``R=128,160,224``."""
    name, eq, spec = text.partition("=")
    name = name.strip()
    if not eq or not E.valid_name(name):
        raise SymcnnError(f"--sweep takes NAME=START:STOP:STEP or NAME=V1,V2,..., got {text!r}")
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise SymcnnError(f"--sweep {name}: expected START:STOP:STEP, got {spec!r}")
        start, stop, step = (E.parse(p, symbol=None, functions=False) for p in parts)
        if not all(v.is_number for v in (start, stop, step)) or step <= 0 or stop < start:
            raise SymcnnError(f"--sweep {name}: need numbers with STEP > 0 and STOP >= START, got {spec!r}")
        count = int(sp.floor((stop - start) / step)) + 1
        budget.grid_points([count], f"--sweep {name}")
        return name, Progression(start, step, count)
    values = [E.parse(p, symbol=None, functions=False) for p in spec.split(",")]
    if not values or not all(v.is_number for v in values):
        raise SymcnnError(f"--sweep {name}: expected numbers, got {spec!r}")
    return name, values


def _with_depth(net, name: str, d: sp.Symbol) -> Network:
    """The network read again from its spec with every ``repeat k`` as ``repeat ceiling(d*k)``."""
    from pathlib import Path

    from .. import zoo
    from ..spec import loads

    if isinstance(net, Network):
        raise SymcnnError("--depth reads the network's spec again: give a zoo name or a spec file")
    path = Path(str(net))
    if path.suffix == ".cnn" or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SymcnnError(f"cannot read {net}: {getattr(exc, 'strerror', None) or exc}") from None
        network = loads(text, str(path), depth=d)
    else:
        network = loads(zoo.text(str(net)), f"zoo:{net}", str(net), depth=d)
    from ..walk import repeat_counts

    if not repeat_counts(network.body):
        raise SymcnnError(f"{net} has no 'repeat' blocks for --depth {name} to scale (its stages are written out "
                          "layer by layer)")
    return network


def whatif(net, *, width: str | None = None, classes: bool = False, resolution: str | None = None,
           fields: Mapping[str, str] | None = None, values: Mapping | None = None,
           convention: Convention | None = None, depth: str | None = None) -> WhatIf:
    """Make a network symbolic and analyse it.

    width
        name of a width multiplier (a positive real): every channel count c becomes width*c.
    resolution
        name of the input resolution (a positive integer): H = W = resolution.
    fields
        ``{"conv3.out": "C3"}``: any field of any layer, as an expression (names, numbers,
        + - * / ** and parentheses only).
    values
        symbols to fix (as ``--set``).
    """
    from ..sources import load

    notes = []
    origin: dict = {}
    if depth:
        if not E.valid_name(depth):
            raise SymcnnError(f"{depth!r} is not a valid symbol name")
        d = sp.Symbol(depth, **E.ROLES["real"])
        network = _with_depth(net, depth, d)
        origin[d] = sp.Integer(1)
        notes.append(f"every repeat count k is ceiling({depth}*k)")
    else:
        network = net if isinstance(net, Network) else load(net)
    sym = _Symbols(dict(network.symbols, **({depth: d} if depth else {})))
    if width:
        origin[sym(width, "real")] = sp.Integer(1)
        network = scale_width(network, sym(width, "real"), classes=classes)
        notes.append(f"every channel count c is {width}*c" + ("" if classes else " (the classes stay fixed)"))
    if resolution:
        if network.input.h.is_number:
            origin[sym(resolution)] = network.input.h
        network = set_resolution(network, sym(resolution))
        notes.append(f"the input is {resolution} x {resolution}")
    for target, text in (fields or {}).items():
        network = _with_field(network, target, text, sym, origin)
        notes.append(f"{target} = {text}")
    if values:
        network = network.subs(values)
        origin = {k: v for k, v in origin.items() if k.name not in {getattr(n, "name", n) for n in values}}
    return WhatIf(network, convention or DEFAULT, "; ".join(notes), origin)


class _Symbols:
    """The what-if's symbols by name: one symbol per name, of one kind (a width is a positive real; a resolution
    or a field a positive integer, a padding a non-negative one)."""

    def __init__(self, symbols: dict[str, sp.Symbol]):
        self.symbols = symbols

    def __call__(self, name: str, role: str = "size") -> sp.Symbol:
        if name in self.symbols:
            if (role == "real") == bool(self.symbols[name].is_integer):
                raise SymcnnError(f"{name!r} is already a symbol of another kind in this what-if (a width is a "
                                  "positive real, a resolution or a field an integer): use another name")
            return self.symbols[name]
        if not E.valid_name(name):
            raise SymcnnError(f"{name!r} is not a valid symbol name")
        self.symbols[name] = sp.Symbol(name, **E.ROLES[role])
        return self.symbols[name]


def _with_field(network: Network, target: str, text: str, sym: _Symbols, origin: dict[Any, Any]) -> Network:
    """``--symbol LAYER.FIELD=EXPR``: the field set to the expression (a new symbol starts at the field's value)."""
    layer, dot, field = target.rpartition(".")
    if not dot or not layer:
        raise SymcnnError(f"--symbol takes LAYER.FIELD=EXPR, got {target!r}")
    role = "padding" if field in ("p", "pad", "padding") else "size"
    value = E.parse(text, symbol=functools.partial(sym, role=role), functions=False)
    before = _field_value(network, layer, field)
    if isinstance(value, sp.Symbol) and before is not None and before.is_number:
        origin.setdefault(value, before)
    return set_field(network, layer, field, value)


def _field_value(network: Network, layer_name: str, field: str):
    for layer in iter_layers(network.body):
        if layer.name == layer_name:
            p = layer.layer_kind.param(field)
            if p is None:
                return None
            v = dict(layer.args).get(p.name)
            v = v[0] if isinstance(v, tuple) else v
            return sp.sympify(v) if v is not None and not isinstance(v, (str, bool)) else None
    return None
