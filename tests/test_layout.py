"""The package's layout rules that import-linter cannot state (see ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "grader"
CHILD = PACKAGE / "sandbox" / "child"
LONG_MODULE_LINES = 420
# The warm worker imports what submissions use, on purpose, so that its children have it warm.
DELIBERATE = {("warm_worker.py", "numpy"), ("warm_worker.py", "sympy")}


def _imports(path: Path) -> list[str]:
    """Every module `path` imports, at any depth (an import inside a function counts too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("path", sorted(CHILD.glob("*.py")), ids=lambda p: p.name)
def test_the_child_side_imports_only_the_standard_library_and_itself(path):
    """It runs under the sandbox interpreter, which may have nothing else, and a warm worker
    stages this one package where the sandbox user can read it."""
    for module in _imports(path):
        top = module.split(".")[0]
        if (path.name, top) in DELIBERATE or module.startswith("grader.sandbox.child"):
            continue
        assert top in sys.stdlib_module_names, f"{path.name} imports {module}"


def test_the_rule_above_would_catch_a_third_party_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import pydantic\n    from grader.sandbox import runner\n")
    assert _imports(bad) == ["pydantic", "grader.sandbox"]
    assert "pydantic" not in sys.stdlib_module_names


def test_the_package_root_holds_only_the_entry_points():
    """The `grade` command (the cli package), the pipeline, and the package's own files."""
    modules = {p.name for p in PACKAGE.glob("*.py")}
    assert modules == {"__init__.py", "__main__.py", "pipeline.py"}
    assert (PACKAGE / "cli" / "__init__.py").is_file()


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_long_module_says_why_at_its_top(path):
    text = path.read_text(encoding="utf-8")
    if text.count("\n") > LONG_MODULE_LINES:
        docstring = ast.get_docstring(ast.parse(text)) or ""
        assert "over 400 lines" in docstring, f"{path.name} is long: split it, or say why at its top"
