"""Graphs read from real torch modules (the torch half of tests/test_graph.py: a run without torch skips this
file, never the graphs' torch-free tests)."""

from __future__ import annotations

import os

import pytest

import symcnn

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

    # no kind reads the maximum of two tensors: the stretch of the forward from x to it is one composite layer
    table = from_torch(TwoInputs(), (4, 4, 4)).derive()
    assert [r.kind for r in table.rows] == ["composite"]
    assert (table.totals["params"], table.totals["macs"]) == (4 * 4 + 4, 16 * 16)


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
