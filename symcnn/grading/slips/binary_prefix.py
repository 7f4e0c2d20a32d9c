"""Bytes written in one system of prefixes and read in the other: 66 'MiB' for 66,168,736 bytes (which are
66.2 MB, or 63.1 MiB), or 'MB' for a number of mebibytes."""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction

from . import Slip

_OTHER = {"KiB": (2 ** 10, 10 ** 3, "KB"), "MiB": (2 ** 20, 10 ** 6, "MB"), "GiB": (2 ** 30, 10 ** 9, "GB"),
          "KB": (10 ** 3, 2 ** 10, "KiB"), "MB": (10 ** 6, 2 ** 20, "MiB"), "GB": (10 ** 9, 2 ** 30, "GiB")}


def test(ctx):
    c = ctx.claim
    m = re.search(r"([KMG]i?B)\s*$", (c.claimed or c.text).strip().rstrip(".,;)"))
    if m is None or m.group(1) not in _OTHER:
        return None
    read, meant, other = _OTHER[m.group(1)]
    f = Fraction(meant, read)
    n = c.value
    again = replace(n, value=n.value * f, tolerance=n.tolerance * f, unit=n.unit * f)
    if again.matches(ctx.true):
        return f"the figure is the bytes in {other}: {m.group(1)} and {other} differ ({read:,} vs {meant:,} bytes)"
    return None


SLIP = Slip("binary-prefix", "bytes written in MiB where they were counted in MB, or the other way round", order=46,
            applies=lambda ctx: ctx.claim.quantity in ("bytes", "bytes-fb", "params-bytes") and
            hasattr(ctx.claim.value, "tolerance") and getattr(ctx.true, "is_Integer", False), test=test)
