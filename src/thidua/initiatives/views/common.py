"""What every initiative page shares: 404 for missing and out-of-scope alike, the upload limit
checked before the body is read, and the unit pickers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from thidua.initiatives.selectors import filter_units, officer_units
from thidua.org.models import Unit
from thidua.platform import files
from thidua.platform.actor import Actor
from thidua.platform.errors import NotFoundError
from thidua.platform.forms import unit_choices
from thidua.platform.uploads import MULTIPART_ALLOWANCE, LimitedUpload

T = TypeVar("T")


def get_or_404(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)`, with NotFoundError (missing or out of scope) as a 404."""
    try:
        return fn(*args)
    except NotFoundError:
        raise Http404("Không tìm thấy hoặc bạn không có quyền xem.") from None


def int_param(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _upload_limit() -> int:
    return max(files.max_bytes(), int(settings.THIDUA_MAX_UPLOAD_BYTES))


def limited_upload(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse an upload above the limit from its Content-Length before the body is read, and
    stop reading as soon as the stream passes it. CSRF is checked inside, once the limit
    handler is in place."""
    inner = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > _upload_limit() + MULTIPART_ALLOWANCE:
                return too_big_page(request)
            request.upload_handlers.insert(0, LimitedUpload(request, _upload_limit()))
        return inner(request, *args, **kwargs)

    return wrapper


def upload_too_big(request: HttpRequest) -> bool:
    """The stream passed the limit while the body was read (LimitedUpload marks the request)."""
    return bool(getattr(request, "thidua_upload_too_big", False))


def too_big_page(request: HttpRequest) -> HttpResponse:
    return render(request, "people/refused.html", {
        "message": f"{files.too_big_message()} Hãy giảm dung lượng tệp rồi tải lên lại."},
        status=413)


def officer_unit_choices(user: Actor) -> list[tuple[str, str]]:
    """The units the user may file for or set up councils in, indented by depth."""
    return unit_choices(officer_units(user))


def unit_filter_options(user: Actor, selected: Unit | None) -> list[tuple[str, str]]:
    """The unit filter: the user's top units and two levels below them, plus the selected one."""
    rows = filter_units(user, selected)
    return [] if rows is None else unit_choices(rows, blank="Tất cả đơn vị")
