"""Error carried forward: the network re-derived from the student's own earlier numbers.

When a student's conv1 output is wrong, every later figure computed correctly from it is
wrong too, yet it is the right method applied to their own value.  Numbas and STACK mark
such answers "consistent" (follow-through); here each later figure is recomputed by the
layer kinds' own formulas from the student's earlier figures, and the root error is
named once.

What is re-derived (each from the student's earlier lines only):
- a layer's activations from the output shape they wrote for it;
- a layer's parameters from the weights and biases they wrote for it;
- a layer's output, weights, parameters, multiply-adds and activations from the nearest
  earlier layer whose output shape they wrote (the layers between derived again);
- a total from their own per-layer figures (the truth for layers they did not give).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from ..derive import Table
from ..errors import SymcnnError
from ..layers.base import Shape
from .numbers import exact_fraction


@dataclass
class Written:
    value: object  # Fraction, or a (C, H, W) tuple
    line: int
    right: bool
    roots: tuple[int, ...] = ()  # the lines of the errors behind a wrong value
    as_written: object = None  # the figure as written (3.2M is 3,200,000), where it was rounded


@dataclass
class Chain:
    """What a student wrote about one network, claim by claim in sheet order."""

    table: Table
    written: dict = field(default_factory=dict)  # (subject, quantity) -> Written

    def record(self, subject: str, quantity: str, value, line: int, right: bool, roots=(), as_written=None) -> None:
        key = (subject, quantity)
        if key not in self.written or not right:
            self.written[key] = Written(value, line, right, tuple(roots) or (line,),
                                        as_written if as_written is not None else value)

    def _wrong_lines(self, keys) -> list[int]:
        return sorted({n for k in keys if k in self.written and not self.written[k].right
                       for n in self.written[k].roots})

    def expected(self, subject: str, quantity: str) -> list[tuple[object, list[int], str]]:
        """The values the student's own earlier figures give: (value, the wrong lines it rests on, how)."""
        out: list[tuple[object, list[int], str]] = []
        if subject == "total":
            total = self._total(quantity)
            if total is not None:
                out.append(total)
            acts = self.written.get(("total", "activations"))
            if quantity in ("bytes", "bytes-fb") and acts is not None and not acts.right and \
                    isinstance(acts.value, Fraction):
                per = self.table.convention.bytes_per_element * (2 if quantity == "bytes-fb" else 1)
                out.append((acts.value * per, list(acts.roots),
                            f"the total of activations you wrote, at {per} bytes each"))
            return out
        try:
            row = self.table.row(subject)
        except SymcnnError:
            return out
        own = self.written.get((subject, "output"))
        if quantity == "activations" and own is not None and not own.right:
            out.append((_product(own.value), list(own.roots), "the output shape you wrote for this layer"))
        if quantity == "params":
            w, b = self.written.get((subject, "weights")), self.written.get((subject, "biases"))
            if w is not None and b is not None and not (w.right and b.right):
                out.append((w.value + b.value, self._wrong_lines([(subject, "weights"), (subject, "biases")]),
                            "the weights and biases you wrote for this layer"))
        derived = self._from_input(row)
        if derived is not None:
            d, lines, source = derived
            if quantity in DERIVED:
                from .slips import derived_value  # the slips' own reading of a layer's derivation

                out.append((derived_value(d, quantity), lines, f"the output you wrote for {source}"))
        return out

    def _from_input(self, row):
        """The row derived from the nearest earlier layer whose output the student wrote wrongly."""
        rows = list(self.table.rows)
        i = rows.index(row)
        chain = []
        j = i - 1
        start = None
        while j >= -1:
            name = rows[j].name if j >= 0 else "input"
            w = self.written.get((name, "output"))
            if w is not None:
                start = (name, w)
                break
            if j < 0:
                break
            chain.append(rows[j])
            j -= 1
        if start is None or start[1].right:
            return None
        # a sequence: each row reads the one before (a concat or a branch is not followed here)
        path = [*list(reversed(chain)), row]
        prev_out = rows[j].output if j >= 0 else self.table.input
        for r in path:
            if r.layer is None or r.input != prev_out:
                return None
            prev_out = r.output
        shape = _shape_of(start[1].value)
        if shape is None:
            return None
        try:
            d = None
            for r in path:
                d = r.layer.layer_kind.derive(dict(r.layer.args), shape, self.table.convention)
                shape = d.output
        except (SymcnnError, TypeError, ValueError, ZeroDivisionError):
            return None
        return d, list(start[1].roots), start[0]

    def parts(self, quantity: str) -> dict[str, Written]:
        """The student's own per-layer figures of a quantity (the input's included), by layer."""
        return {name: w for (name, q), w in self.written.items() if q == quantity and name != "total"}

    def needed(self, quantity: str) -> list[str]:
        """The layers (and the input, for activations) whose figures a total of this quantity adds up."""
        if quantity == "activations":
            return [r.name for r in self.table.rows if r.counted] + ["input"]
        if quantity in ("weights", "biases", "params", "macs", "flops"):
            return [r.name for r in self.table.rows if getattr(r, quantity) != 0]
        return []

    def _total(self, quantity: str):
        key = {"params": "params", "weights": "weights", "biases": "biases", "macs": "macs", "flops": "flops",
               "activations": "activations"}.get(quantity)
        if key is None:
            return None
        total = Fraction(0)
        used = []
        for r in self.table.rows:
            w = self.written.get((r.name, quantity))
            if w is not None and isinstance(w.value, Fraction):
                total += w.value
                used.append((r.name, quantity))
            else:
                v = r.activations if quantity == "activations" and not r.counted else getattr(r, key)
                if quantity == "activations" and not r.counted:
                    v = 0
                total += exact_fraction(v)
        if quantity == "activations":
            w = self.written.get(("input", "activations"))
            total += w.value if w is not None and isinstance(w.value, Fraction) else \
                exact_fraction(self.table.input.elements)
        lines = self._wrong_lines(used)
        if not lines:
            return None
        return total, lines, "your own figures for the layers, added up"


def _product(shape) -> Fraction:
    out = Fraction(1)
    for v in shape:
        out *= v
    return out


def _shape_of(value) -> Shape | None:
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    return Shape(*(sp.Integer(v) for v in value))


#: the quantities a layer's derivation gives (a receptive field needs the layers before it)
DERIVED = ("output", "size", "activations", "weights", "biases", "params", "macs")


def as_chw(shape: tuple, true: tuple) -> tuple | None:
    """A written shape put in C x H x W order by comparing it with the truth's layout (H x W x C
    is how most sheets write it); None when it is not three numbers."""
    if not isinstance(shape, tuple) or len(shape) != 3:
        return None
    if len(true) == 3 and shape == true:
        return shape
    a, b, c = shape
    if a == b and c != a:
        return (c, a, b)
    if b == c and a != b:
        return shape
    if len(true) == 3 and true[1] == true[2] and a == b:
        return (c, a, b)
    return (c, a, b) if (a, b) == (true[1], true[2]) else shape
