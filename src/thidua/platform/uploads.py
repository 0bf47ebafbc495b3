"""Upload size limits enforced while the body streams in, not after it was read."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# multipart framing around the file (boundaries, the other fields) on top of the file itself
MULTIPART_ALLOWANCE = 64 * 1024


class LimitedUpload(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit, whatever Content-Length said."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.request.thidua_upload_too_big = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def declared_size(request: HttpRequest) -> int:
    """The body size the client announced (0 when absent or unreadable)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def limited_upload(
    limit: Callable[[], int], too_big: Callable[[HttpRequest], HttpResponse],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """For a view that takes a file: refuse a POST whose announced size passes `limit()` without
    reading its body, and stop reading as soon as the stream passes it. The view is CSRF-exempt
    on the outside because CsrfViewMiddleware would read the whole body first; CSRF is checked
    inside, once the limit handler is in place. A view sees `upload_too_big(request)` true when
    the stream was cut."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        inner = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                if declared_size(request) > limit() + MULTIPART_ALLOWANCE:
                    return too_big(request)
                request.upload_handlers.insert(0, LimitedUpload(request, limit()))
            return inner(request, *args, **kwargs)

        return wrapper

    return decorate


def upload_too_big(request: HttpRequest) -> bool:
    """True when LimitedUpload cut the stream of this request."""
    return bool(getattr(request, "thidua_upload_too_big", False))
