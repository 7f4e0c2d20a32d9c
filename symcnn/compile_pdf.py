"""Compiling LaTeX to PDF with a real TeX engine, in a scratch directory."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import SymcnnError


class TexError(SymcnnError):
    """pdflatex failed (a bug in symcnn's LaTeX, reported with the first error line)."""


def engine() -> str | None:
    return shutil.which("pdflatex")


def compile_pdf(source: str, tex: str | None = None, runs: int = 2, timeout: int = 600) -> bytes:
    """The PDF of a LaTeX document; two runs settle longtable widths."""
    tex = tex or engine()
    if tex is None:
        raise SymcnnError("no TeX engine (pdflatex) is installed")
    with tempfile.TemporaryDirectory(prefix="symcnn-tex-") as tmp:
        (Path(tmp) / "doc.tex").write_text(source, encoding="utf-8")
        for _ in range(runs):
            proc = subprocess.run([tex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp,
                                  capture_output=True, text=True, timeout=timeout)
            if proc.returncode != 0:
                first = next((l for l in proc.stdout.splitlines() if l.startswith("!")), "unknown error")
                raise TexError(f"pdflatex failed: {first}")
        return (Path(tmp) / "doc.pdf").read_bytes()
