"""Background roster import: the upload page queues one task per ImportJob; the job row carries
the progress the page polls and, at the end, the counts or the errors."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from thidua.people.imports import roster_import_file
from thidua.people.models import ImportJob, ImportStatus
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number

logger = logging.getLogger(__name__)

# Enough for any file a person would fix by hand; the job page shows the first 200 and the
# downloadable report marks the rows of all those stored.
MAX_STORED_ERRORS = 50_000
MAX_LISTED_WARNINGS = 50
SYSTEM_FAILURE = ("Có lỗi hệ thống khi xử lý tệp; chưa ghi dữ liệu nào. Hãy thử lại; nếu vẫn "
                  "lỗi, báo cho quản trị hệ thống.")


def run_import_job(job_id: int) -> None:
    """Run a queued import. Validation reports progress with committed updates (the page reads
    them from another connection); the write is one transaction at the end."""
    job = ImportJob.objects.select_related("unit", "created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING)

    def progress(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=processed, total=total)

    def fail(message: str) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, message=message, finished_at=timezone.now(),
            errors=[{"row": 0, "column": "", "value": "", "message": message, "text": message}],
        )

    if job.created_by is None or not job.created_by.is_active:
        fail("Tài khoản đã gửi tệp không còn hoạt động; chưa ghi dữ liệu nào.")
        return
    try:
        result = roster_import_file(
            actor=job.created_by, unit=job.unit, path=job.stored_path, file_name=job.file_name,
            effective_date=job.effective_date, valid_only=job.valid_only, dry_run=job.dry_run,
            progress=progress,
        )
    except ApplicationError as exc:
        fail(exc.message)
        return
    except Exception:
        logger.exception("roster import job %s failed", job_id)
        fail(SYSTEM_FAILURE)
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
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE if ok else ImportStatus.FAILED,
        total=result.total, processed=result.total, created=result.created,
        updated=result.updated, unchanged=result.unchanged,
        errors=[e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]],
        message="\n".join(lines), finished_at=timezone.now(),
    )


@task()
def roster_import_task(job_id: int) -> None:
    run_import_job(job_id)
