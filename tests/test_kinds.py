"""The layer-kind registry: every kind is one file that declares everything about it,
the README's table is generated from the registry, and every kind that maps to
PyTorch round-trips through a real module (built by its to_module, read back by
its from_module, counted against numel() and the traced shape)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sympy as sp

import symcnn
from symcnn.convention import DEFAULT
from symcnn.layers import KINDS, kind, kinds_markdown
from symcnn.layers.base import Shape

ROOT = Path(__file__).resolve().parent.parent


def test_readme_kind_table_is_generated_from_the_registry():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- kinds:start[^>]*-->\n(.*?)<!-- kinds:end -->", text, re.S)
    assert block, "README lost its generated kinds table"
    assert block.group(1) == kinds_markdown(), (
        "README's kind table is stale: paste the output of "
        "python3 -c 'import symcnn.layers as L; print(L.kinds_markdown(), end=\"\")'")


def test_every_kind_is_one_module_with_a_kind():
    import importlib

    modules = sorted(p.stem for p in (ROOT / "symcnn" / "layers").glob("*.py")
                     if p.stem not in ("__init__", "base", "merge", "learned"))
    held = [importlib.import_module(f"symcnn.layers.{m}").KIND for m in modules]
    assert sorted(k.name for k in held) == sorted(KINDS)  # every file is a kind, every kind is a file
    assert all(KINDS[k.name] is k for k in held)


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_completes_and_derives(name):
    k = KINDS[name]
    values = {p.name: (3 if p.kind != "bool" else True) for p in k.params if p.required}
    values.update({"permute": {"to": "hwc"}, "split": {"part": 2}}.get(name, {}))
    args = k.complete(values)
    assert set(args) == {p.name for p in k.params}
    x = Shape(sp.Integer(6), sp.Integer(1 if k.flat_input else 9), sp.Integer(1 if k.flat_input else 9))
    if name == "flatten" or k.flat_input:
        x = Shape(sp.Integer(6), sp.Integer(1), sp.Integer(1))
    layout = k.layouts[0]
    if layout == "seq":
        x = Shape(sp.Integer(6), sp.Integer(9), sp.Integer(1), "seq")
    elif layout != "chw":
        x = Shape(sp.Integer(6), sp.Integer(9), sp.Integer(9), layout)
    d = k.derive(args, x, DEFAULT)
    assert all(isinstance(v, sp.Basic) for v in d.output.as_tuple())
    for field in k.channels:
        assert k.param(field) is not None
    for slip in k.slips:
        from symcnn.grading import SLIPS

        assert slip in SLIPS, f"{name} names an unknown slip {slip!r}"


@pytest.mark.parametrize("name, spec, ops", [("relu6", "relu6", 1), ("hardswish", "hardswish", 4), ("silu", "silu", 2)])
def test_new_activation_kinds(name, spec, ops):
    t = symcnn.loads(f"input 3 8 8\nconv 4 k=3\n{spec}").derive(DEFAULT.replace(other_ops=True))
    row = t.rows[-1]
    assert row.kind == name and row.params == 0 and row.output.as_tuple() == (4, 6, 6)
    assert row.derivation.other_ops == ops * 4 * 6 * 6
    assert kind(name) is KINDS[name]


torch = pytest.importorskip("torch") if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1" else __import__("torch")


#: kinds that torch.nn can build but not on a spec's channels-first input: tested on real models instead
NO_ROUND_TRIP = {"layernorm": "nn.LayerNorm normalises the last axis; a channels-first map needs a permute, "
                              "which torch.nn has no module for (tests/test_torchvision.py reads ConvNeXt's)"}


@pytest.mark.torch
@pytest.mark.parametrize("name", [n for n, k in KINDS.items()
                                  if k.torch_modules and k.to_module is not None and n not in NO_ROUND_TRIP])
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


def test_printer_registry_matches_the_printers():
    """render.FORMATS (read without importing any printer) says exactly what each printer prints."""
    from symcnn.render import FORMATS, printer

    for fmt, (_module, ext, shows) in FORMATS.items():
        p = printer(fmt)
        assert p.format == fmt and p.extension == ext
        printed = {name[len("_print_"):] for name in dir(p) if name.startswith("_print_")}
        blocks = {"Heading", "Para", "Bullets", "Worked", "DataTable", "ProofBlock", "BarChart"}  # a Document's parts
        assert set(shows) <= printed and printed - set(shows) <= blocks, (fmt, printed, shows)
