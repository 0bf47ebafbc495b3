"""What every initiative page shares: 404 for missing and out-of-scope alike, the upload limit
checked before the body is read, and the unit pickers."""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.initiatives.selectors import filter_units, officer_units
from thidua.org.models import Unit
from thidua.platform import files, uploads
from thidua.platform.actor import Actor
from thidua.platform.forms import unit_choices

T = TypeVar("T")


def int_param(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _upload_limit() -> int:
    return max(files.max_bytes(), int(settings.THIDUA_MAX_UPLOAD_BYTES))


def too_big_page(request: HttpRequest) -> HttpResponse:
    return render(request, "people/refused.html", {
        "message": f"{files.too_big_message()} Hãy giảm dung lượng tệp rồi tải lên lại."},
        status=413)


# refused from Content-Length before the body is read; CSRF checked once the limit is in place
limited_upload = uploads.limited_upload(_upload_limit, too_big_page)
upload_too_big = uploads.upload_too_big


def officer_unit_choices(user: Actor) -> list[tuple[str, str]]:
    """The units the user may file for or set up councils in, indented by depth."""
    return unit_choices(officer_units(user))


def unit_filter_options(user: Actor, selected: Unit | None) -> list[tuple[str, str]]:
    """The unit filter: the user's top units and two levels below them, plus the selected one."""
    rows = filter_units(user, selected)
    return [] if rows is None else unit_choices(rows, blank="Tất cả đơn vị")
