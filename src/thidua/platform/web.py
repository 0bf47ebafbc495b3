"""Small helpers shared by the HTML views: HTMX partial-or-page, the "as of" date, optional links."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from thidua.platform.text import parse_vn_date


def is_htmx(request: HttpRequest, target: str | None = None) -> bool:
    """True for an HTMX request (aimed at element id `target`, when given); history restores
    ask for the whole page and get it."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def page_or_partial(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], *, target: str,
    status: int = 200,
) -> HttpResponse:
    """Render only `partial` for an HTMX request aimed at `target`, else the whole `page`."""
    template = partial if is_htmx(request, target) else page
    return render(request, template, context, status=status)


def today() -> dt.date:
    return timezone.localdate()


def day_param(request: HttpRequest, name: str = "ngay") -> tuple[dt.date, str]:
    """The "as of" date from ?ngay= (dd/mm/yyyy or yyyy-mm-dd from <input type=date>), today when
    absent. Returns the date and a Vietnamese error when the value could not be read."""
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return today(), ""
    try:
        day = parse_vn_date(raw)
    except ValueError:
        day = None
    if day is None or not (1900 <= day.year <= 2200):
        return today(), f"Ngày «{raw}» không hợp lệ; hãy nhập theo dạng ngày/tháng/năm."
    return day, ""


def url_or_none(name: str, *args: Any, query: dict[str, Any] | None = None) -> str | None:
    """The URL of a route that may not be installed (pages written by other parts of the app)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return with_query(url, query) if query else url


def with_query(url: str, query: dict[str, Any] | None) -> str:
    """`url` with the non-empty `query` items appended."""
    items = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(items)}" if items else url


def day_query(day: dt.date) -> dict[str, str]:
    """?ngay= for links that keep the chosen date; nothing when it is today."""
    return {} if day == today() else {"ngay": day.isoformat()}
