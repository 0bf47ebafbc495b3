"""Upload size limits enforced while the body streams in, not after it was read."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

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
