"""Pages of the roster import and export: upload → background job → progress (polled) → counts
or errors and the error report; the export of a subtree and the empty template.

An upload larger than THIDUA_MAX_UPLOAD_BYTES is refused from its Content-Length before the body
is read, and, if the header understated it, as soon as the stream passes the limit. That is why
the upload view is CSRF-exempt on the outside: CsrfViewMiddleware would otherwise parse the whole
body before the view; the inner view is CSRF-protected as usual."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.models import Role
from thidua.org.models import Unit
from thidua.org.permissions import require
from thidua.org.selectors import access_unit
from thidua.people.exports import (
    XLSX_CONTENT_TYPE,
    roster_error_report,
    roster_export,
    roster_template,
)
from thidua.people.models import ImportJob, ImportStatus
from thidua.people.selectors import access_import_job
from thidua.people.services.import_jobs import import_job_rerun
from thidua.people.tasks import roster_import_task
from thidua.people.views.officer_units import OfficerUnits, officer_units
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.files import StoredFile, local_path, store_as_is
from thidua.platform.forms import VNDateField, VNForm, unit_field
from thidua.platform.text import parse_vn_date, vn_date, vn_number
from thidua.platform.uploads import limited_upload, upload_too_big
from thidua.platform.web import today, url_or_none, with_query

MAX_LISTED_ERRORS = 200
RECENT_JOBS = 10


def _limit() -> int:
    return int(settings.THIDUA_MAX_UPLOAD_BYTES)


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{vn_number(n // (1024 * 1024))} MB"
    return f"{vn_number(max(1, n // 1024))} KB"


def _too_big_message() -> str:
    return (f"Tệp quá lớn: mỗi lần chỉ nhận tệp tối đa {_size_text(_limit())}. "
            "Hãy chia danh sách thành nhiều tệp nhỏ hơn.")


class ImportForm(VNForm):
    unit = forms.ChoiceField(label="Đơn vị nhận danh sách")
    file = forms.FileField(
        label="Tệp danh sách (.xlsx hoặc .csv)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text="Dòng tiêu đề có các cột «Họ và tên», «Giới tính», «Số CCCD»… như tệp mẫu.",
    )
    effective_date = VNDateField(
        label="Ngày hiệu lực",
        help_text="Ngày người mới vào danh sách và ngày chuyển tổ của người đã có.",
    )
    valid_only = forms.BooleanField(
        label="Chỉ nhập các dòng hợp lệ", required=False,
        help_text="Không chọn: có một dòng sai thì không ghi dòng nào.",
    )
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa ghi dữ liệu", required=False)

    def __init__(self, *args: Any, units: OfficerUnits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "unit", units.options, known=units.known, blank=None)
        self.fields["file"].error_messages["required"] = "Hãy chọn tệp danh sách."
        self.fields["file"].error_messages["empty"] = "Tệp đã chọn không có nội dung."


class ExportForm(VNForm):
    unit = forms.ChoiceField(label="Đơn vị")
    date = VNDateField(label="Tính đến ngày",
                       help_text="Danh sách và cây tổ chức như tại ngày này.")

    def __init__(self, *args: Any, units: OfficerUnits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field(self, "unit", units.options, known=units.known, blank=None)


def _initial_day(request: AuthenticatedHttpRequest) -> dt.date:
    raw = request.GET.get("ngay", "")
    try:
        return parse_vn_date(raw) or today()
    except ValueError:
        return today()


def _store_upload(upload: Any) -> StoredFile:
    """Save the upload in the storage's imports/ folder, where the worker reads it."""
    suffix = Path(upload.name or "").suffix.lower()
    extension = suffix[1:] if suffix in {".xlsx", ".csv"} else "bin"
    return store_as_is(upload, folder="imports", extension=extension)


def _import_context(request: AuthenticatedHttpRequest, form: ImportForm | None,
                    units: OfficerUnits, refusal: str = "") -> dict[str, Any]:
    user: Actor = request.user
    jobs = (ImportJob.objects.filter(created_by=user).select_related("unit")
            .defer("errors")[:RECENT_JOBS])
    return {"form": form, "has_units": units.any, "jobs": jobs, "refusal": refusal,
            "max_size": _size_text(_limit())}


def _refuse_too_big(request: AuthenticatedHttpRequest, units: OfficerUnits) -> HttpResponse:
    form = ImportForm(units=units, initial={"effective_date": today()})
    return render(request, "people/import.html",
                  _import_context(request, form, units, _too_big_message()), status=413)


def _too_big(request: HttpRequest) -> HttpResponse:
    # refused without reading the body; login_required runs first, so the user is an account
    authed = cast(AuthenticatedHttpRequest, request)
    return _refuse_too_big(authed, officer_units(authed.user))


@login_required
@require_http_methods(["GET", "POST"])
@limited_upload(_limit, _too_big)
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: Actor = request.user
    units = officer_units(user)
    if request.method != "POST":
        initial: dict[str, Any] = {"effective_date": _initial_day(request)}
        code = request.GET.get("don_vi", "").strip().upper()
        if units.offers(code):
            initial["unit"] = code
        form = ImportForm(units=units, initial=initial)
        return render(request, "people/import.html", _import_context(request, form, units))
    data, files = request.POST, request.FILES  # parsed here (and by CSRF), through the limit
    if upload_too_big(request):
        return _refuse_too_big(request, units)
    form = ImportForm(data, files, units=units)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > _limit():
            return _refuse_too_big(request, units)
        try:
            unit = access_unit(user, form.cleaned_data["unit"])
            require(user, unit.path, Role.OFFICER)
        except ApplicationError as exc:
            form.apply_error(exc)
        else:
            stored = _store_upload(upload)
            job = ImportJob.objects.create(
                unit=unit, created_by=user, file_name=Path(upload.name).name[:255],
                file=stored.name, sha256=stored.sha256,
                effective_date=form.cleaned_data["effective_date"],
                valid_only=form.cleaned_data["valid_only"], dry_run=form.cleaned_data["dry_run"],
            )
            roster_import_task.enqueue(job.pk)
            return redirect("people:import-job", job.pk)
    return render(request, "people/import.html", _import_context(request, form, units),
                  status=400)


def _job_context(job: ImportJob) -> dict[str, Any]:
    errors = job.errors if isinstance(job.errors, list) else []
    finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED)
    list_url = url_or_none("people:list")
    return {
        "job": job,
        "finished": finished,
        "writing": job.status == ImportStatus.RUNNING and job.total
        and job.processed >= job.total,
        "errors": errors[:MAX_LISTED_ERRORS],
        "error_count": len(errors),
        "row_errors": any(e.get("row") for e in errors[:MAX_LISTED_ERRORS]
                          if isinstance(e, dict)),
        "message_lines": job.message.splitlines(),
        "list_url": with_query(list_url, {"don_vi": job.unit.code}) if list_url else "",
    }


@login_required
@require_GET
def import_job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    return render(request, "people/import.html", _job_context(job))


@login_required
@require_POST
def import_rerun(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    try:
        again = import_job_rerun(actor=request.user, job=job)
    except ApplicationError as exc:
        context = _job_context(job)
        context["refusal"] = exc.message
        return render(request, "people/import.html", context, status=400)
    return redirect("people:import-job", again.pk)


@login_required
@require_GET
def import_progress(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    return render(request, "people/import_progress.html", _job_context(job))


@login_required
@require_GET
def import_errors(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponseBase:
    job = access_import_job(request.user, job_id)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    errors = job.errors if isinstance(job.errors, list) else []
    try:
        with local_path(job.file.name) as stored:
            roster_error_report(path=stored, file_name=job.file_name, errors=errors,
                                path_or_buffer=out)
    except FileNotFoundError:  # the upload is gone: the report lists the errors alone
        roster_error_report(path=None, file_name=job.file_name, errors=errors,
                            path_or_buffer=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, content_type=XLSX_CONTENT_TYPE,
                        filename=f"bao-loi-{Path(job.file_name).stem or 'danh-sach'}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    user: Actor = request.user
    units = officer_units(user)
    if request.method == "POST":
        form = ExportForm(request.POST, units=units)
        if form.is_valid():
            day = form.cleaned_data["date"]
            out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
            try:
                unit: Unit = access_unit(user, form.cleaned_data["unit"])
                roster_export(actor=user, unit=unit, day=day, path_or_buffer=out)
            except ApplicationError as exc:
                out.close()
                form.apply_error(exc)
            else:
                out.seek(0)
                return FileResponse(out, as_attachment=True, content_type=XLSX_CONTENT_TYPE,
                                    filename=f"danh-sach-{unit.code}-{day:%Y%m%d}.xlsx")
        return render(request, "people/export.html",
                      {"form": form, "has_units": units.any}, status=400)
    initial: dict[str, Any] = {"date": _initial_day(request)}
    code = request.GET.get("don_vi", "").strip().upper()
    if units.offers(code):
        initial["unit"] = code
    form = ExportForm(units=units, initial=initial)
    return render(request, "people/export.html", {"form": form, "has_units": units.any,
                                                  "today": vn_date(today())})


@login_required
@require_GET
def import_template(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    buffer = io.BytesIO()
    roster_template(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-doan-vien.xlsx"'
    return response
