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
from functools import lru_cache

import sympy as sp

from ..budget import LIMITS
from ..errors import SymcnnError
from .patterns import rx

_SCALE = {"k": 10 ** 3, "K": 10 ** 3, "thousand": 10 ** 3, "M": 10 ** 6, "m": 10 ** 6, "million": 10 ** 6,
          "G": 10 ** 9, "B": 10 ** 9, "bn": 10 ** 9, "billion": 10 ** 9, "T": 10 ** 12, "trillion": 10 ** 12}
_BYTES = {"B": 1, "KB": 10 ** 3, "MB": 10 ** 6, "GB": 10 ** 9, "KiB": 2 ** 10, "MiB": 2 ** 20, "GiB": 2 ** 30}



class ClaimsError(SymcnnError):
    """A malformed claims file (exit status 2)."""


@dataclass(frozen=True)
class Precision:
    """How precisely a written figure must agree with the true value: the instructor's policy, stated in
    every graded output.

    A figure's own digits say how it was rounded: 3.2M is right for 3,211,264 (rounded at the 100K its
    last digit stands for), 60M for 62,378,344 (one significant digit: trailing zeros of a scaled
    integer are not significant).  ``min_digits`` reads a figure with fewer significant digits as if it
    had that many (with 2, 60M means 60.0 +- 0.5M and is wrong for 62.4M); ``max_error`` bounds the
    relative error of any credited figure, however few its digits (100M is never right for 138M);
    ``truncation`` accepts a figure cut off instead of rounded (16M for 16.78M) or not.  Zero has no
    significant digits: 0e99 is 0.

    >>> Precision().describe()[0]
    'a figure is right when the true value, rounded (or cut off) at the last digit written, gives it; zero is exact'
    """

    min_digits: int = 1
    max_error: Fraction = Fraction(5, 100)
    truncation: str = "accept"

    def describe(self) -> list[str]:
        out = ["a figure is right when the true value, rounded" + (" (or cut off)" if self.truncation == "accept"
                                                                    else "") +
               " at the last digit written, gives it; zero is exact",
               f"never more than {_percent(self.max_error)} off the true value, whatever the digits written"]
        if self.min_digits > 1:
            out.append(f"a figure with fewer than {self.min_digits} significant digits is read as having "
                       f"{self.min_digits} (trailing zeros count)")
        return out

    def as_dict(self) -> dict:
        return {"min_digits": self.min_digits, "max_error": float(self.max_error), "truncation": self.truncation}


def _percent(x: Fraction) -> str:
    v = float(x * 100)
    return f"{v:g}%"


DEFAULT_PRECISION = Precision()


@dataclass(frozen=True)
class Number:
    """A written number: its value, the place of its last significant digit (``unit``; 0 for an exact
    figure), how many significant digits it has, the text, and, when the digits were grouped wrongly
    (``61,4656``; the Indian ``16,77,216``), a note saying how they were read.  A claims file may give
    an explicit tolerance (``138M +- 1M``).  ``max_error`` is the relative bound of the policy in force."""

    value: Fraction
    tolerance: Fraction  # the explicit tolerance (+-), or half the unit
    text: str
    grouping: str | None = None
    unit: Fraction = Fraction(0)
    digits: int = 0
    explicit: bool = False
    max_error: Fraction = DEFAULT_PRECISION.max_error

    def under(self, precision: Precision) -> Number:
        """The figure read under a policy: fewer significant digits than ``min_digits`` read as that many."""
        unit = self.unit
        if unit and not self.explicit and 0 < self.digits < precision.min_digits:
            unit = unit / 10 ** (precision.min_digits - self.digits)
        return Number(self.value, unit / 2 if not self.explicit else self.tolerance, self.text, self.grouping,
                      unit, self.digits, self.explicit, precision.max_error)

    def _close(self, true: Fraction) -> bool:
        if true == 0:
            return self.value == 0
        return abs(self.value - true) <= self.max_error * abs(true)

    def matches(self, x) -> bool:
        """Is this the true value ``x`` as written: equal, or rounded at the last digit written (and never
        more than the policy's relative bound away)?"""
        true = exact_fraction(x)
        if self.explicit:
            return abs(true - self.value) <= self.tolerance
        if not self.unit:
            return true == self.value
        # rounded at the last digit written, a tie either way (10,205 is 1.020e4 or 1.021e4)
        return abs(true - self.value) * 2 <= self.unit and self._close(true)

    def truncates(self, x) -> bool:
        """Is this the true value cut off (not rounded) at the written precision: 35% for 35.62%?"""
        if not self.unit or self.explicit:
            return False
        true = exact_fraction(x)
        return self.value != 0 and _cut(true, self.unit) == self.value and self._close(true)

    def off_by(self, x) -> str:
        """How far a credited rounded figure is from the true value, in words."""
        true = exact_fraction(x)
        if true == self.value or true == 0:
            return ""
        return f"{float(abs(self.value - true) / abs(true) * 100):.2g}% off {_plain_fraction(true)}"

    @property
    def rounded(self) -> bool:
        return self.unit != 0 or self.explicit


def _round(x: Fraction, unit: Fraction) -> Fraction:
    """x rounded half away from zero at ``unit``."""
    q = abs(x) / unit
    r = (q + Fraction(1, 2)).__floor__() * unit
    return r if x >= 0 else -r


def _cut(x: Fraction, unit: Fraction) -> Fraction:
    r = (abs(x) / unit).__floor__() * unit
    return r if x >= 0 else -r


def _plain_fraction(x: Fraction) -> str:
    if x.denominator == 1:
        return f"{x.numerator:,}"
    return f"{float(x):.6g}"


def exact_fraction(x: object) -> Fraction:
    """A number (int, Fraction, sympy Rational or anything sympy reads as a rational) as an exact Fraction.

    >>> exact_fraction(sp.Rational(1, 3)), exact_fraction(7), exact_fraction(sp.Integer(2) ** 10)
    (Fraction(1, 3), Fraction(7, 1), Fraction(1024, 1))
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, sp.Rational):
        return Fraction(int(x.p), int(x.q))
    return Fraction(str(sp.Rational(x)))


_SEP = "[,' _\u2009\u202f]"
_NUM = re.compile(r"[-+]?(?:\d+(?:" + _SEP + r"\d+)+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
                  r"|[-+]?\.\d+(?:[eE][-+]?\d+)?")
_WELL_GROUPED = re.compile(r"[-+]?\d{1,3}(?:(?P<s>" + _SEP + r")\d{3})(?:(?P=s)\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_INDIAN = re.compile(r"[-+]?\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?")


@lru_cache(maxsize=8192)
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
    unit, count = _precision(clean, value, scale, approx or percent)
    if percent:
        value, unit = value / 100, unit / 100
    tol = unit / 2
    explicit = False
    if tol_text is not None:
        if tol_text.endswith("%"):
            tol = abs(value) * Fraction(rx(r"[^\d.]").sub("", tol_text) or "0") / 100
        else:
            tol = parse_number(tol_text, bytes_unit=bytes_unit).value
        if tol < 0:
            raise ClaimsError(f"a tolerance cannot be negative: {raw!r}")
        explicit = True
    return Number(value, tol, raw, grouping, unit, count, explicit)


def _precision(clean: str, value: Fraction, scale: int, approx: bool) -> tuple[Fraction, int]:
    """The unit of a number's last written digit (0: written exactly) and its count of significant digits.

    >>> _precision("60", Fraction(60_000_000), 10**6, False)  # "60M": rounded at its last non-zero digit
    (Fraction(10000000, 1), 1)
    >>> _precision("1728", Fraction(1728), 1, False)  # an integer written out: exact
    (Fraction(0, 1), 4)
    """
    mantissa = clean.lower().split("e")[0].lstrip("+-")
    exponent = int(clean.lower().split("e")[1]) if "e" in clean.lower() else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    if value == 0:
        return Fraction(0), 0  # zero has no significant digits: 0e99, 0.0 and 0% are exactly zero
    rounded = approx or scale != 1 or decimals or exponent  # (a percentage is always rounded: approx)
    place = exponent - decimals
    count = len(mantissa.replace(".", "").lstrip("0"))
    if scale != 1 and not decimals and mantissa.strip("0"):
        # "800K", "60M": an integer mantissa with trailing zeros is rounded to its last non-zero digit
        trailing = len(mantissa) - len(mantissa.rstrip("0"))
        place += trailing
        count -= trailing
    return (Fraction(10) ** place * scale if rounded else Fraction(0)), count


def _within_budget(number: str, raw: str) -> None:
    """Refuse a written number too large to be a count (before Fraction builds it: 1e9999999999 would hang)."""
    mantissa, _, exponent = number.lower().partition("e")
    digits = len(mantissa.replace(".", "").replace("-", "").replace("+", "").lstrip("0"))
    if digits > LIMITS.digits or (exponent and abs(int(exponent)) > LIMITS.digits):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise ClaimsError(f"the number {shown!r} is too large to be a count (more than {LIMITS.digits} digits)")


def parse_shape(text: str) -> tuple[int, ...]:
    parts = [p for p in rx(r"\s*[x×*,]\s*").split(text.strip().strip("[]()")) if p]
    for p in parts:
        if p.isdigit():
            _within_budget(p, text)
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ClaimsError(f"not a shape (C x H x W or H x W x C): {text!r}") from None
