from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from thidua.platform.errors import NotFoundError

logger = logging.getLogger(__name__)

# Everything the pages load is served by this app (htmx is vendored), so a strict policy holds.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # every page, /api/docs included: Swagger UI is served from our own static files
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NotFoundMiddleware:
    """A `NotFoundError` escaping a view is the 404 page: missing and forbidden look the same on
    every route, without each view translating it by hand."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFoundError):
            raise Http404(exception.message) from exception
        return None


DB_UNAVAILABLE = ("Cơ sở dữ liệu tạm thời không trả lời: thao tác chưa hoàn tất và không có dữ "
                  "liệu nào bị ghi dở. Hãy thử lại sau ít phút.")
DISK_FULL = ("Bộ nhớ của máy chủ đã đầy: chưa ghi được và không có dữ liệu nào bị ghi dở. Hãy báo "
             "cho người quản trị hệ thống giải phóng dung lượng rồi thử lại.")
RETRY_AFTER = "30"


def unavailable_reason(exc: BaseException) -> str | None:
    """The Vietnamese message for a fault of the database or the disk, None for anything else.
    The transaction of the change was rolled back by the database itself (a lost connection
    aborts it; SQLITE_FULL undoes the statement and the atomic block rolls back the rest)."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return DISK_FULL
    if isinstance(exc, OperationalError | InterfaceError):
        text = str(exc).lower()
        if "disk is full" in text or "no space left" in text or "could not extend file" in text:
            return DISK_FULL
        return DB_UNAVAILABLE
    if isinstance(exc, DatabaseError) and "no space left" in str(exc).lower():
        return DISK_FULL
    return None


class UnavailableMiddleware:
    """A database that went away (PostgreSQL restarted, connections terminated) or a full disk
    is a 503 with a Vietnamese message — JSON `{"detail": …}` under /api/ — not a 500. The page
    is rendered without a request context: the context processors would query the database
    again. The connection is not reused: Django closes it at the end of the request once it
    errored, and CONN_HEALTH_CHECKS checks a kept one before the next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        message = unavailable_reason(exception)
        if message is None:
            return None
        logger.error("%s %s: %s", request.method, request.path, exception)
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": message}),
                                    status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
