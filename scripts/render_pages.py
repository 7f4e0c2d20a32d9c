"""Render and look: sample pages of every kind of document symcnn writes, as
PNG images a reviewer opens before handing anything out.

    python scripts/render_pages.py [-o output/pages] [--dpi 80]

For each document (the problem-set key, a network key, a brief key, a proof,
a graded answer sheet) it writes the LaTeX compiled by pdflatex with its first
pages turned into PNG by pdftoppm (``NAME-p1.png``, ...), and the HTML page
screenshot by headless Chromium at 1000 px wide (``NAME-html.png``).  Needs
pdflatex, pdftoppm (poppler-utils) and chromium, as CI installs them; a tool
that is missing is said, and that kind of image skipped.

The image in the README (docs/key-page.png) is ``alexnet-224-p2.png`` from a
run of this script.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]


def documents() -> dict[str, object]:
    """name -> a renderable object: one of each kind of document."""
    import symcnn
    from symcnn import keys
    from symcnn.grading import check_sheet

    sheet = ROOT / "tests" / "sheets" / "alexnet_tabs.txt"
    return {
        "problems": keys.problems_document(),
        "alexnet-224": keys.network_key(symcnn.table("alexnet-224")),
        "resnet50-brief": keys.network_key(symcnn.table("resnet50"), brief=True),
        "mynet": keys.network_key(symcnn.table(ROOT / "examples" / "mynet.cnn")),
        "proof-receptive-field": symcnn.prove("receptive-field"),
        "graded-sheet": check_sheet(sheet.read_text(), str(sheet)),
    }


def render_pages(out: Path, names: list[str] | None = None, pages: int = 3, dpi: int = 80) -> list[Path]:
    """Write the images of the chosen documents into ``out``; returns the files written."""
    from symcnn.compile_pdf import compile_pdf
    from symcnn.render import render

    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    written: list[Path] = []
    for name, doc in documents().items():
        if names and name not in names:
            continue
        if shutil.which("pdflatex") and shutil.which("pdftoppm"):
            pdf = out / f"{name}.pdf"
            pdf.write_bytes(compile_pdf(render(doc, "latex")))
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", str(pages), "-png", str(pdf),
                            str(out / f"{name}-p")], check=True)
            written += sorted(out.glob(f"{name}-p*.png"))
        else:
            print(f"{name}: pdflatex or pdftoppm missing, no page images", file=sys.stderr)
        if chromium:
            page = out / f"{name}.html"
            page.write_text(render(doc, "html"))
            png = out / f"{name}-html.png"
            with tempfile.TemporaryDirectory(prefix="symcnn-chromium-") as profile:
                subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--window-size=1000,1400",
                                f"--screenshot={png}", page.resolve().as_uri()], capture_output=True, timeout=120,
                               check=True)
            written.append(png)
        else:
            print(f"{name}: chromium missing, no screenshot", file=sys.stderr)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=ROOT / "output" / "pages")
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--pages", type=int, default=3, help="PDF pages per document")
    ap.add_argument("names", nargs="*", help="only these documents (default: all)")
    args = ap.parse_args()
    for path in render_pages(args.out, args.names, args.pages, args.dpi):
        print(path)


if __name__ == "__main__":
    main()
