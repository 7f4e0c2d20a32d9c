"""The layer-kind registry: every kind is one file that declares everything about it,
the README's table is generated from the registry, and every kind that maps to
PyTorch round-trips through a real module (built by its to_module, read back by
its from_module, counted against numel() and the traced shape)."""

from __future__ import annotations

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
                     if p.stem not in ("__init__", "base"))
    held = [importlib.import_module(f"symcnn.layers.{m}").KIND for m in modules]
    assert sorted(k.name for k in held) == sorted(KINDS)  # every file is a kind, every kind is a file
    assert all(KINDS[k.name] is k for k in held)


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_completes_and_derives(name):
    k = KINDS[name]
    values = {p.name: (3 if p.kind != "bool" else True) for p in k.params if p.required}
    values.update({"permute": {"to": "hwc"}, "split": {"part": 2}, "channelslice": {"start": 1, "stop": 3}}.get(name, {}))
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




def test_printer_registry_matches_the_printers():
    """render.FORMATS (read without importing any printer) says exactly what each printer prints."""
    from symcnn.render import FORMATS, printer

    for fmt, (_module, ext, shows) in FORMATS.items():
        p = printer(fmt)
        assert p.format == fmt and p.extension == ext
        printed = {name[len("_print_"):] for name in dir(p) if name.startswith("_print_")}
        blocks = {"Heading", "Para", "Bullets", "Worked", "DataTable", "ProofBlock", "BarChart"}  # a Document's parts
        assert set(shows) <= printed and printed - set(shows) <= blocks, (fmt, printed, shows)
