"""Padding that keeps the size."""

from __future__ import annotations

import sympy as sp

from .. import expr as E
from ..layers.common.window import window_out
from ..proof import CHECKERS, Builder, display_subs
from .registry import register


@register("same-padding", "Same padding keeps the size at stride 1",
          claim_help="the padding P as an expression in F")
def same_padding(claim: str | None = None, checkers=CHECKERS):
    W, F = E.size_symbol("W"), E.size_symbol("F")
    m = sp.Symbol("m", integer=True, nonnegative=True)
    e = sp.Symbol("e", integer=True, positive=True)
    P = sp.Symbol("P", integer=True, nonnegative=True)
    b = Builder("same-padding", "Same padding keeps the size at stride 1",
                "With stride 1 and an odd filter size $F$, padding $P = (F - 1)/2$ keeps the output size equal to "
                "the input size $W$; for an even $F$ no integer padding does.",
                symbols={"W": W, "F": F, "m": m, "P": P, "e": e},
                hypotheses=["W >= 1", "F >= 1"],
                assumptions=["$W$ and $F$ are integers; stride 1; no dilation",
                             "an odd $F$ is written $F = 2*m + 1$ with $m >= 0$, an even one $F = 2*e$ with $e >= 1$"],
                params=["F"], problem="Problems P1, P5, P7 (same padding)", checkers=checkers)
    pad = b.claim_or(claim, "(F - 1)/2")
    pad_odd = display_subs(pad, {F: b.ex("2*m + 1")})
    # what symcnn's output-size formula gives with that padding, for an odd filter
    out = window_out(W, 2 * m + 1, 1, pad_odd, 1, False, "floor")[0]
    whole = sp.floor(pad_odd, evaluate=False)
    b.state(whole, "=", pad_odd, "the padding is a whole number of pixels")
    shown_out = display_subs(b.ex("floor((W - (2*m + 1) + 2*P)/1) + 1"), {P: pad_odd})
    b.state(shown_out, "=", W, "the output keeps the size")
    short = sp.simplify(pad_odd)
    links = [("=", short, "simplify")] if short != pad_odd else []
    b.chain("For an odd $F = 2*m + 1$ the padding is a whole number of pixels (it equals its floor for every "
            "$m >= 0$):", whole, ("=", sp.floor(short, evaluate=False), "simplify inside"), ("=", pad_odd,
                                                                                          "an integer"))
    if links:
        b.chain("It reads", pad_odd, *links)
    b.chain("The output size $floor((W - F + 2*P)/S) + 1$ with $S = 1$, $F = 2*m + 1$ and that padding:",
            shown_out, ("=", W, "the division by 1 is exact"))
    b.compare("and symcnn's own output-size code, run with the same values, computes", out, shown_out,
              "symcnn's output-size code against the formula")
    if claim is None:
        b.state("(2*e - 1)/2", ">", "e - 1", "for an even filter the only padding that keeps the size ...")
        b.state("(2*e - 1)/2", "<", "e", "... lies strictly between two integers")
        b.chain("For an even $F = 2*e$, an output of size $W$ needs $W - F + 2*P + 1 = W$, that is $P = (F - 1)/2$, "
                "which lies strictly between two integers:", "(2*e - 1)/2", (">", "e - 1", "one half above"))
        b.chain("and below the next one:", "(2*e - 1)/2", ("<", "e", "one half below"))
    return b.done()
