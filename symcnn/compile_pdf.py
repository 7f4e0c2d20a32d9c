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
            # -no-shell-escape: a document can never run a program, whatever text reached it
            cmd = [tex, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
            proc = subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, text=True, errors="replace")
            try:
                out, _ = proc.communicate(timeout=timeout)
            except BaseException:  # timeout, Ctrl-C, SIGTERM: no orphaned pdflatex, no temp folder left
                proc.kill()
                proc.wait()
                raise
            if proc.returncode != 0:
                first = next((l for l in out.splitlines() if l.startswith("!")), "unknown error")
                raise TexError(f"pdflatex failed: {first}")
        return (Path(tmp) / "doc.pdf").read_bytes()
