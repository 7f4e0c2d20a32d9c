"""The proof builder refuses false statements whoever calls it: each way a hostile tester had
Builder.done() certify a false statement through the Python API (issue 23), and variants of it, is
refused with a one-line ProofError, and the true versions still prove."""

from __future__ import annotations

import pytest
import sympy as sp

from symcnn.proof.builder import Builder
from symcnn.proof.library import Call
from symcnn.proof.model import ProofError

X = sp.Symbol("x", real=True)
K = sp.Symbol("k", integer=True, positive=True)


def _identity(q):
    """symcnn's output size of a 1-wide window at stride 1: the length itself (a function the kernel names)."""
    return Call("output-size", (q, 1, 1, 0, 1, False, "floor"))


def _refused(make) -> str:
    with pytest.raises(ProofError) as info:
        make()
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize("upper, holds", [("x <= 1", False), ("x < 1", True)])
def test_a_closed_upper_bound_is_checked_at_the_bound(upper, holds):
    """2**k*(1 - x) > 0 is false at x = 1: refused where x <= 1 allows it, proved where x < 1."""
    def make():
        b = Builder("c1", "t", "$2**k*(1 - x) > 0$", symbols={"x": X, "k": K}, hypotheses=["x >= 0", upper])
        b.state("2**k*(1 - x)", ">", "0")
        b.chain("Each factor is positive.", "2**k*(1 - x)", (">", "0", "the bounds"))
        return b.done()
    if holds:
        assert make().verified
    else:
        assert "not confirmed" in _refused(make)


def test_the_lower_end_of_a_closed_interval_is_checked_too():
    def make():
        b = Builder("c1b", "t", "$x > 0$", symbols={"x": X}, hypotheses=["x >= 0", "x <= 1"])
        b.state("x", ">", "0")
        b.chain("w", "x", (">", "0", "the bounds"))
        return b.done()
    _refused(make)


def test_induction_only_over_an_integer():
    xr = sp.Symbol("x", real=True, nonnegative=True)

    def make():
        b = Builder("c2", "t", "$floor(x) = x$", symbols={"x": xr}, hypotheses=["x >= 0"])
        b.state("floor(x)", "=", "x")
        b.induction(xr, 0, lambda q: sp.floor(q), lambda q: q, name="the claim", base=[("=", 0, "floor(0)")],
                    step=[("=", "x + 1", "hyp", "hyp")])
        return b.done()
    assert "not declared an integer" in _refused(make)


def test_a_definition_introduces_a_fresh_name_checked_against_symcnn_s_code():
    N = sp.Symbol("N", integer=True, positive=True)

    def fix_a_parameter():
        b = Builder("c3", "t", "$N**2 = 25$", symbols={"N": N}, hypotheses=["N >= 1"])
        b.define("five", "Let N be 5.", lambda q: N, lambda q: 5, lambda q: 5)
        b.state("N**2", "=", "25")
        b.chain("w", "N**2", ("=", 25, "N is 5", ("def", "five", 0)))
        return b.done()
    assert "would fix N" in _refused(fix_a_parameter)

    W = sp.Symbol("W", integer=True)

    def library_handed_in():
        b = Builder("c3b", "t", "$W = 5$", symbols={"N": N, "W": W}, hypotheses=["N >= 1"], params=["N"])
        b.define("five", "Let W be 5.", lambda q: W, lambda q: 5, lambda q: 5)  # the "library" is this test's
        b.state("W", "=", "5")
        b.chain("w", "W", ("=", 5, "W is 5", ("def", "five", 0)))
        return b.done()
    assert "symcnn's code" in _refused(library_handed_in)

    def defined_twice():
        r = sp.IndexedBase("r")
        b = Builder("c3c", "t", "", symbols={"N": N, "r": r}, hypotheses=["N >= 1"])
        b.define("rec", "", lambda q: r[q + 1], lambda q: q, _identity)
        b.define("rec", "", lambda q: r[q + 1], lambda q: q + 1, _identity)
    assert "defined twice" in _refused(defined_twice)


@pytest.mark.parametrize("lhs, rhs", [("x/x", "1"), ("(x - 1)*(x + 1)/(x - 1)", "x + 1"), ("sqrt(x - 2)**2", "x - 2")])
def test_a_statement_must_be_defined_where_it_claims_to_hold(lhs, rhs):
    def make():
        b = Builder("c4", "t", "s", symbols={"x": X}, hypotheses=["x >= 0"])
        b.state(lhs, "=", rhs)
        b.chain("w", rhs, ("=", rhs, "itself"))
        return b.done()
    assert "undefined" in _refused(make)


@pytest.mark.parametrize("symbols, hypotheses", [
    ({"x": sp.Symbol("x", positive=True)}, ["2**x < 1"]),
    ({"x": sp.Symbol("x", positive=True), "y": sp.Symbol("y", positive=True)}, ["x >= 2**y", "y >= 2**x"]),
    ({"x": sp.Symbol("x", positive=True, integer=True), "y": sp.Symbol("y", positive=True, integer=True)},
     ["x**2 = 2*y**2"]),
    ({"x": sp.Symbol("x", real=True)}, ["x > 1", "x < 0"]),
])
def test_hypotheses_not_shown_consistent_prove_nothing(symbols, hypotheses):
    def make():
        b = Builder("c5", "t", "$x = x + 1$", symbols=symbols, hypotheses=hypotheses)
        b.state("x", "=", "x + 1")
        return b.done()
    message = _refused(make)
    assert "consistent" in message or "contradict" in message


def test_consistent_hypotheses_z3_cannot_read_are_shown_by_a_witness():
    x = sp.Symbol("x", positive=True)
    b = Builder("ok", "t", "$x + x = 2*x$", symbols={"x": x}, hypotheses=["2**x > 1"])
    b.state("x + x", "=", "2*x")
    b.chain("Collect.", "x + x", ("=", "2*x", "like terms"))
    assert b.done().verified
