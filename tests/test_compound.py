"""Compound scaling (whatif --compound): the base solved exactly from a*b**2*c**2 = 2, the totals at
phi = 0 and 1 against the network scaled by hand (repeat counts, width and input written out), the
growth law, and the largest phi within a budget checked on both sides of the exact answer."""

from __future__ import annotations

import pytest
import sympy as sp

import symcnn
from symcnn import zoo
from symcnn.errors import SymcnnError
from symcnn.spec import loads
from symcnn.whatif import scale_width
from symcnn.whatif.compound import compound, solve_base

from .harness import run_cli


def test_the_base_is_solved_exactly():
    a, b, c = solve_base(("6/5", "11/10", "c"))
    assert a * b ** 2 * c ** 2 == 2 and c.is_positive
    a, b, c = solve_base(("a", "11/10", "23/20"))
    assert sp.simplify(a * b ** 2 * c ** 2 - 2) == 0
    for bad in (("a", "b", "23/20"), ("6/5", "1", "23/20"), ("6/5", "11/10")):
        with pytest.raises(SymcnnError):
            solve_base(bad)


def test_totals_against_the_network_scaled_by_hand():
    """Base (2, 2, 2): at phi = 1, VGG-16 with every repeat count doubled, every width doubled and a 448 input."""
    c = compound("vgg16", base=("2", "2", "2"))
    for q in ("params", "macs", "activations"):
        assert c.at(q, 0) == symcnn.load("vgg16").derive().totals[{"activations": "activations"}.get(q, q)]
    by_hand = loads(zoo.text("vgg16").replace("repeat ", "repeat 2*"), "x", "vgg16")
    by_hand = scale_width(by_hand, sp.Integer(2))
    by_hand = by_hand.with_input(type(by_hand.input)(3, 448, 448)).derive().totals
    for q in ("params", "macs", "activations"):
        assert c.at(q, 1) == by_hand[q]


def test_growth_law_of_a_convolutional_network():
    c = compound("vgg16")
    g = c.growth("macs")
    assert g.exponents == (1, 2, 2) and g.factor == c.a * c.b ** 2 * c.c ** 2


@pytest.mark.parametrize("quantity, budget", [("macs", 10 ** 10), ("params", 10 ** 8), ("macs", 3 * 10 ** 10)])
def test_largest_phi_is_exact(quantity, budget):
    c = compound("convnext-tiny")
    a = c.solve(quantity, budget)
    total = c.total(quantity)
    eps = sp.Rational(1, 10 ** 12)
    below = total.xreplace({c.phi: a.phi - eps}).evalf(50)
    above = total.xreplace({c.phi: a.phi + eps}).evalf(50)
    assert below <= budget < above
    assert "no closed form" not in a.step and a.phi.free_symbols == set()


def test_cli(tmp_path):
    rc, out, err = run_cli(["whatif", "convnext-tiny", "--compound", "phi", "--solve", "macs=1e10"],
                           directory=tmp_path)
    assert rc == 0 and "log(535/448)/log(23/20)" in out and "grows about as (192027/100000)**phi" in out
    rc, out, err = run_cli(["whatif", "vgg16", "--compound", "phi", "--width", "alpha"], codes=(2,),
                           directory=tmp_path)
    assert "--compound sets depth, width and resolution itself" in err
