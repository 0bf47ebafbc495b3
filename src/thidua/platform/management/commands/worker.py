"""`thidua manage worker`: django-tasks-db's `db_worker` with a heartbeat, which first fails the
tasks that workers killed earlier left RUNNING (platform/worker.py), and which outlives the
database going away (a PostgreSQL restart, a failover): it waits and starts again rather than
leaving `thidua serve` without a worker."""

import time
from contextlib import suppress
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from thidua.platform.models import WorkerBeat
from thidua.platform.worker import Heartbeat, beat, tasks_reap_lost

#: seconds between attempts while the database is away: doubling up to the last figure
RETRY_FIRST, RETRY_MAX = 1.0, 30.0


class Command(DbWorkerCommand):
    help = ("Chạy tiến trình xử lý việc nền (nhập danh sách…); khi khởi động, đánh dấu thất bại "
            "các việc mà tiến trình trước bị dừng đột ngột để lại.")

    def handle(self, *args: Any, worker_id: str, **options: Any) -> None:
        options["reload"] = False  # the reloader's child would beat under another process id
        wait = RETRY_FIRST
        while True:
            self.connected = False
            try:
                self._run(*args, worker_id=worker_id, **options)
                return
            except (OperationalError, InterfaceError) as exc:
                if self.connected:  # it had been working: a new outage starts from a short wait
                    wait = RETRY_FIRST
                # a stop signal ends the process through SystemExit, which is not caught here
                self.stderr.write(f"Không kết nối được cơ sở dữ liệu ({str(exc).strip()[:200]}); "
                                  f"tiến trình nền thử lại sau {wait:g} giây.")
                _close_quietly()
                time.sleep(wait)
                wait = min(wait * 2, RETRY_MAX)

    def _run(self, *args: Any, worker_id: str, **options: Any) -> None:
        beat(worker_id)
        self.connected = True
        for task_id in tasks_reap_lost():
            self.stderr.write(f"Việc nền {task_id}: tiến trình xử lý trước đã dừng đột ngột; "
                              "đã đánh dấu thất bại.")
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
            # the database away: the beat goes stale and is forgotten
            with suppress(OperationalError, InterfaceError):
                WorkerBeat.objects.filter(pk=worker_id).delete()
            _close_quietly()


def _close_quietly() -> None:
    with suppress(OperationalError, InterfaceError):
        connection.close()
