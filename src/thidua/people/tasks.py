"""Background roster import: the upload page queues one task per ImportJob; the job row carries
the progress the page polls and, at the end, the counts or the errors. The job's status moves
only through JOB_WORKFLOW (queued → running → done / failed): a job two workers pick up at once
runs once."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from thidua.audit.services import audit_record
from thidua.people.imports import roster_import_file
from thidua.people.models import ImportJob, ImportStatus
from thidua.platform.errors import ApplicationError
from thidua.platform.files import local_path
from thidua.platform.text import vn_number
from thidua.platform.workflow import Transition, Workflow

logger = logging.getLogger(__name__)

# Enough for any file a person would fix by hand; the job page shows the first 200 and the
# downloadable report marks the rows of all those stored.
MAX_STORED_ERRORS = 50_000
MAX_LISTED_WARNINGS = 50
SYSTEM_FAILURE = ("Có lỗi hệ thống khi xử lý tệp; chưa ghi dữ liệu nào. Hãy thử lại; nếu vẫn "
                  "lỗi, báo cho quản trị hệ thống.")

# the worker does not see the app server's upload: its MEDIA_ROOT is another folder
MISSING_FILE = ("Máy xử lý không tìm thấy tệp đã tải lên; chưa ghi dữ liệu nào. Báo quản trị hệ "
                "thống: mọi máy chủ phải dùng chung thư mục tệp (THIDUA_MEDIA_ROOT).")


RESULT_FIELDS = ("total", "processed", "created", "updated", "unchanged", "errors", "message",
                 "finished_at", "retryable")

# Steps are taken by the worker, not by a person: no role is asked for.
JOB_WORKFLOW: Workflow[ImportJob] = Workflow(
    name="import_job", model=ImportJob, labels=dict(ImportStatus.choices),
    object_type="import_job",
    transitions=[
        Transition(ImportStatus.QUEUED, ImportStatus.RUNNING, "start", "Bắt đầu xử lý"),
        Transition(ImportStatus.RUNNING, ImportStatus.DONE, "finish", "Hoàn tất",
                   saves=RESULT_FIELDS),
        Transition(ImportStatus.RUNNING, ImportStatus.FAILED, "fail", "Có lỗi",
                   saves=RESULT_FIELDS),
        # the worker died (services/import_jobs.py): before or after it took the job
        Transition(ImportStatus.QUEUED, ImportStatus.FAILED, "lose", "Tiến trình bị dừng",
                   saves=RESULT_FIELDS),
        Transition(ImportStatus.RUNNING, ImportStatus.FAILED, "lose", "Tiến trình bị dừng",
                   saves=RESULT_FIELDS),
    ],
    audit=audit_record, unit_id=lambda job: job.unit_id,
)


def run_import_job(job_id: int) -> None:
    """Run a queued import. Validation reports progress with committed updates (the page reads
    them from another connection); the write is one transaction at the end."""
    job = ImportJob.objects.select_related("unit", "created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return
    try:
        JOB_WORKFLOW.apply(job, "start", actor=None)
    except ApplicationError:
        return  # another worker took it first

    def progress(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=processed, total=total)

    def fail(message: str, retryable: bool = False) -> None:
        job.refresh_from_db(fields=["processed", "total"])
        job.message, job.finished_at, job.retryable = message, timezone.now(), retryable
        job.errors = [{"row": 0, "column": "", "value": "", "message": message, "text": message}]
        JOB_WORKFLOW.apply(job, "fail", actor=None, reason=message)

    if job.created_by is None or not job.created_by.is_active:
        fail("Tài khoản đã gửi tệp không còn hoạt động; chưa ghi dữ liệu nào.")
        return
    try:
        with local_path(job.file.name) as path:
            result = roster_import_file(
                actor=job.created_by, unit=job.unit, path=path, file_name=job.file_name,
                effective_date=job.effective_date, valid_only=job.valid_only,
                dry_run=job.dry_run, progress=progress,
            )
    except FileNotFoundError:
        logger.error("roster import job %s: %s is not in the storage", job_id, job.file.name)
        fail(MISSING_FILE)
        return
    except ApplicationError as exc:
        fail(exc.message)
        return
    except Exception:
        logger.exception("roster import job %s failed", job_id)
        fail(SYSTEM_FAILURE, retryable=True)
        return

    lines = [result.summary()]
    if len(result.errors) > MAX_STORED_ERRORS:
        lines.append(f"Có {vn_number(len(result.errors))} lỗi; chỉ lưu "
                     f"{vn_number(MAX_STORED_ERRORS)} lỗi đầu tiên.")
    if result.warnings:
        lines.append(f"{vn_number(len(result.warnings))} lưu ý:")
        lines += [f"— {w}" for w in result.warnings[:MAX_LISTED_WARNINGS]]
        if len(result.warnings) > MAX_LISTED_WARNINGS:
            lines.append("— …")
    ok = result.written or (job.dry_run and not result.errors)
    job.total = job.processed = result.total
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.errors = [e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]]
    job.message, job.finished_at = "\n".join(lines), timezone.now()
    JOB_WORKFLOW.apply(job, "finish" if ok else "fail", actor=None)


@task()
def roster_import_task(job_id: int) -> None:
    run_import_job(job_id)
