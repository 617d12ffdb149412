"""The house rules for the core that a linter cannot check: imports, docstrings, no floats."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "tidtam" / "domain"
MESSAGES_PY = DOMAIN_DIR.parent / "messages.py"
CORE_MODULES = sorted(DOMAIN_DIR.glob("*.py"))


def imported_modules(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_the_core_has_the_agreed_modules() -> None:
    names = {path.stem for path in CORE_MODULES}

    assert {"errors", "money", "fiscal", "thai", "progress", "scoring", "budget"} <= names


@pytest.mark.parametrize("path", [*CORE_MODULES, MESSAGES_PY], ids=lambda path: path.name)
def test_core_imports_only_the_standard_library_and_itself(path: Path) -> None:
    foreign = {
        name
        for name in imported_modules(parse(path))
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("tidtam.domain")
    }

    assert foreign == set()


@pytest.mark.parametrize("path", [*CORE_MODULES, MESSAGES_PY], ids=lambda path: path.name)
def test_each_module_starts_with_a_one_line_docstring(path: Path) -> None:
    docstring = ast.get_docstring(parse(path))

    assert docstring
    assert "\n" not in docstring


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda path: path.name)
def test_the_core_has_no_float_literals(path: Path) -> None:
    floats = [
        node.lineno
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, float)
    ]

    assert floats == []


def test_the_core_and_its_messages_import_without_django() -> None:
    # A fresh interpreter, so that Django imported by other tests cannot hide a leak.
    code = (
        "import sys, tidtam.domain.budget, tidtam.domain.scoring, tidtam.domain.thai, "
        "tidtam.messages; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    repo = DOMAIN_DIR.parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo)}

    result = subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, check=False)

    assert result.returncode == 0
