"""Headless Chromium, as the environment requires it started: no sandbox, no
GPU, no background networking, a fresh profile.  Used to check that HTML
pages really render their MathML."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

from symcnn.web.build import CHROMIUM_FLAGS

FLAGS = ["--headless", *CHROMIUM_FLAGS]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(args, timeout=120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="symcnn-chromium-") as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                              text=True, timeout=timeout)


def screenshot(page: Path, png: Path, size=(1200, 1600)) -> bytes:
    _run([f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", page.resolve().as_uri()])
    return png.read_bytes()


MEASURE = """<script>
document.body.setAttribute('data-math-sizes', JSON.stringify(Array.from(document.querySelectorAll('math'))
  .map(function (m) { var r = m.getBoundingClientRect(); return [r.width, r.height]; })));
</script>"""


def math_sizes(page: Path) -> list[list[float]]:
    """Width and height of every <math> element, as Chromium lays them out."""
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / page.name
        probe.write_text(page.read_text().replace("</body>", MEASURE + "\n</body>"))
        dom = _run(["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()]).stdout
    m = re.search(r'data-math-sizes="([^"]*)"', dom)
    assert m, "the measuring script did not run"
    return json.loads(m.group(1).replace("&quot;", '"'))


def ink_fraction(png: bytes) -> float:
    """Fraction of the decoded image bytes that are not white (or PNG filter bytes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            data += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(data)
    ink = sum(1 for b in raw[::7] if b not in (0, 1, 2, 3, 4, 255))
    return ink / max(1, len(raw[::7]))


REQUIRED = os.environ.get("SYMCNN_REQUIRE_BROWSER") == "1"


OVERFLOW = """<script>
(function () {
  var width = document.documentElement.clientWidth, bad = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    var inner = e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible';
    if (r.width > 0 && (r.right > width + 1 || inner)) {
      bad.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ':' + Math.round(r.right));
    }
  });
  document.body.setAttribute('data-overflow', JSON.stringify({page: document.documentElement.scrollWidth,
                                                                window: width, elements: bad.slice(0, 20),
                                                                count: bad.length}));
})();
</script>"""


def overflow(page: Path, width: int = 1000) -> dict:
    """What runs past the right edge of a ``width``-pixel window (or scrolls sideways inside a box)."""
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / page.name
        probe.write_text(page.read_text().replace("</body>", OVERFLOW + "\n</body>"))
        dom = _run([f"--window-size={width},1600", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()]).stdout
    m = re.search(r'data-overflow="([^"]*)"', dom)
    assert m, "the measuring script did not run"
    return json.loads(m.group(1).replace("&quot;", '"'))
