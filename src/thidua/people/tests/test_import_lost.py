"""A roster import whose worker died (issue 10 §8): the task left RUNNING is failed by the next
worker, the job shows «Thất bại — có thể chạy lại» with a button, and running it again imports
the file. The kill itself, with a real worker process: tests/test_worker_kill.py."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from thidua.audit.models import AuditEntry
from thidua.people.models import ImportJob, ImportStatus, Person
from thidua.people.services.import_jobs import LOST_MESSAGE
from thidua.people.tests.test_imports import person_row, write_xlsx
from thidua.platform.files import storage
from thidua.platform.models import WorkerBeat
from thidua.platform.worker import tasks_reap_lost

T = TypeVar("T")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _running(world, tmp_path, *, status=ImportStatus.RUNNING, worker="w1", started=None):
    name = f"imports/lost-{uuid.uuid4().hex}.xlsx"
    (Path(settings.MEDIA_ROOT) / "imports").mkdir(parents=True, exist_ok=True)
    write_xlsx(Path(settings.MEDIA_ROOT) / name, [person_row(1), person_row(2)])
    job = ImportJob.objects.create(unit=world.cdcs_a, created_by=world.officer_cdcs,
                                   file_name="ds.xlsx", file=name,
                                   effective_date=dt.date(2024, 1, 1), status=status)
    task = DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path="thidua.people.tasks.roster_import_task", backend_name="default",
        run_after=timezone.now(), worker_ids=[worker], started_at=started or timezone.now())
    return job, task


def _beat(worker: str, *, host: str | None = None, pid: int | None = None,
          seen: dt.datetime | None = None) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id=worker, host=host or socket.gethostname(),
                              pid=pid or os.getpid(), started_at=now, seen_at=seen or now)


@pytest.mark.parametrize("status", [ImportStatus.QUEUED, ImportStatus.RUNNING])
def test_a_task_whose_worker_process_is_gone_is_failed_and_its_job_too(world, tmp_path, status):
    job, task = _running(world, tmp_path, status=status)
    _beat("w1", pid=_dead_pid())
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    assert tasks_reap_lost() == [str(task.pk)]
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "FAILED" and "WorkerLost" in task.exception_class_path
    assert job.status == ImportStatus.FAILED and job.retryable
    assert job.message == LOST_MESSAGE and job.finished_at is not None
    assert Person.objects.count() == people
    assert AuditEntry.objects.count() == entries + 1  # the job's step, nothing else
    assert not WorkerBeat.objects.exists()
    assert tasks_reap_lost() == []  # once


def test_live_workers_keep_their_tasks(world, tmp_path):
    job, task = _running(world, tmp_path)
    _beat("w1")  # this very process
    assert tasks_reap_lost() == []
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING


def test_a_live_process_id_with_a_beat_silent_for_long_is_not_a_worker(world, tmp_path):
    _running(world, tmp_path)
    _beat("w1", seen=timezone.now() - dt.timedelta(hours=1))  # e.g. restored from a backup
    assert len(tasks_reap_lost()) == 1


def test_a_worker_on_another_machine_is_gone_when_its_beat_is_stale(world, tmp_path, settings):
    settings.THIDUA_WORKER_STALE_SECONDS = 60
    _running(world, tmp_path, worker="far")
    _beat("far", host="may-khac", seen=timezone.now() - dt.timedelta(seconds=30))
    assert tasks_reap_lost() == []
    WorkerBeat.objects.filter(pk="far").update(seen_at=timezone.now() - dt.timedelta(seconds=61))
    assert len(tasks_reap_lost()) == 1


def test_a_task_of_a_worker_without_beat_times_out(world, tmp_path, settings):
    settings.THIDUA_TASK_TIMEOUT_SECONDS = 3600
    _running(world, tmp_path, worker="plain", started=timezone.now() - dt.timedelta(minutes=59))
    assert tasks_reap_lost() == []
    DBTaskResult.objects.update(started_at=timezone.now() - dt.timedelta(minutes=61))
    assert len(tasks_reap_lost()) == 1


def test_the_failed_job_page_offers_to_run_it_again(client, world, tmp_path,
                                                     django_capture_on_commit_callbacks):
    job, _ = _running(world, tmp_path)
    _beat("w1", pid=_dead_pid())
    tasks_reap_lost()
    client.force_login(world.officer_cdcs)
    html = client.get(reverse("people:import-job", args=[job.pk])).content.decode()
    assert "Thất bại — có thể chạy lại" in html and "Chạy lại với tệp đã gửi" in html
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("people:import-rerun", args=[job.pk]))
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert r.status_code == 302 and r.url == reverse("people:import-job", args=[again.pk])
    assert again.status == ImportStatus.DONE and again.created == 2  # tasks run inline in tests
    assert again.file.name == job.file.name and again.created_by == world.officer_cdcs
    assert AuditEntry.objects.filter(action="import_job.rerun", object_id=str(again.pk)).exists()


def test_only_a_lost_job_runs_again_and_only_for_those_who_see_it(client, world, tmp_path):
    job, task = _running(world, tmp_path)
    client.force_login(world.outsider)
    assert client.post(reverse("people:import-rerun", args=[job.pk])).status_code == 404
    client.force_login(world.officer_cdcs)
    r = client.post(reverse("people:import-rerun", args=[job.pk]))  # still running
    assert r.status_code == 400 and "Chỉ chạy lại được" in r.content.decode()
    assert client.get(reverse("people:import-rerun", args=[job.pk])).status_code == 405
    _beat("w1", pid=_dead_pid())
    tasks_reap_lost()
    storage().delete(job.file.name)
    r = client.post(reverse("people:import-rerun", args=[job.pk]))
    assert r.status_code == 400 and "Tệp đã gửi không còn" in r.content.decode()
    assert ImportJob.objects.count() == 1


@pytest.fixture
def committed_world(transactional_db):
    """A world whose rows other threads see (the database is flushed after the test)."""
    from thidua.testing import make_world

    return make_world()


def _unlocked(read: Callable[[], T]) -> T:
    """Run a read while the heartbeat thread writes. The test database is SQLite's shared-cache
    memory database, where a reader meets the writer's table lock at once ("database table is
    locked") instead of waiting as it does on the file database the worker uses: retry."""
    import time

    from django.db import OperationalError

    for attempt in range(100):
        try:
            return read()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def test_a_running_worker_reaps_periodically_not_only_on_start(committed_world, tmp_path,
                                                                settings):
    import time

    from thidua.platform.worker import Heartbeat

    settings.THIDUA_WORKER_STALE_SECONDS = 0.8  # beats every 0,2 s, reaps every 0,8 s
    heartbeat = Heartbeat("hb")
    heartbeat.start()
    try:
        job, task = _running(committed_world, tmp_path)  # lost after this worker started
        _beat("w1", pid=_dead_pid())
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            _unlocked(task.refresh_from_db)
            if task.status == "FAILED":
                break
            time.sleep(0.2)
        assert task.status == "FAILED"
        assert _unlocked(WorkerBeat.objects.filter(pk="hb").exists), "the live worker beats"
    finally:
        heartbeat.stop()
        heartbeat.join(timeout=10)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.retryable
