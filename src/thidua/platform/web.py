"""Small helpers shared by the HTML views: the action runner, HTMX partial-or-page, the "as of"
date, optional links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from thidua.platform import files, uploads
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.text import parse_vn_date


def refused(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    """The 403 page with the reason the action was refused."""
    return render(request, "403.html", {"exception": exc.message}, status=403)


def int_param(value: str | None) -> int | None:
    """A query parameter as a whole number; None when absent or not a number."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def attachment_too_big_page(request: HttpRequest) -> HttpResponse:
    """The 413 page of an attachment refused for its size, before or while it streamed in."""
    return render(request, "people/refused.html", {
        "message": f"{files.too_big_message()} Hãy giảm dung lượng tệp rồi tải lên lại."},
        status=413)


def attachment_upload_limit() -> int:
    return max(files.max_bytes(), int(settings.THIDUA_MAX_UPLOAD_BYTES))


# refused from Content-Length before the body is read; CSRF checked once the limit is in place
limited_attachment_upload = uploads.limited_upload(attachment_upload_limit,
                                                   attachment_too_big_page)


def run_action(
    request: HttpRequest, action: Callable[[], str], *, success_url: str,
    on_error: Callable[[ApplicationError], HttpResponse] | None = None,
) -> HttpResponse:
    """Run one service call for a POST and answer the way every page does: its message flashed
    and a redirect to `success_url`; NotFoundError is a 404, PermissionDeniedError the 403
    page with its reason; any other refusal goes to `on_error` (a page re-rendered with the
    message next to the form, status 400), or without it is flashed on `success_url`."""
    try:
        message = action()
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        if on_error is not None:
            return on_error(exc)
        messages.error(request, exc.message)
        return redirect(success_url)
    if message:
        messages.success(request, message)
    return redirect(success_url)


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


_PATH_SAFE = "!$&'()*+,;=/~:@"  # what `reverse` leaves unquoted in an argument


def url_maker(viewname: str, query: dict[str, Any] | None = None, *,
              then: tuple[Any, ...] = ()) -> Callable[[str], str]:
    """`reverse(viewname, args=[arg, *then])` with `query` for many args, resolved once: a page
    listing a hundred units calls it a hundred times, and `reverse` costs tens of microseconds a
    call. The argument is quoted as `reverse` quotes it."""
    marker = "x0arg0x"  # matches the str, slug and path converters
    head, found, tail = reverse(viewname, args=[marker, *then]).partition(marker)
    assert found, viewname
    items = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    suffix = f"?{urlencode(items)}" if items else ""

    def make(arg: str) -> str:
        return f"{head}{quote(arg, safe=_PATH_SAFE)}{tail}{suffix}"

    return make


def day_query(day: dt.date) -> dict[str, str]:
    """?ngay= for links that keep the chosen date; nothing when it is today."""
    return {} if day == today() else {"ngay": day.isoformat()}


if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator  # not subscriptable at run time


class CountedPaginator(_Paginator):
    """A Paginator told how many rows the list has (a kept figure), so that a page of a large
    list does not also run a COUNT(*) over all of it."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def page_links(page: Page[Any] | None, page_url: Callable[[int], str]) -> list[dict[str, Any]]:
    """The page numbers a list shows under it: first, last and two either side of the current
    one, with a gap marker where numbers are skipped (1 … 4 5 6 7 8 … 20)."""
    links: list[dict[str, Any]] = []
    if page is None or page.paginator.num_pages <= 1:
        return links
    last = page.paginator.num_pages
    shown = sorted({1, last, *range(max(1, page.number - 2), min(last, page.number + 2) + 1)})
    prev = 0
    for n in shown:
        if n - prev > 1:
            links.append({"gap": True})
        links.append({"n": n, "url": page_url(n), "current": n == page.number})
        prev = n
    return links
