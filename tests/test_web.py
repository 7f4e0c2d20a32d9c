"""The browser page (issue 26): the worker's API answers as the command line does; the folder builds from the
registries, is served on 127.0.0.1, and headless Chromium drives every panel under Pyodide's Python 3.14, with
the same totals, verdicts and proof steps as the CLI for the same input."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import sympy as sp

from symcnn.cli.main import main
from symcnn.web.api import handle
from symcnn.web.build import CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "tests" / "sheets" / "course_style_all.txt"
REQUIRED = os.environ.get("SYMCNN_REQUIRE_BROWSER") == "1"


def ask(**request) -> dict:
    return json.loads(handle(json.dumps(request)))


def cli_json(capsys, *argv) -> dict:
    capsys.readouterr()
    main(list(argv))
    return json.loads(capsys.readouterr().out)


# -- the API the worker calls (native Python) ------------------------------------------------------------------------

def test_the_table_answer_is_the_cli_table(capsys):
    got = ask(cmd="table", zoo="vgg16")
    assert json.loads(got["json"]) == cli_json(capsys, "table", "vgg16", "-f", "json")
    assert got["totals"]["params"] == "138,357,544"
    assert '<table class="layers">' in got["html"] and "<script" not in got["html"]
    macs = ask(cmd="table", zoo="vgg16", convention={"macs": True})
    assert macs["totals"]["flops"] == macs["totals"]["macs"]


def test_every_object_the_page_shows_renders_to_html():
    from symcnn import table
    from symcnn.render import render

    page = render(table("lenet5"), "html")
    assert page.startswith("<!DOCTYPE html>") and "61,706" in page
    assert "<h2>" in render(table("lenet5"), "html", fragment=True)


def test_a_spec_with_a_symbol_and_set(capsys):
    spec = "input 3 32 32\nconv C k=3 p=1\nrelu\nmaxpool k=2\nflatten\nlinear 10\n"
    got = ask(cmd="table", spec=spec, set="C=16")
    assert got["totals"]["params"] == f"{(3 * 9 + 1) * 16 + (16 * 16 * 16 + 1) * 10:,}"


def test_the_what_if_expressions_are_the_totals():
    from symcnn.whatif import whatif

    got = ask(cmd="whatif", zoo="lenet5", width=True, resolution=True)
    names = [s["name"] for s in got["symbols"]]
    assert names == ["R", "alpha"]
    w = whatif("lenet5", width="alpha", resolution="R")
    assert got["shown"]["params"] == sp.sstr(w.total("params"))
    # the JavaScript is over a0, a1 only: no name a user wrote reaches the generated code
    for expr in list(got["totals"].values()) + [l["macs"] for l in got["layers"]]:
        assert set(__import__("re").findall(r"[A-Za-z_]\w*", expr)) <= {"Math", "pow", "floor", "ceil", "max", "min",
                                                                        "a0", "a1", "abs", "e"}


def test_prove_and_check_answer_as_the_cli(capsys):
    got = ask(cmd="prove", slug="receptive-field")
    assert got["verified"] and "QED" in got["text"]
    refused = ask(cmd="prove", slug="receptive-field", claim="N*F - N")
    assert refused["verified"] is False and "not confirmed" in refused["refused"]
    graded = ask(cmd="check", sheet=SHEET.read_text(), filename=SHEET.name)
    cli = cli_json(capsys, "check", str(SHEET), "-f", "json")
    assert [v["status"] for v in graded["verdicts"]] == [c["status"] for c in cli["claims"]]


@pytest.mark.parametrize("request_text, message", [
    ('{"cmd": "rm -rf"}', "unknown command"),
    ("not json", "JSONDecodeError"),
    ('{"cmd": "table", "spec": "input 3 8 8\\nconv 4 k=99"}', "larger than the padded input"),
    ('{"cmd": "table", "zoo": "../../etc/passwd"}', "no zoo network"),
    ('{"cmd": "table", "zoo": "vgg16", "convention": {"bytes": -1}}', "bytes per element"),
    ('{"cmd": "prove", "slug": "receptive-field", "claim": "__import__(\'os\')"}', ""),
])
def test_bad_requests_are_one_line_errors(request_text, message):
    got = json.loads(handle(request_text))
    text = got.get("error") or got.get("refused") or ""
    assert message in text and "\n" not in text and "Traceback" not in text
    assert not got.get("verified")


def test_a_missing_checker_asked_for_by_name_is_one_line(monkeypatch, capsys):
    from symcnn.proof import checking

    monkeypatch.setattr(checking, "available", lambda: ("sympy",))
    assert main(["prove", "same-padding", "--checker", "z3"]) == 2
    err = capsys.readouterr().err
    assert "Z3 checker is not installed" in err and err.count("\n") == 1
    assert main(["prove", "same-padding"]) == 0  # by default, the checkers installed
    out = capsys.readouterr().out
    assert "confirmed by sympy; Z3 did not check them (it is not installed here" in out


# -- the page in a browser -----------------------------------------------------------------------------------------

def _tools() -> str | None:
    if not (shutil.which("node") and shutil.which("npm")):
        return "Node.js and npm (to build the page)"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    missing = _tools()
    if missing:
        if REQUIRED:
            pytest.fail(f"{missing} is required for the page's test (SYMCNN_REQUIRE_BROWSER=1)")
        pytest.skip(f"{missing} not installed")
    from symcnn.web.build import build, server

    folder = tmp_path_factory.mktemp("web") / "page"
    manifest = build(folder)
    httpd = server(folder, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}/", manifest
    httpd.shutdown()


FLAGS = list(CHROMIUM_FLAGS)


@pytest.mark.slow
def test_the_page_builds_within_budget(site):
    folder, _url, manifest = site
    assert manifest["python"].startswith("3.14")
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size <= 30 * 2**20
    assert {"index.html", "app.js", "worker.js", "sw.js", "site.zip", "files.zip", "pyodide/pyodide.asm.wasm"} <= \
        set(manifest["files"])
    # the runtime's standard library compiled at build time (Pyodide ships it as source): nothing is compiled
    # in the browser, which was most of the runtime's start
    import zipfile

    names = zipfile.ZipFile(folder / "pyodide" / "python_stdlib.zip").namelist()
    assert not [n for n in names if n.endswith(".py")]
    assert {"re/__init__.pyc", "json/__init__.pyc", "_pyodide/__init__.pyc"} <= set(names)


@pytest.mark.slow
def test_every_panel_in_headless_chromium_agrees_with_the_cli(site, tmp_path, capsys):
    from playwright.sync_api import sync_playwright

    from symcnn.whatif import whatif

    folder, url, _manifest = site
    shots = Path(os.environ.get("SYMCNN_WEB_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    cli_table = cli_json(capsys, "table", "vgg16", "-f", "json")
    cli_sheet = cli_json(capsys, "check", str(SHEET), "-f", "json")
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=chromium,
                                                   headless=True, args=FLAGS)
        errors: list[str] = []
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.monotonic()
        page.goto(url)
        page.wait_for_selector("body[data-ready=yes]", timeout=120_000)
        cold = time.monotonic() - t0
        # the table: the same totals as `symcnn table vgg16 -f json`
        totals = json.loads(page.get_attribute("#table .out", "data-totals"))
        assert totals["params"] == f"{cli_table['totals']['params']:,}"
        assert totals["macs"] == f"{cli_table['totals']['macs']:,}"
        page.screenshot(path=str(shots / "web-table.png"))
        # sortable: by parameters, largest first
        page.click("#table table.layers thead th:nth-child(6)")
        first = page.inner_text("#table table.layers tbody tr:first-child td:first-child")
        assert first == "fc6"
        # a convention switched as in the CLI (--macs)
        page.check("#conventions input[name=macs]")
        page.wait_for_function("JSON.parse(document.querySelector('#table .out').dataset.totals).flops === "
                               "JSON.parse(document.querySelector('#table .out').dataset.totals).macs")
        page.uncheck("#conventions input[name=macs]")
        page.wait_for_function("JSON.parse(document.querySelector('#table .out').dataset.totals).flops !== "
                               "JSON.parse(document.querySelector('#table .out').dataset.totals).macs")
        # the answer key: MathML, and the three downloads (for another network: ResNet-50)
        page.select_option("#zoo", "resnet50")
        page.wait_for_function("JSON.parse(document.querySelector('#table .out').dataset.totals).params === "
                               "'25,557,032'", timeout=60_000)
        page.click("nav [data-panel=key]")
        page.wait_for_function("document.querySelector('#key iframe').srcdoc.includes('<math')", timeout=60_000)
        assert page.get_attribute("#key a[data-format=html]", "href").startswith("blob:")
        for fmt in ("tex", "md"):  # made when asked for: a download of each
            with page.expect_download(timeout=60_000) as download:
                page.click(f"#key a[data-format={fmt}]")
            text = Path(download.value.path()).read_text()
            assert ("\\documentclass" in text) if fmt == "tex" else text.startswith("# Answer key")
        # the figures
        page.click("nav [data-panel=figures]")
        page.wait_for_selector("#figures svg", timeout=60_000)
        # what-if: a slider per symbol; the totals recomputed live equal symcnn's at that point
        page.click("nav [data-panel=whatif]")
        page.wait_for_selector("#sliders input[data-arg]", timeout=60_000)
        sliders = page.query_selector_all("#sliders input[type=range]")
        assert len(sliders) == 2
        page.eval_on_selector("#sliders label:nth-child(2) input",
                              "el => { el.value = '0.5'; el.dispatchEvent(new Event('input')); }")
        shown = page.inner_text("#w-totals")
        w = whatif("resnet50", width="alpha", resolution="R")  # the network chosen above
        at = {w.symbol("alpha"): sp.Rational(1, 2), w.symbol("R"): 224}
        assert f"{int(w.total('params').xreplace(at)):,}" in shown
        assert f"{int(w.total('macs').xreplace(at)):,}" in shown
        page.screenshot(path=str(shots / "web-whatif.png"))
        # a proof, checked by sympy alone (no Z3 in the browser), and a false claim refused
        page.click("nav [data-panel=prove]")
        page.wait_for_function("document.querySelector('#theorem').options.length > 0", timeout=60_000)
        page.select_option("#theorem", "receptive-field")
        page.click("#prove-go")
        page.wait_for_function("document.querySelector('#prove-summary').textContent.length > 0", timeout=120_000)
        summary = page.inner_text("#prove-summary")
        assert summary.startswith("Proved.") and "confirmed by sympy; Z3 did not check them" in summary
        capsys.readouterr()
        main(["prove", "receptive-field", "--checker", "sympy"])
        cli = capsys.readouterr().out
        shown = page.get_attribute("#prove", "data-text")
        # the same steps, the same verdicts; only why Z3 did not run differs
        assert shown.replace("it is not installed here, as in a browser", "not asked for") == cli.rstrip("\n") + "\n" \
            or shown.replace("it is not installed here, as in a browser", "not asked for").rstrip() == cli.rstrip()
        assert "<math" in page.eval_on_selector("#prove iframe", "el => el.srcdoc")
        page.fill("#claim", "N*F - N")
        page.click("#prove-go")
        page.wait_for_function("document.querySelector('#prove-summary').textContent.startsWith('Not proved')",
                               timeout=120_000)
        # grading: the same verdicts as `symcnn check`
        page.click("nav [data-panel=grade]")
        page.fill("#sheet", SHEET.read_text())
        page.click("#grade-go")
        page.wait_for_function("document.querySelector('#grade').dataset.verdicts", timeout=120_000)
        verdicts = json.loads(page.get_attribute("#grade", "data-verdicts"))
        assert [v["status"] for v in verdicts] == [c["status"] for c in cli_sheet["claims"]]
        page.screenshot(path=str(shots / "web-grade.png"))
        assert not errors, errors
        assert "internal error" not in page.inner_text("#status")
        page.close()
        # a repeat visit starts from the service worker's cache
        page = ctx.new_page()
        t0 = time.monotonic()
        page.goto(url)
        page.wait_for_selector("body[data-ready=yes]", timeout=120_000)
        repeat = time.monotonic() - t0
        cached = page.evaluate("caches.keys()")
        assert any(k.startswith("symcnn-") for k in cached)
        ctx.close()
    (shots / "timings.json").write_text(json.dumps({"cold_s": round(cold, 2), "repeat_s": round(repeat, 2)}) + "\n")
