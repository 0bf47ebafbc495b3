"""Task workers on several machines share the queue without running a job twice (issue 13 §5).
Two real worker processes (`thidua manage worker`) against one PostgreSQL database drain N jobs;
each job's row is written exactly once, and both workers took a share. django-tasks-db claims a
job with SELECT … FOR UPDATE SKIP LOCKED inside a transaction and marks it RUNNING before the
lock is released (django_tasks_db/models.py `get_locked`, management/commands/db_worker.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.backend import DatabaseBackend
from worker_jobs import record_job

N = 40


def _env(tmp_path: Path) -> dict[str, str]:
    root = Path(__file__).resolve().parents[1]
    db = connection.settings_dict
    env = {**os.environ, "THIDUA_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "thidua.settings.dev",
           "THIDUA_DATABASE_URL": (f"postgres://{quote(str(db['USER']))}"
                                   f"{':' + quote(str(db['PASSWORD'])) if db['PASSWORD'] else ''}"
                                   f"@{db['HOST']}"
                                   f"{':' + str(db['PORT']) if db['PORT'] else ''}/{db['NAME']}"),
           "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root / "tests")])}
    env.pop("THIDUA_REPLICA_URL", None)
    return env


@pytest.mark.django_db(transaction=True)  # the workers must see the committed table
@pytest.mark.skipif(bool(os.environ.get("THIDUA_DATABASE_URL", "").startswith("sqlite"))
                    or not os.environ.get("THIDUA_DATABASE_URL"),
                    reason="several machines share one PostgreSQL; SQLite is one machine's file")
def test_two_workers_share_the_jobs_and_run_each_once(tmp_path: Path):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_worker_share_done (n integer PRIMARY KEY, pid integer)")
    backend = DatabaseBackend("default", {})  # the queue the workers read (tests run tasks inline)
    for n in range(N):
        backend.enqueue(record_job, [n], {})
    env = _env(tmp_path)
    workers = [subprocess.Popen([sys.executable, "-m", "thidua.cli", "manage", "worker",
                                 "--interval", "0.05", "--no-startup-delay"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while True:
            with connection.cursor() as cursor:
                cursor.execute("SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
                               "GROUP BY status")
                statuses = dict(cursor.fetchall())
            if statuses.get("SUCCESSFUL", 0) + statuses.get("FAILED", 0) >= N:
                break
            for w in workers:
                assert w.poll() is None, w.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"the queue did not drain: {statuses}"
            time.sleep(0.2)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(timeout=20)
            except subprocess.TimeoutExpired:
                w.kill()
                w.wait()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n, pid FROM test_worker_share_done")
        rows = cursor.fetchall()
        cursor.execute("SELECT status, jsonb_array_length(worker_ids) "
                       "FROM django_tasks_database_dbtaskresult")
        tasks = cursor.fetchall()
        cursor.execute("DROP TABLE test_worker_share_done")
    assert statuses == {"SUCCESSFUL": N}
    assert sorted(n for n, _ in rows) == list(range(N))  # every job once (n is the primary key)
    assert all(runs == 1 for _, runs in tasks), "a job was claimed by two workers"
    per_worker = Counter(pid for _, pid in rows)
    assert len(per_worker) == 2 and min(per_worker.values()) >= N // 10, per_worker
