"""Guards on how the tests themselves are laid out (issue 24): a run without torch (`-m "not torch"`, as the
README says) must still run every torch-free test."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _skips_torch_at_import(node: ast.stmt) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "importorskip"
               and n.args and isinstance(n.args[0], ast.Constant) and n.args[0].value == "torch"
               for n in ast.walk(node))


def test_a_module_that_skips_without_torch_holds_no_torch_free_test():
    """A module-level importorskip("torch") skips the whole module: it must come before every test (a module
    of torch tests), never after torch-free tests, which would then silently vanish from a run without torch."""
    offenders = []
    for path in sorted(TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text())
        skip_at = next((n.lineno for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef))
                        and _skips_torch_at_import(n)), None)
        if skip_at is None:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test") and node.lineno < skip_at:
                offenders.append(f"{path.name}:{node.lineno} {node.name} (before the skip at line {skip_at})")
    assert not offenders, offenders


ROOT = TESTS.parent
PACKAGE = ROOT / "symcnn"


def _module_of(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Each module of symcnn and the modules of symcnn it imports (at any depth of its code)."""
    modules = {_module_of(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[:len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


#: the longest a function of the library may be; the theorems are proof scripts (a proof is read as one piece)
MAX_FUNCTION_LINES = 60


def test_no_function_is_longer_than_a_screen():
    """Core algorithms are split into steps by job: no function over 60 lines outside the proof scripts."""
    package = TESTS.parent / "symcnn"
    long = []
    for path in sorted(package.rglob("*.py")):
        if "theorems" in path.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(package)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, long


def test_no_module_imports_the_package_facade():
    """Inside symcnn nothing climbs up to ``symcnn/__init__.py`` for a name: it imports the module that holds it."""
    offenders = sorted(m for m, deps in _imports().items() if "symcnn" in deps and m != "symcnn")
    assert not offenders, offenders


def test_the_modules_import_each_other_without_a_cycle():
    graph = _imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycles.append(" -> ".join([*path[path.index(d):], d]) if d in path else f"{m} -> {d}")
            elif d not in state:
                visit(d, [*path, d])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, cycles[:5]


RST = '''"""A reStructuredText printer, added by a test as a newcomer would: this one file."""

from .printer import Printer


class RstPrinter(Printer):
    format = "rst"
    extension = "rst"
    order = 6

    def _print_Table(self, table) -> str:
        return ".. symcnn table\\n\\n" + str(table.totals["params"]) + "\\n"

    def _print_Document(self, doc) -> str:
        return ".. symcnn document\\n"
'''


def test_a_new_output_format_is_one_file_and_every_command_offers_it(tmp_path):
    """Issue 24: adding an rst printer took three files and then crashed 'symcnn answer-key'; now the registry is
    read off the printer classes, so the new file is all it takes."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(PACKAGE, tmp_path / "symcnn", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "symcnn" / "render" / "rst.py").write_text(RST)
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}

    def run(*argv):
        return subprocess.run([sys.executable, "-m", "symcnn", *argv], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=300)

    table = run("table", "lenet5", "-f", "rst")
    assert table.returncode == 0 and table.stdout.startswith(".. symcnn table") and "61706" in table.stdout
    key = run("answer-key", "lenet5", "-o", str(tmp_path / "keys"))
    assert key.returncode == 0, key.stderr
    assert (tmp_path / "keys" / "lenet5.rst").read_text().startswith(".. symcnn document")
    assert "rst" in run("table", "--help").stdout


READER = '''"""Comma-separated sheets, added by a test as a newcomer would: this one file."""

from .lines import RawLine, split_lines

FORMATS = ("csv",)
SUFFIXES = {".csv": "csv"}
RANK = 50


def looks_like(text: str) -> bool:
    return False


def read(text: str, filename: str) -> list[RawLine]:
    return [RawLine(n, tuple(c.strip() for c in line.split(",")), table=True)
            for n, line in enumerate(split_lines(text), start=1) if line.strip()]
'''


def test_a_new_sheet_format_is_one_file_and_the_command_offers_it(tmp_path):
    import shutil
    import subprocess
    import sys

    shutil.copytree(PACKAGE, tmp_path / "symcnn", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "symcnn" / "grading" / "sheets" / "csvsheet.py").write_text(READER)
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "s1.csv").write_text("layer;params\n".replace(";", ",") + "conv1,34944\n")
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "symcnn", "check", str(tmp_path / "class"), "--network", "alexnet",
                           "-f", "json"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert '"format": "csv"' in done.stdout and '"status": "right"' in done.stdout
    helped = subprocess.run([sys.executable, "-m", "symcnn", "check", "--help"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=300)
    assert "csv" in helped.stdout
