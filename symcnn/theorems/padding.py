"""Padding that keeps the size."""

from __future__ import annotations

import sympy as sp

from .. import expr as E
from ..layers.base import window_out
from ..proof import Builder, display_subs
from . import register


@register("same-padding", "Same padding keeps the size at stride 1",
          claim_help="the padding P as an expression in F")
def same_padding(claim: str | None = None):
    W, F = E.size_symbol("W"), E.size_symbol("F")
    m = sp.Symbol("m", integer=True, nonnegative=True)
    P = sp.Symbol("P", integer=True, nonnegative=True)
    b = Builder("same-padding", "Same padding keeps the size at stride 1",
                "With stride 1 and an odd filter size F, padding P = (F - 1)/2 keeps the output size equal to "
                "the input size W; for even F no integer padding does.",
                ["W >= 1, F >= 1 integers; stride 1; no dilation", "odd F is written F = 2m + 1 with m >= 0"],
                symbols={"W": W, "F": F, "m": m, "P": P}, problem="Problems P1, P5, P7 (same padding)")
    pad = b.claim_or(claim, "(F - 1)/2")
    b.state("", "floor((W - F + 2*P)/1) + 1", ("=", W, f"for P = {sp.sstr(pad, order='none')}"))
    odd = {F: 2 * m + 1}
    pad_odd = sp.simplify(pad.subs(odd))
    b.chain("For odd F = 2m + 1 the padding is an integer:", display_subs(pad, {F: b.ex("2*m + 1")}),
            ("=", pad_odd, "simplify"))
    b.check(pad_odd.is_integer is True, f"the padding {pad} is not an integer for odd F")
    out, _ = window_out(W, 2 * m + 1, 1, pad_odd, 1, False, "floor")
    b.check(sp.simplify(out - W) == 0, f"with P = {pad_odd} the output size is {out}, not W")
    b.chain("symcnn's output size floor((W - F + 2P)/S) + 1 with S = 1 and that padding:",
            display_subs(b.ex("floor((W - (2*m + 1) + 2*P)/1) + 1"), {P: pad_odd}),
            ("=", out, "output size (the division by 1 is exact)"))
    even = b.names["e"] = sp.Symbol("e", integer=True, positive=True)
    b.chain("For even F = 2e an output of size W needs W - F + 2P + 1 = W, that is P = (F - 1)/2, which is "
            "not an integer:", "(2*e - 1)/2", ("=", "e - 1/2", "simplify: an integer minus one half"))
    b.check((even - sp.Rational(1, 2)).is_integer is False, "sympy cannot show (2e - 1)/2 is not an integer")
    return b.done()
