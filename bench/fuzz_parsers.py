"""The parser fuzzing of issue 10 §8, for long: the same property-based tests as the test command
(src/thidua/platform/tests/test_fuzz_parsers.py, src/thidua/rules/tests/test_fuzz_facts.py),
with many more examples, random (not derandomised) seeds, and hypothesis' statistics printed.

    .venv/bin/python bench/fuzz_parsers.py [--examples 5000] [-k EXPR]

Exits with pytest's code: 0 when no example crashed."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from common import ROOT

TESTS = ["src/thidua/platform/tests/test_fuzz_parsers.py",
         "src/thidua/rules/tests/test_fuzz_facts.py"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="examples per test")
    parser.add_argument("-k", dest="select", help="only the tests matching (pytest -k)")
    args = parser.parse_args()
    env = {**os.environ, "THIDUA_FUZZ_EXAMPLES": str(args.examples)}
    env.setdefault("THIDUA_HOME", "/tmp/thidua-fuzz")
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "--hypothesis-show-statistics", *TESTS, *(["-k", args.select] if args.select else [])]
    raise SystemExit(subprocess.call(cmd, cwd=ROOT, env=env))


if __name__ == "__main__":
    main()
