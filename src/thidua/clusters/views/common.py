"""What the cluster pages share: lookups that answer 404 for missing and forbidden alike, the
year's clusters of a unit, and number formatting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import Http404, HttpResponse

from thidua.clusters.documents import num
from thidua.platform.errors import NotFoundError
from thidua.platform.text import parse_vn_date

T = TypeVar("T")


def or_404(fetch: Callable[[], T]) -> T:
    try:
        return fetch()
    except NotFoundError:
        raise Http404() from None


def docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def parse_day(raw: str | None) -> dt.date | None:
    try:
        return parse_vn_date((raw or "").strip()) if raw else None
    except ValueError:
        return None


def points(value: Decimal | None) -> str:
    return num(value)


def post_list(request: Any, name: str) -> list[str]:
    return [v for v in request.POST.getlist(name) if v]
