"""Depth as a symbol: ``repeat N:`` with a symbolic N and ``whatif --depth``.  Every closed form is
checked against the network unrolled with numbers (N = 1..8), the receptive field of N stacked F x F
convolutions against the statement ``symcnn prove receptive-field`` proves, and the depth multiplier
at d = 1 and d = 2 against the zoo network with its repeat counts as written and doubled."""

from __future__ import annotations

import json

import pytest
import sympy as sp

import symcnn
from symcnn import zoo
from symcnn.errors import SymcnnError
from symcnn.spec import loads
from symcnn.whatif import whatif

from .harness import run_cli

BLOCKS = {
    "keeps its shape": "input 64 56 56\nconv 64 k=3 p=1\nrepeat N:\n  conv 64 k=3 p=1\n  relu\n  conv 64 k=3 p=1\n",
    "unpadded stack": "input C 40 40\nrepeat N:\n  conv C k=F p=0\n",
    "first copy differs": "input 3 32 32\nrepeat N:\n  conv 16 k=3 p=0\n  relu\n",
    "residual": "input 32 16 16\nrepeat N:\n  residual:\n    conv 32 k=3 p=1\n    relu\n    conv 32 k=3 p=1\n  relu\n",
    "dense growth": "input 16 8 8\nrepeat N:\n  concat:\n    branch:\n      identity\n    branch:\n"
                    "      conv 12 k=3 p=1\n",
}
QUANTITIES = ("weights", "biases", "params", "macs", "flops", "activations")


def _values(net, n):
    vals = {net.symbol("N"): n}
    for s in net.free_symbols():
        if s.name == "C":
            vals[s] = 8
        if s.name == "F":
            vals[s] = 3
    return vals


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_closed_form_equals_the_unrolled_network(name):
    net = symcnn.loads(BLOCKS[name])
    t = net.derive()
    for n in range(1, 9):
        vals = _values(net, n)
        unrolled = net.subs(vals).derive()  # the block written out n times, derived with numbers
        for q in QUANTITIES:
            assert sp.simplify(t.totals[q].xreplace(vals) - unrolled.totals[q]) == 0, (name, n, q)
        end = t.rows[-1]
        assert tuple(sp.sympify(v).xreplace(vals) for v in end.output.as_tuple()) == \
            tuple(unrolled.rows[-1].output.as_tuple())
        if end.field is not None:
            assert end.field.rh.xreplace(vals) == unrolled.rows[-1].field.rh


def test_strided_block_is_geometric_under_exact_division():
    """Each copy halves the map (exact division): sizes H/2**N, a geometric sum of multiply-adds, and a field
    and jump of 2**N, against the block written out (H = 64, N = 1..6)."""
    from symcnn.convention import Convention

    exact = Convention(division="exact")
    net = symcnn.loads("input C H H\nrepeat N:\n  conv C k=2 s=2\n  relu\n")
    t = net.derive(exact)
    N, C, H = (net.symbol(n) for n in "NCH")
    assert sp.simplify(t.rows[-1].output.h - H / 2 ** N) == 0
    for n in range(1, 7):
        vals = {N: n, C: 8, H: 64}
        unrolled = net.subs(vals).derive(exact)
        for q in QUANTITIES:
            assert sp.simplify(t.totals[q].xreplace(vals) - unrolled.totals[q]) == 0, (n, q)
        f, g = t.rows[-1].field, unrolled.rows[-1].field
        assert (f.rh.xreplace(vals), f.jh.xreplace(vals), f.starth.xreplace(vals)) == (g.rh, g.jh, g.starth)
    with pytest.raises(SymcnnError, match="under --exact"):
        net.derive()  # floors: no closed form, and the message says where one exists


def test_stacked_convolutions_field_is_the_proved_theorem():
    net = symcnn.loads(BLOCKS["unpadded stack"])
    end = net.derive().rows[-1]
    proved = json.loads(_cli_out(["prove", "receptive-field", "-f", "json"]))
    (obligation,) = proved["obligations"]
    assert proved["verified"] is True
    N, F = net.symbol("N"), net.symbol("F")
    statement = sp.sympify(obligation["rhs"]["sympy"], locals={"N": N, "F": F})  # the prover's own text
    assert sp.expand(end.field.rh - statement) == 0
    assert sp.expand(end.output.h - (40 - N * F + N)) == 0  # (b): L - NF + N


def _cli_out(argv):
    import contextlib
    import io

    from symcnn.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    return buf.getvalue()


@pytest.mark.parametrize("name", [n for n in zoo.names() if "repeat" in zoo.text(n)])
def test_depth_multiplier_against_the_zoo_written_out(name):
    d = sp.Symbol("d", positive=True)
    scaled = loads(zoo.text(name), f"zoo:{name}", name, depth=d).derive().totals
    once = symcnn.load(name).derive().totals
    twice = loads(zoo.text(name).replace("repeat ", "repeat 2*"), "x", name).derive().totals
    for q in ("params", "macs", "activations"):
        assert sp.simplify(scaled[q].subs(d, 1) - once[q]) == 0
        assert sp.simplify(scaled[q].subs(d, 2) - twice[q]) == 0


def test_refusals_name_the_block():
    with pytest.raises(SymcnnError, match="repeat N: a closed form needs"):
        symcnn.loads("input 8 32 32\nrepeat N:\n  conv 8 k=3 s=2 p=1\n").derive()
    with pytest.raises(SymcnnError, match="uses i inside a repeat"):
        symcnn.loads("input 8 32 32\nrepeat N:\n  conv 8*i k=1\n")
    with pytest.raises(SymcnnError, match="has no 'repeat' blocks"):
        whatif("resnet50", depth="d")


def test_whatif_depth_cli(tmp_path):
    rc, out, err = run_cli(["whatif", "vgg16", "--depth", "d", "-q", "params"], directory=tmp_path)
    assert rc == 0 and "ceiling(d*k)" in out and "ceiling(3*d)" in out
    rc, out, err = run_cli(["whatif", str(tmp_path / "nope.cnn"), "--depth", "d"], codes=(2,), directory=tmp_path)
    f = tmp_path / "stack.cnn"
    f.write_text(BLOCKS["keeps its shape"])
    rc, out, err = run_cli(["whatif", f, "--solve", "params=1e6"], directory=tmp_path)
    assert rc == 0 and "largest integer N = 13" in out
    # 13 copies fit, 14 do not: checked with the network written out
    net = symcnn.loads(BLOCKS["keeps its shape"])
    assert net.subs({net.symbol("N"): 13}).derive().totals["params"] <= 10 ** 6 < \
        net.subs({net.symbol("N"): 14}).derive().totals["params"]
