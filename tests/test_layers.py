"""The layers are a contract: `.importlinter` at the repository root says which app may import
which, and this suite fails when an import runs up the layers, when `rules` imports the project,
or when `platform` imports a domain app. Imports hidden inside functions would slip past a
reader, so they are counted and each must say why it is there."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "thidua"
CONFIG = ROOT / ".importlinter"
MAX_FUNCTION_IMPORTS = 10

# the `lint-imports` command, run by the interpreter of this test run
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(src)
    return subprocess.run([sys.executable, "-c", LINT, str(CONFIG), "--no-cache", "--no-logo"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
                          check=False)


def test_the_import_contracts_hold():
    proc = _lint(ROOT / "src")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_an_import_up_the_layers_breaks_the_contract(tmp_path):
    copy = tmp_path / "thidua"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        "static", "templates", "*.pyc", "__pycache__", "docx", "examples", "rulesets"))
    (copy / "org" / "upwards.py").write_text("from thidua.people.selectors import roster_counts\n")
    (copy / "rules" / "outwards.py").write_text("from thidua.platform.errors import NotFoundError\n")
    proc = _lint(tmp_path)
    assert proc.returncode == 1
    assert "thidua.org is not allowed to import thidua.people" in proc.stdout
    assert "thidua.rules is not allowed to import thidua.platform" in proc.stdout


def _function_imports() -> list[tuple[str, int, str]]:
    """(file, line, module) of every import of a project module inside a function body, outside
    tests and migrations."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                found += [(str(relative), node.lineno, n) for n in names
                          if n == "thidua" or n.startswith("thidua.")]
    return sorted(set(found))


def test_few_imports_inside_functions_and_each_says_why():
    found = _function_imports()
    assert len(found) <= MAX_FUNCTION_IMPORTS, found
    unexplained = []
    for relative, line, module in found:
        lines = (PACKAGE / relative).read_text(encoding="utf-8").splitlines()
        if not lines[line - 2].strip().startswith("#"):
            unexplained.append(f"{relative}:{line} {module}")
    assert unexplained == [], "say which cycle (or other need) the import works around"


def test_no_source_file_over_800_lines():
    """The app map keeps modules small: services/ by flow, views/ by page (issue 7)."""
    src = Path(__file__).resolve().parents[1] / "src" / "thidua"
    long = {str(p.relative_to(src)): n for p in src.rglob("*.py")
            if "migrations" not in p.parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > 800}
    assert not long, f"files over 800 lines: {long}"
