"""General graphs: the spec's ``graph:`` block, gates, and DAGs read from PyTorch."""

from __future__ import annotations

import pytest
import sympy as sp

import symcnn
from symcnn.errors import SpecError, SymcnnError
from tests.harness import run_cli

DENSE = """input 16 8 8
dense: graph:
  a: conv 8 k=3 p=1
  ab: concat <- input, a
  b: conv 8 k=3 p=1
  out: concat <- input, a, b
"""


def test_dense_block_by_named_tensors():
    t = symcnn.loads(DENSE).derive()
    rows = {r.name: r for r in t.rows}
    # by hand: a reads 16 channels, b reads 16 + 8; the block's output is 16 + 8 + 8
    assert rows["dense.a"].weights == 8 * 16 * 9 and rows["dense.b"].weights == 8 * 24 * 9
    assert rows["dense.out"].output.as_tuple() == (32, 8, 8)
    assert rows["dense.ab"].output.c == 24
    # receptive field: b sees a's 3x3 field through another 3x3: 5; the union over paths is 5
    assert rows["dense.out"].rf == (5, 5)


def test_three_way_add_and_a_path_reused_after_a_join():
    net = symcnn.loads("""input 8 6 6
graph:
  a: conv 8 k=1
  s: add <- input, a
  b: conv 8 k=3 p=1
  t: add <- s, b, input
""")
    rows = {r.name: r for r in net.derive().rows}
    assert rows["t"].kind == "add" and rows["t"].derivation.other_ops == 2 * 8 * 6 * 6
    assert rows["t"].rf == (3, 3)


def test_graph_width_is_symbolic():
    net = symcnn.loads(DENSE.replace("input 16 8 8", "input C H H").replace("conv 8", "conv K"))
    out = net.derive().row("dense.out").output
    assert sp.simplify(out.c - (net.symbol("C") + 2 * net.symbol("K"))) == 0


@pytest.mark.parametrize("body, message", [
    ("  a: conv 4 k=1\n  b: conv 4 k=1 <- zz\n", "unknown tensor 'zz'"),
    ("  a: conv 4 k=1\n  b: conv 4 k=1 <- input\n", "'a' is never used"),
    ("  a: conv 4 k=1\n  add <- a\n", "needs two or more inputs"),
    ("  a: conv 4 k=1\n  b: conv 4 k=1 <- a, input\n", "takes one input"),
    ("  a: conv 4 k=1\n  residual: <- a\n    relu\n", "'<-' names the inputs"),
    ("  a: conv 4 k=1\n  add 3 <- a, input\n", "a join (add) takes no values"),
    ("  a: conv 4 k=1\n  s: add <- a, input\n  s: relu\n", "duplicate layer name"),
])
def test_graph_errors_name_the_problem(body, message):
    with pytest.raises(SpecError) as err:
        symcnn.loads(f"input 4 4 4\ngraph:\n{body}")
    assert message in str(err.value)


def test_graph_errors_exit_2_with_one_line(tmp_path):
    path = tmp_path / "g.cnn"
    path.write_text("input 4 4 4\ngraph:\n  a: conv 4 k=1\n  b: conv 4 k=1 <- nowhere\n")
    rc, out, err = run_cli(["table", str(path)], codes=(2,))
    assert rc == 2 and err.count("\n") == 1 and "nowhere" in err


def test_join_shapes_must_agree():
    with pytest.raises(SymcnnError, match="residual add"):
        symcnn.loads("input 4 4 4\ngraph:\n  a: conv 8 k=1\n  add <- a, input\n").derive()


def test_gate_broadcasts_and_refuses_a_shortcut():
    t = symcnn.loads("input 16 8 8\ngate:\n  adaptiveavgpool 1\n  conv 16 k=1\n  sigmoid\n").derive()
    row = t.rows[-1]
    assert row.kind == "mul" and row.output.as_tuple() == (16, 8, 8)
    assert row.derivation.other_ops == 16 * 8 * 8
    with pytest.raises(SpecError, match="takes no shortcut"):
        symcnn.loads("input 4 4 4\ngate:\n  conv 4 k=1\n  shortcut:\n    relu\n")


def test_label_may_start_with_a_counter():
    net = symcnn.loads("input 4 8 8\nrepeat 2:\n  {i}: conv 4 k=3 p=1\n")
    assert [l.name for l in net.layers()] == ["1", "2"]




def test_asymmetric_padding_is_a_pad_layer():
    """TensorFlow's SAME at stride 2 on an even input: one row and column after, none before."""
    t = symcnn.loads("input 3 224 224\npad 0 1 0 1\nconv 32 k=3 s=2\n").derive()
    # by hand: (224 + 1 - 3)/2 + 1 = 112 exactly, the padded row and column used by the last window
    assert t.rows[-1].output.as_tuple() == (32, 112, 112) and not t.rows[-1].notes
    # the field: 3 wide, its first centre one pixel right of the unpadded conv's (no padding on top)
    assert t.rows[-1].rf == (3, 3) and t.rows[-1].field.starth == 1
    with pytest.raises(SpecError, match="pad TOP BOTTOM LEFT RIGHT"):
        symcnn.loads("input 3 8 8\nconv 4 k=3 p=0,1,1,0\n")

