"""Grading worked answers: parse a claims file, mark each claim against the
derivation, and diagnose wrong numbers by recomputing under known slips.

A claims file::

    # student: A. Student
    network vgg16
    block1.conv1 output = 224x224x64
    block1.conv1 params = 1,792
    fc6 weights = 102,760,448
    total params = 138M
    total macs [flops=macs] = 15.5G
    network inception-naive
    ratio inception-reduced/inception-naive macs = 0.356
    saving inception-reduced/inception-naive macs = 64.4%

A claim is ``LAYER QUANTITY [CONVENTION] = VALUE [+- TOLERANCE]``, LAYER a layer
name or ``total``; quantities: output, weights, biases, params, activations,
macs, flops, rf, jump, bytes (forward), bytes-fb (forward + backward).
Conventions a claim may state: weights-only, flops=macs, flops=2macs.
Numbers are written as people write them (138,357,544; 138 357 544; 138M;
~16.3M; 2.45e9; 64.4%; 61 MB); without a stated tolerance, one is inferred
from the written precision (138M means 137.5M to 138.5M).

>>> parse_number("138,357,544")
Number(value=Fraction(138357544, 1), tolerance=Fraction(0, 1), text='138,357,544')
>>> parse_number("~16.3M").tolerance
Fraction(50000, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .budget import LIMITS
from .convention import DEFAULT, Convention
from .derive import Row, Table, derive
from .errors import SymcnnError

QUANTITIES = ("output", "weights", "biases", "params", "activations", "macs", "flops", "rf", "jump", "bytes",
              "bytes-fb")
CONVENTIONS = ("weights-only", "flops=macs", "flops=2macs")
_SCALE = {"k": 10 ** 3, "K": 10 ** 3, "thousand": 10 ** 3, "M": 10 ** 6, "m": 10 ** 6, "million": 10 ** 6,
          "G": 10 ** 9, "B": 10 ** 9, "bn": 10 ** 9, "billion": 10 ** 9, "T": 10 ** 12, "trillion": 10 ** 12}
_BYTES = {"B": 1, "KB": 10 ** 3, "MB": 10 ** 6, "GB": 10 ** 9, "KiB": 2 ** 10, "MiB": 2 ** 20, "GiB": 2 ** 30}


class ClaimsError(SymcnnError):
    """A malformed claims file (exit status 2)."""


@dataclass(frozen=True)
class Number:
    value: Fraction
    tolerance: Fraction
    text: str

    def matches(self, x) -> bool:
        return abs(Fraction(str(sp.Rational(x))) - self.value) <= self.tolerance


_NUM = re.compile(r"[-+]?(?:\d+(?:[,' _\u2009\u202f]\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?")


def parse_number(text: str, *, bytes_unit: bool = False) -> Number:
    """A number as people write it, with its tolerance."""
    raw = text.strip()
    s = raw
    approx = False
    tol_text = None
    for sep in ("±", "+/-", "+-"):
        if sep in s:
            s, tol_text = (part.strip() for part in s.split(sep, 1))
    for mark in ("~", "≈", "about ", "approx.", "approx"):
        if s.startswith(mark):
            s, approx = s[len(mark):].strip(), True
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    m = _NUM.match(s)
    if not m:
        raise ClaimsError(f"not a number: {raw!r}")
    digits, rest = m.group(0), s[m.end():].strip()
    scale = 1
    if rest:
        table = _BYTES if bytes_unit and rest in _BYTES else _SCALE
        if rest not in table:
            raise ClaimsError(f"unknown unit {rest!r} in {raw!r}")
        scale = table[rest]
    clean = re.sub(r"[,' _\u2009\u202f]", "", digits)
    _within_budget(clean, raw)
    value = Fraction(clean) * scale
    # inferred tolerance: half a unit in the last written digit, when the number is rounded
    mantissa = clean.lower().split("e")[0]
    exponent = int(clean.lower().split("e")[1]) if "e" in clean.lower() else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    rounded = approx or scale != 1 or decimals or exponent
    tol = Fraction(1, 2) * Fraction(10) ** (exponent - decimals) * scale if rounded else Fraction(0)
    if tol_text is not None:
        if tol_text.endswith("%"):
            tol = abs(value) * Fraction(re.sub(r"[^\d.]", "", tol_text)) / 100
        else:
            tol = parse_number(tol_text, bytes_unit=bytes_unit).value
        if tol < 0:
            raise ClaimsError(f"a tolerance cannot be negative: {raw!r}")
    if percent:
        value, tol = value / 100, tol / 100
    return Number(value, tol, raw)


def _within_budget(number: str, raw: str) -> None:
    """Refuse a written number too large to be a count (before Fraction builds it: 1e9999999999 would hang)."""
    mantissa, _, exponent = number.lower().partition("e")
    digits = len(mantissa.replace(".", "").replace("-", "").replace("+", "").lstrip("0"))
    if digits > LIMITS.digits or (exponent and abs(int(exponent)) > LIMITS.digits):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise ClaimsError(f"the number {shown!r} is too large to be a count (more than {LIMITS.digits} digits)")


def parse_shape(text: str) -> tuple[int, ...]:
    parts = [p for p in re.split(r"\s*[x×*,]\s*", text.strip().strip("[]()")) if p]
    for p in parts:
        if p.isdigit():
            _within_budget(p, text)
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ClaimsError(f"not a shape (C x H x W or H x W x C): {text!r}") from None


@dataclass(frozen=True)
class Claim:
    line: int
    network: str  # the network it is about (its spec or zoo name)
    subject: str  # layer name, "total", or "ratio"/"saving"
    quantity: str
    convention: str | None
    value: object  # Number, or a shape tuple
    text: str
    other: str | None = None  # the second network of a ratio or saving


@dataclass
class Verdict:
    claim: Claim
    status: str  # "right", "right-under-convention", "wrong", "unknown"
    correct: object = None
    note: str = ""
    slip: str | None = None
    row: Row | None = None


def parse_claims(text: str, filename: str = "<claims>") -> tuple[list[Claim], dict]:
    claims: list[Claim] = []
    meta: dict = {}
    network = None
    # lines end at \n (or \r\n) only: str.splitlines would also split at U+2028 and the like,
    # and the line numbers in errors would no longer be the ones an editor shows
    for lineno, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        where = f"{filename}:{lineno}"
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("# student") else ""
        if raw.lstrip().startswith("# student:"):
            meta["student"] = raw.split(":", 1)[1].strip()
            continue
        if not line:
            continue
        words = line.split()
        if words[0] == "network":
            if len(words) < 2 or not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*=\S+", w) for w in words[2:]):
                raise ClaimsError("expected 'network NAME_OR_SPEC [SYMBOL=VALUE ...]'", where=where)
            network = " ".join(words[1:])
            continue
        if words[0] == "student":
            meta["student"] = line[len("student"):].strip()
            continue
        if "=" not in line:
            raise ClaimsError("a claim is 'LAYER QUANTITY = VALUE' (or 'network NAME')", where=where)
        cut = _assignment(line)  # not the '=' inside [flops=macs]
        if cut is None:
            raise ClaimsError("a claim is 'LAYER QUANTITY = VALUE' (or 'network NAME')", where=where)
        left, value_text = line[:cut].strip(), line[cut + 1:].strip()
        if words[0] in ("ratio", "saving"):
            m = re.fullmatch(r"(ratio|saving)\s+(\S+)\s*/\s*(\S+)\s+(\w+)", left)
            if not m or m.group(4) not in ("params", "weights", "macs", "flops", "activations"):
                raise ClaimsError(f"expected '{words[0]} NET_A/NET_B QUANTITY = VALUE' with QUANTITY params, weights, "
                                  "macs, flops or activations", where=where)
            claims.append(Claim(lineno, m.group(2), m.group(1), m.group(4), None, _value(value_text, "ratio", where),
                                line, m.group(3)))
            continue
        if network is None:
            raise ClaimsError("no 'network NAME' line before the first claim", where=where)
        m = re.fullmatch(r"(\S+)\s+([\w-]+)(?:\s*\[([^\]]+)\])?", left)
        if not m:
            raise ClaimsError("expected 'LAYER QUANTITY [CONVENTION] = VALUE'", where=where)
        subject, quantity, conv = m.group(1), m.group(2), m.group(3)
        if quantity not in QUANTITIES:
            raise ClaimsError(f"unknown quantity {quantity!r} (choose from {', '.join(QUANTITIES)})", where=where)
        if conv is not None and conv.strip() not in CONVENTIONS:
            raise ClaimsError(f"unknown convention {conv!r} (choose from {', '.join(CONVENTIONS)})", where=where)
        claims.append(Claim(lineno, network, subject, quantity, conv and conv.strip(),
                            _value(value_text, quantity, where), line))
    if not claims:
        raise ClaimsError("the claims file has no claims", where=filename)
    return claims, meta


def _assignment(line: str) -> int | None:
    """The position of the first '=' outside square brackets."""
    depth = 0
    for i, ch in enumerate(line):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "=" and depth == 0:
            return i
    return None


def _value(text: str, quantity: str, where: str):
    try:
        if quantity == "output":
            return parse_shape(text)
        return parse_number(text, bytes_unit=quantity.startswith("bytes"))
    except ClaimsError as exc:
        raise ClaimsError(exc.message, where=where) from None


# -- grading ---------------------------------------------------------------------------------------------------

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
        from . import load as default_load

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
        from . import expr as E

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
        # a layer's params equal to its weights is the weights-only convention only if the sheet keeps to it
        counts_biases = {(v.claim.network) for v in verdicts if v.claim.quantity == "params"
                         and v.status == "right" and v.row is not None and v.row.biases != 0}
        for v in verdicts:
            if v.status == "right-under-convention" and v.note.startswith("weights only") and \
                    v.claim.network in counts_biases:
                v.status, v.slip = "wrong", "bias-forgotten"
                biases = v.row.biases if v.row is not None else self.table(v.claim.network).totals["biases"]
                v.note = ("the biases are left out here although other claims on this sheet count them: "
                          f"{'the network' if v.row is None else v.claim.subject} has {int(biases):,} biases")
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
        candidates = {
            "percentage-wrong-base": (1 / ratio - 1, "the saving is taken relative to the smaller cost "
                                                     f"({c.network}) instead of the larger ({c.other})"),
            "ratio-inverted": (1 / ratio if c.subject == "ratio" else 1 - 1 / ratio,
                               f"the ratio is taken the other way round ({c.other}/{c.network})"),
            "saving-for-ratio": (ratio if c.subject == "saving" else 1 - ratio,
                                 "the ratio is given where the saving is asked, or the other way round"),
        }
        for name, (value, note) in candidates.items():
            if c.value.matches(value):
                return Verdict(c, "wrong", true, note, name)
        return Verdict(c, "wrong", true, "no catalogued slip explains this number")


# -- the slips -------------------------------------------------------------------------------------------------

SLIPS = {
    "fc-input-unflattened": "a fully connected layer's input counted as C instead of C x H x W (or as its own width)",
    "ceil-instead-of-floor": "output sizes rounded up where the formula floors",
    "padding-forgotten": "the layer's padding left out of the output size",
    "bias-forgotten": "biases left out in one layer while counted in others",
    "digit-group-dropped": "a group of three digits dropped from the number",
    "wrong-kernel": "the layer's cost or weights computed with another kernel size",
    "wrong-network": "another network's figure quoted",
    "percentage-wrong-base": "a percentage taken of the wrong base",
    "ratio-inverted": "a ratio taken the other way round",
    "saving-for-ratio": "a ratio given for a saving, or a saving for a ratio",
    "hwc-order": "an output shape in another order",
}


def _matches(claim: Claim, value) -> bool:
    if value is None:
        return False
    if claim.quantity == "output":
        return _shape_matches(claim.value, value) is not None
    return claim.value.matches(value)


def _dropped_groups(n: int) -> list[int]:
    s = f"{abs(int(n)):,}".split(",")
    out = []
    for i in range(len(s)):
        rest = s[:i] + s[i + 1:]
        if rest:
            out.append(int("".join(rest)))
    return out


def _layer_again(row: Row, convention, **changes):
    """The row's layer derived again (its kind's own formulas) with some fields changed."""
    args = dict(row.layer.args)
    for key, value in changes.items():
        args[key] = (value, value) if isinstance(args.get(key), tuple) else value
    return row.layer.layer_kind.derive(args, row.input, convention)


def _derived_value(d, quantity):
    if quantity == "output":
        return tuple(int(v) for v in d.output.as_tuple())
    if quantity == "activations":
        return d.output.elements
    if quantity == "params":
        return d.weights + d.biases
    return getattr(d, quantity)


def diagnose(grader: Grader, c: Claim, t: Table, true) -> tuple[str | None, str]:
    """The first catalogued slip under which symcnn's recomputation gives the claimed number."""
    row = None if c.subject == "total" else t.row(c.subject)
    tests = []
    if c.quantity != "output" and sp.sympify(true).is_Integer:
        dropped = _dropped_groups(int(true))
        tests.append(("digit-group-dropped", lambda: any(c.value.matches(v) for v in dropped),
                      f"the number is {int(true):,}; the claim drops one group of digits"))
    if row is not None and row.kind == "linear" and c.quantity in ("weights", "params", "macs"):
        prev = row.input
        src = [r for r in t.rows if r.kind == "flatten"]
        before = src[-1].input if src else None

        def unflattened():
            for n_in in ([before.c] if before is not None else []) + [row.output.c]:
                w = n_in * row.output.c
                value = {"weights": w, "params": w + row.biases, "macs": w}[c.quantity]
                if c.value.matches(value):
                    return True
            return False

        tests.append(("fc-input-unflattened", unflattened,
                      f"{c.subject} takes {int(prev.c):,} inputs"
                      + (f" ({before.c} x {before.h} x {before.w} flattened)" if before is not None else "")))
    if row is not None and row.kind == "conv" and c.quantity in ("weights", "params", "macs"):
        k = row.layer.arg_dict["k"][0]

        def other_kernel():
            for k2 in (1, 3, 5, 7, 11):
                if k2 == k:
                    continue
                try:
                    d2 = _layer_again(row, t.convention, k=sp.Integer(k2), p=sp.Integer(k2 // 2))
                except SymcnnError:
                    continue
                value = _derived_value(d2, c.quantity)
                # keep the true output size: only the kernel factor changes
                value = value * (row.output.h * row.output.w) / (d2.output.h * d2.output.w) \
                    if c.quantity == "macs" else value
                if c.value.matches(value):
                    other_kernel.k2 = k2
                    return True
            return False

        tests.append(("wrong-kernel", other_kernel, f"{c.subject} has a {k}x{k} kernel"))
    if c.quantity in ("output", "activations", "macs", "params", "weights", "flops") or c.subject == "total":
        def ceil_slip():
            try:
                t2 = grader.table(c.network, t.convention.replace(division="ceil"))
                return _matches(c, value_of(t2, c.subject, c.quantity))
            except SymcnnError:
                return False

        tests.append(("ceil-instead-of-floor", ceil_slip, "output sizes are floor((W - F + 2P)/S) + 1"))
    if row is not None and row.layer is not None and c.quantity in ("output", "activations", "macs"):
        p = row.layer.arg_dict.get("p")
        if p not in (None, "same") and p != (0, 0):
            def no_padding():
                try:
                    return _matches(c, _derived_value(_layer_again(row, t.convention, p=sp.Integer(0)), c.quantity))
                except SymcnnError:
                    return False

            tests.append(("padding-forgotten", no_padding, f"{c.subject} pads by {p[0]}"))
    if c.subject == "total" and c.quantity != "output":
        def other_net():
            from . import zoo

            for name in zoo.names():
                if name == c.network:
                    continue
                try:
                    v = value_of(grader.table(name, t.convention), "total", c.quantity)
                except SymcnnError:
                    continue
                if c.value.matches(v):
                    other_net.name = name
                    return True
            return False

        tests.append(("wrong-network", other_net, ""))
    for name, test, note in tests:
        if test():
            if name == "wrong-network":
                note = f"this is {other_net.name}'s total, not {c.network}'s"
            if name == "wrong-kernel":
                note = f"{note}; the claim matches a {other_kernel.k2}x{other_kernel.k2} kernel"
            return name, note
    return None, "no catalogued slip explains this number"


def check_text(text: str, filename: str = "<claims>", convention: Convention | None = None):
    claims, meta = parse_claims(text, filename)
    grader = Grader(convention or DEFAULT)
    return grader.grade(claims), meta, grader
