"""`thidua manage worker`: django-tasks-db's `db_worker` with a heartbeat, which first fails the
tasks that workers killed earlier left RUNNING (platform/worker.py)."""

from typing import Any

from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from thidua.platform.models import WorkerBeat
from thidua.platform.worker import Heartbeat, beat, tasks_reap_lost


class Command(DbWorkerCommand):
    help = ("Chạy tiến trình xử lý việc nền (nhập danh sách…); khi khởi động, đánh dấu thất bại "
            "các việc mà tiến trình trước bị dừng đột ngột để lại.")

    def handle(self, *args: Any, worker_id: str, **options: Any) -> None:
        options["reload"] = False  # the reloader's child would beat under another process id
        beat(worker_id)
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
            WorkerBeat.objects.filter(pk=worker_id).delete()
            connection.close()
