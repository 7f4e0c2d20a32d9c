"""Every layer kind that torch.nn builds, against real modules (the torch half of tests/test_kinds.py: a run
without torch skips this file, never the kinds' torch-free tests)."""

from __future__ import annotations

import os

import pytest

import symcnn
from symcnn.layers import KINDS

torch = pytest.importorskip("torch") if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1" else __import__("torch")


#: kinds that torch.nn can build but not on a spec's channels-first input: tested on real models instead
NO_ROUND_TRIP = {"layernorm": "nn.LayerNorm normalises the last axis; a channels-first map needs a permute, "
                              "which torch.nn has no module for (tests/test_torchvision.py reads ConvNeXt's)"}


@pytest.mark.torch
@pytest.mark.parametrize("name", [n for n, k in KINDS.items()
                                  if k.torch.modules and k.torch.to_module is not None and n not in NO_ROUND_TRIP])
def test_every_torch_kind_round_trips(name):
    from symcnn.pytorch import from_torch, to_torch

    body = {
        "conv": "conv 4 k=3 p=1", "maxpool": "maxpool k=2", "avgpool": "avgpool k=2",
        "adaptiveavgpool": "adaptiveavgpool 2", "adaptivemaxpool": "adaptivemaxpool 2",
        "linear": "flatten\nlinear 5", "flatten": "flatten", "batchnorm": "bn", "lrn": "lrn 3",
        "shuffle": "shuffle 2", "groupnorm": "groupnorm 3", "pad": "pad 0 1 2 3",
        "convtranspose": "convtranspose 4 k=4 s=2 p=1 op=1", "upsample": "upsample 2 mode=bilinear",
    }.get(name, name)
    net = symcnn.loads(f"input 6 8 8\n{body}\n")
    module = to_torch(net)
    back = from_torch(module, (6, 8, 8))
    a, b = net.derive(), back.derive()
    assert a.totals["params"] == b.totals["params"] == sum(p.numel() for p in module.parameters())
    kinds_back = [r.kind for r in b.rows]
    if name == "identity":
        assert kinds_back == []  # a pass-through: nothing to count
    else:
        assert name in kinds_back and a.rows[-1].output == b.rows[-1].output
    module.eval()
    with torch.no_grad():
        y = module(torch.zeros(1, 6, 8, 8))
    out = tuple(int(v) for v in a.rows[-1].output.as_tuple()) if a.rows else (6, 8, 8)
    assert tuple(y.shape[1:]) in (out, (out[0],))


@pytest.mark.torch
@pytest.mark.parametrize("module_name, kind_name", [("ReLU6", "relu6"), ("Hardswish", "hardswish"), ("SiLU", "silu")])
def test_new_kinds_read_from_torch_modules_and_functions(module_name, kind_name):
    from symcnn.pytorch import from_torch

    nn = torch.nn
    F = torch.nn.functional
    m = nn.Sequential(nn.Conv2d(3, 4, 3), getattr(nn, module_name)())
    t = from_torch(m, (3, 8, 8)).derive()
    assert [r.kind for r in t.rows] == ["conv", kind_name]

    fn = {"relu6": F.relu6, "hardswish": F.hardswish, "silu": F.silu}[kind_name]

    class Functional(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(3, 4, 3)

        def forward(self, x):
            return fn(self.c(x))

    t = from_torch(Functional(), (3, 8, 8)).derive()
    assert [r.kind for r in t.rows] == ["conv", kind_name]
