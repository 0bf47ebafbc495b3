"""Registrations from a file: the import page (check, then write) and the template to fill in,
the unit's roster with what is already registered."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from thidua.movements.forms import ImportForm
from thidua.movements.imports import (
    XLSX_CONTENT_TYPE,
    registration_import_file,
    registration_template,
)
from thidua.movements.permissions import can_manage
from thidua.movements.selectors import RuleBook
from thidua.movements.views.common import limited_upload, too_big, upload_limit
from thidua.movements.views.registration import registration_unit_year
from thidua.people.services.privacy import cccd_export_record
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.web import refused, today

ERRORS_SHOWN = 200


@limited_upload
@login_required
@require_http_methods(["GET", "POST"])
def registration_import(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit, year = registration_unit_year(request, code, year)
    if not can_manage(user, unit.path):
        return refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên đơn vị này để nhập đăng ký thi đua."))
    book = RuleBook(unit.path, year)
    rule = book.rule(unit.path, year)
    context: dict[str, Any] = {"unit": unit, "year": year,
                               "year_label": book.calendar(unit.path).label(year),
                               "rule": rule,
                               "closed": bool(rule and rule.deadline and today() > rule.deadline)}
    status = 200
    if request.method == "POST":
        if (refusal := too_big(request)) is not None:
            return refusal
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > upload_limit():
                form.add_error("file", "Tệp quá lớn để nhập một lần; hãy chia nhỏ tệp.")
                status = 413
            else:
                suffix = Path(upload.name or "").suffix.lower()
                with tempfile.NamedTemporaryFile(
                        suffix=suffix if suffix in {".xlsx", ".csv"} else ".bin") as tmp:
                    for chunk in upload.chunks():
                        tmp.write(chunk)
                    tmp.flush()
                    try:
                        result = registration_import_file(
                            actor=user, unit=unit, year=year, path=tmp.name,
                            file_name=upload.name, valid_only=form.cleaned_data["valid_only"],
                            dry_run=form.cleaned_data["dry_run"],
                            late_reason=form.cleaned_data["late_reason"])
                    except PermissionDeniedError as exc:
                        return refused(request, exc)
                    except ApplicationError as exc:
                        form.add_error(None, exc.message)
                        status = 400
                    else:
                        context["result"] = result
                        context["errors"] = result.errors[:ERRORS_SHOWN]
                        context["file_name"] = Path(upload.name).name
                        # the check ran: its report, row errors included, is the answer
                        status = 200
        else:
            status = 400
    else:
        form = ImportForm()
    context["form"] = form
    return render(request, "movements/import.html", context, status=status)


@login_required
@require_GET
def registration_template_download(request: AuthenticatedHttpRequest, code: str,
                                   year: int) -> HttpResponse:
    user = request.user
    unit, year = registration_unit_year(request, code, year)
    if not can_manage(user, unit.path):
        return refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên đơn vị này để tải bảng đăng ký (có số CCCD)."))
    buffer = io.BytesIO()
    registration_template(actor=user, unit=unit, year=year, path_or_buffer=buffer)
    cccd_export_record(actor=user, unit_id=unit.pk, where="movements:registration-template")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="dang-ky-thi-dua-{unit.code}-{year}.xlsx"')
    return response
