"""What the pages of this app share: the unit-and-year lookup (404 for missing and forbidden
alike), the header (tabs, year switcher), the import page of a list (upload, dry run, errors)
and the download of its blank template."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from thidua.org.models import Unit
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.spreadsheets.report import XLSX_CONTENT_TYPE
from thidua.platform.web import refused
from thidua.platform.years import first_year, last_year
from thidua.reports import permissions, selectors
from thidua.reports.forms import ImportForm
from thidua.reports.imports import ImportResult, import_template

TABS = (("targets", "Chỉ tiêu"), ("welfare", "Chăm lo"), ("party", "Phát triển Đảng"),
        ("family", "Gia đình văn hóa"), ("summary", "Báo cáo tổng kết"),
        ("statistics", "Thống kê khen thưởng"), ("dashboard", "Bảng điều khiển"))


def unit_year_or_404(user: Actor, code: str, year: int) -> Unit:
    try:
        return selectors.access_unit_year(user, code, year)
    except NotFoundError:
        raise Http404() from None


def header(user: Actor, unit: Unit, year: int, tab: str) -> dict[str, Any]:
    """Breadcrumb, tabs and year links of every page of a unit's year."""
    def url(name: str, y: int) -> str:
        return reverse(f"reports:{name}", args=[unit.code, y])

    return {
        "unit": unit, "year": year, "tab": tab,
        "tabs": [(name, label, url(name, year), name == tab) for name, label in TABS],
        "prev_url": url(tab, year - 1) if year > first_year() else "",
        "next_url": url(tab, year + 1) if year < last_year() else "",
        "may_manage": permissions.may_manage(user, unit),
        "unit_url": reverse("org:unit", args=[unit.code]),
    }


def with_upload(upload: UploadedFile[Any], run: Callable[[Path], Any]) -> Any:
    """Run `run` on the uploaded file saved in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="thidua-reports-") as folder:
        path = Path(folder) / "upload"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return run(path)


def too_big(upload: UploadedFile[Any]) -> bool:
    return bool(upload.size and upload.size > int(settings.THIDUA_MAX_UPLOAD_BYTES))


class ImportRun(Protocol):
    def __call__(self, *, actor: Actor, unit: Unit, year: int, path: Path, file_name: str,
                 dry_run: bool) -> ImportResult: ...


@dataclass(frozen=True)
class ImportPage:
    """One list's import page: its tab, its title, how to read a file into it, and the hint
    that tells an officer what a row holds."""

    tab: str
    title: str
    run: ImportRun
    hint: Callable[[int], str]


def import_page(request: AuthenticatedHttpRequest, code: str, year: int,
                page: ImportPage) -> HttpResponse:
    """Upload a file (or check it first, `dry_run`): all rows or none, every wrong row listed."""
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, page.tab)
    result: ImportResult | None = None
    refusal = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if too_big(upload):
                refusal = "Tệp lớn quá giới hạn cho phép."
            else:
                try:
                    result = with_upload(upload, lambda path: page.run(
                        actor=user, unit=unit, year=year, path=path, file_name=upload.name,
                        dry_run=form.cleaned_data["dry_run"]))
                except NotFoundError:
                    raise Http404() from None
                except PermissionDeniedError as exc:
                    return refused(request, exc)
                except ApplicationError as exc:
                    refusal = exc.message
    else:
        form = ImportForm()
    context.update({"form": form, "result": result, "refusal": refusal,
                    "errors": result.errors[:500] if result else [],
                    "page_name": page.title,
                    "template_url": reverse(f"reports:{page.tab}-template"),
                    "back_url": reverse(f"reports:{page.tab}", args=[unit.code, year]),
                    "hint": page.hint(year)})
    return render(request, "reports/import.html", context)


def template_download(kind: str, filename: str) -> HttpResponse:
    """The blank .xlsx of an import, with its header row and a sample."""
    buffer = io.BytesIO()
    import_template(kind=kind, target=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
