"""One traversal of the network tree, with visitors.

A visitor dispatches on the node's type, as sympy's printers do: a node of
type ``Layer`` goes to ``visit_Layer``, a ``Sequence`` to ``visit_Sequence``,
and so on.  Every pass over a network (listing its layers, putting values
in, deriving the table, scaling its width, building it in PyTorch) is a
visitor; none walks the tree by hand.

>>> from symcnn import loads
>>> net = loads("input 3 8 8\\nresidual:\\n  conv 3 k=3 p=1\\n  relu\\nflatten")
>>> [l.name for l in layers(net.body)]
['conv1', 'relu1', 'flatten1']
>>> renamed = map_layers(net.body, lambda l: replace(l, name=l.name.upper()))
>>> [l.name for l in layers(renamed)]
['CONV1', 'RELU1', 'FLATTEN1']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any


class Visitor:
    """Dispatch ``visit(node, ...)`` to ``visit_<TypeName>(node, ...)``."""

    def visit(self, node: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise TypeError(f"{type(self).__name__} has no visit_{type(node).__name__} (not a network node: "
                            f"{node!r})")
        return method(node, *args, **kwargs)


class Transformer(Visitor):
    """Rebuilds the tree; a subclass overrides the node types it changes."""

    def visit_Layer(self, node: Any) -> Any:
        return node

    def visit_Sequence(self, node: Any) -> Any:
        return replace(node, children=tuple(self.visit(c) for c in node.children))

    def visit_Concat(self, node: Any) -> Any:
        return replace(node, branches=tuple(self.visit(b) for b in node.branches))

    def visit_Residual(self, node: Any) -> Any:
        return replace(node, body=self.visit(node.body),
                       shortcut=None if node.shortcut is None else self.visit(node.shortcut))

    def visit_Graph(self, node: Any) -> Any:
        return replace(node, steps=tuple(replace(s, node=self.visit(s.node)) for s in node.steps))

    def visit_Join(self, node: Any) -> Any:
        return node

    def visit_Repeat(self, node: Any) -> Any:
        return replace(node, body=self.visit(node.body))


class _Layers(Visitor):
    def visit_Layer(self, node: Any) -> Iterator[Any]:
        yield node

    def visit_Sequence(self, node: Any) -> Iterator[Any]:
        for child in node.children:
            yield from self.visit(child)

    def visit_Concat(self, node: Any) -> Iterator[Any]:
        for branch in node.branches:
            yield from self.visit(branch)

    def visit_Residual(self, node: Any) -> Iterator[Any]:
        yield from self.visit(node.body)
        if node.shortcut is not None:
            yield from self.visit(node.shortcut)

    def visit_Graph(self, node: Any) -> Iterator[Any]:
        for step in node.steps:
            yield from self.visit(step.node)

    def visit_Join(self, node: Any) -> Iterator[Any]:
        yield from ()

    def visit_Repeat(self, node: Any) -> Iterator[Any]:
        yield from self.visit(node.body)


class _Counts(_Layers):
    def visit_Layer(self, node: Any) -> Iterator[Any]:
        yield from ()

    def visit_Repeat(self, node: Any) -> Iterator[Any]:
        yield node.count
        yield from self.visit(node.body)


def repeat_counts(node: Any) -> list[Any]:
    """The counts of the repeats with a symbolic count under ``node``."""
    return list(_Counts().visit(node))


def layers(node: Any) -> Iterator[Any]:
    """Every layer under ``node``, in order."""
    found: Iterator[Any] = _Layers().visit(node)
    return found


class _MapLayers(Transformer):
    def __init__(self, fn: Callable[[Any], Any]):
        self.fn = fn

    def visit_Layer(self, node: Any) -> Any:
        return self.fn(node)


def map_layers(node: Any, fn: Callable[[Any], Any]) -> Any:
    """The same tree with every layer replaced by ``fn(layer)``."""
    return _MapLayers(fn).visit(node)
