"""Grading claims against the derivation: right, right under another convention,
or wrong (with the correct value, and the slip that explains the number when a
catalogued one does, found by recomputation: :mod:`symcnn.grading.slips`)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..convention import DEFAULT, Convention
from ..derive import Row, Table, derive
from ..errors import SymcnnError
from .claims import Claim, parse_claims
from .numbers import ClaimsError
from .slips import diagnose, diagnose_ratio, sheet_passes


@dataclass
class Verdict:
    claim: Claim
    status: str  # "right", "right-under-convention", "wrong", "unknown"
    correct: object = None
    note: str = ""
    slip: str | None = None
    row: Row | None = None


_TOTAL_KEY = {"weights": "weights", "biases": "biases", "params": "params", "activations": "activations",
              "macs": "macs", "flops": "flops", "bytes": "bytes_forward", "bytes-fb": "bytes_forward_backward"}


def _row_value(row: Row, quantity: str):
    if quantity == "output":
        return tuple(int(v) for v in row.output.as_tuple())
    if quantity == "rf":
        return None if row.rf is None else row.rf[0]
    if quantity == "jump":
        return None if row.jump is None else row.jump[0]
    if quantity in ("bytes", "bytes-fb"):
        raise SymcnnError("bytes are given for the total only")
    return getattr(row, quantity)


def value_of(table: Table, subject: str, quantity: str):
    if subject == "total":
        if quantity not in _TOTAL_KEY:
            raise SymcnnError(f"no total for {quantity!r}")
        return table.totals[_TOTAL_KEY[quantity]]
    return _row_value(table.row(subject), quantity)


def _shape_matches(claimed: tuple, true: tuple) -> str | None:
    if claimed == true:
        return "C x H x W"
    if len(true) == 3 and claimed == (true[1], true[2], true[0]):
        return "H x W x C"
    if len(true) == 3 and true[1:] == (1, 1) and claimed in ((true[0],), (1, 1, true[0])):
        return "a vector"
    return None


class Grader:
    """Grades claims; networks and their tables are derived once and cached."""

    def __init__(self, convention: Convention = DEFAULT, load=None):
        from .. import load as default_load

        self.convention = convention
        self.load = load or default_load
        self._tables: dict = {}

    def table(self, net: str, convention: Convention | None = None) -> Table:
        key = (net, convention or self.convention)
        if key not in self._tables:
            self._tables[key] = derive(self.network(net), key[1])
        return self._tables[key]

    def network(self, net: str):
        """``NAME_OR_SPEC [SYMBOL=VALUE ...]``: a network with numbers put in for its symbols."""
        from .. import expr as E

        name, *assignments = net.split()
        network = self.load(name)
        if assignments:
            values = dict(E.parse_assignment(a, symbol=None, functions=False) for a in assignments)
            network = network.subs(values)
        free = network.free_symbols()
        if free:
            names = ", ".join(sorted(s.name for s in free))
            raise ClaimsError(f"network {name!r} has symbols ({names}); claims are graded against numbers: "
                              f"write 'network {name} {sorted(s.name for s in free)[0]}=VALUE ...'")
        return network

    def grade(self, claims: list[Claim]) -> list[Verdict]:
        verdicts = [self._grade(c) for c in claims]
        # slips that only a whole sheet shows (a convention kept in one place and broken in another)
        for slip in sheet_passes():
            slip.sheet(verdicts, self)
        return verdicts

    def _grade(self, c: Claim) -> Verdict:
        try:
            if c.subject in ("ratio", "saving"):
                return self._grade_ratio(c)
            conv = self.convention
            if c.convention == "flops=macs":
                conv = conv.replace(flops_per_mac=1)
            elif c.convention == "flops=2macs":
                conv = conv.replace(flops_per_mac=2)
            t = self.table(c.network, conv)
            quantity = "weights" if (c.convention == "weights-only" and c.quantity == "params") else c.quantity
            true = value_of(t, c.subject, quantity)
            row = None if c.subject == "total" else t.row(c.subject)
        except SymcnnError as exc:
            return Verdict(c, "unknown", note=exc.oneline())
        if c.quantity == "output":
            how = _shape_matches(c.value, true)
            if how:
                return Verdict(c, "right", true, f"written {how}" if how != "C x H x W" else "", row=row)
            return self._wrong(c, t, true, row)
        if true is None:
            return Verdict(c, "unknown", note="no single receptive field for this layer", row=row)
        if c.value.matches(true):
            return Verdict(c, "right", true, row=row)
        if c.convention is None:
            alt = self._other_convention(c, t)
            if alt:
                return Verdict(c, "right-under-convention", true, alt, row=row)
        return self._wrong(c, t, true, row)

    def _other_convention(self, c: Claim, t: Table) -> str | None:
        n = c.value
        if c.quantity == "params" and n.matches(value_of(t, c.subject, "weights")):
            return "weights only (no biases)"
        if c.quantity == "flops" and n.matches(value_of(t, c.subject, "macs")):
            return "FLOPs counted as multiply-adds (FLOPs = MACs)"
        if c.quantity == "macs" and n.matches(value_of(t, c.subject, "flops")):
            return "multiply-adds counted as 2 FLOPs each (the claim is the FLOP count)"
        if c.subject == "total" and c.quantity in ("activations", "bytes", "bytes-fb"):
            t2 = self.table(c.network, self.convention.replace(count_inplace=True))
            if n.matches(value_of(t2, "total", c.quantity)):
                return "in-place layers (ReLU, dropout, flatten) counted as activations"
            if c.quantity == "bytes" and n.matches(t.totals["bytes_forward_backward"]):
                return "forward + backward bytes given for forward"
            if c.quantity == "bytes-fb" and n.matches(t.totals["bytes_forward"]):
                return "forward bytes given for forward + backward"
        return None

    def _grade_ratio(self, c: Claim) -> Verdict:
        key = _TOTAL_KEY[c.quantity]
        a, b = self.table(c.network).totals[key], self.table(c.other).totals[key]
        if b == 0:
            return Verdict(c, "unknown", note=f"the ratio is undefined: {c.other} has 0 {c.quantity}")
        ratio = sp.Rational(a, b)
        true = ratio if c.subject == "ratio" else 1 - ratio
        if c.value.matches(true):
            return Verdict(c, "right", true)
        return self._wrong_ratio(c, ratio, true)

    def _wrong(self, c, t, true, row) -> Verdict:
        slip, note = diagnose(self, c, t, true)
        return Verdict(c, "wrong", true, note, slip, row)

    def _wrong_ratio(self, c, ratio, true) -> Verdict:
        slip, note = diagnose_ratio(c, ratio)
        return Verdict(c, "wrong", true, note, slip)


@dataclass
class GradedSheet:
    """A graded sheet: every claim's verdict, what the sheet says of itself (student), and
    the grader (its convention and tables), for the printers."""

    verdicts: list
    meta: dict
    grader: Grader


def check_text(text: str, filename: str = "<claims>", convention: Convention | None = None) -> GradedSheet:
    claims, meta = parse_claims(text, filename)
    grader = Grader(convention or DEFAULT)
    return GradedSheet(grader.grade(claims), meta, grader)
