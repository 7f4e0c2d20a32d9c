"""Reading numbers as people write them: 138,357,544; 138 357 544; 138M; ~16.3M;
2.45e9; 64.4%; 61 MB; with a tolerance inferred from the written precision.

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

from ..budget import LIMITS
from ..errors import SymcnnError

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


_NUM = re.compile(r"[-+]?(?:\d+(?:[,' _\u2009\u202f]\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
                  r"|[-+]?\.\d+(?:[eE][-+]?\d+)?")


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
