"""Receptive fields and output lengths of stacks (problem P6).

The recurrences are not typed in here: each is admitted as a definition
only after both checkers confirm it equals what symcnn's own receptive-field
step (:meth:`symcnn.derive.Field.step`) or output-size formula
(:func:`symcnn.layers.base.window_out`) computes, so the proofs are about the
formulas every table uses.
"""

from __future__ import annotations

import sympy as sp

from .. import expr as E
from ..derive import Field
from ..errors import SymcnnError
from ..layers.base import Window
from ..layers.common.window import window_out
from ..proof import CHECKERS, Builder, display_subs
from ..proof.library import Call
from .registry import register

ZERO = sp.Integer(0)
ONE = sp.Integer(1)


def _step(r, j, c, k, s, p):
    """symcnn's receptive-field step along one axis: (r, j, start) after a window."""
    f = Field(r, r, j, j, c, c).step(Window(k, k, s, s, p, p))
    return f.rh, f.jh, f.starth


def _family(e, values):
    """Put a value in for every member of indexed families (k_l -> F for all l), bound indices included."""
    return e.replace(lambda x: isinstance(x, sp.Indexed) and x.base in values, lambda x: values[x.base])


@register("receptive-field", "Receptive field of N stacked F x F convolutions",
          claim_help="the receptive field r_N as an expression in N and F")
def receptive_field(claim: str | None = None, checkers=CHECKERS):
    N, F = E.size_symbol("N"), E.size_symbol("F")
    n = sp.Symbol("n", integer=True, nonnegative=True)
    r, j = sp.IndexedBase("r"), sp.IndexedBase("j")
    b = Builder("receptive-field", "Receptive field of N stacked F x F convolutions",
                "For all integers $N >= 1$ and $F >= 1$, $N$ stacked $F$ x $F$ convolutions with stride 1 have the "
                "receptive field of one $K$ x $K$ convolution with $K = N*F - N + 1$.",
                symbols={"N": N, "F": F, "n": n, "r": r, "j": j},
                hypotheses=["N >= 1", "F >= 1"],
                assumptions=["$N$ and $F$ are integers; every layer has stride 1 and no dilation (padding does not "
                             "change the field)", "$r[n]$ and $j[n]$ are the receptive field and the jump after $n$ "
                             "layers"],
                params=["N", "F"], problem="Problem P6(a) and (c)", checkers=checkers)
    target = b.claim_or(claim, "N*F - N + 1")
    user = claim is not None
    b.state(r[N], "=", target)
    b.define("r_0", "Before any layer, the field is one input pixel:", lambda q: r[0], lambda q: 1,
             lambda q: Call("input-field", (), (0,)), index=0)
    b.define("j_0", "and neighbouring outputs are one pixel apart (the jump):", lambda q: j[0], lambda q: 1,
             lambda q: Call("input-field", (), (1,)), index=0)
    b.define("recurrence for $r$", "symcnn's receptive-field step for a window of size $F$ and stride 1 "
             "($r$ grows by $(k - 1)*j$):", lambda q: f"r[{q} + 1]", lambda q: f"r[{q}] + (F - 1)*j[{q}]",
             lambda q: Call("receptive-step", (r[q], j[q], ZERO, F, ONE, ZERO), (0,)))
    b.define("recurrence for $j$", "and the jump is multiplied by the stride, 1:", lambda q: f"j[{q} + 1]",
             lambda q: f"j[{q}]*1", lambda q: Call("receptive-step", (r[q], j[q], ZERO, F, ONE, ZERO), (1,)))
    b.induction(n, 0, lambda m: j[m], lambda m: ONE, name="the lemma $j[n] = 1$", fact="lemma",
                base=[("=", 1, "one input pixel", ("def", "j_0", 0))],
                step=[("=", "j[n]*1", "recurrence for $j$", ("def", "recurrence for $j$", n)),
                      ("=", 1, "induction hypothesis", "hyp")])
    rhs = lambda m: display_subs(target, {N: m})  # noqa: E731
    b.induction(n, 1, lambda m: r[m], rhs, name=b.named("the claim ", r[N], target), fact="claim",
                base=[("=", "r[0] + (F - 1)*j[0]", "recurrence for $r$", ("def", "recurrence for $r$", 0)),
                      ("=", sp.Add(1, sp.Mul(sp.Add(F, -1, evaluate=False), 1, evaluate=False), evaluate=False),
                       "$r_0 = j_0 = 1$", ("def", "r_0", 0), ("def", "j_0", 0)),
                      ("=", rhs(ONE), "simplify")],
                step=[("=", "r[n] + (F - 1)*j[n]", "recurrence for $r$", ("def", "recurrence for $r$", n)),
                      ("=", sp.Add(r[n], sp.Add(F, -1, evaluate=False), evaluate=False), "lemma: $j_n = 1$",
                       ("fact", "lemma", n)),
                      ("=", sp.Add(rhs(n), sp.Add(F, -1, evaluate=False), evaluate=False), "induction hypothesis",
                       "hyp"),
                      ("=", rhs(sp.Add(n, 1, evaluate=False)), "simplify")])
    b.chain("So the whole stack of $N$ layers sees", r[N], ("=", target, "the claim at $n = N$", ("fact", "claim", N)))
    if user:
        return b.done()
    # an independent cross-check: telescope the recurrence and let sympy sum it
    b.compare("Cross-check by telescoping, $r[N] = r[1] + (N - 1)*(F - 1)$ summed by sympy, against the closed "
              "form:", sp.summation(F - 1, (n, 1, N - 1)) + F, target, "sympy's summation")
    K = b.names["K"] = sp.Symbol("K", integer=True, positive=True)
    b.compare("One $K$ x $K$ convolution with stride 1, by the same step from the input pixel, sees $K$ pixels:",
              _step(ONE, ONE, ZERO, K, ONE, ZERO)[0], K, "the receptive-field step with $k = K$",
              shown="1 + (K - 1)*1")
    b.chain("So the stack sees as far as a single $K$ x $K$ filter with", target,
            ("=", "N*(F - 1) + 1", "factor"))
    from ..sources import loads

    t = loads("input 1 64 64\n" + "conv 1 k=5\n" * 3).derive()
    b.compare("Problem P6(c): three stacked 5 x 5 convolutions ($N = 3$, $F = 5$); symcnn's table of that stack "
              "shows the receptive field", t.rows[-1].rf[0], display_subs(target, {N: 3, F: 5}),
              "the table's RF column against the closed form")
    return b.done()


@register("output-length", "Output length after N stacked F-wide windows without padding",
          claim_help="the output length W_N as an expression in L, N and F")
def output_length(claim: str | None = None, checkers=CHECKERS):
    L, N, F = E.size_symbol("L"), E.size_symbol("N"), E.size_symbol("F")
    n = sp.Symbol("n", integer=True, nonnegative=True)
    W = sp.IndexedBase("W", integer=True)
    b = Builder("output-length", "Output length after N stacked F-wide windows without padding",
                "With no padding and stride 1, $N$ stacked windows of width $F$ turn an input of length $L$ into "
                "$L - N*F + N$, the same as one window of width $N*F - N + 1$.",
                symbols={"L": L, "N": N, "F": F, "n": n, "W": W},
                hypotheses=["N >= 1", "F >= 1", "L >= N*F - N + 1", "W[0] = L"],
                assumptions=["$L$, $N$ and $F$ are integers; stride 1, padding 0, no dilation",
                             "$W[n]$ is the length after $n$ layers"],
                params=["L", "N", "F"], problem="Problem P6(b)", checkers=checkers)
    target = b.claim_or(claim, "L - N*F + N")
    user = claim is not None
    b.state(W[N], "=", target)
    b.premise("W_0", "The input has length $L$ (a hypothesis):", lambda q: W[0], lambda q: L, index=0)
    b.define("output size", "symcnn's output size $floor((W - F + 2*P)/S) + 1$ with $S = 1$, $P = 0$ (a division "
             "by 1 is exact, so the floor drops):", lambda q: f"W[{q} + 1]", lambda q: f"W[{q}] - F + 1",
             lambda q: Call("output-size", (W[q], F, ONE, ZERO, ONE, False, "floor")))
    rhs = lambda m: display_subs(target, {N: m})  # noqa: E731
    b.induction(n, 0, lambda m: W[m], rhs, name=b.named("the claim ", W[N], target), fact="claim", upto=N,
                base=[("=", L, "the input", ("def", "W_0", 0))],
                step=[("=", "W[n] - F + 1", "output size", ("def", "output size", n)),
                      ("=", sp.Add(rhs(n), -F, 1, evaluate=False), "induction hypothesis", "hyp"),
                      ("=", rhs(sp.Add(n, 1, evaluate=False)), "simplify")])
    b.chain("So after all $N$ layers", W[N], ("=", target, "the claim at $n = N$", ("fact", "claim", N)))
    if user:
        return b.done()
    b.chain("Every window fits: the input of the last layer, $W[N - 1]$, is at least $F$:",
            sp.Add(rhs(sp.Add(N, -1, evaluate=False)), -F, evaluate=False),
            (">=", 0, "$L >= N*F - N + 1$"))
    single = window_out(L, N * F - N + 1, 1, 0, 1, False, "floor")[0]
    b.compare("One window of width $K = N*F - N + 1$ gives the same length (symcnn's output size with $F = K$):",
              single, target, "symcnn's output size against the closed form")
    return b.done()


class _Stack:
    """The symbols of a general stack: layer l has kernel k[l], stride s[l], padding p[l], dilation d[l];
    after m layers the field is r[m], the jump j[m] and the start c[m]."""

    def __init__(self) -> None:
        self.L = E.size_symbol("L")
        self.l, self.i = sp.Symbol("l", integer=True, positive=True), sp.Symbol("i", integer=True, positive=True)
        # the recurrences hold from the first layer on (m = 0 gives layer 1): stated for m >= 0
        self.m = sp.Symbol("m", integer=True, nonnegative=True)
        self.k, self.s, self.p, self.d = (sp.IndexedBase(c) for c in "kspd")
        self.r, self.j, self.c = sp.IndexedBase("r"), sp.IndexedBase("j"), sp.IndexedBase("c")
        k, s, p, d, l, i = self.k, self.s, self.p, self.d, self.l, self.i
        with sp.evaluate(False):  # display forms in textbook order; every check re-evaluates them
            self.term_r = d[l] * (k[l] - 1) * sp.Product(s[i], (i, 1, l - 1))
            self.term_c = (d[l] * (k[l] - 1) / 2 - p[l]) * sp.Product(s[i], (i, 1, l - 1))

    def symbols(self) -> dict:
        return {"L": self.L, "m": self.m, "r": self.r, "j": self.j, "c": self.c, "k": self.k, "s": self.s,
                "p": self.p, "d": self.d, "l": self.l, "i": self.i}

    def J(self, q):
        return sp.Product(self.s[self.i], (self.i, 1, q))

    def R(self, q):
        return sp.Add(1, sp.Sum(self.term_r, (self.l, 1, q)), evaluate=False)

    def C(self, q):
        return sp.Sum(self.term_c, (self.l, 1, q))

    def step(self, q, which):
        """symcnn's own step for layer q + 1 (effective kernel d (k - 1) + 1): the field, jump or start."""
        keff = self.d[q + 1] * (self.k[q + 1] - 1) + 1
        return Call("receptive-step", (self.r[q], self.j[q], self.c[q], keff, self.s[q + 1], self.p[q + 1]), (which,))


def _stack_premises(b: Builder, st: _Stack) -> None:
    r, j, c = st.r, st.j, st.c
    for name, base, val, lib in (("r_0", r, 1, Call("input-field", (), (0,))),
                                 ("j_0", j, 1, Call("input-field", (), (1,))),
                                 ("c_0", c, 0, Call("input-field", (), (2,)))):
        text = {"r_0": "One input pixel centred at 0: its field is that one pixel,",
                "j_0": "neighbouring outputs are one pixel apart,", "c_0": "and its centre is at 0:"}[name]
        b.define(name, text, lambda q, base=base: base[0],
                 lambda q, val=val: val, lambda q, lib=lib: lib, index=0)
    b.define("recurrence for $j$", "symcnn's receptive-field step for layer $m + 1$ (effective kernel "
             "$kappa = d*(k - 1) + 1$):", lambda q: f"j[{q} + 1]", lambda q: f"j[{q}]*s[{q} + 1]",
             lambda q: st.step(q, 1))
    b.define("recurrence for $r$", "the field grows by the effective kernel less one, in jumps,",
             lambda q: f"r[{q} + 1]",
             lambda q: f"r[{q}] + d[{q} + 1]*(k[{q} + 1] - 1)*j[{q}]", lambda q: st.step(q, 0))
    b.define("recurrence for $c$", "and the centre moves by half the effective kernel, less the padding:",
             lambda q: f"c[{q} + 1]",
             lambda q: f"c[{q}] + (d[{q} + 1]*(k[{q} + 1] - 1)/2 - p[{q} + 1])*j[{q}]", lambda q: st.step(q, 2))


def _jump_links(st: _Stack, J, user: bool):
    j, s, i, m = st.j, st.s, st.i, st.m
    with sp.evaluate(False):
        m1 = m + 1
        base: list[tuple[object, ...]] = [("=", j[0] * s[1], "recurrence for $j$", ("def", "recurrence for $j$", 0)),
                ("=", s[1], "$j_0 = 1$", ("def", "j_0", 0))]
        if not user:
            base.append(("=", J(1), "a product of one factor"))
            step = [("=", j[m] * s[m1], "recurrence for $j$", ("def", "recurrence for $j$", m)),
                    ("=", J(m) * s[m1], "induction hypothesis", "hyp"),
                    ("=", J(m) * sp.Product(s[i], (i, m1, m1)), "the new factor as a one-factor product"),
                    ("=", J(m1), "join the products")]
        else:
            if canon_differs(s[1], J(1)):
                base.append(("=", J(1), "the claim at $m = 1$"))
            step = [("=", j[m] * s[m1], "recurrence for $j$", ("def", "recurrence for $j$", m)),
                    ("=", J(m) * s[m1], "induction hypothesis", "hyp"),
                    ("=", J(m1), "the claim for m + 1")]
    return base, step


def _field_links(st: _Stack):
    r, j, c, d, k, p, m, l = st.r, st.j, st.c, st.d, st.k, st.p, st.m, st.l
    R, Cc, J = st.R, st.C, st.J
    with sp.evaluate(False):
        m1 = m + 1
        r_base = [("=", r[0] + d[1] * (k[1] - 1) * j[0], "recurrence for $r$", ("def", "recurrence for $r$", 0)),
                  ("=", 1 + d[1] * (k[1] - 1), "$r_0 = j_0 = 1$", ("def", "r_0", 0), ("def", "j_0", 0)),
                  ("=", R(1), "a sum of one term (the empty product is 1)")]
        r_step = [("=", r[m] + d[m1] * (k[m1] - 1) * j[m], "recurrence for $r$", ("def", "recurrence for $r$", m)),
                  ("=", R(m) + d[m1] * (k[m1] - 1) * J(m), "induction hypothesis and the jump", "hyp",
                   ("fact", "jump", m)),
                  ("=", R(m) + sp.Sum(st.term_r, (l, m1, m1)), "the new term as a one-term sum"),
                  ("=", R(m1), "join the sums")]
        c_base = [("=", c[0] + (d[1] * (k[1] - 1) / 2 - p[1]) * j[0], "recurrence for $c$",
                   ("def", "recurrence for $c$", 0)),
                  ("=", d[1] * (k[1] - 1) / 2 - p[1], "$c_0 = 0$, $j_0 = 1$", ("def", "c_0", 0), ("def", "j_0", 0)),
                  ("=", Cc(1), "a sum of one term")]
        c_step = [("=", c[m] + (d[m1] * (k[m1] - 1) / 2 - p[m1]) * j[m], "recurrence for $c$",
                   ("def", "recurrence for $c$", m)),
                  ("=", Cc(m) + (d[m1] * (k[m1] - 1) / 2 - p[m1]) * J(m), "induction hypothesis and the jump",
                   "hyp", ("fact", "jump", m)),
                  ("=", Cc(m) + sp.Sum(st.term_c, (l, m1, m1)), "the new term as a one-term sum"),
                  ("=", Cc(m1), "join the sums")]
    return (r_base, r_step), (c_base, c_step)


def _vgg_check(b: Builder, st: _Stack) -> None:
    """The closed form at VGG-16's kernels and strides against the receptive field in symcnn's table."""
    from ..sources import table

    rows = [row for row in table("vgg16").rows if row.kind in ("conv", "maxpool")]
    windows = [row.derivation.window for row in rows if row.derivation is not None and row.derivation.window]
    last = rows[-1].rf
    if len(windows) != len(rows) or last is None:
        raise SymcnnError("VGG-16's convolutions and pools must each have a window and a receptive field")
    values = {}
    for idx, w in enumerate(windows, start=1):
        values.update({st.k[idx]: w.kh, st.s[idx]: w.sh, st.d[idx]: 1})
    closed = st.R(sp.Integer(len(windows))).doit().subs(values)
    terms, jump = [sp.Integer(1)], sp.Integer(1)
    for w in windows:
        terms.append(sp.Mul(w.kh - 1, jump, evaluate=False))
        jump *= w.sh
    b.compare(f"Check on VGG-16's {len(rows)} convolutions and pools ($k = 3$, $s = 1$ and $k = 2$, $s = 2$): the "
              "closed form, summed by sympy at VGG-16's kernels and strides (shown term by term), against the "
              "receptive field in symcnn's table after the last pool:",
              closed, last[0], "the closed form against the table's RF column",
              shown=sp.Add(*terms, evaluate=False))


@register("receptive-field-strided", "Receptive field, jump and start of a general stack",
          claim_help="the jump j_L as an expression in s[l] (strides) and L")
def receptive_field_strided(claim: str | None = None, checkers=CHECKERS):
    st = _Stack()
    L, r, j, c, m = st.L, st.r, st.j, st.c, st.m
    b = Builder("receptive-field-strided", "Receptive field, jump and start of a general stack",
                "For layers $l = 1$, ..., $L$ with kernels $k[l]$, strides $s[l]$, paddings $p[l]$ and dilations "
                "$d[l]$, the jump, receptive field and start of layer $L$ are sums over the layers of products of "
                "the earlier strides.",
                symbols=st.symbols(), hypotheses=["L >= 1"],
                assumptions=["$k[l]$, $s[l]$, $d[l]$ are integers at least 1 and $p[l]$ integers at least 0",
                             "$c[l]$ is the input coordinate of the centre of the first output's field (pixel "
                             "centres at 0, 1, ...)", "dilation enters only through the effective kernel "
                             "$d[l]*(k[l] - 1) + 1$"],
                params=["L", "s"], problem="Problem P6(d)", checkers=checkers)
    b.display_index = m
    user = claim is not None
    if user:
        jump_form = b.claim_or(claim, "1")
        J = lambda q: display_subs(jump_form, {L: q})  # noqa: E731
    else:
        J = st.J
    b.state(j[L], "=", J(L))
    if not user:
        b.state(r[L], "=", st.R(L))
        b.state(c[L], "=", st.C(L))
    _stack_premises(b, st)
    jump_base, jump_step = _jump_links(st, J, user)
    b.induction(m, 1, lambda q: j[q], J, name="the jump $j[L]$", fact="jump", base=jump_base, step=jump_step)
    b.chain("So for the whole stack", j[L], ("=", J(L), "the jump at $m = L$", ("fact", "jump", L)))
    if user:
        return b.done()
    (r_base, r_step), (c_base, c_step) = _field_links(st)
    b.induction(m, 1, lambda q: r[q], st.R, name="the receptive field $r[L]$", fact="field", base=r_base,
                step=r_step)
    b.chain("So at the last layer the field is", r[L], ("=", st.R(L), "the field at $m = L$", ("fact", "field", L)))
    b.induction(m, 1, lambda q: c[q], st.C, name="the start $c[L]$", fact="start", base=c_base, step=c_step)
    b.chain("and the start is", c[L], ("=", st.C(L), "the start at $m = L$", ("fact", "start", L)))
    F, N = b.names["F"], b.names["N"] = E.size_symbol("F"), E.size_symbol("N")
    b.chain("With every $k[l] = F$, $d[l] = 1$ and $s[l] = 1$ this is the stride-1 theorem (receptive-field):",
            _family(st.R(N), {st.k: F, st.d: 1, st.s: 1}), ("=", "N*F - N + 1", "evaluate the sum"))
    _vgg_check(b, st)
    return b.done()


def canon_differs(a, b) -> bool:
    from ..proof import canon

    return canon(a) != canon(b)


@register("dilated-receptive-field", "Exponentially dilated 3 x 3 stacks",
          claim_help="the receptive field r_L as an expression in L")
def dilated_receptive_field(claim: str | None = None, checkers=CHECKERS):
    L = E.size_symbol("L")
    n = sp.Symbol("n", integer=True, nonnegative=True)
    r, j = sp.IndexedBase("r"), sp.IndexedBase("j")
    b = Builder("dilated-receptive-field", "Exponentially dilated 3 x 3 stacks",
                "$L$ stacked 3 x 3 convolutions with stride 1 and dilations 1, 2, 4, ..., $2**(L - 1)$ (Yu and "
                "Koltun 2016) have receptive field $2**(L + 1) - 1$: exponential in depth with linearly many "
                "parameters.",
                symbols={"L": L, "r": r, "j": j, "n": n}, hypotheses=["L >= 1"],
                assumptions=["$L$ is an integer; layer $n + 1$ has kernel 3, stride 1 and dilation $2**n$"],
                params=["L"], checkers=checkers)
    target = b.claim_or(claim, "2**(L + 1) - 1")
    user = claim is not None
    b.state(r[L], "=", target)
    b.define("r_0", "Before any layer, one input pixel:", lambda q: r[0], lambda q: 1,
             lambda q: Call("input-field", (), (0,)),
             index=0)
    b.define("j_0", "and neighbouring outputs are one pixel apart (the jump):", lambda q: j[0], lambda q: 1,
             lambda q: Call("input-field", (), (1,)), index=0)
    # symcnn's own step with the dilated window: effective kernel d (k - 1) + 1 = 2^n * 2 + 1
    b.define("recurrence for $r$", "symcnn's receptive-field step for layer $n + 1$: kernel 3, dilation $2**n$ "
             "(effective kernel $2**n*(3 - 1) + 1$), stride 1:", lambda q: f"r[{q} + 1]",
             lambda q: f"r[{q}] + 2**{q}*(3 - 1)*j[{q}]",
             lambda q: Call("receptive-step", (r[q], j[q], ZERO, 2 ** q * (3 - 1) + 1, ONE, ZERO), (0,)))
    b.define("recurrence for $j$", "and the jump is multiplied by the stride, 1:", lambda q: f"j[{q} + 1]",
             lambda q: f"j[{q}]*1",
             lambda q: Call("receptive-step", (r[q], j[q], ZERO, 2 ** q * (3 - 1) + 1, ONE, ZERO), (1,)))
    b.induction(n, 0, lambda q: j[q], lambda q: ONE, name="the lemma $j[n] = 1$", fact="lemma",
                base=[("=", 1, "one input pixel", ("def", "j_0", 0))],
                step=[("=", "j[n]*1", "recurrence for $j$", ("def", "recurrence for $j$", n)),
                      ("=", 1, "induction hypothesis", "hyp")])
    rhs = lambda q: display_subs(target, {L: q})  # noqa: E731
    b.induction(n, 1, lambda q: r[q], rhs, name=b.named("the claim ", r[L], target), fact="claim",
                base=[("=", "r[0] + 2**0*(3 - 1)*j[0]", "recurrence for $r$", ("def", "recurrence for $r$", 0)),
                      ("=", "1 + 2", "$r_0 = j_0 = 1$", ("def", "r_0", 0), ("def", "j_0", 0)),
                      ("=", rhs(ONE), "arithmetic")],
                step=[("=", "r[n] + 2**n*(3 - 1)*j[n]", "recurrence for $r$", ("def", "recurrence for $r$", n)),
                      ("=", "r[n] + 2**(n + 1)", "lemma: $j_n = 1$", ("fact", "lemma", n)),
                      ("=", sp.Add(rhs(n), 2 ** sp.Add(n, 1, evaluate=False), evaluate=False),
                       "induction hypothesis", "hyp"),
                      ("=", rhs(sp.Add(n, 1, evaluate=False)), "simplify")])
    b.chain("So the whole stack of $L$ layers sees", r[L], ("=", target, "the claim at $n = L$", ("fact", "claim", L)))
    if not user:
        b.compare("For $L = 4$ (dilations 1, 2, 4, 8) symcnn's table of the stack agrees:",
                  _dilated_table_rf(4), display_subs(target, {L: 4}), "the table's RF column")
    return b.done()


def _dilated_table_rf(depth: int):
    from ..sources import loads

    spec = "input 1 256 256\n" + "".join(f"conv 1 k=3 d={2 ** n}\n" for n in range(depth))
    return loads(spec).derive().rows[-1].rf[0]
