"""API authentication: a bearer token or the browser's session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from thidua.accounts.models import ApiToken, TokenScope

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
READ_ONLY_REFUSAL = ("Mã truy cập này chỉ có quyền đọc; hãy dùng mã có quyền «đọc và ghi» để "
                     "thêm, sửa hoặc xóa.")


class TokenAuth(HttpBearer):
    """A usable token (not revoked, not expired, of an active account) authenticates as its
    owner; anything else falls through to the session, then to 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        found = (ApiToken.objects.usable(now).select_related("user")
                 .filter(digest=ApiToken.digest_of(token)).first())
        if found is None:
            return None
        if found.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise HttpError(403, READ_ONLY_REFUSAL)
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


def auth_methods() -> list[Any]:
    return [TokenAuth(), django_auth]
