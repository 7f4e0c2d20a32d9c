"""An arithmetic error in the student's own working: their expression (``11*11*3*96``) does
not equal the figure they wrote after it (``= 34,848``)."""

from __future__ import annotations

from ..lookup import matches_exactly as _matches_exactly
from ..lookup import plain as _plain
from . import Slip


def test(ctx):
    from .sum_error import _pure_sum

    c = ctx.claim
    if c.work_value is None or c.value.matches(c.work_value) or _pure_sum(c.work):
        return None  # a sum of parts added up wrongly is the sum-error slip

    right = " (which is right)" if _matches_exactly(c.work_value, ctx.true) else ""
    return working_note(c, right)


def working_note(c, right: str = "") -> str:
    """What the student's working gives, against what they wrote; the working quoted as a reader writes it
    (3 × 3 × 256 × 384, not 3*3*256*384)."""
    from ..work import readable

    return f"your working {readable(c.work)} gives {_plain(c.work_value)}{right}, not {c.claimed}"


SLIP = Slip("arithmetic", "an arithmetic error: the student's own expression does not give the figure written",
            order=1, applies=lambda ctx: ctx.claim.quantity != "output", test=test)
