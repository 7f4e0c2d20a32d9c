"""The network worked on an input of another size (224 for AlexNet's 227, 227 for 224):
the whole network derived again on each nearby size and the sizes other variants use."""

from __future__ import annotations

from ...errors import SymcnnError
from ..lookup import value_of
from . import Slip

SIZES = (224, 227, 225, 226, 228, 229, 231, 256, 299, 32, 28)


def test(ctx):
    c = ctx.claim
    x = ctx.table.input
    if not x.h.is_Integer or x.h != x.w:
        return None
    true_size = int(x.h)
    for size in SIZES:
        if size == true_size:
            continue
        try:
            t2 = ctx.grader.variant(c.network, size)
            v = value_of(t2, c.subject, c.quantity)
        except (SymcnnError, ValueError, TypeError):
            continue
        if ctx.matches(v):
            return f"the figure is {c.subject}'s on a {size}x{size} input; the network's input is " \
                   f"{true_size}x{true_size}"
    return None


SLIP = Slip("wrong-input-size", "the network worked on an input of another size (224 for 227)", order=45,
            applies=lambda ctx: ctx.claim.quantity in ("output", "size", "activations", "macs", "flops", "params",
                                                       "weights"), test=test)
