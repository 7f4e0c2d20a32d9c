"""Figures in the keys: every bar is a number of the derived table, the scale orders bars as their
values, each printer draws every bar, --brief keeps figures and tables without the worked layers, and
the Inception branch chart adds up to each module's total."""

from __future__ import annotations

import re

import pytest
import sympy as sp

import symcnn
from symcnn import keys
from symcnn.cli import main
from symcnn.keys.document import BarChart, Worked
from symcnn.keys.figures import branch_chart, layer_charts
from symcnn.render import render
from symcnn.render.charts import lengths


@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16", "resnet18"])
def test_charts_hold_the_table_numbers(name):
    t = symcnn.table(name)
    charts = {c.caption.split(":")[0]: c for c in layer_charts(t)}
    cost = charts["Parameters and multiply-adds per layer"]
    rows = [r for r in t.rows if r.params != 0 or r.macs != 0]
    assert cost.labels == tuple(r.name for r in rows)
    assert cost.series[0][1] == tuple(r.params for r in rows) and cost.series[1][1] == tuple(r.macs for r in rows)
    field = charts["Receptive field and jump per layer"]
    for label, rf in zip(field.labels, field.series[0][1]):
        assert t.row(label).field.rh == rf


def test_the_scale_orders_bars_as_their_values():
    chart = BarChart("c", ("a", "b", "c", "d"), (("x", (sp.Integer(0), sp.Integer(10), sp.Integer(10 ** 6),
                                                          sp.Integer(1000))),))
    (bars,) = lengths(chart, 100)
    assert bars[0] == 0 and bars[1] < bars[3] < bars[2] == 100
    linear = BarChart("c", ("a", "b"), (("x", (sp.Integer(5), sp.Integer(10))),), log=False)
    assert lengths(linear, 100) == [[50.0, 100.0]]


@pytest.mark.parametrize("fmt", ["html", "latex", "markdown"])
def test_every_printer_draws_every_bar(fmt):
    t = symcnn.table("alexnet")
    chart = layer_charts(t)[0]
    out = render(keys.Document("d", (chart,)), fmt)
    bars = sum(1 for _, values in chart.series for v in values if v != 0)
    if fmt == "html":
        assert out.count("<rect") == bars + len(chart.series)  # and one legend swatch per series
    elif fmt == "latex":
        assert out.count("\\rule{") == bars + len(chart.series)  # and the legend's rules
    else:
        assert sum(1 for line in out.splitlines() if line.startswith("| ") and "█" in line) == len(chart.labels)
    for values in (v for _, vs in chart.series for v in vs):
        assert f"{int(values):,}" in out


def test_brief_key(tmp_path, capsys):
    doc = keys.network_key(symcnn.table("vgg19"), brief=True)
    assert not any(isinstance(b, Worked) for b in doc.blocks)
    assert sum(isinstance(b, BarChart) for b in doc.blocks) == 3
    assert main(["answer-key", "vgg19", "--brief", "-o", str(tmp_path), "-f", "markdown"]) == 0
    assert "Figures" in (tmp_path / "vgg19.md").read_text()


def test_inception_branches_add_up_to_each_module():
    naive, reduced = symcnn.table("inception-naive"), symcnn.table("inception-reduced")
    for q in ("macs", "params"):
        chart = branch_chart(naive, reduced, q)
        assert sum(chart.series[0][1]) == naive.totals[q] and sum(chart.series[1][1]) == reduced.totals[q]
    text = render(keys.problems_document(), "markdown")
    assert re.search(r"Multiply-adds per branch", text)
