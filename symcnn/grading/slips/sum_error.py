"""A sum added up wrongly: the student's own parts (written in the working, or on the lines above for
a total) do not add up to the figure they wrote; named when their sum, or their sum without one part or
with one twice, is what the student should have or did write."""

from __future__ import annotations

import re
from fractions import Fraction

from ..lookup import matches_exactly
from ..lookup import plain as _plain
from . import Slip


def _pure_sum(work: str | None) -> bool:
    """A working that only adds figures (34,944 + 614,656 + ...), no products."""
    return work is not None and "+" in work and not re.search(r"[x*×/()]", work)


def test(ctx):
    c = ctx.claim
    if _pure_sum(c.work) and c.work_value is not None and not c.value.matches(c.work_value):
        right = " (which is right)" if matches_exactly(c.work_value, ctx.true) else ""
        return f"your parts add up to {_plain(c.work_value)}{right}, not {c.claimed}"
    if c.subject != "total" or c.work:
        return None
    # a total written without its working: the parts the student wrote above it, added up
    written = ctx.written_parts()
    if written is None:
        return None
    parts = [(name, w.value) for name, w in written[0].items() if isinstance(w.value, Fraction)]
    needed = set(written[1])
    if c.quantity == "activations" or len(parts) < 2 or not needed or not needed <= {n for n, _ in parts}:
        return None  # the student did not write every part of this total
    total = sum(v for _, v in parts)
    if c.value.matches(total):
        return None  # the parts add up: not a slip of the sum (the parts are graded on their own lines)
    for name, v in parts:
        if c.value.matches(total - v):
            return f"the sum leaves out {name}'s {int(v):,}: your parts add up to {int(total):,}"
        if c.value.matches(total + v):
            return f"the sum counts {name}'s {int(v):,} twice: your parts add up to {int(total):,}"
    return None


SLIP = Slip("sum-error", "a total that is not the sum of the parts it adds", order=2,
            applies=lambda ctx: ctx.claim.quantity != "output" and not isinstance(ctx.claim.value, tuple),
            test=test)
