"""Parameter and multiply-add ratios (problems P6(e) and P7, MobileNet)."""

from __future__ import annotations

import sympy as sp

from .. import expr as E
from .. import loads, table
from ..proof import Builder, display_subs
from . import register


@register("stacked-vs-single-params", "Parameters of a stack against one large filter",
          claim_help="the ratio (stack / single) as an expression in N and F")
def stacked_vs_single(claim: str | None = None):
    N, F, C = (E.size_symbol(c) for c in "NFC")
    b = Builder("stacked-vs-single-params", "Parameters of a stack against one large filter",
                "N stacked F x F convolutions with C channels in and out have N F^2 C^2 weights; one filter "
                "with the same receptive field, (NF - N + 1) x (NF - N + 1), has (NF - N + 1)^2 C^2. Their "
                "ratio is N F^2 / (NF - N + 1)^2, below 1 for N >= 2 and F >= 2.",
                ["N, F, C >= 1 integers; weights only (biases add N C against C)",
                 "the inequality needs N >= 2 and F >= 2"],
                symbols={"N": N, "F": F, "C": C}, shifts={N: 1, F: 1}, problem="Problem P6(e)")
    target = b.claim_or(claim, "N*F**2/(N*F - N + 1)**2")
    b.state("", "N*F**2*C**2/((N*F - N + 1)**2*C**2)", ("=", target, ""))
    one = loads("input C 32 32\nconv C k=F p=0 bias=false").derive().rows[0].weights
    K = N * F - N + 1
    big = table(loads("input C 512 512\nconv C k=K bias=false")).rows[0].weights.subs(
        E.size_symbol("K"), K)
    b.chain("Weights of one F x F convolution with C in and C out (symcnn's conv formula):", one,
            ("=", "F**2*C**2", "reorder"))
    b.chain("The stack and the single large filter:", sp.Mul(N, one, evaluate=False),
            ("=", "N*F**2*C**2", "N layers"))
    b.chain("", big, ("=", "(N*F - N + 1)**2*C**2", "kernel K = NF - N + 1"))
    b.chain("Their ratio:", "N*F**2*C**2/((N*F - N + 1)**2*C**2)", ("=", target, "cancel C^2"))
    if claim is None:
        b.chain("The ratio is below 1 exactly when the difference of the denominators is positive; with "
                "N = 2 + a, F = 2 + b (a, b >= 0) every term of that difference is positive:",
                "(N*F - N + 1)**2 - N*F**2", (">", 0, "N >= 2, F >= 2"), shifts={N: 2, F: 2})
        b.chain("so", target, ("<", 1, "N >= 2, F >= 2"), shifts={N: 2, F: 2})
        b.chain("At the edges: a single layer costs the same (N = 1),", display_subs(target, {N: 1}),
                ("=", 1, "N = 1"))
        b.chain("and a stack of 1 x 1 convolutions costs N times more (F = 1).", display_subs(target, {F: 1}),
                ("=", N, "F = 1"))
        b.chain("Three 3 x 3 layers against one 7 x 7 (N = 3, F = 3): 27 C^2 against 49 C^2,",
                "3*3**2*C**2", ("=", 27 * C ** 2, "arithmetic"))
        b.chain("", "(3*3 - 3 + 1)**2*C**2", ("=", 49 * C ** 2, "arithmetic"))
        b.chain("a ratio of", display_subs(target, {N: 3, F: 3}), ("=", sp.Rational(27, 49), "arithmetic"),
                ("<", 1, "27 < 49"))
    return b.done()


def _inception_specs():
    naive = ("input Cin H W\ninception: concat\n  conv c1 k=1\n  conv c3 k=3 p=1\n  conv c5 k=5 p=2\n"
             "  maxpool k=3 s=1 p=1\n")
    reduced = ("input Cin H W\ninception: concat\n  conv c1 k=1\n  branch:\n    conv r3 k=1\n    conv c3 k=3 p=1\n"
               "  branch:\n    conv r5 k=1\n    conv c5 k=5 p=2\n  branch:\n    maxpool k=3 s=1 p=1\n"
               "    conv pp k=1\n")
    return loads(naive).derive(), loads(reduced).derive()


@register("inception-cost", "Inception with dimension reduction against the naive module")
def inception_cost():
    naive, reduced = _inception_specs()
    syms = {s.name: s for s in naive.free_symbols | reduced.free_symbols}
    Cin, H, W, c1, c3, c5, r3, r5, pp = (syms[n] for n in ("Cin", "H", "W", "c1", "c3", "c5", "r3", "r5", "pp"))
    mn, mr = naive.totals["macs"], reduced.totals["macs"]
    ratio = sp.cancel(mr / mn)
    p7 = {Cin: 256, H: 32, W: 32, c1: 128, c3: 192, c5: 96, r3: 128, r5: 32, pp: 64}
    value = ratio.subs(p7)
    saving = (1 - value) * 100
    b = Builder("inception-cost", "Inception with dimension reduction against the naive module",
                "On an H x W x C_in input, the multiply-add cost of the Inception module with dimension "
                "reduction over the naive module is a rational function of the channel counts alone "
                f"(H W cancels); for problem P7 it is {value} (about {float(value):.4f}), a saving of about "
                f"{float(saving):.2f} percent, and the reduction pays exactly when the 1 x 1 widths satisfy the "
                "inequality below.",
                ["all sizes and channel counts are positive integers", "same padding, stride 1: every branch "
                 "keeps H x W", "MACs of convolutions only (pooling costs no multiply-adds); weights only"],
                symbols=dict(syms, reduced=sp.Symbol("MACs_reduced"), naive=sp.Symbol("MACs_naive")),
                problem="Problem P7(b), (c), (d)")
    b.state("", "reduced/naive",
            ("=", "(Cin*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)/(Cin*(c1 + 9*c3 + 25*c5))", ""))
    b.chain("Multiply-adds of the naive module, from symcnn's table of it (conv 1x1, 3x3, 5x5 on C_in):", mn,
            ("=", "H*W*Cin*(c1 + 9*c3 + 25*c5)", "factor"))
    b.chain("and of the module with reductions (1x1 reductions r3, r5 and pool projection pp):", mr,
            ("=", "H*W*(Cin*c1 + Cin*r3 + 9*r3*c3 + Cin*r5 + 25*r5*c5 + Cin*pp)", "factor"))
    b.chain("Their ratio; H W cancels:", mr / mn,
            ("=", "(Cin*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)/(Cin*(c1 + 9*c3 + 25*c5))", "cancel H W"))
    b.chain("Without biases the weights are the same sums without the factor H W (P7(c)):",
            naive.totals["weights"], ("=", "Cin*(c1 + 9*c3 + 25*c5)", "factor"))
    b.chain("", reduced.totals["weights"], ("=", "Cin*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5", "factor"))
    b.chain("so the parameter ratio is the cost ratio:", reduced.totals["weights"] / naive.totals["weights"],
            ("=", "(Cin*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)/(Cin*(c1 + 9*c3 + 25*c5))", "as above"))
    tn, tr = table("inception-naive"), table("inception-reduced")
    b.check(tr.totals["macs"] / tn.totals["macs"] == value, "zoo tables disagree with the symbolic ratio")
    b.chain("Problem P7 (C_in = 256 on 32 x 32; 128, 192, 96 and reductions 128, 32, pool projection 64):",
            "(256*(128 + 128 + 32 + 64) + 9*128*192 + 25*32*96)/(256*(128 + 9*192 + 25*96))",
            ("=", sp.Rational(388096, 1089536), "arithmetic: 388,096 / 1,089,536 MACs per position"),
            ("=", value, "lowest terms; the zoo tables' totals give the same"))
    b.chain("The saving in percent:", sp.Mul(sp.Add(1, -value, evaluate=False), 100, evaluate=False),
            ("=", saving, "arithmetic"), (">", int(saving), f"about {float(saving):.2f} percent"))
    cond = sp.expand(Cin * (c1 + 9 * c3 + 25 * c5) - (Cin * (c1 + r3 + r5 + pp) + 9 * r3 * c3 + 25 * r5 * c5))
    b.chain("Reduction pays (ratio < 1) exactly when naive - reduced > 0 (per position):",
            "Cin*(c1 + 9*c3 + 25*c5) - (Cin*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)",
            ("=", "Cin*(9*c3 + 25*c5) - r3*(Cin + 9*c3) - r5*(Cin + 25*c5) - Cin*pp", "collect"))
    bound3 = sp.solve(sp.Eq(Cin * r3 + 9 * r3 * c3, 9 * Cin * c3), r3)[0]
    b.chain("Branch by branch: the 3 x 3 reduction pays when C_in r3 + 9 r3 c3 < 9 C_in c3, that is when r3 is "
            "below (solved for r3 by sympy)", bound3, ("=", "9*Cin*c3/(Cin + 9*c3)", "solve"))
    bound5 = sp.solve(sp.Eq(Cin * r5 + 25 * r5 * c5, 25 * Cin * c5), r5)[0]
    b.chain("and the 5 x 5 one when r5 is below", bound5, ("=", "25*Cin*c5/(Cin + 25*c5)", "solve"))
    b.chain(f"For P7 these bounds are about {float(bound3.subs(p7)):.1f} and {float(bound5.subs(p7)):.1f}, "
            "above r3 = 128 and r5 = 32; all together (per position):",
            "256*(9*192 + 25*96) - 128*(256 + 9*192) - 32*(256 + 25*96) - 256*64",
            ("=", cond.subs(p7), "arithmetic"), (">", 0, "reduction pays"))
    return b.done()


@register("depthwise-separable-cost", "Depthwise separable against standard convolution (MobileNet)",
          claim_help="the cost ratio as an expression in N and D_K")
def depthwise_separable(claim: str | None = None):
    t_std = loads("input M D_F D_F\nconv N k=D_K p=(D_K - 1)/2 bias=false").derive()
    t_sep = loads("input M D_F D_F\ndw: conv M k=D_K p=(D_K - 1)/2 g=M bias=false\n"
                  "pw: conv N k=1 bias=false").derive()
    syms = {s.name: s for s in t_std.free_symbols | t_sep.free_symbols}
    N, DK = syms["N"], syms["D_K"]
    b = Builder("depthwise-separable-cost", "Depthwise separable against standard convolution (MobileNet)",
                "A depthwise separable convolution (D_K x D_K depthwise on M channels, then 1 x 1 to N) costs "
                "1/N + 1/D_K^2 of a standard D_K x D_K convolution from M to N channels (Howard et al. 2017).",
                ["M, N, D_K, D_F >= 1 integers; stride 1 and same padding, so the output is D_F x D_F",
                 "multiply-adds of the convolutions"], symbols=syms)
    target = b.claim_or(claim, "1/N + 1/D_K**2")
    b.state("", "(D_F**2*M*D_K**2 + D_F**2*M*N)/(D_F**2*M*N*D_K**2)", ("=", target, ""))
    std, dw, pw = t_std.totals["macs"], t_sep.rows[0].macs, t_sep.rows[1].macs
    b.chain("symcnn's conv formula: the standard convolution,", std, ("=", "D_F**2*M*N*D_K**2", "reorder"))
    b.chain("the depthwise one (groups = M),", dw, ("=", "D_F**2*M*D_K**2", "reorder"))
    b.chain("and the pointwise one:", pw, ("=", "D_F**2*M*N", "reorder"))
    b.chain("The ratio:", (dw + pw) / std, ("=", "(D_F**2*M*D_K**2 + D_F**2*M*N)/(D_F**2*M*N*D_K**2)", "as above"),
            ("=", target, "divide through"))
    if claim is None:
        mobilenet = sp.Rational(1, 1024) + sp.Rational(1, 9)
        b.chain("MobileNet's 3 x 3 layers with N = 1024 output channels:", display_subs(target, {N: 1024, DK: 3}),
                ("=", mobilenet, "arithmetic"),
                ("<", sp.Rational(1, 8), f"{float(1 / mobilenet):.2f} times fewer multiply-adds"))
    return b.done()
