"""Shared pieces of the benchmarks: a fresh database per run, timing, peak memory and the
Vietnamese number format of the printed figures.

A benchmark never touches the user's data: on SQLite it migrates a new database file in a
temporary THIDUA_HOME; with THIDUA_DATABASE_URL set it creates (and afterwards drops) a new
PostgreSQL database next to the configured one, as the test runner does."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup_django() -> None:
    """Load Django (test settings, a temporary data folder) without touching any database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings.test"
    if "THIDUA_HOME" not in os.environ:
        home = tempfile.mkdtemp(prefix="thidua-bench-")
        os.environ["THIDUA_HOME"] = home
        atexit.register(shutil.rmtree, home, ignore_errors=True)
    import django

    django.setup()


def existing() -> bool:
    """`THIDUA_BENCH_EXISTING=1` with THIDUA_DATABASE_URL: a benchmark that supports it writes
    into the configured database as it is (the national one, say) inside a transaction that
    its clean-up rolls back, instead of into a new empty database."""
    return bool(os.environ.get("THIDUA_BENCH_EXISTING")) and bool(
        os.environ.get("THIDUA_DATABASE_URL"))


def fresh_database(label: str) -> Callable[[], None]:
    """Configure Django on a new, migrated, empty database; returns the clean-up function.
    Call before importing any model. With `existing()`, the configured database instead, in a
    transaction rolled back by the clean-up."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings.test"
    if existing():
        return _rolled_back(label)
    pg = bool(os.environ.get("THIDUA_DATABASE_URL"))
    home = tempfile.mkdtemp(prefix=f"thidua-bench-{label}-")
    os.environ["THIDUA_HOME"] = home
    if pg:
        os.environ["THIDUA_TEST_DATABASE_NAME"] = f"thidua_bench_{label}_{os.getpid()}"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log: it would grow with every row
    if pg:
        from django.test.utils import setup_databases, teardown_databases

        old = setup_databases(verbosity=0, interactive=False)

        def cleanup() -> None:
            from django.db import connections

            connections.close_all()
            teardown_databases(old, verbosity=0)
            shutil.rmtree(home, ignore_errors=True)

        return cleanup
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return lambda: shutil.rmtree(home, ignore_errors=True)


def _rolled_back(label: str) -> Callable[[], None]:
    home = tempfile.mkdtemp(prefix=f"thidua-bench-{label}-")
    os.environ["THIDUA_HOME"] = home
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections, transaction

    settings.DEBUG = False
    outer = transaction.atomic()
    outer.__enter__()

    def cleanup() -> None:
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        connections.close_all()
        shutil.rmtree(home, ignore_errors=True)

    return cleanup


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def timer() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    started = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - started


def run_phase(script: Path, *args: str) -> dict[str, object]:
    """Run one phase in its own process (so its peak memory is its own); it prints one JSON
    line last."""
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          env=os.environ.copy(), check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"phase {args} failed with exit code {proc.returncode}")
    sys.stderr.write(proc.stderr)  # a profile, warnings
    return json.loads(proc.stdout.strip().splitlines()[-1])


def vn(value: float, decimals: int = 0) -> str:
    """10141 -> 10.141; 21.34 -> 21,3 (as the figures are written in Vietnamese documents)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        last = len(row) - 1
        lines.append("  ".join(c.rjust(w) if 0 < j < last else c.ljust(w)
                               for j, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
