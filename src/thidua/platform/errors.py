"""Errors that carry a message a union officer can act on, in Vietnamese."""

from __future__ import annotations


class ApplicationError(Exception):
    """A refused business action. `message` is shown to the user as is."""

    def __init__(self, message: str, *, field: str | None = None, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    """Missing or outside the user's scope: the two are indistinguishable on purpose."""

    def __init__(self, message: str = "Không tìm thấy hoặc bạn không có quyền truy cập."):
        super().__init__(message)


class PermissionDeniedError(ApplicationError):
    """The object is visible to the user, but the action needs a higher role."""
