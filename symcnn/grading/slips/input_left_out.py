"""The network's input left out of its total of activations (and so of its bytes): 16,391,656 for
VGG-19's 16,542,184, when the convention in force counts the input as the first activations."""

from __future__ import annotations

from . import Slip

_SCALE = {"activations": lambda bpe: 1, "bytes": lambda bpe: bpe, "bytes-fb": lambda bpe: 2 * bpe}


def _applies(ctx) -> bool:
    true = ctx.true
    return ctx.claim.subject == "total" and ctx.claim.quantity in _SCALE and getattr(true, "is_Integer", False)


def test(ctx):
    t, c = ctx.table, ctx.claim
    elements = t.network.input.elements
    if not getattr(elements, "is_Integer", False) or not elements:
        return None
    without = ctx.true - elements * _SCALE[c.quantity](t.convention.bytes_per_element)
    if ctx.matches(without):
        return f"the input's {int(elements):,} values are left out; the total counts the input as the first " \
               "activations"
    return None


SLIP = Slip("input-left-out", "the network's input left out of the total of activations", order=45,
            applies=_applies, test=test)
