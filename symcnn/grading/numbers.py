"""Reading numbers as people write them: 138,357,544; 138 357 544; 138M; ~16.3M;
2.45e9; 64.4%; 61 MB; with a tolerance inferred from the written precision.

>>> n = parse_number("138,357,544")
>>> n.value, n.tolerance
(Fraction(138357544, 1), Fraction(0, 1))
>>> parse_number("800K").tolerance  # K/M with trailing zeros: rounded to the last non-zero digit
Fraction(50000, 1)
>>> parse_number("61,4656").grouping
'61,4656 has a malformed digit grouping; read as 614,656'
>>> parse_number("~16.3M").tolerance
Fraction(50000, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from ..budget import LIMITS
from ..errors import SymcnnError

_SCALE = {"k": 10 ** 3, "K": 10 ** 3, "thousand": 10 ** 3, "M": 10 ** 6, "m": 10 ** 6, "million": 10 ** 6,
          "G": 10 ** 9, "B": 10 ** 9, "bn": 10 ** 9, "billion": 10 ** 9, "T": 10 ** 12, "trillion": 10 ** 12}
_BYTES = {"B": 1, "KB": 10 ** 3, "MB": 10 ** 6, "GB": 10 ** 9, "KiB": 2 ** 10, "MiB": 2 ** 20, "GiB": 2 ** 30}



class ClaimsError(SymcnnError):
    """A malformed claims file (exit status 2)."""


@dataclass(frozen=True)
class Number:
    """A written number: its value, the tolerance its written precision implies, the text,
    and, when the digits were grouped wrongly (``61,4656``; the Indian ``16,77,216``), a note
    saying how they were read."""

    value: Fraction
    tolerance: Fraction
    text: str
    grouping: str | None = None

    def matches(self, x) -> bool:
        return abs(_fraction(x) - self.value) <= self.tolerance

    def truncates(self, x) -> bool:
        """Is this the true value cut off (not rounded) at the written precision: 35% for 35.62%?"""
        if self.tolerance == 0:
            return False
        unit = 2 * self.tolerance
        true = _fraction(x)
        return self.value != 0 and abs(true) >= abs(self.value) and abs(true) - abs(self.value) < unit \
            and (true > 0) == (self.value > 0)

    @property
    def rounded(self) -> bool:
        return self.tolerance != 0


def _fraction(x) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(str(sp.Rational(x)))


_SEP = "[,' _\u2009\u202f]"
_NUM = re.compile(r"[-+]?(?:\d+(?:" + _SEP + r"\d+)+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
                  r"|[-+]?\.\d+(?:[eE][-+]?\d+)?")
_WELL_GROUPED = re.compile(r"[-+]?\d{1,3}(?:(?P<s>" + _SEP + r")\d{3})(?:(?P=s)\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_INDIAN = re.compile(r"[-+]?\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?")


def parse_number(text: str, *, bytes_unit: bool = False) -> Number:
    """A number as people write it, with its tolerance."""
    raw = text.strip()
    s = raw
    approx = False
    tol_text = None
    for sep in ("±", "+/-", "+-"):
        if sep in s:
            s, tol_text = (part.strip() for part in s.split(sep, 1))
    for mark in ("~", "≈", "about ", "approximately ", "approximately", "approx.", "approx", "around ",
                 "roughly ", "nearly ", "almost ", "ca.", "circa "):
        if s.lower().startswith(mark):
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
    grouping = None
    if re.search(_SEP + r"\d", digits) and not _WELL_GROUPED.fullmatch(digits):
        read = re.sub(_SEP, "", digits)
        how = "the Indian grouping (lakh, crore)" if _INDIAN.fullmatch(digits) else "a malformed digit grouping"
        grouping = f"{digits} has {how}; read as {int(Fraction(read)) if '.' not in read else read:,}"
    clean = re.sub(_SEP, "", digits)
    _within_budget(clean, raw)
    value = Fraction(clean) * scale
    # inferred tolerance: half a unit in the last written digit, when the number is rounded
    mantissa = clean.lower().split("e")[0].lstrip("+-")
    exponent = int(clean.lower().split("e")[1]) if "e" in clean.lower() else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    rounded = approx or scale != 1 or decimals or exponent or percent  # a percentage is always rounded
    place = exponent - decimals
    if scale != 1 and not decimals and mantissa.strip("0"):
        # "800K", "60M": an integer mantissa with trailing zeros is rounded to its last non-zero digit
        place += len(mantissa) - len(mantissa.rstrip("0"))
    tol = Fraction(1, 2) * Fraction(10) ** place * scale if rounded else Fraction(0)
    if tol_text is not None:
        if tol_text.endswith("%"):
            tol = abs(value) * Fraction(re.sub(r"[^\d.]", "", tol_text)) / 100
        else:
            tol = parse_number(tol_text, bytes_unit=bytes_unit).value
        if tol < 0:
            raise ClaimsError(f"a tolerance cannot be negative: {raw!r}")
    if percent:
        value, tol = value / 100, tol / 100
    return Number(value, tol, raw, grouping)


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
