"""Grading claims against the derivation: right, right under another convention,
or wrong (with the correct value, and the slip that explains the number when a
catalogued one does, found by recomputation: :mod:`symcnn.grading.slips`)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from fractions import Fraction

import sympy as sp

from ..convention import DEFAULT, Convention
from ..derive import Row, Table, derive
from ..errors import SymcnnError
from .claims import Claim, parse_claims
from .lookup import matches_exactly as _matches_exactly
from .lookup import plain as _plain
from .lookup import shape_matches as _shape_matches
from .lookup import subject_row, value_of
from .numbers import ClaimsError, Number, Precision, exact_fraction
from .slips import diagnose, diagnose_ratio, sheet_passes
from .vocabulary import QUANTITY

#: the statuses that give credit, and those not scored at all (a figure whose subject or quantity cannot be
#: told; the same figure written again)
CREDIT = ("right", "right-under-convention", "consistent")
NOT_SCORED = ("unknown", "repeat")


@dataclass
class Verdict:
    claim: Claim
    status: str  # "right", "right-under-convention", "consistent", "wrong", "unknown", "repeat"
    correct: object = None
    note: str = ""
    slip: str | None = None
    row: Row | None = None
    slips: tuple[str, ...] = ()  # every catalogued slip that explains the number (slip is the first)
    roots: tuple[int, ...] = ()  # for a consistent figure: the lines of the errors it carries forward


@dataclass(frozen=True)
class GradingPolicy:
    """How figures people write are judged (stated in every graded output).

    truncation: "accept" marks a figure cut off at its written precision (35% for 35.62%)
    right, with a note; "reject" marks it wrong (slip: rounding).
    follow_through: later figures computed correctly from the student's own wrong earlier
    figures are "consistent" (True) or plainly wrong (False).
    min_digits, max_error: the precision policy (:class:`~symcnn.grading.numbers.Precision`):
    a figure with fewer significant digits is read as having ``min_digits``; no credited
    figure is more than ``max_error`` (relative) off the true value."""

    truncation: str = "accept"
    follow_through: bool = True
    min_digits: int = 1
    max_error: Fraction = Fraction(5, 100)

    @property
    def precision(self) -> Precision:
        return Precision(self.min_digits, Fraction(self.max_error), self.truncation)

    def describe(self) -> list[str]:
        return [*self.precision.describe(),
                f"figures truncated instead of rounded: {'accepted' if self.truncation == 'accept' else 'wrong'}",
                "the same figure for the same layer and quantity counts once; a repeat is listed, not scored",
                "error carried forward: " + ("a figure computed correctly from the student's own earlier wrong "
                                             "figure is marked consistent" if self.follow_through else "not followed")]

    def as_dict(self) -> dict:
        return {"truncation": self.truncation, "follow_through": self.follow_through, **self.precision.as_dict()}


class Grader:
    """Grades claims; networks and their tables are derived once and cached."""

    def __init__(self, convention: Convention = DEFAULT, load=None, policy: GradingPolicy | None = None):
        from ..sources import load as default_load

        self.convention = convention
        self.policy = policy or GradingPolicy()
        self.load = load or default_load
        self._tables: dict = {}
        self._networks: dict = {}
        self._problems: dict = {}
        self.chains: dict = {}

    def register(self, name: str, network) -> None:
        """A network a question describes in words (:mod:`symcnn.grading.problems`); it may keep symbols
        (the input side L of a stack), which claims in symbols are graded against."""
        if name not in self._problems:
            self._problems[name] = network
            self._networks.pop(name, None)

    def fits(self, n: Number, true) -> str | None:
        """'exact', 'rounded' or 'truncated' when a written figure is the true value as written, else None."""
        if true is None or isinstance(true, tuple):
            return None
        try:
            if not sp.sympify(true).is_number:
                return None
        except (sp.SympifyError, TypeError):
            return None
        if n.matches(true):
            return "exact" if not n.rounded else "rounded"
        if self.policy.truncation == "accept" and n.truncates(true):
            return "truncated"
        return None

    def table(self, net: str, convention: Convention | None = None) -> Table:
        key = (net, convention or self.convention)
        if key not in self._tables:
            self._tables[key] = derive(self.network(net), key[1])
        return self._tables[key]

    def network(self, net: str):
        """``NAME_OR_SPEC [SYMBOL=VALUE ...]``: a network with numbers put in for its symbols."""
        if net not in self._networks:
            self._networks[net] = self._network(net)
        return self._networks[net]

    def variant(self, net: str, size: int) -> Table:
        """The network on a square input of another size (a sheet that used 224 for 227)."""
        key = (f"{net}@{size}", self.convention)
        if key not in self._tables:
            from ..layers.base import Shape

            x = self.network(net).input
            try:
                self._tables[key] = derive(self.network(net).with_input(Shape(x.c, sp.Integer(size),
                                                                              sp.Integer(size))), self.convention)
            except SymcnnError as exc:  # a size the network does not take: remembered too (a sheet asks again)
                self._tables[key] = exc
        found = self._tables[key]
        if isinstance(found, SymcnnError):
            raise found
        return found

    def _network(self, net: str):
        from .. import expr as E

        name, *assignments = net.split()
        if name in self._problems and not assignments:
            return self._problems[name]
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

    def chain(self, net: str):
        from .followthrough import Chain

        if net not in self.chains:
            self.chains[net] = Chain(self.table(net))
        return self.chains[net]

    def grade(self, claims: list[Claim]) -> list[Verdict]:
        self.chains = {}  # what the student wrote: per sheet
        verdicts = []
        precision = self.policy.precision
        claims = [replace(c, value=c.value.under(precision)) if isinstance(c.value, Number) else c for c in claims]
        for c in claims:
            v = self._grade(c)
            verdicts.append(v)
            self._remember(v)
        # slips that only a whole sheet shows (a convention kept in one place and broken in another)
        for slip in sheet_passes():
            slip.sheet(verdicts, self)
        return verdicts

    def _remember(self, v: Verdict) -> None:
        c = v.claim
        if c.subject in ("ratio", "saving", "share") or v.status == "unknown":
            return

        from .followthrough import as_chw

        value = c.value
        if c.quantity == "output":
            if not isinstance(v.correct, tuple):
                return
            value = as_chw(c.value, v.correct)
            if value is None:
                return
        elif isinstance(value, Number):
            value = value.value if value.tolerance == 0 else (exact_fraction(v.correct)
                                                             if v.status == "right" else value.value)
        else:
            return  # a figure in symbols: nothing to carry forward
        roots = [c.line] if v.status == "wrong" else list(getattr(v, "roots", ()))
        written = c.value.value if isinstance(c.value, Number) else None
        with contextlib.suppress(SymcnnError):
            self.chain(c.network).record(c.subject, c.quantity, value, c.line,
                                         v.status in ("right", "right-under-convention"), roots, written)

    def _grade(self, c: Claim) -> Verdict:
        v = self._grade_claim(c)
        if c.value is not None and isinstance(c.value, Number) and c.value.grouping:
            # digits grouped wrongly keep their digits (the course's grader reads 335,544,32 as 33,554,432): right
            # when the digits are, with the grouping noted; a slip named beside any other where they are not
            if v.status in CREDIT:
                v.note = (v.note + "; " if v.note else "") + f"{c.value.grouping}: the digits are right, the " \
                    "grouping is not"
            elif v.status == "wrong":
                v.slips = ("digit-grouping", *v.slips)
                v.slip = v.slip or "digit-grouping"
                v.note = (v.note + "; " if v.note else "") + c.value.grouping
        return v

    def _grade_claim(self, c: Claim) -> Verdict:
        try:
            if c.subject in ("ratio", "saving"):
                return self._grade_ratio(c)
            if c.subject == "share":
                return self._grade_share(c)
            conv = self.convention
            if c.convention == "flops=macs":
                conv = conv.replace(flops_per_mac=1)
            elif c.convention == "flops=2macs":
                conv = conv.replace(flops_per_mac=2)
            t = self.table(c.network, conv)
            quantity = "weights" if (c.convention == "weights-only" and c.quantity == "params") else c.quantity
            true = value_of(t, c.subject, quantity)
            row = subject_row(t, c.subject)
        except SymcnnError as exc:
            return Verdict(c, "unknown", note=exc.oneline())
        if c.quantity == "output":
            how = _shape_matches(c.value, true)
            if how:
                return Verdict(c, "right", true, f"written {how}" if how != "C x H x W" else "", row=row)
            alt = self._variant(c, lambda v: _shape_matches(c.value, v) is not None)
            if alt:
                return Verdict(c, "right-under-convention", true, alt, row=row)
            return self._consistent(c, true, row) or self._wrong(c, t, true, row)
        if true is None:
            return Verdict(c, "unknown", note="no single receptive field for this layer", row=row)
        if isinstance(c.value, sp.Expr):  # a figure in symbols (L - 12): equal as expressions
            if sp.simplify(c.value - sp.sympify(true)) == 0:
                return Verdict(c, "right", true, row=row)
            return Verdict(c, "wrong", true, "not the same expression", row=row)
        if not sp.sympify(true).is_number:
            names = ", ".join(sorted(map(str, sp.sympify(true).free_symbols)))
            return Verdict(c, "unknown", true, f"the true value depends on {names}; the figure is a number", row=row)
        if c.quantity == "size" and row is not None and c.value.value.denominator != 1:
            exact = self._exact_quotient(c, t, row)
            if exact:
                return Verdict(c, "right", true, exact, row=row)
        work = self._work_note(c, true)
        fit = self.fits(c.value, true)
        if fit:
            note = work
            if fit != "exact":
                off = c.value.off_by(true)
                said = f"{'truncated, not rounded' if fit == 'truncated' else 'rounded'}" + (f": {off}" if off else "")
                note = "; ".join(x for x in (said, work) if x)
            return Verdict(c, "right", true, note, row=row)
        if c.convention is None:
            alt = self._other_convention(c, t)
            if alt:
                return Verdict(c, "right-under-convention", true, alt, row=row)
        if c.work_value is not None and _matches_exactly(c.work_value, true):
            return self._wrong(c, t, true, row)  # the set-up is right: the arithmetic slip, not carried error
        return self._consistent(c, true, row) or self._wrong(c, t, true, row)

    def _exact_quotient(self, c: Claim, t: Table, row) -> str | None:
        """'(224 - 11)/4 + 1 = 54.25': the output size before flooring, for the input the network (or a variant
        of it) gives the layer: right, and it shows the window does not tile that input."""
        from .figures import _size_formula

        f = _size_formula(c.work)
        if not f or row.layer is None or c.work_value is None or c.work_value != c.value.value:
            return None
        args = row.layer.arg_dict
        k, s_ = args.get("k"), args.get("s")
        k = k[0] if isinstance(k, tuple) else k
        s_ = s_[0] if isinstance(s_, tuple) else s_
        if (k, s_) != (f["kernel"], f["stride"]):
            return None
        sizes = {int(row.input.h)} if row.input.h.is_Integer else set()
        for name, _ in getattr(self.network(c.network), "variants", ()):
            with contextlib.suppress(SymcnnError, KeyError, ValueError):
                r2 = self.table(name).row(c.subject)
                if r2.input.h.is_Integer:
                    sizes.add(int(r2.input.h))
        if f["input_size"] not in sizes:
            return None
        return (f"the exact quotient on a {f['input_size']}x{f['input_size']} input: not a whole number, so the "
                "window does not tile the input")

    def _variant(self, c: Claim, fits) -> str | None:
        """A figure right for a variant of the network that a grader credits as another convention (the
        paper's two-GPU AlexNet), where the variant's own arithmetic holds up to that layer."""
        try:
            network = self.network(c.network)
        except SymcnnError:
            return None
        for name, what in getattr(network, "variants", ()):
            try:
                t2 = self.table(name)
                v = value_of(t2, c.subject, c.quantity)
            except (SymcnnError, KeyError, ValueError):
                continue
            if not _tiles_up_to(t2, c.subject):
                continue
            if fits(v):
                return f"{what} ({name})"
        return None

    def other_convention_fits(self, net: str, subject: str, quantity: str, n: Number) -> str | None:
        """The convention under which a figure is right, for a quantity of a layer (or None)."""
        c = Claim(0, net, subject, quantity, None, n, "")
        try:
            t = self.table(net)
        except SymcnnError:
            return None
        return self._other_convention(c, t)

    def _work_note(self, c: Claim, true) -> str:
        if c.work_value is not None and not c.value.matches(c.work_value):
            from .slips.arithmetic import working_note

            return working_note(c)
        return ""

    def _consistent(self, c: Claim, true, row) -> Verdict | None:
        """Right from the student's own earlier wrong figures (error carried forward)."""
        if not self.policy.follow_through:
            return None
        try:
            options = self.chain(c.network).expected(c.subject, c.quantity)
        except SymcnnError:
            return None
        for value, lines, how in options:
            if c.quantity == "output":
                ok = _shape_matches(c.value, value) is not None
            else:
                # the figure itself must follow (a working that follows, evaluated wrongly, is an arithmetic slip)
                ok = c.value.matches(value) or (self.fits(c.value, value) is not None)
            if ok:
                where = ", ".join(str(n) for n in lines)
                v = Verdict(c, "consistent", true, f"follows correctly from {how} (line{'s' if len(lines) > 1 else ''}"
                            f" {where}, where the error is); the correct value is {_plain(true)}", row=row)
                v.roots = tuple(lines)
                return v
        return None

    def _other_convention(self, c: Claim, t: Table) -> str | None:
        n = c.value

        def fits(v) -> bool:
            return self.fits(n, v) is not None

        try:
            if c.quantity == "params" and fits(value_of(t, c.subject, "weights")):
                return "weights only (no biases)"
        except SymcnnError:
            pass
        alt = self._variant(c, fits)
        if alt:
            return alt
        if c.quantity == "params":
            alt = self._variant(replace(c, quantity="weights"), fits)
            if alt:
                return f"weights only, and {alt}"
        if c.quantity == "flops" and fits(value_of(t, c.subject, "macs")):
            return "FLOPs counted as multiply-adds (FLOPs = MACs)"
        if c.quantity == "macs" and fits(value_of(t, c.subject, "flops")) and \
                (c.factors is None or 2 in c.factors):
            # (a working that is a product with no factor 2 counts multiply-adds: equal to the FLOPs only by
            # coincidence, e.g. 192 input channels written for a layer that has 96)
            return "multiply-adds counted as 2 FLOPs each (the claim is the FLOP count)"
        if c.quantity == "macs" and c.subject != "input":
            # torchinfo's "mult-adds": one per weight per output position, the bias's included
            t2 = self.table(c.network, self.convention.replace(bias_flops=True, flops_per_mac=2))
            macs = value_of(t, c.subject, "macs")
            with_bias = value_of(t2, c.subject, "flops") - value_of(t2, c.subject, "macs")
            if with_bias != macs and fits(with_bias):
                return "multiply-adds with the bias additions counted as well (torchinfo's mult-adds)"
        if c.subject == "total" and c.quantity in ("activations", "bytes", "bytes-fb"):
            t2 = self.table(c.network, self.convention.replace(count_inplace=True))
            if fits(value_of(t2, "total", c.quantity)):
                return "in-place layers (ReLU, dropout, flatten) counted as activations"
            if c.quantity == "bytes" and fits(t.totals["bytes_forward_backward"]):
                return "forward + backward bytes given for forward"
            if c.quantity == "bytes-fb" and fits(t.totals["bytes_forward"]):
                return "forward bytes given for forward + backward"
        return None

    def _grade_ratio(self, c: Claim) -> Verdict:
        key = QUANTITY[c.quantity].total
        if c.other is None or key is None:
            return Verdict(c, "unknown", note=f"a ratio of {c.quantity} needs two networks and a total to compare")
        a, b = self.table(c.network).totals[key], self.table(c.other).totals[key]
        if b == 0:
            return Verdict(c, "unknown", note=f"the ratio is undefined: {c.other} has 0 {c.quantity}")
        ratio = sp.Rational(a, b)
        if c.convention == "factor":  # "reduced by a factor of 2.8": the larger over the smaller
            ratio = max(ratio, 1 / ratio)
        true = ratio if c.subject == "ratio" else 1 - ratio
        fit = self.fits(c.value, true)
        if fit:
            off = c.value.off_by(true)
            return Verdict(c, "right", true, (f"{'truncated' if fit == 'truncated' else 'rounded'}: {off}"
                                              if off else ""))
        return self._wrong_ratio(c, ratio, true)

    def _grade_share(self, c: Claim) -> Verdict:
        """A part's share of the network's total ('FC layers ~ 58.6M (96%)'): the part's quantity over the
        network's, as the percentage or fraction written."""
        if c.other is None or not QUANTITY[c.quantity].additive:
            return Verdict(c, "unknown", note=f"a share of {c.quantity} needs a part and a quantity that adds up")
        t = self.table(c.network)
        part, whole = value_of(t, c.other, c.quantity), value_of(t, "total", c.quantity)
        if not (part.is_Integer and whole.is_Integer) or whole == 0:
            return Verdict(c, "unknown", note=f"{c.other}'s share of {c.quantity} has no number here")
        true = sp.Rational(part, whole)
        fit = self.fits(c.value, true)
        what = f"{c.other}: {_plain(part)} of the network's {_plain(whole)} {c.quantity}"
        if fit:
            off = c.value.off_by(true)
            return Verdict(c, "right", true, f"{what}" + (f"; {'truncated' if fit == 'truncated' else 'rounded'}: "
                                                          f"{off}" if off else ""))
        return Verdict(c, "wrong", true, what)

    def _wrong(self, c, t, true, row) -> Verdict:
        found = diagnose(self, c, t, true)
        if not found and c.quantity == "flops" and self.convention.flops_per_mac != 1:
            # 'ops' and 'FLOPs' that count multiply-adds (as many courses do): a slip that explains the figure
            # when one multiply-add is one operation is the slip, said with that convention
            as_macs = replace(c, quantity="macs")
            found = [(name, f"{note} (counting one multiply-add as one operation)")
                     for name, note in diagnose(self, as_macs, t, value_of(t, c.subject, "macs"))]
        if [name for name, _ in found] == ["arithmetic"] and not _matches_exactly(c.work_value, true):
            # their arithmetic is off and so is their set-up: explain the set-up by the value of their working
            again = diagnose(self, replace(c, value=Number(c.work_value, c.value.tolerance, c.work or "")), t, true)
            found += [(name, note) for name, note in again if name != "arithmetic"]
        if not found:
            return Verdict(c, "wrong", true, "no catalogued slip explains this number", None, row)
        if len(found) > 1 and found[0][0] == "arithmetic" and not _matches_exactly(c.work_value, true):
            # the working is off as well as the figure: what explains the figure itself comes first
            found = found[1:] + found[:1]
        names = tuple(name for name, _ in found)
        note = found[0][1] if len(found) == 1 else "; or ".join(f"{name}: {note}" for name, note in found)
        return Verdict(c, "wrong", true, note, names[0], row, names)

    def _wrong_ratio(self, c, ratio, true) -> Verdict:
        if self.policy.truncation == "accept" and c.value.truncates(true):
            return Verdict(c, "right", true, f"truncated, not rounded ({_plain(true)})")
        slip, note = diagnose_ratio(c, ratio)
        return Verdict(c, "wrong", true, note, slip, None, (slip,) if slip else ())


def _tiles_up_to(table: Table, subject: str) -> bool:
    """Does the network's arithmetic hold (every window tiles) up to and including a layer?  A variant whose
    windows stop tiling (AlexNet on 224: (224 - 11)/4 + 1 = 54.25) is no convention from there on."""
    if subject == "input":
        return True
    for r in table.rows:
        if any(not getattr(n, "benign", False) for n in r.notes):  # a window that leaves input pixels unread
            return False
        if r.name == subject:
            return True
    return True


@dataclass
class GradedSheet:
    """A graded sheet: every claim's verdict, what the sheet says of itself (student), and
    the grader (its convention and tables), for the printers."""

    verdicts: list
    meta: dict
    grader: Grader
    unread: list = field(default_factory=list)  # (line, where, text): figures not read as claims
    networks: dict = field(default_factory=dict)  # network -> how it was found
    source: str = ""  # the file
    fmt: str = "claims"

    def __repr__(self) -> str:
        right = sum(v.status in CREDIT for v in self.verdicts)
        graded = sum(v.status not in NOT_SCORED for v in self.verdicts)
        return f"<GradedSheet {self.source or '(text)'}: {right} of {graded} claims given credit>"


def check_text(text: str, filename: str = "<claims>", convention: Convention | None = None,
               grader: Grader | None = None) -> GradedSheet:
    claims, meta = parse_claims(text, filename)
    grader = grader or Grader(convention or DEFAULT)
    return GradedSheet(grader.grade(claims), meta, grader)
