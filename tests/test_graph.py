"""General graphs: the spec's ``graph:`` block, gates, and DAGs read from PyTorch."""

from __future__ import annotations

import os

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


torch = pytest.importorskip("torch") if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1" else __import__("torch")


class _Reused(torch.nn.Module):
    """x feeds a join and, after it, another join: not nested blocks."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Conv2d(8, 8, 1)
        self.b = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.c = torch.nn.Conv2d(16, 8, 1)

    def forward(self, x):
        s = x + self.a(x)
        t = self.b(s) + x + s
        return self.c(torch.cat([t, x], 1))


@pytest.mark.torch
def test_dag_from_torch_counts_every_parameter_once():
    from symcnn.pytorch import from_torch

    m = _Reused()
    net = from_torch(m, (8, 6, 6))
    t = net.derive()
    assert t.totals["params"] == sum(p.numel() for p in m.parameters())
    kinds = [r.kind for r in t.rows]
    assert kinds.count("add") == 3 and kinds.count("concat") == 1 and kinds.count("conv") == 3
    with torch.no_grad():
        assert tuple(m(torch.zeros(1, 8, 6, 6)).shape[1:]) == tuple(int(v) for v in t.rows[-1].output.as_tuple())


@pytest.mark.torch
def test_a_module_of_two_computed_inputs_is_refused_by_name():
    from symcnn.pytorch import from_torch

    class TwoInputs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Conv2d(4, 4, 1)

        def forward(self, x):
            return torch.maximum(self.a(x), x)

    with pytest.raises(SymcnnError, match="maximum"):
        from_torch(TwoInputs(), (4, 4, 4))


def test_asymmetric_padding_is_a_pad_layer():
    """TensorFlow's SAME at stride 2 on an even input: one row and column after, none before."""
    t = symcnn.loads("input 3 224 224\npad 0 1 0 1\nconv 32 k=3 s=2\n").derive()
    # by hand: (224 + 1 - 3)/2 + 1 = 112 exactly, the padded row and column used by the last window
    assert t.rows[-1].output.as_tuple() == (32, 112, 112) and not t.rows[-1].notes
    # the field: 3 wide, its first centre one pixel right of the unpadded conv's (no padding on top)
    assert t.rows[-1].rf == (3, 3) and t.rows[-1].field.starth == 1
    with pytest.raises(SpecError, match="pad TOP BOTTOM LEFT RIGHT"):
        symcnn.loads("input 3 8 8\nconv 4 k=3 p=0,1,1,0\n")


@pytest.mark.torch
def test_pad_from_torch_modules_and_functions():
    from symcnn.pytorch import from_torch

    m = torch.nn.Sequential(torch.nn.ZeroPad2d((0, 1, 2, 3)), torch.nn.Conv2d(3, 4, 3, stride=2))
    t = from_torch(m, (3, 10, 10)).derive()
    assert [r.kind for r in t.rows] == ["pad", "conv"]
    assert t.rows[0].output.as_tuple() == (3, 15, 11)

    class Functional(torch.nn.Module):
        def forward(self, x):
            return torch.nn.functional.pad(x, (1, 1, 0, 2))

    assert from_torch(Functional(), (3, 5, 5)).derive().rows[0].output.as_tuple() == (3, 7, 7)


@pytest.mark.torch
@pytest.mark.parametrize("k, s, p, op, d, g", [(4, 2, 1, 0, 1, 1), (3, 2, 1, 1, 1, 1), (2, 2, 0, 0, 1, 2),
                                               (5, 3, 2, 2, 1, 1), (3, 1, 0, 0, 2, 4), (4, 2, 3, 0, 1, 1)])
def test_transposed_convolution_against_a_real_layer(k, s, p, op, d, g):
    """Output size, parameters, multiply-adds (FlopCounterMode on a real forward pass) and the
    receptive field: the input pixels with a non-zero gradient for an output lie in the field,
    which spans at most one input step past them on each side."""
    from torch.utils.flop_counter import FlopCounterMode

    from symcnn.pytorch import from_torch

    m = torch.nn.ConvTranspose2d(8, 4, k, stride=s, padding=p, output_padding=op, dilation=d, groups=g)
    spec = f"input 8 7 7\nconvtranspose 4 k={k} s={s} p={p} op={op} d={d} g={g}\n"
    row = symcnn.loads(spec).derive().rows[-1]
    x = torch.rand(1, 8, 7, 7, requires_grad=True)
    with FlopCounterMode(display=False) as counter:
        y = m(x)
    assert tuple(y.shape[1:]) == tuple(int(v) for v in row.output.as_tuple())
    assert row.params == sum(q.numel() for q in m.parameters())
    assert row.macs == counter.get_total_flops() // 2
    assert from_torch(m, (8, 7, 7)).derive().rows[-1].params == row.params
    f = row.field
    for o in range(y.shape[2]):
        x.grad = None
        y[0, :, o, o].sum().backward(retain_graph=True)
        rows = torch.nonzero(x.grad[0].abs().sum(0) > 0, as_tuple=True)[0]
        if rows.numel() == 0:
            continue
        centre = f.starth + o * f.jh
        lo, hi = centre - (f.rh - 1) / 2, centre + (f.rh - 1) / 2
        assert lo <= rows.min().item() and rows.max().item() <= hi, (o, lo, hi, rows.tolist())
        # the field may run past the input's edge (as over padding): compare within the input
        assert rows.min().item() - max(lo, 0) <= 1 and min(hi, x.shape[2] - 1) - rows.max().item() <= 1


@pytest.mark.torch
@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_upsample_against_real_layers(mode):
    from symcnn.pytorch import from_torch

    m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Upsample(scale_factor=3, mode=mode))
    t = from_torch(m, (3, 9, 9)).derive()
    assert [r.kind for r in t.rows] == ["conv", "upsample"] and t.rows[-1].output.as_tuple() == (4, 21, 21)

    class Functional(torch.nn.Module):
        def forward(self, x):
            return torch.nn.functional.interpolate(x, scale_factor=2, mode=mode)

    assert from_torch(Functional(), (3, 5, 5)).derive().rows[0].output.as_tuple() == (3, 10, 10)
    x = torch.rand(1, 1, 6, 6, requires_grad=True)
    y = torch.nn.Upsample(scale_factor=3, mode=mode)(x)
    f = symcnn.loads(f"input 1 6 6\nupsample 3 mode={mode}\n").derive().rows[-1].field
    for o in range(y.shape[2]):
        x.grad = None
        y[0, 0, o, o].backward(retain_graph=True)
        rows = torch.nonzero(x.grad[0, 0] != 0, as_tuple=True)[0]
        centre = f.starth + o * f.jh
        lo, hi = centre - (f.rh - 1) / 2, centre + (f.rh - 1) / 2
        assert lo - 1e-9 <= rows.min().item() and rows.max().item() <= hi + 1e-9, (o, float(lo), float(hi), rows.tolist())
