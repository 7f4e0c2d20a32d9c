"""Symbolic derivations agree with numeric ones: derive with symbols, put
numbers in, and get exactly the table of the network written with those
numbers."""

from __future__ import annotations

import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import symcnn
from symcnn import zoo

layer = st.one_of(
    st.tuples(st.just("conv"), st.integers(1, 4), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2),
              st.integers(1, 2)),
    st.tuples(st.just("maxpool"), st.integers(1, 1), st.integers(2, 3), st.integers(1, 3), st.integers(0, 1),
              st.integers(0, 1)),  # last: ceil mode
    st.tuples(st.just("avgpool"), st.integers(1, 1), st.integers(2, 3), st.integers(2, 2), st.integers(0, 1),
              st.integers(1, 1)),
)


def spec(layers, width, size, classes):
    lines = [f"input 3 {size} {size}"]
    for kind, mult, k, s, p, d in layers:
        if kind == "conv":
            lines.append(f"conv {mult}*{width} k={k} s={s} p={p} d={d}")
        else:
            ceil = " ceil=true" if kind == "maxpool" and d else ""
            lines.append(f"{kind} k={k} s={s} p={min(p, k // 2)}{ceil}")
    lines += ["flatten", f"linear {classes}"]
    return "\n".join(lines)


@given(layers=st.lists(layer, min_size=1, max_size=5), c=st.integers(1, 16), h=st.integers(8, 96),
       n=st.integers(1, 20))
def test_substituted_symbolic_table_equals_numeric_table(layers, c, h, n):
    try:
        numeric = symcnn.loads(spec(layers, c, h, n)).derive()
    except symcnn.DerivationError:
        assume(False)
    symbolic = symcnn.loads(spec(layers, "C", "H", "N")).derive()
    names = {"H", "N"} | ({"C"} if any(l[0] == "conv" for l in layers) else set())
    assert {s.name for s in symbolic.free_symbols} == names
    given_values = {k: v for k, v in (("C", c), ("H", h), ("N", n)) if k in names}
    put = symbolic.subs(given_values)
    assert put.totals == numeric.totals
    # and the symbolic totals themselves evaluate to the numbers
    values = {symbolic.network.symbol(k): v for k, v in given_values.items()}
    for key, expr in symbolic.totals.items():
        assert expr.subs(values) == numeric.totals[key], key
    for a, b in zip(put.rows, numeric.rows):
        assert (a.output, a.rf, a.jump) == (b.output, b.rf, b.jump)


def test_vgg16_params_as_a_polynomial_in_the_width():
    """VGG-16 with every channel count k*C: params are a quadratic in C."""
    text = zoo.text("vgg16")
    for c in (512, 256, 128, 64):
        text = text.replace(f"stage {c} ", f"stage {c // 64}*C ")
    t = symcnn.loads(text).derive()
    C = t.network.symbol("C")
    poly = sp.Poly(t.totals["params"], C)
    assert poly.degree() == 2
    assert t.totals["params"].subs(C, 64) == 138_357_544
