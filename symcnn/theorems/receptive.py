"""Receptive fields and output lengths of stacks (problem P6).

The recurrences are not typed in here: each is admitted as a definition
only after sympy confirms it equals what symcnn's own receptive-field step
(:meth:`symcnn.derive.Field.step`) or output-size formula
(:func:`symcnn.layers.base.window_out`) computes, so the proofs are about the
formulas every table uses.
"""

from __future__ import annotations

import sympy as sp

from .. import expr as E
from ..derive import INPUT_FIELD, Field
from ..layers.base import Window, window_out
from ..proof import Builder, display_subs
from . import register

ZERO = sp.Integer(0)
ONE = sp.Integer(1)


def _step(r, j, c, k, s, p):
    """symcnn's receptive-field step along one axis: (r, j, start) after a window."""
    f = Field(r, r, j, j, c, c).step(Window(k, k, s, s, p, p))
    return f.rh, f.jh, f.starth


def _family(e, values):
    """Put a value in for every member of indexed families (k_l -> F for all l), bound indices included."""
    return e.replace(lambda x: isinstance(x, sp.Indexed) and x.base in values, lambda x: values[x.base])


def _target(b: Builder, claim: str | None, default: str):
    return b.claim_or(claim, default), claim is not None


@register("receptive-field", "Receptive field of N stacked F x F convolutions",
          claim_help="the receptive field r_N as an expression in N and F")
def receptive_field(claim: str | None = None):
    N, F = E.size_symbol("N"), E.size_symbol("F")
    n = sp.Symbol("n", integer=True, nonnegative=True)
    r, j = sp.IndexedBase("r"), sp.IndexedBase("j")
    b = Builder("receptive-field", "Receptive field of N stacked F x F convolutions",
                "For all integers N >= 1 and F >= 1, N stacked F x F convolutions with stride 1 have the "
                "receptive field of one (NF - N + 1) x (NF - N + 1) convolution.",
                ["N >= 1 and F >= 1 are integers", "every layer has stride 1, no padding effect on the field, "
                 "no dilation", "r_n and j_n are the receptive field and the jump after n layers"],
                symbols={"N": N, "F": F, "n": n, "r": r, "j": j}, shifts={N: 1, F: 1},
                problem="Problem P6(a) and (c)")
    target, user = _target(b, claim, "N*F - N + 1")
    b.state("", r[N], ("=", target, ""))
    b.define("r_0", "Before any layer, the field is one input pixel:", lambda q: r[0], lambda q: 1,
             lambda q: INPUT_FIELD.rh, index=0)
    b.define("j_0", "", lambda q: j[0], lambda q: 1, lambda q: INPUT_FIELD.jh, index=0)
    b.define("recurrence for r", "symcnn's receptive-field step for a window of size F, stride 1 "
             "(r grows by (k - 1) j):", lambda q: f"r[{q} + 1]", lambda q: f"r[{q}] + (F - 1)*j[{q}]",
             lambda q: _step(r[q], j[q], ZERO, F, ONE, ZERO)[0])
    b.define("recurrence for j", "and the jump is multiplied by the stride, 1:", lambda q: f"j[{q} + 1]",
             lambda q: f"j[{q}]*1", lambda q: _step(r[q], j[q], ZERO, F, ONE, ZERO)[1])
    b.induction(n, 0, lambda m: j[m], lambda m: ONE, name="the lemma j_n = 1", fact="lemma",
                base=[("=", 1, "one input pixel", ("def", "j_0", 0))],
                step=[("=", "j[n]*1", "recurrence for j", ("def", "recurrence for j", n)),
                      ("=", 1, "induction hypothesis", "hyp")])
    rhs = lambda m: display_subs(target, {N: m})  # noqa: E731
    b.induction(n, 1, lambda m: r[m], rhs, name=f"the claim r_N = {b.show(target)}", fact="claim",
                base=[("=", "r[0] + (F - 1)*j[0]", "recurrence for r", ("def", "recurrence for r", 0)),
                      ("=", sp.Add(1, sp.Mul(sp.Add(F, -1, evaluate=False), 1, evaluate=False), evaluate=False),
                       "r_0 = j_0 = 1", ("def", "r_0", 0), ("def", "j_0", 0)),
                      ("=", F, "simplify")],
                step=[("=", "r[n] + (F - 1)*j[n]", "recurrence for r", ("def", "recurrence for r", n)),
                      ("=", sp.Add(r[n], sp.Add(F, -1, evaluate=False), evaluate=False), "lemma: j_n = 1",
                       ("fact", "lemma", n)),
                      ("=", sp.Add(rhs(n), sp.Add(F, -1, evaluate=False), evaluate=False), "induction hypothesis",
                       "hyp"),
                      ("=", rhs(sp.Add(n, 1, evaluate=False)), "simplify")])
    # cross-check, independent of the induction: telescope the recurrence and let sympy sum it
    telescoped = sp.summation(F - 1, (n, 1, N - 1)) + F  # r_N = r_1 + sum of (r_{n+1} - r_n)
    b.check(sp.expand(telescoped - target) == 0, f"summing the recurrence gives r_N = {telescoped}, not the claim")
    b.chain("Cross-check by telescoping: r_N = r_1 + sum over n = 1..N-1 of (r_{n+1} - r_n), each difference "
            "being F - 1; sympy sums it:", sp.Add(F, sp.Sum(F - 1, (n, 1, N - 1)), evaluate=False),
            ("=", target, "summation"))
    K = b.names["K"] = sp.Symbol("K", integer=True, positive=True)
    single = _step(ONE, ONE, ZERO, K, ONE, ZERO)[0]
    b.chain("One K x K convolution with stride 1, by the same step from the input pixel, sees K pixels:",
            "1 + (K - 1)*1", ("=", single, "receptive-field step with k = K"))
    if not user:
        b.chain("So the stack sees as far as a single K x K filter with K = NF - N + 1:",
                r[N], ("=", target, "the claim, proved above", ("fact", "claim", N)),
                ("=", "N*(F - 1) + 1", "factor"))
        from .. import loads

        t = loads("input 1 64 64\n" + "conv 1 k=5\n" * 3).derive()
        b.check(t.rows[-1].rf == (13, 13), "symcnn's table of three 5x5 convolutions disagrees")
        b.chain("Problem P6(c): three stacked 5 x 5 convolutions (N = 3, F = 5); symcnn's table of that stack "
                "shows the same receptive field:", "3*5 - 3 + 1", ("=", 13, "arithmetic; the table's RF column"))
    return b.done()


@register("output-length", "Output length after N stacked F-wide windows without padding",
          claim_help="the output length as an expression in L, N and F")
def output_length(claim: str | None = None):
    L, N, F = E.size_symbol("L"), E.size_symbol("N"), E.size_symbol("F")
    n = sp.Symbol("n", integer=True, nonnegative=True)
    W = sp.IndexedBase("W", integer=True)
    b = Builder("output-length", "Output length after N stacked F-wide windows without padding",
                "With no padding and stride 1, N stacked windows of width F turn an input of length L into "
                "L - NF + N, the same as one window of width NF - N + 1.",
                ["N >= 1, F >= 1 and L are integers with L >= NF - N + 1 (every window fits)",
                 "stride 1, padding 0, no dilation", "W_n is the length after n layers"],
                symbols={"L": L, "N": N, "F": F, "n": n, "W": W}, shifts={N: 1, F: 1},
                problem="Problem P6(b)")
    target, user = _target(b, claim, "L - N*F + N")
    b.state("", W[N], ("=", target, ""))
    b.define("W_0", "The input has length L:", lambda q: W[0], lambda q: L, lambda q: L, index=0)
    b.define("output size", "symcnn's output size floor((W - F + 2P)/S) + 1 with S = 1, P = 0 (a division by 1 "
             "is exact, so the floor drops):", lambda q: f"W[{q} + 1]", lambda q: f"W[{q}] - F + 1",
             lambda q: window_out(W[q], F, 1, 0, 1, False, "floor")[0])
    rhs = lambda m: display_subs(target, {N: m})  # noqa: E731
    b.induction(n, 0, lambda m: W[m], rhs, name=f"the claim W_N = {b.show(target)}", fact="claim",
                base=[("=", L, "the input", ("def", "W_0", 0))],
                step=[("=", "W[n] - F + 1", "output size", ("def", "output size", n)),
                      ("=", sp.Add(rhs(n), -F, 1, evaluate=False), "induction hypothesis", "hyp"),
                      ("=", rhs(sp.Add(n, 1, evaluate=False)), "simplify")])
    if not user:
        b.chain("Every window fits: the input of the last layer, W_{N-1}, is at least F:",
                sp.Add(rhs(sp.Add(N, -1, evaluate=False)), -F, evaluate=False),
                (">=", 0, "L >= NF - N + 1"), shifts={L: N * F - N + 1})
        single = window_out(L, N * F - N + 1, 1, 0, 1, False, "floor")[0]
        b.chain("One window of width K = NF - N + 1 gives the same length (symcnn's output size):",
                "floor((L - (N*F - N + 1) + 2*0)/1) + 1", ("=", single, "output size with F = K"),
                ("=", target, "simplify"))
    return b.done()


@register("receptive-field-strided", "Receptive field, jump and start of a general stack")
def receptive_field_strided():
    L = E.size_symbol("L")
    l, i = sp.Symbol("l", integer=True, positive=True), sp.Symbol("i", integer=True, positive=True)
    m = sp.Symbol("m", integer=True, positive=True)
    k, s, p, d = (sp.IndexedBase(c) for c in "kspd")
    r, j, c = sp.IndexedBase("r"), sp.IndexedBase("j"), sp.IndexedBase("c")
    b = Builder("receptive-field-strided", "Receptive field, jump and start of a general stack",
                "For layers l = 1..L with kernels k_l, strides s_l, paddings p_l and dilations d_l, the jump, "
                "receptive field and start of layer L are sums over the layers of products of the earlier "
                "strides.",
                ["L >= 1; k_l, s_l, d_l >= 1 and p_l >= 0 are integers",
                 "c_l is the input coordinate of the centre of the first output's field (pixel centres at 0, 1, "
                 "...)", "dilation enters only through the effective kernel d_l (k_l - 1) + 1"],
                symbols={"L": L, "m": m, "r": r, "j": j, "c": c, "k": k, "s": s, "p": p, "d": d},
                problem="Problem P6(d)")
    b.display_index = m
    with sp.evaluate(False):  # display forms in textbook order; every check re-evaluates them
        term_r = d[l] * (k[l] - 1) * sp.Product(s[i], (i, 1, l - 1))
        term_c = (d[l] * (k[l] - 1) / 2 - p[l]) * sp.Product(s[i], (i, 1, l - 1))
        m1 = m + 1
    J = lambda q: sp.Product(s[i], (i, 1, q))  # noqa: E731
    R = lambda q: sp.Add(1, sp.Sum(term_r, (l, 1, q)), evaluate=False)  # noqa: E731
    Cc = lambda q: sp.Sum(term_c, (l, 1, q))  # noqa: E731
    keff = lambda q: d[q] * (k[q] - 1) + 1  # noqa: E731
    b.state("jump", j[L], ("=", J(L), ""))
    b.state("receptive field", r[L], ("=", R(L), ""))
    b.state("start", c[L], ("=", Cc(L), ""))
    for name, base, val, lib in (("r_0", r, 1, INPUT_FIELD.rh), ("j_0", j, 1, INPUT_FIELD.jh),
                                 ("c_0", c, 0, INPUT_FIELD.starth)):
        b.define(name, "One input pixel centred at 0:" if name == "r_0" else "", lambda q, base=base: base[0],
                 lambda q, val=val: val, lambda q, lib=lib: lib, index=0)
    step = lambda q: _step(r[q], j[q], c[q], keff(q + 1), s[q + 1], p[q + 1])  # noqa: E731
    b.define("recurrence for j", "symcnn's receptive-field step for layer m + 1 (effective kernel "
             "kappa = d (k - 1) + 1):", lambda q: f"j[{q} + 1]", lambda q: f"j[{q}]*s[{q} + 1]",
             lambda q: step(q)[1])
    b.define("recurrence for r", "", lambda q: f"r[{q} + 1]",
             lambda q: f"r[{q}] + d[{q} + 1]*(k[{q} + 1] - 1)*j[{q}]", lambda q: step(q)[0])
    b.define("recurrence for c", "", lambda q: f"c[{q} + 1]",
             lambda q: f"c[{q}] + (d[{q} + 1]*(k[{q} + 1] - 1)/2 - p[{q} + 1])*j[{q}]", lambda q: step(q)[2])
    with sp.evaluate(False):
        jump_step = [("=", j[m] * s[m1], "recurrence for j", ("def", "recurrence for j", m)),
                     ("=", J(m) * s[m1], "induction hypothesis", "hyp"),
                     ("=", J(m) * sp.Product(s[i], (i, m1, m1)), "the new factor as a one-factor product"),
                     ("=", J(m1), "join the products")]
        r_base = [("=", r[0] + d[1] * (k[1] - 1) * j[0], "recurrence for r", ("def", "recurrence for r", 0)),
                  ("=", 1 + d[1] * (k[1] - 1), "r_0 = j_0 = 1", ("def", "r_0", 0), ("def", "j_0", 0)),
                  ("=", R(1), "a sum of one term (the empty product is 1)")]
        r_step = [("=", r[m] + d[m1] * (k[m1] - 1) * j[m], "recurrence for r", ("def", "recurrence for r", m)),
                  ("=", R(m) + d[m1] * (k[m1] - 1) * J(m), "induction hypothesis and the jump", "hyp",
                   ("fact", "jump", m)),
                  ("=", R(m) + sp.Sum(term_r, (l, m1, m1)), "the new term as a one-term sum"),
                  ("=", R(m1), "join the sums")]
        c_base = [("=", c[0] + (d[1] * (k[1] - 1) / 2 - p[1]) * j[0], "recurrence for c",
                   ("def", "recurrence for c", 0)),
                  ("=", d[1] * (k[1] - 1) / 2 - p[1], "c_0 = 0, j_0 = 1", ("def", "c_0", 0), ("def", "j_0", 0)),
                  ("=", Cc(1), "a sum of one term")]
        c_step = [("=", c[m] + (d[m1] * (k[m1] - 1) / 2 - p[m1]) * j[m], "recurrence for c",
                   ("def", "recurrence for c", m)),
                  ("=", Cc(m) + (d[m1] * (k[m1] - 1) / 2 - p[m1]) * J(m), "induction hypothesis and the jump",
                   "hyp", ("fact", "jump", m)),
                  ("=", Cc(m) + sp.Sum(term_c, (l, m1, m1)), "the new term as a one-term sum"),
                  ("=", Cc(m1), "join the sums")]
    b.induction(m, 1, lambda q: j[q], J, name="the jump j_L = product of the strides", fact="jump",
                base=[("=", j[0] * s[1], "recurrence for j", ("def", "recurrence for j", 0)),
                      ("=", s[1], "j_0 = 1", ("def", "j_0", 0)), ("=", J(1), "a product of one factor")],
                step=jump_step)
    b.induction(m, 1, lambda q: r[q], R, name="the receptive field r_L", fact="field", base=r_base, step=r_step)
    b.induction(m, 1, lambda q: c[q], Cc, name="the start c_L", fact="start", base=c_base, step=c_step)
    F, N = b.names["F"], b.names["N"] = E.size_symbol("F"), E.size_symbol("N")
    b.chain("With every k_l = F, d_l = 1 and s_l = 1 this is the stride-1 theorem (receptive-field):",
            _family(R(N), {k: F, d: 1, s: 1}), ("=", "N*F - N + 1", "evaluate the sum"))
    from .. import table

    t = table("vgg16")
    layers = [row for row in t.rows if row.kind in ("conv", "maxpool")]
    values = {}
    for idx, row in enumerate(layers, start=1):
        w = row.derivation.window
        values.update({k[idx]: w.kh, s[idx]: w.sh, d[idx]: 1})
    closed = R(sp.Integer(len(layers))).doit().subs(values)
    b.check(closed == layers[-1].rf[0], f"the closed form gives {closed} for VGG-16, the table {layers[-1].rf[0]}")
    terms, jump = [sp.Integer(1)], sp.Integer(1)
    for row in layers:
        w = row.derivation.window
        terms.append(sp.Mul(w.kh - 1, jump, evaluate=False))
        jump *= w.sh
    b.chain(f"Check on VGG-16's {len(layers)} convolutions and pools (k = 3, s = 1 and k = 2, s = 2): the closed "
            "form, term by term, gives the receptive field that symcnn's table shows after the last pool:",
            sp.Add(*terms, evaluate=False), ("=", closed, "arithmetic; the table's RF column agrees"))
    return b.done()


@register("dilated-receptive-field", "Exponentially dilated 3 x 3 stacks",
          claim_help="the receptive field r_L as an expression in L")
def dilated_receptive_field(claim: str | None = None):
    L = E.size_symbol("L")
    l = sp.Symbol("l", integer=True, positive=True)
    r = sp.IndexedBase("r")
    b = Builder("dilated-receptive-field", "Exponentially dilated 3 x 3 stacks",
                "L stacked 3 x 3 convolutions with stride 1 and dilations 1, 2, 4, ..., 2^(L-1) (Yu & Koltun "
                "2016) have receptive field 2^(L+1) - 1: exponential in depth with linearly many parameters.",
                ["L >= 1 an integer", "layer l has kernel 3, stride 1 and dilation 2^(l-1)"],
                symbols={"L": L, "r": r})
    target, _ = _target(b, claim, "2**(L + 1) - 1")
    b.state("", r[L], ("=", target, ""))
    terms = sp.Sum(2 ** (l - 1) * (3 - 1), (l, 1, L))
    b.chain("By receptive-field-strided with every stride 1 (every product of strides is 1), "
            "r_L = 1 + sum of d_l (k_l - 1):",
            sp.Add(1, terms, evaluate=False),
            ("=", sp.Add(1, sp.Mul(2, sp.Add(2 ** L, -1, evaluate=False), evaluate=False), evaluate=False),
             "geometric series"),
            ("=", target, "simplify"))
    return b.done()
