"""The layer's padding left out of the output size."""

from __future__ import annotations

import sympy as sp

from ...errors import SymcnnError
from . import Slip, derived_value


def _applies(ctx) -> bool:
    if ctx.row is None or ctx.row.layer is None or ctx.claim.quantity not in ("output", "activations", "macs"):
        return False
    p = ctx.row.layer.arg_dict.get("p")
    return p not in (None, "same") and p != (0, 0)


def test(ctx):
    p = ctx.row.layer.arg_dict.get("p")
    try:
        if ctx.matches(derived_value(ctx.again(p=sp.Integer(0)), ctx.claim.quantity)):
            return f"{ctx.claim.subject} pads by {p[0]}"
    except SymcnnError:
        return None
    return None


SLIP = Slip("padding-forgotten", "the layer's padding left out of the output size", order=50, kind_specific=True,
            applies=_applies, test=test)
