"""Documents written to a folder, as the answer-key and feedback commands write them: every file rendered before
any is written (a failure writes nothing), no file replaced unless asked, LaTeX compiled to PDF on request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import SymcnnError

#: the order formats are written in when none is asked for: the source (LaTeX), the page that renders it, Markdown;
#: a format added later comes after these
PREFERRED = ("latex", "html", "markdown")


def default_formats(available: Sequence[str]) -> list[str]:
    """Every format that can show a document, in the order the files are written.

    >>> default_formats(["markdown", "rst", "latex", "html"])
    ['latex', 'html', 'markdown', 'rst']
    """
    return sorted(available, key=lambda f: (PREFERRED.index(f) if f in PREFERRED else len(PREFERRED), f))


def write_documents(docs: Sequence[Any], folder: str | Path, formats: Sequence[str], *, force: bool = False,
                    pdf: bool = False, say: Callable[[str], None] = lambda s: None) -> list[Path]:
    """Each document in each format (``name.ext``), and with ``pdf`` each LaTeX source compiled; the paths written.
    A name that exists stops everything before anything is written unless ``force``. Where ``pdf`` is asked and no
    TeX engine is installed the sources are still written and :class:`NoTexEngine` is raised after them."""
    from .. import compile_pdf as C
    from ..files import output_dir, write_atomic
    from .printer import extension, printer

    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise SymcnnError(f"{out} is not a directory (it is a file); -o takes a directory")
    files = {out / f"{doc.name}.{extension(fmt)}": printer(fmt).doprint(doc) for doc in docs for fmt in formats}
    pdfs = [p.with_suffix(".pdf") for p in files if p.suffix == ".tex"] if pdf else []
    clash = [p for p in [*files, *pdfs] if p.exists()] if not force else []
    if clash:
        raise SymcnnError(f"{clash[0]} exists; use --force to replace it, or -o a fresh directory")
    output_dir(out)
    written = []
    for path, text in files.items():
        written.append(write_atomic(path, text))
        say(f"wrote {path}")
    if pdf:
        engine = C.engine()
        if engine is None:
            raise NoTexEngine("--pdf: no TeX engine (pdflatex) is installed, so no PDF was made; the LaTeX source is "
                              "written (Debian: apt-get install texlive-latex-base texlive-latex-recommended)")
        for tex in [p for p in files if p.suffix == ".tex"]:
            written.append(write_atomic(tex.with_suffix(".pdf"), C.compile_pdf(files[tex], engine)))
            say(f"wrote {tex.with_suffix('.pdf')}")
    return written


class NoTexEngine(SymcnnError):
    """PDFs were asked for and no TeX engine is installed (everything else was written)."""


__all__ = ["NoTexEngine", "default_formats", "write_documents"]
