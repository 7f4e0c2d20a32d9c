"""The slip catalogue: each slip is one file, a recomputation that may explain a
wrong number.  A slip is never guessed: it is named only when symcnn,
recomputing under that slip, gets the number the student wrote.

Kinds of slip (``scope``): ``claim`` slips explain one number (``test(ctx)``
returns the note, or None); some apply to any layer, some only to the layer
kinds that list them in ``LayerKind.slips``; ``ratio`` slips explain a ratio
or a saving; ``sheet`` slips look at a whole sheet (``sheet(verdicts, grader)``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ...derive import Row, Table
from ...errors import SymcnnError
from ..claims import Claim
from ..lookup import shape_matches as _shape_matches
from ..lookup import subject_row


@dataclass(frozen=True)
class Slip:
    name: str
    description: str
    order: float
    scope: str = "claim"  # "claim", "ratio" or "sheet"
    #: only for layers whose kind lists this slip (LayerKind.slips)
    kind_specific: bool = False
    applies: Callable[[Context], bool] | None = None
    test: Callable[..., str | None] | None = None
    sheet: Callable | None = None
    #: only for a claim about one layer (not a total, not the input)
    needs_row: bool = False


@dataclass
class Context:
    """What a slip may look at: the grader (for other tables), the claim, the table,
    the true value and the layer's row (None for a total)."""

    grader: Any
    claim: Claim
    table: Table
    true: Any  # a number, a shape tuple, or a sympy expression
    row: Row | None = None

    def written_parts(self) -> tuple[dict[str, Any], list[str]] | None:
        """The student's own figures for the parts of this claim's total (layer -> what they wrote, from the
        follow-through chain), and the parts the total needs; None where no chain can be built."""
        try:
            chain = self.grader.chain(self.claim.network)
        except (SymcnnError, KeyError, ValueError):
            return None
        return chain.parts(self.claim.quantity), list(chain.needed(self.claim.quantity))

    def matches(self, value) -> bool:
        if value is None:
            return False
        if self.claim.quantity == "output":
            return isinstance(value, tuple) and _shape_matches(self.claim.value, value) is not None
        if isinstance(value, tuple):
            return False
        return self.claim.value.matches(value)

    def again(self, **changes):
        """The row's layer derived again (its kind's own formulas) with some fields changed."""
        args = dict(self.row.layer.args)
        for key, value in changes.items():
            args[key] = (value, value) if isinstance(args.get(key), tuple) else value
        return derive_cached(self.row.layer.layer_kind, args, self.row.input, self.table.convention)


_DERIVED: dict = {}


def derive_cached(kind, args: dict, shape, convention):
    """A layer kind's derivation, once per kind, fields, input and convention (the slips try the same alternatives
    for every figure of a layer: a list of two thousand figures costs what one does)."""
    try:
        key = (kind.name, tuple(sorted(args.items())), shape, convention)
        hash(key)
    except TypeError:
        return kind.derive(args, shape, convention)
    if key not in _DERIVED:
        if len(_DERIVED) > 20_000:
            _DERIVED.clear()
        try:
            _DERIVED[key] = kind.derive(args, shape, convention)
        except Exception as exc:
            _DERIVED[key] = exc
    found = _DERIVED[key]
    if isinstance(found, Exception):
        raise found
    return found


def derived_value(d, quantity):
    if quantity == "output":
        dims = d.output.as_tuple()
        if not all(getattr(v, "is_Integer", isinstance(v, int)) for v in dims):
            raise SymcnnError("a shape in symbols")  # a stack on an L x L input: no slip recomputes it to numbers
        return tuple(int(v) for v in dims)
    if quantity == "size":
        return d.output.h
    if quantity == "activations":
        return d.output.elements
    if quantity == "params":
        return d.weights + d.biases
    return getattr(d, quantity)


def _discover() -> dict[str, Slip]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        slip = getattr(module, "SLIP", None)
        if isinstance(slip, Slip):
            found.append(slip)
    found.sort(key=lambda s: (s.order, s.name))
    return {s.name: s for s in found}


REGISTRY: dict[str, Slip] = _discover()
#: name -> description, in catalogue order
SLIPS: dict[str, str] = {s.name: s.description for s in REGISTRY.values()}


def diagnose(grader, c: Claim, t, true) -> list[tuple[str, str]]:
    """Every catalogued slip under which symcnn's recomputation gives the claimed number, in
    catalogue order, as (name, note); empty when none does."""

    row = subject_row(t, c.subject)
    ctx = Context(grader, c, t, true, row)
    kind_slips = row.layer.layer_kind.slips if row is not None and row.layer is not None else ()
    found: list[tuple[str, str]] = []
    for slip in REGISTRY.values():
        if slip.scope != "claim":
            continue
        if slip.kind_specific and slip.name not in kind_slips:
            continue
        if slip.needs_row and (row is None or row.layer is None):
            continue
        if slip.test is None:
            continue
        try:
            if slip.applies is not None and not slip.applies(ctx):
                continue
            note = slip.test(ctx)
        except SymcnnError:
            note = None
        if note is not None:
            found.append((slip.name, note))
    return found


def diagnose_ratio(c: Claim, ratio) -> tuple[str | None, str]:
    for slip in REGISTRY.values():
        if slip.scope == "ratio" and slip.test is not None:
            note = slip.test(c, ratio)
            if note is not None:
                return slip.name, note
    return None, "no catalogued slip explains this number"


def sheet_passes():
    return [s for s in REGISTRY.values() if s.scope == "sheet"]


__all__ = ["REGISTRY", "SLIPS", "Context", "Slip", "derive_cached", "derived_value", "diagnose", "diagnose_ratio",
           "sp"]
