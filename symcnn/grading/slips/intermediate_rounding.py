"""An intermediate figure rounded before further arithmetic: a total that adds the student's own rounded
per-layer figures (3.2M + 3.2M + 800K + ...), or a working that starts from a rounded figure
(3.2M x 4 = 12.8MB): the arithmetic is right, the rounding changed the last digit."""

from __future__ import annotations

import re
from fractions import Fraction

from ..lookup import plain
from . import Slip


def test(ctx):
    c = ctx.claim
    if c.work and c.work_value is not None and c.value.matches(c.work_value) and _close(c, ctx.true):
        return f"your working {c.work} starts from a rounded figure; unrounded, the figure is {_plain(ctx.true)}"
    if c.subject != "total" or c.work:
        return None
    written = ctx.written_parts()
    if written is None:
        return None
    parts, needed = written
    if not any(isinstance(w.as_written, Fraction) and w.as_written != w.value for w in parts.values()):
        return None  # no part was rounded
    if any(n not in parts for n in needed):
        return None
    total = sum((w.as_written for n, w in parts.items() if n in needed and isinstance(w.as_written, Fraction)),
                Fraction(0))
    if c.value.matches(total) or c.value.truncates(total):
        return f"the total adds your rounded figures ({_plain(total)}); added unrounded they give {_plain(ctx.true)}"
    return None


def _close(c, true) -> bool:
    """Is the figure as near the true value as its working's rounded operand allows (so that the rounding, not
    a wrong operand, explains it)?"""
    from ..numbers import ClaimsError, parse_number

    slack = Fraction(0)
    for token in re.findall(r"\d[\d,]*(?:\.\d+)?\s*[KkMG]?(?![\w.])", c.work):
        try:
            n = parse_number(token.strip())
        except ClaimsError:
            continue
        if n.unit and n.value:
            slack = max(slack, n.unit / abs(n.value))
    if not slack:
        return False
    t = Fraction(str(true)) if not isinstance(true, Fraction) else true
    return t != 0 and abs(c.value.value - t) <= slack * abs(t)


def _plain(v) -> str:
    return plain(v)


SLIP = Slip("intermediate-rounding", "an intermediate figure rounded before further arithmetic", order=85,
            applies=lambda ctx: ctx.claim.quantity != "output" and not isinstance(ctx.claim.value, tuple),
            test=test)
