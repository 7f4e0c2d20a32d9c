"""A PyTorch model's table with the input's height and width as symbols.

The layers symcnn reads from a model (a convolution's kernel, stride, padding and channels; a pool's window; an
adaptive pool's output size) do not depend on the input's size, so the network read at one size is the model at
every size its layers allow: the input is made symbolic and the table derived again.  What forces a number is
said by name: a linear layer whose input width was fixed by a flatten of the traced size, a composite layer (its
counts are those of the traced input), a declared field the symbols cannot meet.  The symbolic table is then
held to the model read at a second size (every total and every layer's output there), so a size the model
treats differently (a branch taken on the input's shape) is refused, never printed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from ..derive import derive
from ..errors import SymcnnError
from ..layers.base import Shape
from ..network import Network, iter_layers

#: the sizes tried for the height and width, in order: the first two the model reads are the reading and its check
PROBES = (224, 256, 192, 288, 160, 320, 128, 384, 96, 64, 32, 48)


def from_torch_symbolic(read: Callable[[tuple[int, int, int]], Network], values: tuple[Any, Any, Any]) -> Network:
    """The network ``read((C, H, W))`` gives, with the input ``values`` (sympy expressions; the channels a number)
    put in, checked at a second size.  ``read`` is ``lambda shape: from_torch(model, shape)`` for a model at hand;
    here a stand-in that reads a spec at the size asked:

    >>> import sympy as sp
    >>> from symcnn.sources import loads
    >>> read = lambda shape: loads(f"input {shape[0]} {shape[1]} {shape[2]}\\nc1: conv 8 k=3 s=2\\n", "net")
    >>> R = sp.Symbol("R", integer=True, positive=True)
    >>> from_torch_symbolic(read, (3, R, R)).derive().rows[0].output
    Shape(c=8, h=floor(R/2 - 3/2) + 1, w=floor(R/2 - 3/2) + 1)
    """
    symbols = sorted(set().union(*(sp.sympify(v).free_symbols for v in values)), key=str)
    if not sp.sympify(values[0]).is_Integer:
        raise SymcnnError("--input with symbols: the channels must be a number (the model's first layer fixes them)")
    readings: list[tuple[int, Network]] = []
    refusals: list[str] = []
    for p in PROBES:
        shape = tuple(int(sp.sympify(v).subs(dict.fromkeys(symbols, p))) for v in values)
        try:
            readings.append((p, read(shape)))  # type: ignore[arg-type]
        except SymcnnError as exc:
            refusals.append(f"{p}: {exc.oneline()}")
            continue
        if len(readings) == 2:
            break
    if not readings:
        raise SymcnnError(f"the model is read at none of the sizes {', '.join(map(str, PROBES))} "
                          f"(at {refusals[0]})")
    probe, net = readings[0]
    composite = next((la for la in iter_layers(net.body) if la.kind == "composite"), None)
    if composite is not None:
        raise SymcnnError(f"layer {composite.name!r} forces a number: it is read as its operations on the traced "
                          f"input (a composite layer), so its counts hold at that size only; give a numeric --input")
    symbolic = net.with_input(Shape(*(sp.sympify(v) for v in values)))
    try:
        derive(symbolic)
    except SymcnnError as exc:
        raise SymcnnError(f"{exc.oneline()}: this forces a number (the model read at {probe})") from None
    if len(readings) < 2:
        raise SymcnnError(f"the model is read at {probe} only, so the symbolic table cannot be checked at a second "
                          "size; give a numeric --input")
    _check(symbolic, symbols, *readings[1])
    from dataclasses import replace

    names = ", ".join(map(str, symbols))
    return replace(symbolic, source=f"{net.source}, read at {names} = {probe}, made symbolic in {names}, and "
                                    f"checked against the model read at {names} = {readings[1][0]}")


def _check(symbolic: Network, symbols: list, probe: int, read_there: Network) -> None:
    """The symbolic table at ``probe`` against the model read at ``probe``: every total, every layer's output."""
    there = derive(read_there)
    mine = derive(symbolic.subs(dict.fromkeys(symbols, probe)))
    for q in ("params", "macs", "activations"):
        if sp.simplify(mine.totals[q] - there.totals[q]) != 0:
            raise SymcnnError(f"the table with {', '.join(map(str, symbols))} symbolic gives {mine.totals[q]} {q} at "
                              f"{probe}, the model read there {there.totals[q]}: its layers change with the size; "
                              "give a numeric --input")
    for a, b in zip(mine.rows, there.rows):
        if a.name != b.name or tuple(a.output.shown()) != tuple(b.output.shown()):
            raise SymcnnError(f"at {probe} the symbolic table's layer {a.name!r} gives {a.output}, the model read "
                              f"there {b.name!r} {b.output}: its layers change with the size; give a numeric --input")
    if len(mine.rows) != len(there.rows):
        raise SymcnnError(f"at {probe} the model reads as {len(there.rows)} rows, the symbolic table has "
                          f"{len(mine.rows)}: give a numeric --input")
