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
