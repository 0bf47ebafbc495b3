"""Background workers that die.

django-tasks-db marks a task RUNNING when a worker claims it and nothing else: a worker killed
(SIGKILL, out of memory, power cut) leaves it RUNNING for ever, and the page of the job it ran
keeps saying «Đang xử lý». The job's own writes were one transaction, which the database rolled
back; what is missing is someone saying the task is over.

Each `thidua manage worker` keeps a `WorkerBeat` row fresh from a thread. On start and every
so often, each worker fails the RUNNING tasks whose worker is gone: on the same machine, its
process no longer exists; elsewhere, its beat is older than THIDUA_WORKER_STALE_SECONDS. A task
run by a worker that keeps no beat (plain `db_worker`) is failed after THIDUA_TASK_TIMEOUT_SECONDS.
The app that owns the task says what failing means for its job row (`on_lost`)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from thidua.platform.models import WorkerBeat

logger = logging.getLogger(__name__)

LOST_CLASS = "thidua.platform.worker.WorkerLost"
LOST_TRACEBACK = ("WorkerLost: the worker running this task stopped (killed or crashed) before "
                  "it finished; its transaction was rolled back.")

_handlers: dict[str, Callable[..., None]] = {}


def on_lost(task: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register what to do, in the same transaction, when a run of `task` is found lost; the
    handler gets the task's arguments. Register from the app's `ready()`, so that every worker
    knows every handler before it reaps."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        _handlers[str(task.module_path)] = handler
        return handler

    return register


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "THIDUA_WORKER_STALE_SECONDS", 120)))


def task_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "THIDUA_TASK_TIMEOUT_SECONDS", 6 * 3600)))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not waited for yet is a zombie: dead
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def worker_alive(beat: WorkerBeat, now: dt.datetime) -> bool:
    if beat.host == socket.gethostname():
        # the process is the proof here: a beat lags while SQLite's writer lock is held by a long
        # import. A beat silent for far longer belongs to a reused process id (e.g. a restored
        # database).
        lagging = max(stale_after() * 10, dt.timedelta(minutes=30))
        return pid_alive(beat.pid) and beat.seen_at >= now - lagging
    return beat.seen_at >= now - stale_after()


def _fail_lost(result_id: Any, now: dt.datetime) -> bool:
    with transaction.atomic():
        result = (DBTaskResult.objects.select_for_update()
                  .filter(pk=result_id, status="RUNNING").first())
        if result is None:
            return False
        result.status = "FAILED"
        result.finished_at = now
        result.exception_class_path = LOST_CLASS
        result.traceback = LOST_TRACEBACK
        result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        handler = _handlers.get(result.task_path)
        if handler is not None:
            args = result.args_kwargs or {}
            handler(*args.get("args", []), **args.get("kwargs", {}))
    return True


def tasks_reap_lost(*, now: dt.datetime | None = None) -> list[str]:
    """Fail every RUNNING task whose worker is gone; returns their ids."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.filter(status="RUNNING")
                   .values_list("pk", "worker_ids", "started_at"))
    last = {pk: (ids[-1] if ids else "") for pk, ids, _ in running}
    beats = {b.worker_id: b for b in WorkerBeat.objects.filter(worker_id__in=set(last.values()))}
    lost = []
    for pk, _, started in running:
        beat = beats.get(last[pk])
        if beat is None:
            gone = started is None or started < now - task_timeout()
        else:
            gone = not worker_alive(beat, now)
        if gone and _fail_lost(pk, now):
            logger.warning("task %s failed: its worker %s is gone", pk, last[pk])
            lost.append(str(pk))
    dead = [b.pk for b in WorkerBeat.objects.all() if not worker_alive(b, now)]
    WorkerBeat.objects.filter(pk__in=dead).delete()
    return lost


def beat(worker_id: str, *, started_at: dt.datetime | None = None) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen_at": now},
        create_defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen_at": now,
                         "started_at": started_at or now},
    )


class Heartbeat(threading.Thread):
    """Beats every quarter of the stale period and reaps every stale period, on its own
    connection; a failed beat (database busy or away) is logged and tried again."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="thidua-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        every = max(0.2, stale_after().total_seconds() / 4)
        beats = 0
        try:
            while not self.stopped.wait(every):
                beats += 1
                try:
                    beat(self.worker_id)
                    if beats % 4 == 0:
                        tasks_reap_lost()
                except OperationalError as exc:  # busy (SQLite's writer lock) or away
                    logger.warning("worker heartbeat: %s; trying again", exc)
                except Exception:  # the next beat tries again
                    logger.exception("worker heartbeat failed")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
