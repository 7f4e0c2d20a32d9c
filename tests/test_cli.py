"""The command line, as a user runs it: outputs, flags and bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import symcnn
from symcnn.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def assert_usage_error(rc, out, err, *needles):
    assert rc == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("symcnn: error: "), err
    assert "Traceback" not in err
    for n in needles:
        assert n in err, err


def test_console_script_runs_the_vgg19_table():
    """The README's main job, as a separate process through the installed entry point."""
    exe = Path(sys.executable).with_name("symcnn")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "symcnn"]
    proc = subprocess.run([*cmd, "table", "vgg19"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "143,667,240" in proc.stdout  # VGG-19's parameters
    assert "FLOPs = 2 x MACs" in proc.stdout


def test_table_text_states_conventions_and_totals(capsys):
    rc, out, err = run(["table", "vgg16"], capsys)
    assert rc == 0 and err == ""
    assert "conventions:" in out and "division: floor" in out
    assert re.search(r"parameters \(weights \+ biases\)\s+138,357,544\n", out)
    assert "weights (parameters without biases)" in out


def test_table_json_layout(capsys):
    rc, out, _ = run(["table", "lenet5", "--format", "json"], capsys)
    data = json.loads(out)
    assert rc == 0
    assert data["network"] == "lenet5" and data["input"] == [1, 32, 32]
    assert set(data["convention"]) >= {"flops_per_mac", "bias_flops", "division", "bytes_per_element"}
    first = data["layers"][0]
    assert {"name", "kind", "output", "weights", "biases", "params", "activations", "macs", "flops", "rf",
            "jump"} <= set(first)
    assert first["output"] == [6, 28, 28] and first["weights"] == 6 * 5 * 5 and first["rf"] == 5
    assert data["totals"]["params"] == 61706
    assert set(data["totals"]) >= {"weights", "biases", "params", "activations", "macs", "flops"}


def test_table_json_symbolic_values_are_strings_sympy_parses(capsys, tmp_path):
    spec = tmp_path / "s.cnn"
    spec.write_text("input C H H\nconv 2*C k=3 p=1\nmaxpool k=2\n")
    rc, out, _ = run(["table", str(spec), "-f", "json"], capsys)
    data = json.loads(out)
    assert rc == 0
    assert data["symbols"] == ["C", "H"]
    C, H = sp.symbols("C H")
    assert sp.sympify(data["layers"][0]["weights"]) == 18 * C**2
    assert sp.sympify(data["layers"][1]["output"][1]) == sp.floor(H / 2)


def test_set_substitutes_and_matches_the_numeric_network(capsys, tmp_path):
    spec = tmp_path / "s.cnn"
    spec.write_text("input 3 32 32\nconv C k=3 p=1\nconv 2*C k=3 s=2 p=1\n")
    rc, out, _ = run(["table", str(spec), "--set", "C=16", "-f", "json"], capsys)
    numeric = tmp_path / "n.cnn"
    numeric.write_text("input 3 32 32\nconv 16 k=3 p=1\nconv 32 k=3 s=2 p=1\n")
    rc2, out2, _ = run(["table", str(numeric), "-f", "json"], capsys)
    assert rc == rc2 == 0
    assert json.loads(out)["totals"] == json.loads(out2)["totals"]


def test_input_override_and_markdown(capsys):
    rc, out, _ = run(["table", "vgg16", "--input", "3,32,32", "-f", "markdown"], capsys)
    assert rc == 0
    assert "| layer | kind | output |" in out
    assert "512x1x1" in out  # 32 halved five times


def test_csv(capsys):
    rc, out, _ = run(["table", "alexnet", "-f", "csv"], capsys)
    rows = list(csv.reader(io.StringIO("".join(l for l in out.splitlines(True) if not l.startswith("#")))))
    assert rc == 0
    assert rows[0][:3] == ["layer", "kind", "output"]
    assert rows[-1][0] == "total" and int(rows[-1][5]) == 62_378_344


def test_convention_flags_change_flops_and_bytes(capsys):
    base = symcnn.table("lenet5").totals
    rc, out, _ = run(["table", "lenet5", "--macs", "--bytes", "2", "-f", "json"], capsys)
    data = json.loads(out)
    assert data["convention"]["flops_per_mac"] == 1
    assert data["totals"]["flops"] == base["macs"]
    assert data["totals"]["bytes_forward"] == 2 * base["activations"]
    _rc, out, _ = run(["table", "lenet5", "--bias-flops", "-f", "json"], capsys)
    # bias additions: one per output element of conv and linear layers
    bias_adds = 6 * 28 * 28 + 16 * 10 * 10 + 120 + 84 + 10
    assert json.loads(out)["totals"]["flops"] == 2 * base["macs"] + bias_adds


def test_list_and_version(capsys):
    rc, out, _ = run(["list"], capsys)
    assert rc == 0 and "vgg19" in out and "resnet50" in out
    rc, out, _ = run(["list", "--kinds"], capsys)
    assert rc == 0 and "conv (also conv2d)" in out
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"symcnn {symcnn.__version__}"


@pytest.mark.parametrize("argv", [["table", "--help"], ["list", "--help"], ["--help"]])
def test_help(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    assert "usage:" in capsys.readouterr().out


SPEC_ERRORS = [
    ("input 3 8 8\nc1: cnv 4 k=3\n", "bad.cnn:2: layer 'c1': unknown layer kind 'cnv'"),
    ("input 3 8 8\nc1: conv 4\n", "bad.cnn:2: layer 'c1': conv: missing field 'k'"),
    ("input 3 8 8\nflatten\nfc: linear 10 in=3\n", "bad.cnn:3: layer 'fc': in_features is declared as 3"),
    ("input 3 8 8\nm: concat\n  conv 4 k=3\n  conv 4 k=1\n", "bad.cnn:2: layer 'm': concat: path 2 gives"),
    ("input 3 8 8\nc: conv 4 k=__import__('os').system('touch PWNED')\n", "bad.cnn:2: layer 'c'"),
]


@pytest.mark.parametrize("text, needle", SPEC_ERRORS)
def test_bad_specs_exit_2_with_one_line(text, needle, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "bad.cnn"
    spec.write_text(text)
    rc, out, err = run(["table", "bad.cnn"], capsys)
    assert_usage_error(rc, out, err, needle)
    assert not (tmp_path / "PWNED").exists()


def test_window_that_does_not_tile_under_exact(capsys):
    rc, out, err = run(["table", "alexnet-224", "--exact"], capsys)
    assert_usage_error(rc, out, err, "zoo:alexnet-224:", "layer 'conv1'", "54.25", "does not tile")


@pytest.mark.parametrize("argv, needle", [
    (["table", "nosuchnet"], "no network 'nosuchnet'"),
    (["table", "vgg16", "--set", "C=3"], "has no symbol 'C'"),
    (["table", "vgg16", "--set", "C"], "expected NAME=VALUE"),
    (["table", "vgg16", "--input", "3,224"], "--input takes C,H,W"),
    (["table", "vgg16", "--input", "3,0,224"], "positive integers"),
    (["table", "vgg16", "--input", "3,__import__('os'),2"], "function calls are not allowed"),
    (["table", "vgg16", "--bytes", "0"], "--bytes must be a positive integer"),
    (["table", "vgg16", "--format", "pdf"], "invalid choice"),
    (["table", "vgg16", "--frobnicate"], "unrecognized arguments"),
    (["table"], "name a network or spec file"),
    (["frobnicate"], "invalid choice"),
    (["table", "missing-file.cnn"], "cannot read spec file"),
])
def test_bad_command_lines_exit_2_with_one_line(argv, needle, capsys):
    rc, out, err = run(argv, capsys)
    assert_usage_error(rc, out, err, needle)


def test_no_command_is_a_one_line_error(capsys):
    rc, out, err = run([], capsys)
    assert_usage_error(rc, out, err, "a command is required: table, prove, answer-key, whatif, check, export, list")


def test_readme_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = "python3 -m pip install -e '.[test,torch]' && python3 -m pytest"
    assert f"```sh\n{test_cmd}\n```" in readme
    assert ci.strip().splitlines()[-1] == test_cmd
    assert "python3 -m ruff check symcnn tests bench" in ci and "python3 -m mypy" in ci
    assert "```sh\npython3 -m pip install . && symcnn table vgg19\n```" in readme


@pytest.mark.skipif(__import__("shutil").which("pdflatex") is None
                    and __import__("os").environ.get("SYMCNN_REQUIRE_TEX") != "1",
                    reason="pdflatex not installed (CI installs it)")
def test_sigterm_during_pdf_leaves_no_temp_folder_and_no_pdflatex(tmp_path):
    """SIGTERM while pdflatex runs: exit 143, one line, the TeX child killed, its scratch folder gone."""
    import os
    import signal
    import time

    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    exe = Path(sys.executable).with_name("symcnn")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "symcnn"]
    proc = subprocess.Popen([*cmd, "answer-key", "--problems", "--pdf", "-o", str(tmp_path / "out"), "-f", "latex"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def tex_children():
        out = subprocess.run(["ps", "-o", "pid=,comm=", "--ppid", str(proc.pid)], capture_output=True, text=True)
        return [line for line in out.stdout.splitlines() if "tex" in line]

    deadline = time.monotonic() + 120
    while not tex_children() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the PDF was finished before pdflatex could be seen")
    children = [int(line.split()[0]) for line in tex_children()]
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and err.strip().endswith("symcnn: terminated"), err
    assert not list((tmp_path / "tmp").iterdir())  # no symcnn-tex-* folder left
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
