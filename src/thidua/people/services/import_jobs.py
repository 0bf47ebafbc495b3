"""A roster import whose worker died, and running it again.

The import writes in one transaction at its end, so a worker killed at any point has written
nothing; the job row is left «Đang chờ» or «Đang xử lý». The worker that finds the lost task
(platform/worker.py) calls `import_job_lost`; the person who sent the file, or an officer over
its unit, runs it again with `import_job_rerun`: a new job on the same stored file. Not
re-exported by `people.services`: it imports the task, whose import writer imports that
package."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.audit.services import audit_record
from thidua.org.permissions import require
from thidua.people.models import ImportJob, ImportStatus
from thidua.people.tasks import JOB_WORKFLOW, roster_import_task
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.files import storage
from thidua.platform.worker import on_lost

LOST_MESSAGE = ("Thất bại — có thể chạy lại: tiến trình xử lý bị dừng đột ngột giữa chừng; chưa "
                "ghi dữ liệu nào.")


@on_lost(roster_import_task)
def import_job_lost(job_id: int) -> None:
    """Fail the job of a lost task (inside the reaper's transaction)."""
    job = ImportJob.objects.select_related("unit").filter(pk=job_id).first()
    if job is None or job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return
    job.message, job.finished_at, job.retryable = LOST_MESSAGE, timezone.now(), True
    job.errors = [{"row": 0, "column": "", "value": "", "message": LOST_MESSAGE,
                   "text": LOST_MESSAGE}]
    JOB_WORKFLOW.apply(job, "lose", actor=None, reason=LOST_MESSAGE)


@transaction.atomic
def import_job_rerun(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Queue the same file again, with the same options, as a new job of `actor`."""
    require(actor, job.unit.path, Role.OFFICER)
    if job.status != ImportStatus.FAILED or not job.retryable:
        raise ApplicationError("Chỉ chạy lại được lần nhập bị dừng giữa chừng do lỗi hệ thống; "
                               "tệp có lỗi thì hãy sửa tệp rồi gửi lại.")
    name = job.file.name
    if not name or not storage().exists(name):
        raise ApplicationError("Tệp đã gửi không còn trên máy chủ; hãy gửi lại tệp.")
    again = ImportJob.objects.create(
        unit=job.unit, created_by=actor, file_name=job.file_name, file=name,
        sha256=job.sha256, effective_date=job.effective_date, valid_only=job.valid_only,
        dry_run=job.dry_run,
    )
    audit_record(actor=actor, action="import_job.rerun", object_type="import_job",
                 object_id=again.pk, unit_id=job.unit_id,
                 after={"rerun_of": job.pk, "file_name": job.file_name, "sha256": job.sha256})
    transaction.on_commit(lambda: roster_import_task.enqueue(again.pk))
    return again
