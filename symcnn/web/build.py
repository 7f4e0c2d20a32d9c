"""Building the browser page into a static folder, and serving it for a try.

``symcnn web --build DIR`` writes a folder any static file server can host
(GitHub Pages, ``python -m http.server``): the page (``symcnn/web/page/``),
the Pyodide runtime from the npm registry, and ``site.zip``: sympy, mpmath,
latex2mathml and symcnn, byte-compiled ahead of time *by Pyodide's own
Python* (run once under Node.js at build time), and Pyodide's standard
library compiled the same way (the npm package ships it as source); the page
imports them straight from the zips, so nothing is unpacked or compiled in
the browser.
Nothing is fetched from elsewhere when the page runs.

Building needs Node.js and npm (the runtime comes from the npm registry);
running the page needs only a browser.
"""

from __future__ import annotations

import hashlib
import http.server
import importlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import SymcnnError

#: the Pyodide release the page runs on (Python 3.14)
PYODIDE = "314.0.8"
#: the files of the runtime the page loads
RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
#: the pure-Python packages symcnn runs on in the browser (z3-solver has no build for it)
PACKAGES = ("sympy", "mpmath", "latex2mathml", "symcnn")
#: the folder's budget, as the page's issue states it
SIZE_LIMIT = 30 * 1024 * 1024
PAGE = Path(__file__).parent / "page"


def cache_dir() -> Path:
    return Path(os.environ.get("SYMCNN_WEB_CACHE") or Path.home() / ".cache" / "symcnn-web")


def _run(cmd: list[str], what: str, cwd: Path | None = None, timeout: int = 900) -> str:
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise SymcnnError(f"{what}: {cmd[0]} is not installed (building the page needs Node.js and npm)") from None
    except subprocess.TimeoutExpired:
        raise SymcnnError(f"{what}: no answer in {timeout} s") from None
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["failed"]
        raise SymcnnError(f"{what}: {last[0][:300]}")
    return done.stdout


def runtime(log: Callable[[str], None] = lambda s: None) -> Path:
    """The Pyodide runtime, installed from the npm registry into the cache once."""
    where = cache_dir() / f"pyodide-{PYODIDE}"
    pkg = where / "node_modules" / "pyodide"
    if not (pkg / "pyodide.asm.wasm").exists():
        where.mkdir(parents=True, exist_ok=True)
        log(f"npm install pyodide@{PYODIDE}")
        _run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(where), f"pyodide@{PYODIDE}"],
             "npm install pyodide")
    missing = [f for f in RUNTIME if not (pkg / f).exists()]
    if missing:
        raise SymcnnError(f"the pyodide package has no {', '.join(missing)}")
    return pkg


def _sources(zip_path: Path) -> list[str]:
    """The installed packages' files, zipped as they are (tests and caches left out)."""
    names = []
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in PACKAGES:
            module = importlib.import_module(name)
            root = Path(module.__file__ or "").parent
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root.parent)
                parts = set(rel.parts)
                skip = path.is_dir() or "__pycache__" in parts or path.suffix in (".pyc", ".so")
                skip = skip or (name != "symcnn" and "tests" in parts) or (name == "symcnn" and "page" in parts)
                if skip:
                    continue
                z.write(path, rel.as_posix())
                names.append(rel.as_posix())
            # the metadata importlib.metadata reads (latex2mathml asks for its own version)
            version = importlib.metadata.version(name)
            z.writestr(f"{name}-{version}.dist-info/METADATA",
                       f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return names


_COMPILE = r"""
import { loadPyodide } from "%(pyodide)s";
import fs from "node:fs";
const py = await loadPyodide();
py.unpackArchive(new Uint8Array(fs.readFileSync(process.argv[2])), "zip", { extractDir: "/build/site" });
py.unpackArchive(new Uint8Array(fs.readFileSync(process.argv[4])), "zip", { extractDir: "/build/stdlib" });
py.runPython(`
import compileall, os, py_compile, shutil, sys, zipfile
root = "/build/site"
UNPACKED = ("latex2mathml",)
ok = True
for name in os.listdir(root):
    path = os.path.join(root, name)
    if not os.path.isdir(path) or name.endswith(".dist-info"):
        continue
    # compiled only, each module's .pyc where its .py was: the page imports straight from the zip
    # (zipimport), nothing is unpacked and nothing is compiled in the browser
    ok &= compileall.compile_dir(path, quiet=1, legacy=True)
    for folder, _, files in os.walk(path):
        for f in files:
            if f.endswith(".py"):
                os.remove(os.path.join(folder, f))
if not ok:
    raise SystemExit("compileall failed")
# imported from the zip: the packages that read no file beside their modules; unpacked: those that do
# (latex2mathml reads its symbol table by path) and the metadata
with zipfile.ZipFile("/build/site.zip", "w", zipfile.ZIP_DEFLATED) as z, \
        zipfile.ZipFile("/build/files.zip", "w", zipfile.ZIP_DEFLATED) as u:
    for folder, _, files in os.walk(root):
        for f in sorted(files):
            full = os.path.join(folder, f)
            rel = os.path.relpath(full, root)
            (u if rel.split(os.sep)[0] in UNPACKED or ".dist-info" in rel else z).write(full, rel)
# the standard library: Pyodide ships it as source, which the browser would compile module by module on every
# visit (most of the runtime's start); compiled here once, the same zip holds each module's .pyc instead
stdlib = "/build/stdlib"
if not compileall.compile_dir(stdlib, quiet=1, legacy=True):
    raise SystemExit("compileall failed on the standard library")
with zipfile.ZipFile("/build/python_stdlib.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for folder, dirs, files in os.walk(stdlib):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".py"):
                full = os.path.join(folder, f)
                z.write(full, os.path.relpath(full, stdlib))
print(sys.version.split()[0])
`);
fs.writeFileSync(process.argv[3] + "/site.zip", py.FS.readFile("/build/site.zip"));
fs.writeFileSync(process.argv[3] + "/files.zip", py.FS.readFile("/build/files.zip"));
fs.mkdirSync(process.argv[3] + "/pyodide", { recursive: true });
fs.writeFileSync(process.argv[3] + "/pyodide/python_stdlib.zip", py.FS.readFile("/build/python_stdlib.zip"));
"""


def _compiled(pkg: Path, source_zip: Path, folder: Path, work: Path) -> str:
    """site.zip (imported from) and files.zip (unpacked) in ``folder``, and the runtime's standard library
    compiled (``pyodide/python_stdlib.zip``); Pyodide's Python version."""
    script = work / "compile.mjs"
    script.write_text(_COMPILE % {"pyodide": (pkg / "pyodide.mjs").as_uri()})
    version = _run(["node", str(script), str(source_zip), str(folder), str(pkg / "python_stdlib.zip")],
                   "byte-compiling for Pyodide")
    return version.strip().splitlines()[-1] if version.strip() else "?"


def build(out: str | Path, log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Build the page into ``out`` (replaced whole, written beside it first); its manifest."""
    out = Path(out)
    pkg = runtime(log)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=".symcnn-web-") as tmp:
        work = Path(tmp)
        folder = work / "site"
        folder.mkdir()
        log("zipping sympy, mpmath, latex2mathml and symcnn")
        _sources(work / "sources.zip")
        log("byte-compiling them with Pyodide's Python (Node.js)")
        python = _compiled(pkg, work / "sources.zip", folder, work)
        for f in RUNTIME:
            if not (folder / "pyodide" / f).exists():  # python_stdlib.zip: the compiled one written above
                shutil.copy2(pkg / f, folder / "pyodide" / f)
        for path in sorted(PAGE.iterdir()):
            if path.is_file():
                shutil.copy2(path, folder / path.name)
        from .api import zoo_list

        (folder / "zoo.json").write_text(json.dumps(zoo_list()) + "\n")  # the menu, before Python starts
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        digest = hashlib.sha256()
        size = 0
        for f in files:
            data = (folder / f).read_bytes()
            digest.update(f.encode() + b"\0" + hashlib.sha256(data).digest())
            size += len(data)
        manifest = {"version": digest.hexdigest()[:16], "pyodide": PYODIDE, "python": python, "bytes": size,
                    "files": files}
        (folder / "files.json").write_text(json.dumps(manifest, indent=1) + "\n")
        if size > SIZE_LIMIT:
            raise SymcnnError(f"the page is {size / 2**20:.1f} MiB, over its {SIZE_LIMIT / 2**20:.0f} MiB budget")
        if out.exists():
            if not (out / "files.json").exists():
                raise SymcnnError(f"{out} exists and is not a built page: choose an empty or new folder")
            shutil.rmtree(out)
        folder.rename(out)
    return manifest


#: what Chromium needs to run headless on a build machine or in CI (no sandbox, no GPU, nothing fetched from the
#: network on its own), for the page's test and the benchmark; the headless switch itself is the caller's
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic")


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the base class's own table, extended)
        **http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
        ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format: str, *args: object) -> None:  # quiet: the CLI says where it serves
        return


def server(folder: str | Path, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A static file server for the folder, on loopback (call ``serve_forever``; port 0 picks a free one)."""
    folder = Path(folder)
    if not (folder / "files.json").exists():
        raise SymcnnError(f"{folder} is not a built page (build it with 'symcnn web --build {folder}')")

    def handler(*args: object, **kwargs: object) -> _Handler:
        return _Handler(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise SymcnnError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
