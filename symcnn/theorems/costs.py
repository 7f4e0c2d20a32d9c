"""Parameter and multiply-add ratios (problems P6(e) and P7, MobileNet).

Every count a proof starts from is admitted as a definition only after the
checkers confirm it equals what symcnn's own table of that layer or module
computes (``symcnn.loads(...).derive()``): the proofs are about the formulas
the tables use."""

from __future__ import annotations

import sympy as sp

from .. import expr as E
from ..proof import CHECKERS, Builder, display_subs
from ..proof.library import Call
from ..sources import loads, table
from .registry import register


def _name(b: Builder, name: str) -> sp.Symbol:
    s = b.names[name] = sp.Symbol(name, positive=True)
    return s


@register("stacked-vs-single-params", "Parameters of a stack against one large filter",
          claim_help="the ratio (stack / single) as an expression in N and F")
def stacked_vs_single(claim: str | None = None, checkers=CHECKERS):
    N, F, C = (E.size_symbol(c) for c in "NFC")
    b = Builder("stacked-vs-single-params", "Parameters of a stack against one large filter",
                "$N$ stacked $F$ x $F$ convolutions with $C$ channels in and out have $N*F**2*C**2$ weights; one "
                "filter with the same receptive field, $K$ x $K$ with $K = N*F - N + 1$, has $K**2*C**2$. Their "
                "ratio is $N*F**2/(N*F - N + 1)**2$, below 1 for $N >= 2$ and $F >= 2$.",
                symbols={"N": N, "F": F, "C": C}, hypotheses=["N >= 1", "F >= 1", "C >= 1"],
                assumptions=["$N$, $F$, $C$ are integers; weights only (biases add $N*C$ against $C$)"],
                params=["N", "F"], problem="Problem P6(e)", checkers=checkers)
    target = b.claim_or(claim, "N*F**2/(N*F - N + 1)**2")
    stack, single = _name(b, "W_stack"), _name(b, "W_single")
    b.state(stack / single, "=", target)
    stack_spec = "input C 32 32\nrepeat N:\n    conv C k=F p=0 bias=false"
    big = Call("table", ("input C 512 512\nconv C k=K bias=false", "rows.0.weights",
                         ((E.size_symbol("K"), N * F - N + 1),)))
    b.define("W_stack", "The stack's weights: $N$ layers of symcnn's conv formula with $C$ in, $C$ out and an "
             "$F$ x $F$ kernel:", lambda q: stack, lambda q: "N*F**2*C**2",
             lambda q: Call("table", (stack_spec, "totals.weights")),
             index=0)
    b.define("W_single", "and the single filter's, kernel $K = N*F - N + 1$:", lambda q: single,
             lambda q: "(N*F - N + 1)**2*C**2", lambda q: big, index=0)
    b.chain("Their ratio:", stack / single,
            ("=", "N*F**2*C**2/((N*F - N + 1)**2*C**2)", "the two counts", ("def", "W_stack", 0),
             ("def", "W_single", 0)),
            ("=", target, "cancel $C**2$"))
    if claim is None:
        b.state(target, "<", 1, assume=["N >= 2", "F >= 2"])
        b.chain("The ratio is below 1 exactly when the difference of the denominators is positive; with "
                "$N = 2 + a$, $F = 2 + b$ ($a >= 0$, $b >= 0$) every term of that difference is positive:",
                "(N*F - N + 1)**2 - N*F**2", (">", 0, "$N >= 2$, $F >= 2$"), assume=["N >= 2", "F >= 2"])
        b.chain("so", target, ("<", 1, "$N >= 2$, $F >= 2$"), assume=["N >= 2", "F >= 2"])
        b.chain("At the edges: a single layer costs the same ($N = 1$),", display_subs(target, {N: 1}),
                ("=", 1, "$N = 1$"))
        b.chain("and a stack of 1 x 1 convolutions costs $N$ times more ($F = 1$).", display_subs(target, {F: 1}),
                ("=", N, "$F = 1$"))
        b.chain("Three 3 x 3 layers against one 7 x 7 ($N = 3$, $F = 3$):", display_subs(target, {N: 3, F: 3}),
                ("=", sp.Rational(27, 49), "arithmetic: $27*C**2$ against $49*C**2$"), ("<", 1, "$27 < 49$"))
    return b.done()


def _inception_specs():
    naive = ("input C_in H W\ninception: concat\n  conv c1 k=1\n  conv c3 k=3 p=1\n  conv c5 k=5 p=2\n"
             "  maxpool k=3 s=1 p=1\n")
    reduced = ("input C_in H W\ninception: concat\n  conv c1 k=1\n  branch:\n    conv r3 k=1\n    conv c3 k=3 p=1\n"
               "  branch:\n    conv r5 k=1\n    conv c5 k=5 p=2\n  branch:\n    maxpool k=3 s=1 p=1\n"
               "    conv pp k=1\n")
    return naive, reduced


RATIO = "(C_in*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)/(C_in*(c1 + 9*c3 + 25*c5))"


def _when_reduction_pays(b: Builder, syms: dict, p7: dict) -> None:
    """Naive minus reduced, collected per branch; the widths below which each 1 x 1 reduction
    pays (solved by sympy); and P7's numbers."""
    Cin, r3, r5, c3, c5 = (syms[n] for n in ("C_in", "r3", "r5", "c3", "c5"))
    gap = "C_in*(c1 + 9*c3 + 25*c5) - (C_in*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)"
    b.chain("Reduction pays (ratio below 1) exactly when naive minus reduced is positive (per position):", gap,
            ("=", "C_in*(9*c3 + 25*c5) - r3*(C_in + 9*c3) - r5*(C_in + 25*c5) - C_in*pp", "collect"))
    bound3 = sp.solve(sp.Eq(Cin * r3 + 9 * r3 * c3, 9 * Cin * c3), r3)[0]
    b.compare("Branch by branch: the 3 x 3 reduction pays when $C_in*r3 + 9*r3*c3 < 9*C_in*c3$, that is when $r3$ "
              "is below (solved for $r3$ by sympy)", bound3, "9*C_in*c3/(C_in + 9*c3)", "sympy's solve",
              shown="9*C_in*c3/(C_in + 9*c3)*1")
    bound5 = sp.solve(sp.Eq(Cin * r5 + 25 * r5 * c5, 25 * Cin * c5), r5)[0]
    b.compare("and the 5 x 5 one when $r5$ is below", bound5, "25*C_in*c5/(C_in + 25*c5)", "sympy's solve",
              shown="25*C_in*c5/(C_in + 25*c5)*1")
    at = display_subs(b.ex("C_in*(9*c3 + 25*c5) - r3*(C_in + 9*c3) - r5*(C_in + 25*c5) - C_in*pp"), p7)
    b.chain(f"For P7 these bounds are about {float(bound3.subs(p7)):.1f} and {float(bound5.subs(p7)):.1f}, above "
            "$r3 = 128$ and $r5 = 32$; all together (per position):", at,
            ("=", b.ex(gap).subs(p7), "arithmetic"), (">", 0, "reduction pays"))


@register("inception-cost", "Inception with dimension reduction against the naive module",
          claim_help="the cost ratio (reduced / naive) as an expression in C_in, c1, c3, c5, r3, r5, pp")
def inception_cost(claim: str | None = None, checkers=CHECKERS):
    naive_spec, reduced_spec = _inception_specs()
    naive, reduced = loads(naive_spec).derive(), loads(reduced_spec).derive()
    syms = {s.name: s for s in naive.free_symbols | reduced.free_symbols}
    Cin, H, W, c1, c3, c5, r3, r5, pp = (syms[n] for n in ("C_in", "H", "W", "c1", "c3", "c5", "r3", "r5", "pp"))
    p7 = {Cin: 256, H: 32, W: 32, c1: 128, c3: 192, c5: 96, r3: 128, r5: 32, pp: 64}
    value = sp.cancel(reduced.totals["macs"] / naive.totals["macs"]).subs(p7)
    saving = (1 - value) * 100
    b = Builder("inception-cost", "Inception with dimension reduction against the naive module",
                "On an $H$ x $W$ x $C_in$ input, the multiply-add cost of the Inception module with dimension "
                "reduction over the naive module is a rational function of the channel counts alone ($H*W$ "
                f"cancels); for problem P7 it is ${value}$ (about {float(value):.4f}), a saving of about "
                f"{float(saving):.2f} percent, and the reduction pays exactly when the 1 x 1 widths satisfy the "
                "inequality below.",
                symbols=dict(syms), hypotheses=[f"{n} >= 1" for n in ("C_in", "H", "W", "c1", "c3", "c5", "r3",
                                                                       "r5", "pp")],
                assumptions=["all sizes and channel counts are integers", "same padding, stride 1: every branch "
                             "keeps $H$ x $W$", "multiply-adds of the convolutions only (pooling costs no "
                             "multiply-adds); weights without biases"],
                params=["C_in", "c1", "c3", "c5", "r3", "r5", "pp"], problem="Problem P7(b), (c), (d)",
                checkers=checkers)
    target = b.claim_or(claim, RATIO)
    mn, mr = _name(b, "MACs_naive"), _name(b, "MACs_reduced")
    wn, wr = _name(b, "W_naive"), _name(b, "W_reduced")
    b.state(mr / mn, "=", target)
    b.define("MACs_naive", "Multiply-adds of the naive module, from symcnn's table of it (1 x 1, 3 x 3 and 5 x 5 "
             "convolutions on $C_in$ channels):", lambda q: mn, lambda q: "H*W*C_in*(c1 + 9*c3 + 25*c5)",
             lambda q: Call("table", (naive_spec, "totals.macs")), index=0)
    b.define("MACs_reduced", "and of the module with reductions (1 x 1 reductions $r3$, $r5$ and pool projection "
             "$pp$):", lambda q: mr, lambda q: "H*W*(C_in*c1 + C_in*r3 + 9*r3*c3 + C_in*r5 + 25*r5*c5 + C_in*pp)",
             lambda q: Call("table", (reduced_spec, "totals.macs")), index=0)
    b.chain("Their ratio; $H*W$ cancels:", mr / mn,
            ("=", "H*W*(C_in*c1 + C_in*r3 + 9*r3*c3 + C_in*r5 + 25*r5*c5 + C_in*pp)/(H*W*C_in*(c1 + 9*c3 + 25*c5))",
             "the two counts", ("def", "MACs_naive", 0), ("def", "MACs_reduced", 0)),
            ("=", target, "cancel H W"))
    if claim is not None:
        return b.done()
    b.state(wr / wn, "=", RATIO)
    b.define("W_naive", "Without biases the weights are the same sums without the factor $H*W$ (P7(c)):",
             lambda q: wn, lambda q: "C_in*(c1 + 9*c3 + 25*c5)",
             lambda q: Call("table", (naive_spec, "totals.weights")), index=0)
    b.define("W_reduced", "and with the reductions:",
             lambda q: wr, lambda q: "C_in*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5",
             lambda q: Call("table", (reduced_spec, "totals.weights")), index=0)
    b.chain("so the parameter ratio is the cost ratio:", wr / wn,
            ("=", "(C_in*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)/(C_in*(c1 + 9*c3 + 25*c5))", "the two counts",
             ("def", "W_naive", 0), ("def", "W_reduced", 0)))
    shown = display_subs(b.ex(RATIO), p7)
    b.state(shown, "=", value)
    b.chain("Problem P7 ($C_in = 256$ on 32 x 32; 128, 192, 96 and reductions 128, 32, pool projection 64):",
            shown, ("=", sp.Mul(388096, sp.Pow(1089536, -1, evaluate=False), evaluate=False),
                    "arithmetic: 388,096 / 1,089,536 MACs per position"),
            ("=", value, "lowest terms"))
    tn, tr = table("inception-naive"), table("inception-reduced")
    b.compare("The zoo's tables of the two P7 modules give the same ratio of their totals:",
              sp.Rational(tr.totals["macs"], tn.totals["macs"]), value, "the zoo tables' MACs",
              shown=sp.Mul(tr.totals["macs"], sp.Pow(tn.totals["macs"], -1, evaluate=False), evaluate=False))
    b.state(sp.Mul(sp.Add(1, -value, evaluate=False), 100, evaluate=False), ">", int(saving))
    b.chain("The saving in percent:", sp.Mul(sp.Add(1, -value, evaluate=False), 100, evaluate=False),
            ("=", saving, "arithmetic"), (">", int(saving), f"about {float(saving):.2f} percent"))
    _when_reduction_pays(b, syms, p7)
    return b.done()


@register("depthwise-separable-cost", "Depthwise separable against standard convolution (MobileNet)",
          claim_help="the cost ratio as an expression in N and D_K")
def depthwise_separable(claim: str | None = None, checkers=CHECKERS):
    std_spec = "input M D_F D_F\nconv N k=D_K p=(D_K - 1)/2 bias=false"
    sep_spec = "input M D_F D_F\ndw: conv M k=D_K p=(D_K - 1)/2 g=M bias=false\npw: conv N k=1 bias=false"
    t_std, t_sep = loads(std_spec).derive(), loads(sep_spec).derive()
    syms = {s.name: s for s in t_std.free_symbols | t_sep.free_symbols}
    N, DK = syms["N"], syms["D_K"]
    b = Builder("depthwise-separable-cost", "Depthwise separable against standard convolution (MobileNet)",
                "A depthwise separable convolution ($D_K$ x $D_K$ depthwise on $M$ channels, then 1 x 1 to $N$) "
                "costs $1/N + 1/D_K**2$ of a standard $D_K$ x $D_K$ convolution from $M$ to $N$ channels (Howard "
                "et al. 2017).", symbols=syms,
                hypotheses=["M >= 1", "N >= 1", "D_K >= 1", "D_F >= 1"],
                assumptions=["$M$, $N$, $D_K$, $D_F$ are integers; stride 1 and same padding, so the output is "
                             "$D_F$ x $D_F$", "multiply-adds of the convolutions"],
                params=["N", "D_K"], checkers=checkers)
    target = b.claim_or(claim, "1/N + 1/D_K**2")
    std, dw, pw = _name(b, "MACs_std"), _name(b, "MACs_dw"), _name(b, "MACs_pw")
    b.state((dw + pw) / std, "=", target)
    b.define("MACs_std", "symcnn's conv formula: the standard convolution,", lambda q: std,
             lambda q: "D_F**2*M*N*D_K**2", lambda q: Call("table", (std_spec, "totals.macs")), index=0)
    b.define("MACs_dw", "the depthwise one (with $M$ groups),", lambda q: dw, lambda q: "D_F**2*M*D_K**2",
             lambda q: Call("table", (sep_spec, "rows.0.macs")), index=0)
    b.define("MACs_pw", "and the pointwise one:", lambda q: pw, lambda q: "D_F**2*M*N",
             lambda q: Call("table", (sep_spec, "rows.1.macs")), index=0)
    b.chain("The ratio:", (dw + pw) / std,
            ("=", "(D_F**2*M*D_K**2 + D_F**2*M*N)/(D_F**2*M*N*D_K**2)", "the three counts", ("def", "MACs_std", 0),
             ("def", "MACs_dw", 0), ("def", "MACs_pw", 0)),
            ("=", target, "divide through"))
    if claim is None:
        mobilenet = sp.Rational(1, 1024) + sp.Rational(1, 9)
        b.chain("MobileNet's 3 x 3 layers with $N = 1024$ output channels:", display_subs(target, {N: 1024, DK: 3}),
                ("=", mobilenet, "arithmetic"),
                ("<", sp.Rational(1, 8), f"{float(1 / mobilenet):.2f} times fewer multiply-adds"))
    return b.done()
