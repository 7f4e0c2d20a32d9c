"""What-if: symbolic totals agree with numeric tables, sweeps with exact
evaluation, and solved budgets are tight."""

from __future__ import annotations

import re

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symcnn
from symcnn import zoo
from symcnn.cli import main
from symcnn.errors import SymcnnError
from symcnn.whatif import parse_range, whatif


def vgg16_scaled_spec(num: int, den: int) -> str:
    """VGG-16 with every channel count multiplied by num/den, written out by hand."""
    text = re.sub(r"stage (\d+) ", lambda m: f"stage {int(m.group(1)) * num // den} ", zoo.text("vgg16"))
    return text.replace("linear 4096", f"linear {4096 * num // den}")


VGG16 = whatif("vgg16", width="alpha")


def test_alpha_one_is_vgg16():
    a = VGG16.symbol("alpha")
    for key, value in symcnn.table("vgg16").totals.items():
        assert VGG16.totals[key].subs(a, 1) == value


@pytest.mark.parametrize("num, den", [(1, 2), (1, 4), (3, 2), (2, 1)])
def test_scaled_widths_equal_independently_written_specs(num, den):
    a = VGG16.symbol("alpha")
    expected = symcnn.loads(vgg16_scaled_spec(num, den)).derive().totals
    for key, value in expected.items():
        assert VGG16.totals[key].subs(a, sp.Rational(num, den)) == value, key


@settings(max_examples=40)
@given(k=st.integers(min_value=4, max_value=256), r=st.integers(min_value=63, max_value=400))
def test_substituting_values_gives_the_numeric_table(k, r):
    """alpha = k/64 keeps every channel count (64, 192, 384, 256, 4096) an integer."""
    w = whatif("alexnet-torchvision", width="alpha", resolution="R")
    a, R = w.symbol("alpha"), w.symbol("R")
    alpha = sp.Rational(k, 64)
    numeric = w.network.subs({a: alpha, R: r}).derive().totals
    for key in ("params", "macs", "activations", "bytes_forward"):
        assert w.totals[key].subs({a: alpha, R: r}) == numeric[key], key


@settings(max_examples=20)
@given(r=st.integers(min_value=64, max_value=512))
def test_resolution_matches_input_override(r):
    w = whatif("resnet18", resolution="R")
    t = symcnn.table(symcnn.load("resnet18").with_input(symcnn.Shape(3, r, r)))
    assert w.totals["macs"].subs(w.symbol("R"), r) == t.totals["macs"]


def test_sweep_equals_exact_evaluation():
    np = pytest.importorskip("numpy")
    w = whatif("vgg16", width="alpha", resolution="R")
    a, R = w.symbol("alpha"), w.symbol("R")
    data = w.sweep({"alpha": [0.25, 0.5, 1.0, 1.75], "R": [64, 96, 224, 230]})
    assert len(data["alpha"]) == 16
    for i in range(16):
        point = {a: sp.nsimplify(data["alpha"][i]), R: int(data["R"][i])}
        for q in ("params", "macs", "activations"):
            exact = w.total(q).subs(point)
            assert np.isclose(data[q][i], float(exact), rtol=1e-12), (q, point)


def test_solve_real_width_is_tight():
    ans = VGG16.solve("params", 10_000_000)
    a = VGG16.symbol("alpha")
    total = VGG16.totals["params"]
    assert ans.meets and sp.simplify(total.subs(a, ans.value) - 10_000_000) == 0
    assert total.subs(a, ans.value * sp.Rational(1000001, 1000000)) > 10_000_000
    assert total.subs(a, ans.value * sp.Rational(999999, 1000000)) < 10_000_000


def test_solve_integer_symbol_next_integer_breaks_the_budget():
    w = whatif("alexnet", fields={"conv3.out": "C3"})
    ans = w.solve("params", 61_000_000)
    c = int(ans.value)
    at = symcnn.loads(zoo.text("alexnet").replace("conv3: conv 384", f"conv3: conv {c}")).derive()
    above = symcnn.loads(zoo.text("alexnet").replace("conv3: conv 384", f"conv3: conv {c + 1}")).derive()
    assert at.totals["params"] <= 61_000_000 < above.totals["params"]
    assert ans.total_at_value == at.totals["params"] and ans.next_total == above.totals["params"]


def test_solve_resolution_for_activation_memory():
    w = whatif("alexnet", resolution="R")
    ans = w.solve("bytes", 2 ** 30)
    r = int(ans.value)
    fits = symcnn.table(symcnn.load("alexnet").with_input(symcnn.Shape(3, r, r))).totals["bytes_forward"]
    over = symcnn.table(symcnn.load("alexnet").with_input(symcnn.Shape(3, r + 1, r + 1))).totals["bytes_forward"]
    assert fits <= 2 ** 30 < over


def test_solve_without_an_answer_says_why():
    with pytest.raises(SymcnnError, match=r"as alpha -> 0 the total tends to 1000"):
        VGG16.solve("params", 500)


def test_dominant_layers_and_shares():
    dom = VGG16.limit_shares("params", VGG16.symbol("alpha"))
    assert dom[0][0] == "fc6"
    # fc6's leading coefficient over the total's: (25088*4096) / 134246400
    assert dom[0][1] == sp.Rational(25088 * 4096, 134246400)
    shares = dict(VGG16.shares("params"))
    assert sp.simplify(sum(shares.values()) - 1) == 0


def test_derivative():
    """The reported derivative against a central difference of the totals at two other widths: exact here, since a
    width multiplier makes the parameter count a polynomial of degree 2 (weights a*a*c*c, biases a*c)."""
    alpha = VGG16.symbol("alpha")
    d = VGG16.derivatives("params")[alpha]
    total = VGG16.totals["params"]
    for at in (sp.Integer(1), sp.Rational(1, 2), sp.Integer(2)):
        h = sp.Rational(1, 4)
        central = (total.subs(alpha, at + h) - total.subs(alpha, at - h)) / (2 * h)
        assert d.subs(alpha, at) == central


def test_parse_range():
    assert parse_range("alpha=0.25:1:0.25") == ("alpha", [sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4), 1])
    assert parse_range("R=128,224")[1] == [128, 224]


def test_cli_headline(capsys):
    assert main(["whatif", "vgg16", "--width", "alpha", "--solve", "params=10e6"]) == 0
    out = capsys.readouterr().out
    assert "134246400*alpha**2 + 4110144*alpha + 1000" in out
    assert re.search(r"alpha ~ 0\.25803550", out)


def test_cli_sweep_csv_and_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "p.png"
    assert main(["whatif", "vgg11", "--width", "a", "--sweep", "a=0.5:1:0.5", "--csv", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "a,params,macs,activations" in out
    assert f"1,{symcnn.table('vgg11').totals['params']}," in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("argv, needle", [
    (["whatif", "vgg16"], "nothing is symbolic"),
    (["whatif", "vgg16", "--width", "a", "--resolution", "R", "--solve", "params=1e7"], "exactly one symbol"),
    (["whatif", "vgg16", "--width", "a", "--solve", "params=-3"], "positive number"),
    (["whatif", "vgg16", "--width", "a", "--solve", "speed=3"], "QUANTITY=BUDGET"),
    (["whatif", "vgg16", "--symbol", "nolayer.out=C"], "has no layer 'nolayer'"),
    (["whatif", "vgg16", "--symbol", "fc6.zz=C"], "has no field 'zz'"),
    (["whatif", "vgg16", "--symbol", "fc6.out=floor(C)"], "function calls are not allowed"),
    (["whatif", "vgg16", "--symbol", "fc6.out=__import__('os')"], "not allowed"),
    (["whatif", "vgg16", "--width", "a", "--sweep", "a=1:0:1"], "STOP >= START"),
    (["whatif", "vgg16", "--width", "a", "--sweep", "a=x"], "unknown name 'x'"),
    (["whatif", "vgg16", "--width", "a", "--plot", "x.png"], "--plot needs --sweep"),
    (["whatif", "vgg16", "--width", "2a"], "not a valid symbol name"),
])
def test_cli_errors(argv, needle, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and needle in err, err
