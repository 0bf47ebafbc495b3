"""The engine is pure Python: importing and running it loads no Django module, and no module of
the package imports Django or another part of the project (the HTTP adapter is
evaluation/api_rules.py)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, sys
import thidua.rules, thidua.rules.engine, thidua.rules.cli
from thidua.rules import evaluate
evaluate(json.load(open(sys.argv[1])))
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "ninja", "pydantic"))
print(json.dumps(bad))
"""


def test_importing_and_running_the_engine_loads_no_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT,
                           str(PACKAGE / "examples" / "facts_cstdcs.json")],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_no_module_imports_django_or_the_project():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).parts
        if relative[0] == "tests":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names
                          if n.split(".")[0] in ("django", "ninja")
                          or (n.startswith("thidua.") and not n.startswith("thidua.rules"))]
    assert offenders == []
