"""Every layer formula against an independent numeric route (brute force)."""

from __future__ import annotations

import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import symcnn
from symcnn import Convention
from symcnn.errors import DerivationError
from symcnn.layers import kind
from symcnn.layers.base import Shape
from symcnn.layers.common.window import window_out

from .bruteforce import conv_macs_by_loop, receptive_field_1d, window_starts

FLOOR = Convention()
EXACT = Convention(division="exact")

small = st.integers(min_value=1, max_value=5)


def conv_args(**kw):
    from symcnn.layers.conv2d import args

    return args(**kw)


@given(n=st.integers(1, 40), k=small, s=small, p=st.integers(0, 4), d=st.integers(1, 3))
def test_window_out_floor_matches_sliding(n, k, s, p, d):
    starts = window_starts(n, k, s, p, d)
    assume(starts)
    out, notes = window_out(n, k, s, p, d, False, "floor")
    assert out == len(starts)
    # a note exactly when the windows leave uncovered input at the end
    span = d * (k - 1) + 1
    assert bool(notes) == (starts[-1] + span != n + 2 * p)


@given(n=st.integers(1, 40), k=small, s=small, p=st.integers(0, 4), d=st.integers(1, 3))
def test_window_out_exact_tiles_or_refuses(n, k, s, p, d):
    starts = window_starts(n, k, s, p, d)
    assume(starts)
    tiles = starts[-1] + d * (k - 1) + 1 == n + 2 * p
    if tiles:
        assert window_out(n, k, s, p, d, False, "exact")[0] == len(starts)
    else:
        try:
            window_out(n, k, s, p, d, False, "exact")
        except DerivationError as exc:
            assert "does not tile" in str(exc)
        else:
            raise AssertionError("a window that does not tile was accepted")


@given(n=st.integers(1, 40), k=small, s=small, p=st.integers(0, 2), d=st.integers(1, 2))
def test_window_out_ceil_matches_covering(n, k, s, p, d):
    span = d * (k - 1) + 1
    assume(span <= n + 2 * p and 2 * p <= span)
    out, _ = window_out(n, k, s, p, d, True, "floor")
    assert out == len(window_starts(n, k, s, p, d, ceil_mode=True))


def test_window_larger_than_input_is_an_error():
    try:
        window_out(3, 5, 1, 0, 1, False, "floor")
    except DerivationError as exc:
        assert "larger than the padded input" in str(exc)
    else:
        raise AssertionError


@given(
    cin_per_group=st.integers(1, 3), cout_per_group=st.integers(1, 3), g=st.integers(1, 3),
    h=st.integers(1, 9), w=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
    s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2), bias=st.booleans(),
)
def test_conv_against_loop_count(cin_per_group, cout_per_group, g, h, w, kh, kw, s, p, d, bias):
    cin, cout = cin_per_group * g, cout_per_group * g
    rows, cols = window_starts(h, kh, s, p, d), window_starts(w, kw, s, p, d)
    assume(rows and cols)
    a = conv_args(out=cout, k=(sp.Integer(kh), sp.Integer(kw)), s=s, p=p, d=d, g=g, bias=bias)
    r = kind("conv").derive(a, Shape(cin, h, w), FLOOR)
    assert r.output.as_tuple() == (cout, len(rows), len(cols))
    # weight tensor of shape (cout, cin/g, kh, kw), plus one bias per filter
    assert r.weights == cout * cin_per_group * kh * kw
    assert r.biases == (cout if bias else 0)
    assert r.macs == conv_macs_by_loop(cin, cout, h, w, kh, kw, s, p, d, g)


@given(c=st.integers(1, 4), h=st.integers(1, 12), k=small, s=st.integers(1, 4), p=st.integers(0, 2),
       ceil=st.booleans(), maxpool=st.booleans())
def test_pool_against_sliding(c, h, k, s, p, ceil, maxpool):
    assume(2 * p <= k and k <= h + 2 * p)
    kind_name = "maxpool" if maxpool else "avgpool"
    r = kind(kind_name).derive(kind(kind_name).complete(k=k, s=s, p=p, ceil=ceil), Shape(c, h, h), FLOOR)
    n = len(window_starts(h, k, s, p, 1, ceil_mode=ceil))
    assert r.output.as_tuple() == (c, n, n)
    assert r.weights == 0 and r.biases == 0 and r.macs == 0


def test_pool_padding_more_than_half_window_is_refused():
    try:
        kind("maxpool").derive(kind("maxpool").complete(k=2, s=2, p=2), Shape(1, 8, 8), FLOOR)
    except DerivationError as exc:
        assert "more than half" in str(exc)
    else:
        raise AssertionError


@given(n_in=st.integers(1, 50), n_out=st.integers(1, 50), bias=st.booleans())
def test_linear(n_in, n_out, bias):
    r = kind("linear").derive({"out": sp.Integer(n_out), "bias": bias, "in": None}, Shape(n_in, 1, 1), FLOOR)
    # one weight per (input, output) pair, counted by enumerating them
    pairs = sum(1 for _i in range(n_in) for _o in range(n_out))
    assert r.weights == pairs and r.macs == pairs
    assert r.biases == (n_out if bias else 0)


def test_linear_needs_flatten():
    try:
        kind("linear").derive({"out": 10, "bias": True, "in": None}, Shape(16, 5, 5), FLOOR)
    except DerivationError as exc:
        assert "flatten" in str(exc)
    else:
        raise AssertionError


@given(c=st.integers(1, 64), h=st.integers(1, 8), affine=st.booleans())
def test_batchnorm_two_parameters_per_channel(c, h, affine):
    r = kind("bn").derive({"affine": affine, "c": None}, Shape(c, h, h), FLOOR)
    assert r.weights + r.biases == (2 * c if affine else 0)
    assert r.output == Shape(c, h, h)


@given(c=st.integers(1, 8), h=st.integers(1, 20), o=st.integers(1, 6))
def test_adaptive_pool_window_when_divisible(c, h, o):
    assume(o <= h)
    r = kind("adaptiveavgpool").derive({"out": (sp.Integer(o), sp.Integer(o))}, Shape(c, h, h), FLOOR)
    assert r.output.as_tuple() == (c, o, o)
    if h % o == 0:
        assert (r.window.kh, r.window.sh) == (h // o, h // o)
    else:
        assert r.window is None and r.notes


def test_parameter_free_kinds():
    x = Shape(8, 4, 4)
    for name in ("relu", "leakyrelu", "sigmoid", "tanh", "softmax", "dropout", "identity", "lrn"):
        k = kind(name)
        a = {p.name: p.default for p in k.params}
        r = k.derive(a, x, FLOOR)
        assert (r.output, r.weights, r.biases, r.macs) == (x, 0, 0, 0), name


@given(layers=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 3)),
                       min_size=1, max_size=5))
def test_receptive_field_against_index_sets(layers):
    """A 1-D stack (as k x 1 windows): r, jump and start against the set of
    input cells that reach output 0 (and output 1, for the jump)."""
    lines = ["input 1 4000 1"]  # tall enough for any generated stack
    for k, s, p, d in layers:
        lines.append(f"conv 1 k={k},1 s={s},1 p={p},0 d={d},1")
    t = symcnn.loads("\n".join(lines)).derive()
    last = t.rows[-1]
    size, centre = receptive_field_1d(layers, 0)
    _, centre1 = receptive_field_1d(layers, 1)
    assert last.rf[0] == size
    assert last.field.starth == sp.nsimplify(centre)
    assert last.jump[0] == sp.nsimplify(centre1 - centre)


def test_receptive_field_union_over_paths():
    """Inception: max over branches; a residual with identity shortcut keeps the body's field."""
    t = symcnn.table("inception-naive")
    assert t.rows[-1].rf == (5, 5)  # the 5x5 branch dominates
    net = symcnn.loads("input 4 16 16\nresidual:\n  conv 4 k=3 p=1\n  conv 4 k=3 p=1\n")
    assert net.derive().rows[-1].rf == (5, 5)


def test_paths_with_different_strides_are_refused():
    net = symcnn.loads("input 4 16 16\nresidual:\n  conv 4 k=3 s=2 p=1\n  shortcut:\n    conv 4 k=1 s=1\n")
    try:
        net.derive()
    except DerivationError as exc:
        assert "path 2" in str(exc)  # the shapes already disagree: 8x8 against 16x16
    else:
        raise AssertionError
