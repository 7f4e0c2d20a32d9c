"""symcnn check: numbers as people write them, correct claims never marked
wrong, and every catalogued slip, generated here independently, diagnosed."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import symcnn
from symcnn.cli import main
from symcnn.grading import ClaimsError, check_text, parse_number


def grade(text):
    verdicts = check_text(text).verdicts
    return verdicts


def one(text):
    (v,) = grade(text)
    return v


@given(n=st.integers(1, 10 ** 12))
def test_numbers_written_many_ways(n):
    assert parse_number(f"{n:,}").value == n
    assert parse_number(f"{n:,}".replace(",", " ")).value == n
    assert parse_number(str(n)).tolerance == 0
    for suffix, scale in (("k", 10 ** 3), ("M", 10 ** 6), ("G", 10 ** 9)):
        if n >= scale:
            written = f"~{n / scale:.1f}{suffix}"
            assert parse_number(written).matches(n), written
    assert parse_number(f"{n:.3e}").matches(n)


def test_number_tolerances():
    assert parse_number("138M").tolerance == 500_000
    assert parse_number("2.45e9").tolerance == 5_000_000
    assert parse_number("64.4%").value == Fraction(644, 1000) and parse_number("64.4%").tolerance == Fraction(5, 10000)
    assert parse_number("61 MB", bytes_unit=True).value == 61_000_000
    assert parse_number("58.1 MiB", bytes_unit=True).value == Fraction(581, 10) * 2 ** 20
    assert parse_number("1,000 +- 5").tolerance == 5
    assert parse_number("1,000 ± 1%").tolerance == 10
    with pytest.raises(ClaimsError):
        parse_number("lots")


NETS = ["lenet5", "alexnet", "vgg11", "zfnet", "inception-reduced", "resnet18"]


def _write(v, how):
    v = int(v)
    if how == 0:
        return f"{v:,}"
    if how == 1:
        return f"{v:,}".replace(",", " ")
    if how == 2:
        return str(v)
    return f"{v:.4e}"


@settings(max_examples=150)
@given(net=st.sampled_from(NETS), data=st.data())
def test_correct_claims_are_never_marked_wrong(net, data):
    t = symcnn.table(net)
    row = data.draw(st.sampled_from([r for r in t.rows if r.layer is not None]))
    quantity = data.draw(st.sampled_from(["output", "weights", "biases", "params", "activations", "macs", "flops"]))
    how = data.draw(st.integers(0, 3))
    if quantity == "output":
        c, h, w = (int(x) for x in row.output.as_tuple())
        value = data.draw(st.sampled_from([f"{c}x{h}x{w}", f"{h} x {w} x {c}"]))
    else:
        value = _write(getattr(row, quantity), how)
    v = one(f"network {net}\n{row.name} {quantity} = {value}\n")
    assert v.status in ("right", "right-under-convention"), (v.claim.text, v.note)
    total = data.draw(st.sampled_from(["params", "weights", "macs", "activations", "bytes"]))
    key = {"bytes": "bytes_forward"}.get(total, total)
    v = one(f"network {net}\ntotal {total} = {_write(t.totals[key], how)}\n")
    assert v.status == "right", v.note


@settings(max_examples=60)
@given(net=st.sampled_from(NETS), data=st.data())
def test_digit_group_dropped(net, data):
    t = symcnn.table(net)
    value = int(t.totals["macs"])
    groups = f"{value:,}".split(",")
    assume(len(groups) >= 3)
    i = data.draw(st.integers(0, len(groups) - 1))
    slipped = ",".join(groups[:i] + groups[i + 1:])
    v = one(f"network {net}\ntotal macs = {slipped}\n")
    assert v.status == "wrong" and v.slip == "digit-group-dropped", (slipped, v.slip)


@pytest.mark.parametrize("net, layer", [("vgg16", "fc6"), ("vgg19", "fc6"), ("alexnet", "fc6"), ("zfnet", "fc6")])
def test_fc_fed_its_channels_instead_of_the_flattened_map(net, layer):
    t = symcnn.table(net)
    flatten_in = next(r for r in t.rows if r.kind == "flatten").input
    out = int(t.row(layer).output.c)
    wrong = int(flatten_in.c) * out  # 512 * 4096 instead of 512*7*7 * 4096
    v = one(f"network {net}\n{layer} weights = {wrong:,}\n")
    assert v.slip == "fc-input-unflattened"


@settings(max_examples=40)
@given(net=st.sampled_from(["vgg11", "vgg16", "resnet18", "inception-reduced"]), data=st.data())
def test_cost_of_a_conv_taken_with_another_kernel(net, data):
    t = symcnn.table(net)
    convs = [r for r in t.rows if r.kind == "conv" and r.layer.arg_dict["k"][0] == 3 and r.layer.arg_dict["g"] == 1]
    assume(convs)
    row = data.draw(st.sampled_from(convs))
    cin, cout = int(row.input.c), int(row.output.c)
    h, w = int(row.output.h), int(row.output.w)
    k2 = data.draw(st.sampled_from([5, 7]))
    quantity = data.draw(st.sampled_from(["weights", "macs"]))
    wrong = k2 * k2 * cin * cout * (h * w if quantity == "macs" else 1)
    v = one(f"network {net}\n{row.name} {quantity} = {wrong:,}\n")
    assert v.slip == "wrong-kernel", v.note


@pytest.mark.parametrize("net, layer", [("alexnet-224", "conv1"), ("zfnet", "conv1"), ("alexnet-torchvision", "features.0")])
def test_ceiling_where_the_formula_floors(net, layer):
    row = symcnn.table(net).row(layer)
    a = row.layer.arg_dict
    n, k, s, p = int(row.input.h), int(a["k"][0]), int(a["s"][0]), int(a["p"][0])
    ceil = math.ceil((n - k + 2 * p) / s) + 1  # the slip, by hand
    assert ceil != int(row.output.h)
    v = one(f"network {net}\n{layer} output = {ceil}x{ceil}x{int(row.output.c)}\n")
    assert v.slip == "ceil-instead-of-floor"


@pytest.mark.parametrize("net, layer", [("vgg16", "block2.conv1"), ("resnet18", "layer1.1.conv1"), ("alexnet", "conv3")])
def test_padding_forgotten(net, layer):
    row = symcnn.table(net).row(layer)
    a = row.layer.arg_dict
    n, k, s = int(row.input.h), int(a["k"][0]), int(a["s"][0])
    size = (n - k) // s + 1  # without the padding
    v = one(f"network {net}\n{layer} output = {int(row.output.c)}x{size}x{size}\n")
    assert v.slip == "padding-forgotten"


def test_bias_forgotten_in_one_layer_and_counted_in_the_next():
    t = symcnn.table("lenet5")
    v1, v2 = grade(f"network lenet5\nconv1 params = {int(t.row('conv1').params):,}\n"
                   f"conv2 params = {int(t.row('conv2').weights):,}\n")
    assert v1.status == "right" and v2.status == "wrong" and v2.slip == "bias-forgotten"
    alone = one(f"network lenet5\nconv2 params = {int(t.row('conv2').weights):,}\n")
    assert alone.status == "right-under-convention" and "weights only" in alone.note
    stated = one(f"network lenet5\ntotal params [weights-only] = {int(t.totals['weights']):,}\n")
    assert stated.status == "right"


@pytest.mark.parametrize("net, quoted", [("vgg16", "vgg19"), ("vgg19", "vgg16"), ("vgg13", "vgg11"),
                                         ("resnet18", "resnet50")])
def test_another_networks_total(net, quoted):
    value = int(symcnn.table(quoted).totals["params"])
    v = one(f"network {net}\ntotal params = {value:,}\n")
    assert v.slip == "wrong-network" and quoted in v.note


def test_percentages_and_ratios():
    naive = symcnn.table("inception-naive").totals["macs"]
    reduced = symcnn.table("inception-reduced").totals["macs"]
    r = Fraction(int(reduced), int(naive))
    v = one(f"saving inception-reduced/inception-naive macs = {float(100 * (1 - r)):.2f}%\n")
    assert v.status == "right"
    v = one(f"saving inception-reduced/inception-naive macs = {float(100 * (1 / r - 1)):.2f}%\n")
    assert v.slip == "percentage-wrong-base"
    v = one(f"ratio inception-reduced/inception-naive macs = {float(1 / r):.4f}\n")
    assert v.slip == "ratio-inverted"


def test_conventions_are_not_marked_wrong():
    t = symcnn.table("vgg16").totals
    assert one(f"network vgg16\ntotal flops = {int(t['macs']):,}\n").status == "right-under-convention"
    assert one(f"network vgg16\ntotal macs [flops=macs] = {int(t['macs']):,}\n").status == "right"
    assert one(f"network vgg16\ntotal bytes = {int(t['bytes_forward_backward']):,}\n").status == "right-under-convention"


@pytest.mark.parametrize("text, needle", [
    ("vgg16 fc6 params = 3\n", "no 'network NAME' line"),
    ("network vgg16\nfc6 speed = 3\n", "unknown quantity 'speed'"),
    ("network vgg16\nfc6 params = lots\n", "not a number"),
    ("network vgg16\nfc6 params [bananas] = 3\n", "unknown convention"),
    ("network vgg16\nfc6 params 3\n", "a claim is"),
    ("network\n", "expected 'network NAME_OR_SPEC"),
    ("# only a comment\n", "no claims"),
])
def test_malformed_claims_files(text, needle, tmp_path, capsys):
    f = tmp_path / "c.claims"  # a .claims file is held to the claims grammar (any other file is read as a sheet)
    f.write_text(text)
    assert main(["check", str(f)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and needle in err
    if "network" in text.splitlines()[0] and needle != "no claims":
        assert f"{f}:" in err


def test_cli_formats_and_exit_codes(tmp_path, capsys):
    f = tmp_path / "c.txt"
    f.write_text("# student: B\nnetwork vgg16\ntotal params = 138,357,544\ntotal params = 1\n")
    assert main(["check", str(f)]) == 0
    assert "score: 1 of 2" in capsys.readouterr().out
    assert main(["check", str(f), "--strict"]) == 1
    capsys.readouterr()
    import json

    assert main(["check", str(f), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["score"] == {"right": 1, "gradable": 2} and data["student"] == "B"
    for fmt in ("markdown", "latex", "html"):
        assert main(["check", str(f), "-f", fmt]) == 0
        assert "Score: 1 of 2" in capsys.readouterr().out


def test_unknown_layer_is_reported_not_fatal():
    v = one("network vgg16\nfc9 params = 3\n")
    assert v.status == "unknown"
    assert "no layer 'fc9'" in v.note


def test_example_claims_file(capsys):
    assert main(["check", "examples/student.claims"]) == 0
    out = capsys.readouterr().out
    for slip in ("bias-forgotten", "fc-input-unflattened", "wrong-network", "ceil-instead-of-floor"):
        assert slip in out
    assert "score: 5 of 9" in out


@pytest.mark.parametrize("net, layer, kernels, strides", [
    ("lenet5", "conv2", (5, 2, 5), (1, 2, 1)),  # 1 + 4 + 1 + 4 x 2 = 14; the kernels add to 12
    ("alexnet", "pool1", (11, 3), (4, 2)),  # conv1 11x11 stride 4, then a 3x3 pool: 1 + 10 + 2 x 4 = 19
    ("vgg16", "block2.conv1", (3, 3, 2, 3), (1, 1, 2, 1)),
])
def test_receptive_field_as_the_sum_of_the_kernels(net, layer, kernels, strides):
    """The field by hand (r += (K - 1) x jump), then the two slips: the kernels added, the jump left out; a figure
    no slip gives is not explained (mutation)."""
    rf, jump = 1, 1
    for k, s in zip(kernels, strides):
        rf, jump = rf + (k - 1) * jump, jump * s
    assert one(f"network {net}\n{layer} rf = {rf}\n").status == "right"
    added = sum(kernels)
    assert added != rf
    v = one(f"network {net}\n{layer} rf = {added}\n")
    assert (v.status, v.slip) == ("wrong", "rf-kernels-added")
    no_jump = 1 + sum(k - 1 for k in kernels)
    if no_jump not in (rf, added):
        v = one(f"network {net}\n{layer} rf = {no_jump}\n")
        assert (v.status, v.slip) == ("wrong", "rf-kernels-added") and "jump" in v.note
    v = one(f"network {net}\n{layer} rf = {rf + 7}\n")
    assert v.status == "wrong" and v.slip != "rf-kernels-added"


def test_json_of_a_symbolic_shape(tmp_path, capsys):
    """A stack's output is (1, L - 12, L - 12): the JSON report writes the symbols as text, never crashes (the
    shape 13x13 claimed for it is wrong: L is no number)."""
    sheet = tmp_path / "rf.txt"
    sheet.write_text("Three stacked 5x5 convolutions.\nOutput: 13x13\nRF: 13\n")
    assert main(["check", str(sheet), "-f", "json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    got = {c["quantity"]: (c["status"], c["correct"]) for c in claims}
    assert got["rf"] == ("right", 13)
    assert got["output"][0] == "wrong" and got["output"][1] == [1, "L - 12", "L - 12"]


@pytest.mark.parametrize("net, side, channels", [("vgg19", 224, 3), ("alexnet", 227, 3), ("lenet5", 32, 1)])
def test_input_left_out_of_the_total_of_activations(net, side, channels):
    """The total without the input (side x side x channels by hand), and its bytes at 4 each, name the slip; a total
    short by anything else does not (mutation)."""
    total = int(symcnn.table(net).totals["activations"])
    short = total - side * side * channels
    v = one(f"network {net}\ntotal activations = {short:,}\n")
    assert (v.status, v.slip) == ("wrong", "input-left-out")
    v = one(f"network {net}\ntotal bytes = {4 * short:,}\n")
    assert (v.status, v.slip) == ("wrong", "input-left-out")
    v = one(f"network {net}\ntotal activations = {short - 7:,}\n")
    assert v.status == "wrong" and v.slip != "input-left-out"


@pytest.mark.parametrize("written, slip", [
    ("66 MiB", "binary-prefix"),  # 66,168,736 bytes are 66.2 MB: the MB figure with the MiB unit
    ("63.1 MB", "binary-prefix"),  # 66,168,736 / 2^20 = 63.1: the MiB figure with the MB unit
    ("70 MiB", None),  # neither (mutation)
])
def test_bytes_in_the_other_system_of_prefixes(written, slip):
    total = 4 * 16_542_184  # VGG-19's activations by the spec's layers, 4 bytes each
    assert total == int(symcnn.table("vgg19").totals["bytes_forward"])
    assert round(total / 10 ** 6) == 66 and round(total / 2 ** 20, 1) == 63.1
    v = one(f"network vgg19\ntotal bytes = {written}\n")
    assert v.status == "wrong" and (v.slip == slip if slip else v.slip != "binary-prefix")
