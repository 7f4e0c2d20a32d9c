"""The spec format: what it can express, and what it refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

import symcnn
from symcnn import expr as E

ROOT = Path(__file__).resolve().parent.parent


def test_readme_example_is_the_example_file_and_works():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```\n(# A small network.*?)```", readme, re.S)
    assert blocks, "README must show examples/mynet.cnn"
    assert blocks[0] == (ROOT / "examples" / "mynet.cnn").read_text()
    net = symcnn.load(ROOT / "examples" / "mynet.cnn")
    C = E.size_symbol("C")
    t = net.derive()
    assert t.free_symbols == {C}
    # stem 27C, block 2 * 9C^2, mix: C*C + (C*C/2 + 9*C*C/2 ... ) written out:
    stem = 27 * C
    block = 2 * 9 * C * C
    bn = 2 * C * 3  # three batch norms, gamma and beta each
    mix = (C * C + C) + (C * C / 2 + C / 2) + (9 * C / 2 * C + C) + (C * C / 2 + C / 2)
    mix_out = C + C + C / 2
    fc = mix_out * 10 + 10
    assert sp.expand(t.totals["params"] - (stem + block + bn + mix + fc)) == 0
    assert t.rows[-1].output.as_tuple() == (10, 1, 1)
    # with numbers put in, the same network gives the numeric table
    assert t.subs({"C": 32}).totals["params"] == (stem + block + bn + mix + fc).subs(C, 32)


def test_repeat_labels_and_counter():
    net = symcnn.loads("input 3 32 32\nrepeat 3:\n  conv{i}: conv 8*i k=3 p=1\n  relu\n")
    names = [l.name for l in net.layers()]
    assert names == ["conv1", "relu1", "conv2", "relu2", "conv3", "relu3"]
    assert [r.output.c for r in net.derive().rows if r.kind == "conv"] == [8, 16, 24]


def test_labelled_repeat_prefixes_iterations():
    net = symcnn.loads("input 3 32 32\nstage: repeat 2: conv 4 k=1; relu\n")
    assert [l.name for l in net.layers()] == ["stage.1.conv1", "stage.1.relu1", "stage.2.conv1", "stage.2.relu1"]


def test_def_with_defaults_and_keyword_arguments():
    text = "input 3 32 32\ndef cbr(c, k=3):\n  conv c k=k p=(k-1)/2\n  relu\na: cbr 16\nb: cbr c=8 k=5\n"
    net = symcnn.loads(text)
    rows = net.derive().rows
    assert [l.name for l in net.layers()] == ["a.conv1", "a.relu1", "b.conv1", "b.relu1"]
    assert rows[2].weights == 8 * 16 * 25


def test_symbolic_values_keep_assumptions():
    net = symcnn.loads("input C H W\nconv 2*k k=3 p=P\n")
    syms = {s.name: s for s in net.free_symbols()}
    assert syms["C"].is_positive and syms["C"].is_integer
    assert syms["P"].is_nonnegative and syms["P"].is_integer and syms["P"].is_positive is None
    net = symcnn.loads("symbol alpha real\ninput 3 32 32\nconv 64*alpha k=3\n")
    alpha = net.symbol("alpha")
    assert alpha.is_positive and alpha.is_integer is None


def test_padding_same():
    t = symcnn.loads("input 3 17 17\nconv 8 k=5 p=same\nconv 8 k=3 d=2 p=same\n").derive()
    assert [r.output.h for r in t.rows] == [17, 17]
    with pytest.raises(symcnn.DerivationError, match="odd"):
        symcnn.loads("input 3 17 17\nconv 8 k=4 p=same\n").derive()


def test_non_square_kernels_and_strides():
    t = symcnn.loads("input 3 32 20\nconv 8 k=3,5 s=1,2 p=1,2\n").derive()
    r = t.rows[0]
    assert r.output.as_tuple() == (8, 32, 10)
    assert r.weights == 8 * 3 * 3 * 5
    assert r.rf == (3, 5)


def test_depthwise_and_grouped():
    t = symcnn.loads("input 32 16 16\ndw: conv 32 k=3 p=1 g=32\npw: conv 64 k=1\n").derive()
    dw, pw = t.rows
    assert dw.weights == 32 * 1 * 9 and dw.macs == 16 * 16 * 32 * 9
    assert pw.weights == 64 * 32


@pytest.mark.parametrize("text, message", [
    ("input 3 8 8\nconvv 4 k=3", r"<spec>:2: layer 'convv1': unknown layer kind 'convv' \(did you mean conv"),
    ("input 3 8 8\nc1: conv 4", r"<spec>:2: layer 'c1': conv: missing field 'k'"),
    ("input 3 8 8\nflatten\nfc: linear 10 in=100", r"layer 'fc': in_features is declared as 100 but the input has 192"),
    ("input 3 8 8\nc: conv 4 k=3 in=4", r"layer 'c': in_channels is declared as 4 but the input has 3"),
    ("input 3 8 8\nb: bn c=4", r"layer 'b': channels is declared as 4 but the input has 3"),
    ("input 3 8 8\nm: concat\n  conv 4 k=3\n  conv 4 k=1", r"<spec>:2: layer 'm': concat: path 2 gives 4x8x8 but path 1 gives 4x6x6"),
    ("input 3 8 8\nr: residual\n  conv 4 k=3 p=1", r"layer 'r': residual add: path 2 gives 3x8x8 but path 1 gives 4x8x8"),
    ("input 3 8 8\ng: conv 4 k=3 g=2", r"layer 'g': input channels / groups: 3 is not divisible by 2"),
    ("input 3 8 8\nc: conv 4 k=3 q=2", r"conv has no field 'q'"),
    ("input 3 8 8\nc: conv 4 k=__import__('os')", r"not a valid expression|not allowed"),
    ("input 3 8 8\n\tconv 4 k=3", r"tabs"),
    ("input 3 8 8\na: relu\na: relu", r"duplicate layer name 'a'"),
    ("conv 4 k=3", r"missing 'input C H W'"),
    ("", r"missing 'input C H W'"),
    ("input 3 8 8", r"no layers"),
    ("input 3 8\nrelu", r"expected 'input C H W'"),
    ("input 3 8 8\nrepeat 0: relu", r"repeat count must be an integer from 1"),
    ("input 3 8 8\nrelu\n  relu", r"unexpected indentation"),
    ("input 3 8 8\nconcat:\n  relu", r"at least two branches"),
    ("input 3 8 8\ndef f(a):\n  f a\nf 1", r"nested more than"),
    ("input 3 8 8\nc: conv 4 k=3 bias=maybe", r"must be true or false"),
    ("input 3 8 8\nc: conv 4 k=3 s=0", r"stride must be a positive integer, got 0"),
    ("input 3 8 8\nc: conv 4 k=3 p=-1", r"padding must be a non-negative integer"),
    ("input 3 8 8\nc: conv 4 k=9", r"larger than the padded input"),
])
def test_errors_name_the_file_line_layer_and_problem(text, message):
    with pytest.raises(symcnn.SymcnnError) as info:
        symcnn.loads(text).derive()
    msg = info.value.oneline()
    assert "\n" not in msg
    assert re.search(message, msg), msg


def test_exact_division_refuses_windows_that_do_not_tile():
    net = symcnn.loads("input 3 8 8\np: maxpool k=3 s=2")
    assert net.derive().rows[0].output.h == 3  # floor((8 - 3)/2) + 1, noted
    assert net.derive().rows[0].notes
    with pytest.raises(symcnn.DerivationError, match=r"<spec>:2: layer 'p': height: \(8 - 3 \+ 2\*0\)/2 \+ 1 = 3.5"):
        net.derive(symcnn.Convention(division="exact"))


def test_exact_division_keeps_symbolic_sizes_exact():
    net = symcnn.loads("input C H H\nconv C k=3 s=2 p=1\n")
    assert net.derive(symcnn.Convention(division="exact")).rows[0].output.h == (E.size_symbol("H") - 1) / 2 + 1
    assert net.derive().rows[0].output.h == sp.floor((E.size_symbol("H") - 1) / 2) + 1


def test_nested_floors_collapse():
    H = E.size_symbol("H")
    net = symcnn.loads("input 3 H H\n" + "maxpool k=2 s=2\n" * 5)
    # floor(floor(H/2)/2) = floor(H/4), so five pools give floor(H/32)
    assert net.derive().rows[-1].output.h == sp.floor(H / 32)


def test_zoo_files_parse_the_same_as_the_spec_loader(tmp_path):
    from symcnn import zoo

    for name in zoo.names():
        path = tmp_path / f"{name}.cnn"
        path.write_text(zoo.text(name))
        assert symcnn.load(path).derive().totals == symcnn.table(name).totals


def test_deep_symbolic_networks_stay_one_floor_deep():
    """Ten stride-2 stages, 300 convolutions, a symbolic input size: the output
    size is a single floor, not three hundred nested ones."""
    H = E.size_symbol("H")
    text = "input 3 H H\nrepeat 10:\n" + "  conv 8 k=3 p=1\n" * 30 + "  maxpool k=2 s=2\n"
    row = symcnn.loads(text).derive().rows[-1]
    assert row.output.h == sp.floor(H / 1024)
    assert sp.count_ops(row.output.h) <= 2
