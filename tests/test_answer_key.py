"""Answer keys: worked solutions that agree with `symcnn table`, LaTeX that
compiles with a real TeX engine, HTML whose MathML a real browser renders."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess

import pytest
import sympy as sp

import symcnn
from symcnn import keys
from symcnn.cli import main
from symcnn.keys import DataTable, Worked
from symcnn.render import render
from symcnn.render.mathml import check
from symcnn.worked import solve
from symcnn.zoo import names as zoo_names

from . import browser

TEX = shutil.which("pdflatex")
REQUIRE_TEX = os.environ.get("SYMCNN_REQUIRE_TEX") == "1"
needs_tex = pytest.mark.skipif(TEX is None and not REQUIRE_TEX, reason="pdflatex not installed (CI installs it)")
needs_browser = pytest.mark.skipif(browser.chromium() is None and not browser.REQUIRED,
                                   reason="chromium not installed (CI installs it)")


@pytest.mark.parametrize("name", ["lenet5", "alexnet-224", "zfnet", "googlenet", "resnet18", "vgg19"])
def test_worked_results_are_the_table_numbers(name):
    t = symcnn.table(name)
    for sol in solve(t):
        values = {"output channels": sol.row.output.c, "output height": sol.row.output.h,
                  "output width": sol.row.output.w, "weights": sol.row.weights, "biases": sol.row.biases,
                  "parameters": sol.row.params, "activations": sol.row.activations, "multiply-adds": sol.row.macs}
        for line in sol.lines:
            assert line.result == values[line.quantity], (sol.row.name, line.quantity)
            assert sp.simplify(symcnn.proof.canon(line.substituted) - line.result) == 0


def test_conv_formula_is_the_textbook_one():
    sol = solve(symcnn.table("alexnet"))[0]
    assert all(l.textbook for l in sol.lines)
    text = render(keys.network_key(symcnn.table("alexnet")), "markdown")
    assert r"\left\lfloor{\frac{H_{\mathrm{in}} - K + 2 P}{S}}\right\rfloor + 1" in text
    assert r"\left\lfloor{\frac{227 - 11 + 2 \cdot 0}{4}}\right\rfloor + 1 = 55" in text


def test_alexnet_224_key_says_where_arithmetic_stops_being_integral():
    sol = solve(symcnn.table("alexnet-224"))[0]
    line = sol.line("output height")
    assert line.result == 54 and "54.25 is not an integer" in line.note
    md = render(keys.network_key(symcnn.table("alexnet-224")), "markdown")
    # at the step, with the quotient typeset
    assert r"*Note:* height: $\frac{224 - 11 + 2 \cdot 0}{4} + 1 = 54.25$ is not an integer" in md


def _markdown_summary(md: str, name: str) -> list[list[str]]:
    part = md.split(f"*Per-layer summary of {name}*", 1)[1].strip().splitlines()
    lines = []
    for l in part:
        if not l.startswith("|"):
            break
        lines.append(l)
    # a layer's name is set as code (`conv1`); the rest is escaped text
    return [[c.strip().strip("`").replace("\\_", "_") for c in l.strip("|").split("|")] for l in lines[2:]]


@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16", "inception-reduced", "resnet18"])
def test_key_tables_match_symcnn_table_csv(name, capsys):
    """One source of truth: the key's summary table, read back, equals `symcnn table --format csv`."""
    assert main(["table", name, "-f", "csv"]) == 0
    rows = list(csv.reader(io.StringIO("".join(l for l in capsys.readouterr().out.splitlines(True)
                                               if not l.startswith("#")))))
    by_name = {r[0]: r for r in rows[1:] if r[0] != "total"}
    md = render(keys.network_key(symcnn.table(name)), "markdown")
    for cells in _markdown_summary(md, name):
        ref = by_name[cells[0]]
        numbers = [c.replace(",", "") for c in cells[3:9]]
        assert numbers == ref[3:9], cells[0]
    total = rows[-1]
    assert f"| parameters with biases | {int(total[5]):,} |" in md


def test_every_mathml_fragment_is_xml_without_raw_latex():
    html = render(keys.problems_document(), "html")
    fragments = re.findall(r"<math.*?</math>", html, re.S)
    assert len(fragments) > 500
    for frag in fragments:
        check(frag)


def test_cli_writes_atomically_refuses_to_overwrite_and_reports(tmp_path, capsys):
    out = tmp_path / "keys"
    assert main(["answer-key", "lenet5", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert {p.name for p in out.iterdir()} == {"lenet5.tex", "lenet5.html", "lenet5.md"}
    assert all(f"wrote {out / n}" in said for n in ("lenet5.tex", "lenet5.html", "lenet5.md"))
    before = (out / "lenet5.md").read_text()
    assert main(["answer-key", "lenet5", "-o", str(out)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert (out / "lenet5.md").read_text() == before
    assert main(["answer-key", "lenet5", "-o", str(out), "--force", "-f", "markdown", "--macs"]) == 0
    assert "FLOPs = 1 x MACs" in (out / "lenet5.md").read_text()


def test_a_failing_run_writes_nothing(tmp_path, capsys):
    out = tmp_path / "keys"
    assert main(["answer-key", "lenet5", "nosuchnet", "-o", str(out)]) == 2
    assert not out.exists()


def test_pdf_without_tex_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    rc = main(["answer-key", "lenet5", "-o", str(tmp_path / "k"), "--pdf"])
    err = capsys.readouterr().err
    assert rc == 1 and "no TeX engine (pdflatex) is installed" in err and err.count("\n") == 1
    assert (tmp_path / "k" / "lenet5.tex").exists()


def test_notebook_views():
    t = symcnn.table("lenet5")
    assert "<table" in symcnn.view(t)._repr_html_()
    assert "<math" in symcnn.view(solve(t)[0])._repr_html_()
    assert symcnn.view(solve(t)[0])._repr_latex_().startswith("$$")
    assert "<math" in symcnn.view(symcnn.prove("receptive-field"))._repr_html_()
    with pytest.raises(TypeError):
        symcnn.view(42)


def _tables(doc) -> int:
    return sum(isinstance(b, DataTable) for b in doc.blocks)


@needs_tex
@pytest.mark.parametrize("name", ["lenet5", "alexnet", "alexnet-224", "zfnet", "vgg19", None])
def test_latex_compiles_with_the_expected_tables(name, tmp_path):
    assert TEX, "pdflatex is required (SYMCNN_REQUIRE_TEX=1)"
    from symcnn.compile_pdf import compile_pdf

    doc = keys.problems_document() if name is None else keys.network_key(symcnn.table(name))
    pdf = tmp_path / "key.pdf"
    pdf.write_bytes(compile_pdf(render(doc, "latex")))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= (30 if name is None else 3)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    captions = set(re.findall(r"Table (\d+):", text))  # longtable repeats nothing, but be safe
    assert len(captions) == _tables(doc)
    if name == "vgg19":
        assert "143,667,240" in text  # the totals table, with thousands separators


@needs_browser
@pytest.mark.parametrize("name", ["lenet5", "alexnet-224"])
def test_html_renders_in_chromium(name, tmp_path):
    assert browser.chromium(), "chromium is required (SYMCNN_REQUIRE_BROWSER=1)"
    page = tmp_path / f"{name}.html"
    page.write_text(render(keys.network_key(symcnn.table(name)), "html"))
    png = browser.screenshot(page, tmp_path / "shot.png")
    assert browser.ink_fraction(png) > 0.01, "the screenshot is blank"
    sizes = browser.math_sizes(page)
    worked = sum(len(b.solution.lines) for b in keys.network_key(symcnn.table(name)).blocks if isinstance(b, Worked))
    # every <math> on the page was laid out (each worked line shows its left side and its chain)
    assert len(sizes) == page.read_text().count("<math") and len(sizes) >= 2 * worked
    assert all(w > 0 and h > 0 for w, h in sizes)


@needs_browser
def test_problem_set_html_renders_in_chromium(tmp_path):
    page = tmp_path / "problems.html"
    page.write_text(render(keys.problems_document(), "html"))
    sizes = browser.math_sizes(page)
    assert len(sizes) > 500 and all(w > 0 and h > 0 for w, h in sizes)


def _overfull(tex_source: str, tmp_path, name: str) -> list[float]:
    """Compile with pdflatex (twice, as longtable needs) and return every Overfull hbox width in points."""
    import re
    import subprocess

    d = tmp_path / name
    d.mkdir()
    (d / "doc.tex").write_text(tex_source, encoding="utf-8")
    for _ in range(2):
        subprocess.run([TEX, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=d,
                       capture_output=True, timeout=600, check=True)
    log = (d / "doc.log").read_text(encoding="latin-1")
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]


@needs_tex
@pytest.mark.parametrize("name", sorted(zoo_names()))
def test_every_zoo_key_compiles_within_the_margin(name, tmp_path):
    """The key of every zoo network, compiled: no line overfull by more than 1pt (long layer names, eleven
    summary columns with ten-digit figures)."""
    source = render(keys.network_key(symcnn.table(name)), "latex")
    assert [w for w in _overfull(source, tmp_path, name) if w > 1] == []


@needs_tex
def test_nothing_runs_past_the_margin(tmp_path):
    """Every kind of document symcnn writes in LaTeX: no line overfull by more than 1pt (the pdflatex log)."""
    from pathlib import Path

    from symcnn.grading import check_sheet
    from symcnn.theorems import slugs

    assert TEX, "pdflatex is required (SYMCNN_REQUIRE_TEX=1)"
    docs = {"problems": render(symcnn.answer_key(), "latex")}
    for name in ("alexnet-224", "vgg19", "googlenet", "inception-reduced"):
        docs[name] = render(symcnn.answer_key(name), "latex")
    for slug in slugs():
        docs[f"proof-{slug}"] = render(symcnn.prove(slug), "latex")
    sheet = Path(__file__).parent / "sheets" / "alexnet_tabs.txt"
    docs["graded"] = render(check_sheet(sheet.read_text(), str(sheet)), "latex")
    for name, source in docs.items():
        wide = [w for w in _overfull(source, tmp_path, name) if w > 1]
        assert not wide, (name, wide)


@needs_browser
def test_html_fits_a_1000_pixel_window(tmp_path):
    """Every kind of HTML document, laid out by headless Chromium in a 1000-px window: nothing runs past
    the right edge and no box scrolls sideways."""
    from pathlib import Path

    from symcnn.grading import check_sheet
    from symcnn.theorems import slugs

    assert browser.chromium(), "chromium is required (SYMCNN_REQUIRE_BROWSER=1)"
    docs = {"problems": render(keys.problems_document(), "html")}
    for name in ("alexnet-224", "vgg19", "googlenet"):
        docs[name] = render(keys.network_key(symcnn.table(name)), "html")
    for slug in slugs():
        docs[f"proof-{slug}"] = render(symcnn.prove(slug), "html")
    sheet = Path(__file__).parent / "sheets" / "alexnet_tabs.txt"
    docs["graded"] = render(check_sheet(sheet.read_text(), str(sheet)), "html")
    for name, html in docs.items():
        page = tmp_path / f"{name}.html"
        page.write_text(html)
        found = browser.overflow(page, 1000)
        assert found["count"] == 0 and found["page"] <= found["window"], (name, found)


def test_numbers_in_mathml_read_as_one_number():
    """34,848 in a key's HTML is one <mn>, not a list '34, 848' (issue 17)."""
    html = render(keys.network_key(symcnn.table("alexnet")), "html")
    assert "<mn>34,848</mn>" in html
    assert not re.search(r"<mn>\d+</mn>(?:<mrow>)?<mo>&#x0002C;</mo>(?:</mrow>)?<mn>\d{3}</mn>", html)


def test_a_key_has_one_title():
    """The network's name is the document's title, not repeated as the first heading (issue 17)."""
    page = render(keys.network_key(symcnn.table("lenet5")), "html")
    headings = re.findall(r"<h[1-3]>([^<]*)</h[1-3]>", page)
    assert headings.count("Answer key: LeNet-5 (lenet5)") == 1 and "LeNet-5 (lenet5)" not in headings
