"""The import rules of STYLE.md: ``policy`` imports only the standard library and
``errors``; only ``store`` imports SQLAlchemy; ``services`` never import ``server`` or
``console``."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "iamsandbox"


def _imports(path: Path) -> list[tuple[int, str]]:
    """(level, module) for each import in ``path``; level 0 is absolute."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((0, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "policy").glob("*.py")), ids=lambda p: p.name)
def test_policy_imports_only_stdlib_and_errors(path: Path) -> None:
    for level, module in _imports(path):
        if level == 0:
            assert module.split(".")[0] in sys.stdlib_module_names, f"{path.name} imports {module}"
        elif level == 2:
            assert module == "errors", f"{path.name} imports ..{module}"
        else:
            assert level == 1, f"{path.name} reaches outside the package"


def test_only_store_imports_sqlalchemy() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "store" in path.relative_to(PACKAGE).parts:
            continue
        for _level, module in _imports(path):
            assert not module.startswith("sqlalchemy"), f"{path} imports SQLAlchemy"


def test_the_command_line_starts_without_the_store() -> None:
    """``iamsandbox serve`` binds its port before it imports the store and the app
    (cli/serve.py: issue 3's "port open within 0.3 s of start"); the command's own module
    and its subcommands' registrations must not bring SQLAlchemy or the services in."""
    import subprocess

    heavy = ("sqlalchemy", "iamsandbox.store", "iamsandbox.services")
    code = f"import sys, iamsandbox.cli.main; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
