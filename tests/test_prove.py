"""symcnn prove: every theorem verifies, its closed form agrees with brute
force on random instances, false statements are refused, and proofs/ is
exactly what the code renders now."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import symcnn
from symcnn.cli import main
from symcnn.proof import ProofError, canon
from symcnn.render import proofdir
from symcnn.render.proofs import render
from symcnn.theorems import THEOREMS, prove

from .bruteforce import receptive_field_1d, window_starts

ROOT = Path(__file__).resolve().parent.parent
SLUGS = list(THEOREMS)


def claimed(slug, which=0):
    """The proved statement's right-hand side, as a canonical sympy expression."""
    return canon(prove(slug).claim[which].links[0].expr)


def sym(expr, name):
    return next(s for s in expr.free_symbols if getattr(s, "name", None) == name)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_theorem_verifies_and_renders(slug):
    proof = prove(slug)
    assert proof.verified and proof.steps
    assert all(link.method for step in proof.steps for link in step.links)
    for fmt in ("text", "markdown", "latex", "mathml", "json"):
        assert render(proof, fmt)
    assert json.loads(render(proof, "json"))["verified"] is True


@given(n=st.integers(1, 8), f=st.integers(1, 7))
def test_receptive_field_against_brute_force(n, f):
    expr = claimed("receptive-field")
    size, _ = receptive_field_1d([(f, 1, 0, 1)] * n)
    assert expr.subs({sym(expr, "N"): n, sym(expr, "F"): f}) == size == n * f - n + 1


@given(n=st.integers(1, 6), f=st.integers(1, 5), extra=st.integers(0, 20))
def test_output_length_against_sliding_windows(n, f, extra):
    length = n * f - n + 1 + extra
    cur = length
    for _ in range(n):
        cur = len(window_starts(cur, f, 1, 0, 1))
    expr = claimed("output-length")
    assert expr.subs({sym(expr, "L"): length, sym(expr, "N"): n, sym(expr, "F"): f}) == cur
    assert cur == len(window_starts(length, n * f - n + 1, 1, 0, 1))  # one big window: same length


def _evaluate_family(expr, L, values):
    """Put numbers in for L and for every k_l, s_l, p_l, d_l."""
    e = expr.subs(sym(expr, "L"), len(values["k"])).doit()
    for name, vals in values.items():
        e = sp.sympify(e).replace(lambda x: isinstance(x, sp.Indexed) and x.base.label.name == name,
                                  lambda x, vals=vals: sp.Integer(vals[int(x.indices[0]) - 1]))
    return sp.nsimplify(e)


@given(layers=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 3)),
                       min_size=1, max_size=5))
def test_strided_closed_forms_against_index_sets(layers):
    values = {"k": [l[0] for l in layers], "s": [l[1] for l in layers], "p": [l[2] for l in layers],
              "d": [l[3] for l in layers]}
    size, centre = receptive_field_1d(layers, 0)
    _, centre1 = receptive_field_1d(layers, 1)
    proof = prove("receptive-field-strided")
    jump_e, rf_e, start_e = (canon(c.links[0].expr) for c in proof.claim)
    assert _evaluate_family(rf_e, None, values) == size
    assert _evaluate_family(jump_e, None, values) == sp.nsimplify(centre1 - centre)
    assert _evaluate_family(start_e, None, values) == sp.nsimplify(centre)


@given(depth=st.integers(1, 7))
def test_dilated_against_brute_force(depth):
    size, _ = receptive_field_1d([(3, 1, 0, 2 ** (l - 1)) for l in range(1, depth + 1)])
    expr = claimed("dilated-receptive-field")
    assert expr.subs(sym(expr, "L"), depth) == size


@given(n=st.integers(1, 5), f=st.integers(1, 6), c=st.integers(1, 9))
def test_stacked_vs_single_against_tables(n, f, c):
    k = n * f - n + 1
    stack = symcnn.loads(f"input {c} 64 64\n" + f"conv {c} k={f} p={f // 2} bias=false\n" * n).derive()
    single = symcnn.loads(f"input {c} 64 64\nconv {c} k={k} bias=false\n").derive()
    ratio = claimed("stacked-vs-single-params")
    value = ratio.subs({sym(ratio, "N"): n, sym(ratio, "F"): f})
    assert value == sp.Rational(stack.totals["weights"], single.totals["weights"])
    if n >= 2 and f >= 2:
        assert value < 1


@given(cin=st.integers(1, 64), c1=st.integers(1, 64), c3=st.integers(1, 64), c5=st.integers(1, 64),
       r3=st.integers(1, 64), r5=st.integers(1, 64), pp=st.integers(1, 64), h=st.integers(5, 12))
def test_inception_ratio_against_numeric_modules(cin, c1, c3, c5, r3, r5, pp, h):
    naive = symcnn.loads(f"input {cin} {h} {h}\nconcat:\n  conv {c1} k=1\n  conv {c3} k=3 p=1\n  conv {c5} k=5 p=2\n"
                         "  maxpool k=3 s=1 p=1\n").derive()
    reduced = symcnn.loads(
        f"input {cin} {h} {h}\nconcat:\n  conv {c1} k=1\n  branch:\n    conv {r3} k=1\n    conv {c3} k=3 p=1\n"
        f"  branch:\n    conv {r5} k=1\n    conv {c5} k=5 p=2\n  branch:\n    maxpool k=3 s=1 p=1\n"
        f"    conv {pp} k=1\n").derive()
    ratio = claimed("inception-cost")
    names = dict(Cin=cin, c1=c1, c3=c3, c5=c5, r3=r3, r5=r5, pp=pp)
    value = ratio.subs({sym(ratio, k): v for k, v in names.items()})
    # hand arithmetic per position
    assert value == sp.Rational(cin * (c1 + r3 + r5 + pp) + 9 * r3 * c3 + 25 * r5 * c5, cin * (c1 + 9 * c3 + 25 * c5))
    assert value == sp.Rational(reduced.totals["macs"], naive.totals["macs"])


def test_inception_p7_numbers():
    naive, reduced = symcnn.table("inception-naive").totals, symcnn.table("inception-reduced").totals
    # per position: 256*(128 + 9*192 + 25*96) and 256*(128+128+32+64) + 9*128*192 + 25*32*96
    assert naive["macs"] == 32 * 32 * 256 * (128 + 9 * 192 + 25 * 96)
    assert reduced["macs"] == 32 * 32 * (256 * (128 + 128 + 32 + 64) + 9 * 128 * 192 + 25 * 32 * 96)
    assert "379/1064" in prove("inception-cost").statement
    assert sp.Rational(reduced["macs"], naive["macs"]) == sp.Rational(379, 1064)


@given(m=st.integers(1, 32), n=st.integers(1, 64), k=st.sampled_from([1, 3, 5, 7]), size=st.integers(4, 12))
def test_depthwise_against_tables(m, n, k, size):
    std = symcnn.loads(f"input {m} {size} {size}\nconv {n} k={k} p={k // 2}").derive().totals["macs"]
    sep = symcnn.loads(f"input {m} {size} {size}\nconv {m} k={k} p={k // 2} g={m}\nconv {n} k=1").derive()
    ratio = claimed("depthwise-separable-cost")
    assert ratio.subs({sym(ratio, "N"): n, sym(ratio, "D_K"): k}) == sp.Rational(sep.totals["macs"], std)


@given(w=st.integers(1, 30), f=st.integers(1, 9))
def test_same_padding_against_sliding(w, f):
    p = sp.Rational(f - 1, 2)
    if f % 2:
        assert len(window_starts(w + 0, f, 1, int(p), 1)) == w or f > w + 2 * p
    else:
        assert not p.is_integer


@pytest.mark.parametrize("slug, claim", [
    ("receptive-field", "N*F - N"),
    ("receptive-field", "N*F"),
    ("receptive-field", "N*(F - 1)"),
    ("output-length", "L - N*F"),
    ("dilated-receptive-field", "2**L - 1"),
    ("stacked-vs-single-params", "N*F**2/(N*F - N)**2"),
    ("depthwise-separable-cost", "1/N + 1/D_K"),
    ("same-padding", "F/2"),
    ("same-padding", "(F + 1)/2"),
])
def test_false_statements_are_refused(slug, claim, capsys):
    with pytest.raises(ProofError):
        prove(slug, claim=claim)
    rc = main(["prove", slug, "--claim", claim])
    out, err = capsys.readouterr()
    assert rc == 1 and out == ""
    assert err.startswith(f"symcnn: not proved: {slug}") and err.count("\n") == 1


def test_true_alternative_forms_are_accepted():
    assert prove("receptive-field", claim="N*(F - 1) + 1").verified
    assert prove("output-length", claim="L - N*(F - 1)").verified


def test_prove_cli(capsys):
    assert main(["prove", "receptive-field"]) == 0
    out = capsys.readouterr().out
    assert "Theorem." in out and "QED" in out and "13" in out
    assert main(["prove", "--list"]) == 0
    assert set(capsys.readouterr().out.split()) >= set(SLUGS)
    assert main(["prove", "same-padding", "-f", "latex", "--fragment"]) == 0
    assert "\\documentclass" not in capsys.readouterr().out
    assert main(["prove", "--all", "-f", "json"]) == 0


@pytest.mark.parametrize("argv", [["prove"], ["prove", "nope"], ["prove", "receptive-field", "--claim", "N^2"],
                                  ["prove", "inception-cost", "--claim", "1"], ["prove", "--all", "--claim", "1"]])
def test_prove_bad_input(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("symcnn: error:")


def test_proofs_directory_is_current():
    """proofs/ holds exactly what `symcnn prove --all --write proofs` writes now."""
    expected = proofdir.files()
    on_disk = {p.name: p.read_text() for p in (ROOT / "proofs").iterdir() if p.is_file()}
    stale = sorted(set(on_disk) - set(expected))
    assert not stale, f"files in proofs/ that are no longer generated: {stale}"
    for name, text in expected.items():
        assert on_disk.get(name) == text, f"proofs/{name} is out of date: run 'symcnn prove --all --write proofs'"


def test_write_is_atomic_and_reports(tmp_path, capsys):
    assert main(["prove", "same-padding", "--write", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "same-padding.tex" in err
    assert {p.suffix for p in tmp_path.iterdir()} == {".txt", ".md", ".tex", ".html", ".json"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


TEX = shutil.which("pdflatex")
REQUIRE_TEX = os.environ.get("SYMCNN_REQUIRE_TEX") == "1"


@pytest.mark.skipif(TEX is None and not REQUIRE_TEX, reason="pdflatex not installed (CI installs it)")
@pytest.mark.parametrize("slug", SLUGS)
def test_latex_compiles(slug, tmp_path):
    assert TEX, "pdflatex is required (SYMCNN_REQUIRE_TEX=1)"
    (tmp_path / "p.tex").write_text(render(prove(slug), "latex"))
    proc = subprocess.run([TEX, "-interaction=nonstopmode", "-halt-on-error", "p.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
    text = subprocess.run(["pdftotext", "p.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "Theorem" in text and "Proof" in text
