"""The network model: a tree of layers, sequences, concatenations,
residual blocks and general graphs, whose fields are sympy expressions.

Networks are built by the spec parser (:mod:`symcnn.spec`) or by hand; they
are immutable, and :meth:`Network.subs` returns a new one with values put in
for symbols.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from .errors import SymcnnError
from .layers import kind as lookup_kind
from .layers.base import LayerKind, Shape
from .walk import layers, map_layers

#: the derivation, put here by :mod:`symcnn.derive` when it loads (it depends on this model, never the reverse);
#: importing anything of symcnn loads it
DERIVATION: list[Any] = []


@dataclass(frozen=True)
class Layer:
    """One layer: its full name, its kind and its fields (name -> value)."""

    name: str
    kind: str
    args: tuple[tuple[str, Any], ...]
    origin: str | None = None
    #: the layer whose parameters this one reuses (a module applied twice): its
    #: parameters are counted there, its multiply-adds here
    shares: str | None = None

    @property
    def arg_dict(self) -> dict[str, Any]:
        return dict(self.args)

    @property
    def layer_kind(self) -> LayerKind:
        return lookup_kind(self.kind)


@dataclass(frozen=True)
class Sequence:
    """Layers applied one after another."""

    name: str
    children: tuple[Node, ...]
    origin: str | None = None


@dataclass(frozen=True)
class Concat:
    """Parallel branches on the same input, concatenated along channels."""

    name: str
    branches: tuple[Sequence, ...]
    origin: str | None = None


@dataclass(frozen=True)
class Residual:
    """A main path and a shortcut (identity when ``None``), joined elementwise: added
    (``op="add"``, ResNet), multiplied (``op="mul"``, a squeeze-excite gate: the main
    path's C x 1 x 1 output scales every position of the shortcut's map), or the shortcut
    subtracted from the main path (``op="sub"``, PoolFormer's ``pool(x) - x``)."""

    name: str
    body: Sequence
    shortcut: Sequence | None = None
    origin: str | None = None
    op: str = "add"

    def __post_init__(self) -> None:
        if self.op not in ("add", "mul", "sub"):
            raise ValueError(f"residual op {self.op!r} is not add, mul or sub")


#: the name of a graph's own input among its tensors
GRAPH_INPUT = "input"
JOIN_OPS = ("add", "concat", "mul", "sub", "tokencat")


@dataclass(frozen=True)
class Join:
    """Two or more named tensors joined elementwise (add, mul: a gate's C x 1 x 1 map is
    broadcast), along channels (concat) or along a sequence of tokens (tokencat)."""

    name: str
    op: str
    origin: str | None = None

    def __post_init__(self) -> None:
        if self.op not in JOIN_OPS:
            raise ValueError(f"join op {self.op!r} is not one of {JOIN_OPS}")


@dataclass(frozen=True)
class Step:
    """One step of a graph: ``node`` applied to the named tensors ``inputs``; its output is
    the tensor ``name``.  A join takes two or more inputs, any other node exactly one."""

    name: str
    node: Any
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Graph:
    """Any directed acyclic graph of steps over named tensors (DenseNet's dense blocks, a
    path reused after a join, three-way adds).  ``input`` names the graph's input; the
    last step's tensor is its output; every other tensor must be used.

    >>> from symcnn import loads
    >>> net = loads("input 8 4 4\\ngraph:\\n  a: conv 8 k=1\\n  b: conv 8 k=1 <- input\\n  add <- a, b, input")
    >>> [r.kind for r in net.derive().rows]
    ['conv', 'conv', 'add']
    """

    name: str
    steps: tuple[Step, ...]
    origin: str | None = None
    #: tensors a step computes and no later step reads, said so by whoever built the graph (a traced module
    #: that computes a pooled map and never uses it: the forward pass runs it, so its cost is counted); any other
    #: unread tensor is an error that names it
    discarded: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        from .errors import SpecError

        known = {GRAPH_INPUT}
        used: set[str] = set()
        if not self.steps:
            raise SpecError("a graph needs at least one step", where=self.origin, layer=self.name)
        for step in self.steps:
            where = getattr(step.node, "origin", None) or self.origin
            if step.name in known:
                raise SpecError(f"graph {self.name!r}: the tensor {step.name!r} is defined twice", where=where)
            for name in step.inputs:
                if name not in known:
                    raise SpecError(f"graph {self.name!r}: step {step.name!r} takes {name!r}, which is not an "
                                    f"earlier step (known: {', '.join(sorted(known))})", where=where)
            joins = isinstance(step.node, Join)
            if joins and len(step.inputs) < 2:
                raise SpecError(f"graph {self.name!r}: the join {step.name!r} needs two or more inputs",
                                where=where)
            if not joins and len(step.inputs) != 1:
                raise SpecError(f"graph {self.name!r}: step {step.name!r} takes one input, got "
                                f"{len(step.inputs)} (join them first: add, concat or mul)", where=where)
            known.add(step.name)
            used.update(step.inputs)
        for name in self.discarded:
            if name not in known or name == self.steps[-1].name or name in used:
                raise SpecError(f"graph {self.name!r}: {name!r} is said to be computed and discarded, but it is "
                                f"{'used' if name in used else 'the output' if name in known else 'no step'}",
                                where=self.origin)
        unused = [s.name for s in self.steps[:-1] if s.name not in used and s.name not in self.discarded]
        if unused:
            raise SpecError(f"graph {self.name!r}: the tensor {unused[0]!r} is never used (only the last step "
                            "is the graph's output)", where=self.origin)


@dataclass(frozen=True)
class Repeat:
    """A block applied ``count`` times where ``count`` is a symbol (a depth left symbolic:
    ``repeat N:``).  With a number the spec unrolls the block instead; putting a number in
    for the symbol unrolls it too (``Network.subs``), each copy named ``NAME.i.LAYER``."""

    name: str
    body: Sequence
    count: Any
    origin: str | None = None

    def unrolled(self) -> Sequence:
        n = int(self.count)
        prefix = self.name + "."
        copies = []
        for i in range(1, n + 1):
            def rename(layer: Layer, i: int = i) -> Layer:
                tail = layer.name[len(prefix):] if layer.name.startswith(prefix) else layer.name
                return replace(layer, name=f"{self.name}.{i}.{tail}",
                               shares=None if layer.shares is None else f"{self.name}.{i}.{layer.shares}")
            copies.append(map_layers(self.body, rename))
        return Sequence(self.name, tuple(copies), self.origin)


Node = Layer | Sequence | Concat | Residual | Graph | Repeat


def _subs_value(value: Any, mapping: Mapping[Any, Any]) -> Any:
    if isinstance(value, sp.Basic):
        return value.subs(mapping) if value.free_symbols else value
    if isinstance(value, tuple):
        return tuple(_subs_value(v, mapping) for v in value)
    return value


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _subs_node(node: Node, mapping: Mapping[Any, Any]) -> Any:
    from .walk import Transformer

    class _Subs(Transformer):
        def visit_Layer(self, layer: Layer) -> Layer:
            return replace(layer, args=tuple((k, _subs_value(v, mapping)) for k, v in layer.args))

        def visit_Repeat(self, rep: Repeat) -> Any:
            body = self.visit(rep.body)
            count = _subs_value(rep.count, mapping)
            done = replace(rep, body=body, count=count)
            if isinstance(count, sp.Basic) and not count.free_symbols:
                from .budget import MAX_LAYERS, MAX_REPEAT
                from .errors import SpecError

                if not (count.is_Integer and 1 <= count <= MAX_REPEAT):
                    raise SpecError(f"repeat {rep.name!r}: the count must be an integer from 1 to {MAX_REPEAT}, "
                                    f"got {_shown(count)}", where=rep.origin)
                size = sum(1 for _ in layers(body))
                if size * int(count) > MAX_LAYERS:  # checked before a single copy is made
                    raise SpecError(f"repeat {rep.name!r}: {count} copies of {size} layers make more than "
                                    f"{MAX_LAYERS} layers", where=rep.origin)
                return done.unrolled()
            return done

    return _Subs().visit(node)


def iter_layers(node: Node) -> Iterator[Layer]:
    """Every :class:`Layer` under ``node``, in order."""
    return layers(node)


@dataclass(frozen=True)
class Network:
    """A named network: an input shape and a body.

    ``symbols`` maps each free name to its sympy symbol (with assumptions).
    """

    name: str
    input: Shape
    body: Sequence
    symbols: Mapping[str, sp.Symbol] = field(default_factory=dict)
    title: str = ""
    source: str = ""
    origin: str | None = None
    #: parameters the network holds but never runs (an auxiliary head traced away in eval
    #: mode): (module name, count); reported beside the totals, never in them
    not_run: tuple[tuple[str, int], ...] = ()
    #: the names people give it on answer sheets (besides its own), from the spec's ``aka`` lines
    aka: tuple[str, ...] = ()
    #: (network, what differs): networks whose figures a grader credits as right under another
    #: convention (the paper's two-GPU AlexNet for the single tower), from ``variant`` lines
    variants: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:
        n = sum(1 for _ in iter_layers(self.body))
        return f"<Network {self.name}: input {self.input}, {n} layers>"

    def free_symbols(self) -> set[sp.Symbol]:
        found: set[sp.Symbol] = set()
        for v in self.input.as_tuple():
            found |= v.free_symbols
        for layer in iter_layers(self.body):
            for _, value in layer.args:
                for v in value if isinstance(value, tuple) else (value,):
                    if isinstance(v, sp.Basic):
                        found |= v.free_symbols
        from .walk import repeat_counts

        for count in repeat_counts(self.body):
            found |= sp.sympify(count).free_symbols
        return found

    def symbol(self, name: str) -> sp.Symbol:
        for s in self.free_symbols():
            if s.name == name:
                return s
        known = ", ".join(sorted(s.name for s in self.free_symbols())) or "none"
        raise SymcnnError(f"network {self.name!r} has no symbol {name!r} (its symbols: {known})")

    def subs(self, values: Mapping[Any, Any]) -> Network:
        """Put values in for symbols, given by symbol or by name.

        Values may be numbers or sympy expressions (other symbols included).
        """
        mapping = {}
        for key, value in values.items():
            sym = self.symbol(key) if isinstance(key, str) else key
            mapping[sym] = sp.sympify(value)
        if not mapping:
            return self
        return replace(self, input=self.input.subs(mapping), body=_subs_node(self.body, mapping))

    def with_input(self, shape: Shape) -> Network:
        return replace(self, input=shape)

    def layers(self) -> list[Layer]:
        return list(iter_layers(self.body))

    def derive(self, convention: Any = None) -> Any:
        """The per-layer table of this network (see :func:`symcnn.derive.derive`, which registers itself here:
        the model does not import the derivation)."""
        return DERIVATION[0](self, convention)
