"""scripts/render_pages.py, the render-and-look script: it writes page images
a reviewer can open, and they are not blank."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from . import browser
from .test_answer_key import REQUIRE_TEX

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("render_pages", ROOT / "scripts" / "render_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif((shutil.which("pdflatex") is None or shutil.which("pdftoppm") is None) and not REQUIRE_TEX,
                    reason="pdflatex and pdftoppm not installed (CI installs them)")
@pytest.mark.skipif(browser.chromium() is None and not browser.REQUIRED, reason="chromium not installed")
def test_render_pages_writes_images_with_ink(tmp_path):
    written = _script().render_pages(tmp_path, ["proof-receptive-field"], pages=1, dpi=40)
    names = sorted(p.name for p in written)
    assert any(n.startswith("proof-receptive-field-p") for n in names)
    assert "proof-receptive-field-html.png" in names
    for png in written:
        assert browser.ink_fraction(png.read_bytes()) > 0.001, png.name


def test_every_document_kind_is_listed():
    docs = _script().documents()
    assert {"problems", "alexnet-224", "resnet50-brief", "proof-receptive-field", "graded-sheet"} <= set(docs)
