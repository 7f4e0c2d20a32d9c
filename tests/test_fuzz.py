"""Fuzz: random and mutated spec files and command lines never produce a
traceback and never run code.  Every run ends with exit 0, or exit 2 and
exactly one line on stderr."""

from __future__ import annotations

import contextlib
import os
import subprocess

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from symcnn import zoo

from .harness import fuzz_settings, run_cli

PAYLOADS = [
    "__import__('os').system('touch PWNED')",
    "().__class__.__bases__[0].__subclasses__()",
    "exec('open(\"PWNED\",\"w\")')",
    "eval('1')",
    "lambda: 0",
    "open('PWNED','w')",
    "x.__dict__",
    "9**9**9**9",
    "2**10**10",
    "1e999",
    "(" * 300 + "1" + ")" * 300,
    "C[0]",
    "f'{1}'",
    "Symbol('x')",
    "S.Infinity",
    "floor(__import__('os'))",
]
WORDS = ["conv", "maxpool", "avgpool", "linear", "flatten", "bn", "lrn", "relu", "dropout", "softmax",
         "adaptiveavgpool", "concat", "residual", "repeat", "branch", "shortcut", "sequence", "def", "set",
         "input", "symbol", "network", "k=3", "s=2", "p=1", "p=same", "d=2", "g=2", "bias=false", "ceil=true",
         "in=5", "out=4", "64", "0", "-1", "C", "H", "2*C", "C/2", "i", "{i}", ":", ";", "=", "(", ")", ",",
         "#", "x", "3x3", "1.5", "10e6", "\t", "é", "\x00", "a:", "1:", "real", "nonnegative"]

SMALL_ZOO = ["lenet5", "alexnet", "inception-naive", "inception-reduced", "zfnet"]


@pytest.fixture(autouse=True)
def no_processes(monkeypatch, tmp_path):
    """Fail loudly if anything tries to start a process or write outside tmp."""
    monkeypatch.chdir(tmp_path)

    def refuse(*a, **k):
        raise AssertionError("a spec tried to run a process")

    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    yield
    assert not (tmp_path / "PWNED").exists()


def check_run(argv):
    rc, _out, err = run_cli(argv, codes=(0, 2), allowed_outputs=["fuzz.cnn"])
    if rc == 2:
        assert err.startswith("symcnn: error: ") and err.count("\n") == 1, err
    else:
        assert err == ""
    return rc


def run_spec(text, extra=()):
    with open("fuzz.cnn", "w", encoding="utf-8", errors="surrogatepass") as fh:
        fh.write(text)
    return check_run(["table", "fuzz.cnn", *extra])


line = st.lists(st.sampled_from(WORDS + PAYLOADS), min_size=0, max_size=6).map(" ".join)
indented = st.tuples(st.sampled_from(["", "", "  ", "    "]), line).map("".join)


@fuzz_settings(3000)
@given(body=st.lists(indented, min_size=0, max_size=8), header=st.booleans())
def test_random_specs(body, header):
    text = ("input 3 16 16\n" if header else "") + "\n".join(body) + "\n"
    run_spec(text)


@fuzz_settings(1000)
@given(name=st.sampled_from(SMALL_ZOO), data=st.data())
def test_mutated_zoo_specs(name, data):
    text = zoo.text(name)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["delete", "insert", "replace", "dup", "payload"]))
        pos = data.draw(st.integers(0, len(text)))
        if op == "delete":
            text = text[:pos] + text[pos + data.draw(st.integers(1, 20)):]
        elif op == "insert":
            text = text[:pos] + data.draw(st.sampled_from(WORDS)) + text[pos:]
        elif op == "replace":
            text = text[:pos] + data.draw(st.text(max_size=5)) + text[pos + 5:]
        elif op == "dup":
            lines = text.splitlines()
            i = data.draw(st.integers(0, max(0, len(lines) - 1)))
            text = "\n".join(lines[: i + 1] + lines[i:])
        else:
            text = text[:pos] + data.draw(st.sampled_from(PAYLOADS)) + text[pos:]
    run_spec(text)


FLAGS = ["--format", "-f", "--set", "--input", "--macs", "--bias-flops", "--other-ops", "--division", "--exact",
         "--bytes", "--count-inplace", "--kinds", "--help-me", "-x", "--"]
VALUES = ["text", "json", "csv", "markdown", "pdf", "C=3", "alpha=1/2", "x=", "=3", "3,224,224", "3,0,2", "1,2", "exact", "floor", "round", "0", "-4", "8", "a" * 50, *PAYLOADS]


@fuzz_settings(1000)
@given(cmd=st.sampled_from(["table", "list", "nope", ""]),
       target=st.sampled_from(["vgg11", "lenet5", "alexnet-224", "nope", "", "../../etc/passwd", *PAYLOADS]),
       rest=st.lists(st.sampled_from(FLAGS + VALUES), max_size=6))
def test_random_command_lines(cmd, target, rest):
    argv = [a for a in (cmd, target) if a] + rest
    assume(not any(a in ("--help", "-h") for a in argv))
    check_run(argv)


CLAIM_WORDS = ["N", "F", "L", "D_K", "n", "*", "+", "-", "/", "**", "(", ")", "1", "2", "0", "x", "floor(", "r[N]", "^", ",", " ", *PAYLOADS]


@fuzz_settings(600)
@given(slug=st.sampled_from(["receptive-field", "output-length", "same-padding", "dilated-receptive-field",
                             "stacked-vs-single-params", "depthwise-separable-cost", "inception-cost", "nope"]),
       claim=st.lists(st.sampled_from(CLAIM_WORDS), max_size=8).map("".join))
def test_random_claims(slug, claim):
    run_cli(["prove", slug, "--claim", claim])


SHEET_TOKENS = ["->", "⟶", "=>", ". ", ", and conv4 has ", "(most in FC6: ", "def f(1,2,3):", "layers = {", "}",
                "1 + 3*(5-1) = ", "the three fully connected layers have ", " and ", "b = ", "W = ", "@ 11x11",
                "62.4 million", " % fewer", "% of the naive one", "2) ", "3) RF ", "5 -> 9 -> 13", "≈", "MiB",
                "params", "=", "x", "(", ")", "13x13", "Σ", "\\\\", "&", "$", "**", "|", "\t", "In [3]:", "```",
                "1e999", "0e99", "9" * 40, "\x00", "é", "⟹ 34 944", "conv3_1..conv3_4", "top 5 error 1% -> 2%"]
_SHEET_DIR = os.path.join(os.path.dirname(__file__), "sheets")
_SHEETS = sorted(os.path.join(_SHEET_DIR, n) for n in os.listdir(_SHEET_DIR)
                 if n.endswith((".txt", ".md", ".tex"))) + \
    [os.path.join(os.path.dirname(__file__), "real", n) for n in ("course-sheet-1.txt", "course-sheet-2.txt")]


@fuzz_settings(600)
@given(path=st.sampled_from(_SHEETS), data=st.data())
def test_mutated_answer_sheets(path, data):
    """Every sample sheet and both real sheets with words of every style the reader knows inserted, lines dropped
    and shuffled: graded, or refused with a SymcnnError, never a crash (the fuzzing that found a symbolic stack
    size reaching a number comparison)."""
    from symcnn.errors import SymcnnError
    from symcnn.grading.sheet import check_sheet

    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for _ in range(data.draw(st.integers(1, 8))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        words = lines[i].split(" ")
        words.insert(data.draw(st.integers(0, len(words))), data.draw(st.sampled_from(SHEET_TOKENS)))
        lines[i] = " ".join(words)
    if data.draw(st.booleans()):
        lines = data.draw(st.permutations(lines))
    with contextlib.suppress(SymcnnError):
        check_sheet("\n".join(lines), os.path.basename(path))


_CASES = os.path.join(os.path.dirname(__file__), "fuzz_cases")


@pytest.mark.parametrize("name", sorted(os.listdir(_CASES)))
@pytest.mark.parametrize("filename", ["case.txt", "case.md", "case.tex"])
def test_sheets_the_fuzzing_crashed_on(name, filename):
    """Mutated sheets that once crashed the grader (a stack's symbolic sizes reaching a number comparison, a
    shape test, a slip's recomputation): each is graded now, in every format."""
    from symcnn.grading.sheet import check_sheet

    with open(os.path.join(_CASES, name), encoding="utf-8") as fh:
        sheet = check_sheet(fh.read(), filename)
    assert sheet.verdicts
