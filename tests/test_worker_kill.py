"""A real worker process killed with SIGKILL in the middle of a roster import's write
(issue 10 §8): nothing of the import is in the database, the next worker fails the task and the
job («Thất bại — có thể chạy lại»), and running it again imports the file. Processes run
against their own SQLite data folder, as `thidua serve` runs them."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

SETUP = """
import datetime as dt, json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from thidua.testing import make_world
from thidua.people.models import ImportJob, Person
from thidua.people.tasks import roster_import_task
from thidua.people.tests.test_imports import person_row, write_xlsx
from pathlib import Path
world = make_world()
from django.conf import settings
(Path(settings.MEDIA_ROOT) / "imports").mkdir(parents=True, exist_ok=True)
write_xlsx(Path(settings.MEDIA_ROOT) / "imports" / "kill.xlsx", [person_row(n) for n in range(1, 41)])
job = ImportJob.objects.create(unit=world.cdcs_a, created_by=world.officer_cdcs,
                               file_name="ds.xlsx", file="imports/kill.xlsx",
                               effective_date=dt.date(2024, 1, 1))
roster_import_task.enqueue(job.pk)
print(json.dumps({"job": job.pk, "people": Person.objects.count()}))
"""

# The worker, slowed down inside the import's write transaction: persons are inserted, then it
# waits (the test kills it there) before inserting their membership periods.
SLOW_WORKER = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from django.db import connection

def slow(execute, sql, params, many, context):
    if 'INSERT INTO "people_membership"' in sql:
        Path(sys.argv[1]).touch()
        time.sleep(120)
    return execute(sql, params, many, context)

with connection.execute_wrapper(slow):
    call_command("worker", "--interval", "0.1", "--no-startup-delay", verbosity=0)
"""

AFTER = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
from thidua.people.models import ImportJob, Person
from thidua.people.services.import_jobs import import_job_rerun
from django_tasks_db.models import DBTaskResult
call_command("worker", "--batch", "--no-startup-delay", verbosity=0)  # reaps on start
job = ImportJob.objects.get(pk=int(sys.argv[1]))
out = {"lost_status": job.status, "lost_message": job.message, "retryable": job.retryable,
       "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
       "people_after_kill": Person.objects.count()}
with transaction.atomic():
    again = import_job_rerun(actor=job.created_by, job=job)
call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
again.refresh_from_db()
out.update(rerun_status=again.status, rerun_created=again.created,
           people_after_rerun=Person.objects.count())
print(json.dumps(out, ensure_ascii=False))
"""


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "THIDUA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "thidua.settings.dev",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1] / "src"),
                                          os.environ.get("PYTHONPATH", "")])}
    env.pop("THIDUA_DATABASE_URL", None)
    return env


def _python(home: Path, script: str, *args: str) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", script, *args], env=_env(home), text=True,
                          capture_output=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.django_db(transaction=True)  # no open transaction: the copy below can read
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL and /proc")
@pytest.mark.skipif(bool(os.environ.get("THIDUA_DATABASE_URL")),
                    reason="engine-independent (its own SQLite folder): run once, in the SQLite pass")
def test_sigkill_in_the_middle_of_an_import_writes_nothing_and_the_job_can_run_again(
        tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    # start from a copy of the migrated (still empty) test database: migrating a new file
    # would cost most of this test's time
    name = str(connection.settings_dict["NAME"])
    with closing(sqlite3.connect(name, uri=name.startswith("file:"))) as src, \
            closing(sqlite3.connect(home / "thidua.sqlite3")) as dst:
        src.backup(dst)
    setup = _python(home, SETUP, str(tmp_path / "ds.xlsx"))
    flag = tmp_path / "inside-the-transaction"
    worker = subprocess.Popen([sys.executable, "-c", SLOW_WORKER, str(flag)], env=_env(home),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the worker never reached the write"
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL

    with sqlite3.connect(home / "thidua.sqlite3") as db:
        people = db.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
        job = db.execute("SELECT status FROM people_importjob WHERE id = ?",
                         [setup["job"]]).fetchone()[0]
        task = db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone()[0]
    assert people == setup["people"], "no person of the killed import is in the database"
    assert (job, task) == ("running", "RUNNING"), "what the kill leaves behind"

    after = _python(home, AFTER, str(setup["job"]))
    assert after["lost_status"] == "failed" and after["retryable"] is True
    assert str(after["lost_message"]).startswith("Thất bại — có thể chạy lại")
    assert after["tasks"] == ["FAILED"]
    assert after["people_after_kill"] == setup["people"]
    assert after["rerun_status"] == "done" and after["rerun_created"] == 40
    assert after["people_after_rerun"] == int(setup["people"]) + 40  # type: ignore[call-overload]
