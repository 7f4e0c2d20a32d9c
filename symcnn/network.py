"""The network model: a tree of layers, sequences, concatenations and
residual blocks, whose fields are sympy expressions.

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
    (``op="add"``, ResNet), or multiplied (``op="mul"``, a squeeze-excite gate: the main
    path's C x 1 x 1 output scales every position of the shortcut's map)."""

    name: str
    body: Sequence
    shortcut: Sequence | None = None
    origin: str | None = None
    op: str = "add"

    def __post_init__(self) -> None:
        if self.op not in ("add", "mul"):
            raise ValueError(f"residual op {self.op!r} is not add or mul")


Node = Layer | Sequence | Concat | Residual


def _subs_value(value: Any, mapping: Mapping[Any, Any]) -> Any:
    if isinstance(value, sp.Basic):
        return value.subs(mapping) if value.free_symbols else value
    if isinstance(value, tuple):
        return tuple(_subs_value(v, mapping) for v in value)
    return value


def _subs_node(node: Node, mapping: Mapping[Any, Any]) -> Any:
    return map_layers(node, lambda l: replace(l, args=tuple((k, _subs_value(v, mapping)) for k, v in l.args)))


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

    def free_symbols(self) -> set[sp.Symbol]:
        found: set[sp.Symbol] = set()
        for v in self.input.as_tuple():
            found |= v.free_symbols
        for layer in iter_layers(self.body):
            for _, value in layer.args:
                for v in value if isinstance(value, tuple) else (value,):
                    if isinstance(v, sp.Basic):
                        found |= v.free_symbols
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
        """The per-layer table of this network (see :func:`symcnn.derive.derive`)."""
        from .derive import derive

        return derive(self, convention)
