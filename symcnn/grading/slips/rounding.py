"""A rounding error: the figure is the right one rounded wrongly at the precision written
(3.3M for 3,211,264), or cut off where the policy asks for rounding."""

from __future__ import annotations

from fractions import Fraction

from ..numbers import exact_fraction
from . import Slip


def test(ctx):
    c = ctx.claim
    n = c.value
    if not n.rounded:
        return None
    true = exact_fraction(ctx.true)
    unit = 2 * n.tolerance
    if unit == 0:
        return None
    if n.truncates(true):
        return f"{n.text} cuts off {float(true):.6g}; rounded it is {_round(true, unit)}"
    if abs(true - n.value) <= unit * Fraction(3, 2):
        return f"{float(true):.6g} rounded at the precision written is {_round(true, unit)}, not {n.text}"
    return None


def _round(true: Fraction, unit: Fraction) -> str:
    q = (true / unit + Fraction(1, 2)).__floor__() * unit
    return f"{float(q):,.10g}"


SLIP = Slip("rounding", "the right figure rounded wrongly (or truncated) at the precision written", order=90,
            applies=lambda ctx: ctx.claim.quantity != "output" and hasattr(ctx.claim.value, "rounded"), test=test)
