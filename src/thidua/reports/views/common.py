"""What the pages of this app share: the unit-and-year lookup (404 for missing and forbidden
alike), the header (tabs, year switcher) and the upload of an import file."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.urls import reverse

from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import NotFoundError
from thidua.platform.years import first_year, last_year
from thidua.reports import permissions, selectors

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
