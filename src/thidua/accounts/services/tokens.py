"""API tokens: created (the raw value shown once), revoked by their owner or an operator."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import ApiToken, TokenScope
from thidua.audit.services import audit_record
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError

DEFAULT_DAYS = 90
MAX_DAYS = 3650


def default_days() -> int:
    return int(getattr(settings, "THIDUA_API_TOKEN_DAYS", DEFAULT_DAYS))


@transaction.atomic
def api_token_create(
    *, actor: Actor | None, user: Actor, name: str, scope: str = TokenScope.WRITE,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token valid for `days` (THIDUA_API_TOKEN_DAYS by default); the raw value is
    returned once and never stored."""
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("Hãy đặt tên cho mã truy cập.", field="name")
    if scope not in TokenScope.values:
        raise ApplicationError("Phạm vi không hợp lệ: chọn «chỉ đọc» hoặc «đọc và ghi».",
                               field="scope")
    days = default_days() if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ApplicationError(f"Thời hạn phải từ 1 đến {MAX_DAYS} ngày.", field="days")
    if not user.is_active:
        raise ApplicationError(f"Tài khoản «{user.get_username()}» đang bị khóa.")
    raw = "td_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=days)
    token = ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(raw),
                                    scope=scope, expires_at=expires_at)
    audit_record(
        actor=actor, action="token.create", object_type="user", object_id=user.pk,
        after={"token": token.pk, "name": name, "scope": scope,
               "expires_at": expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Actor | None, token: ApiToken) -> ApiToken:
    """Revoke a token (at once: the next request with it is refused). Revoking twice changes
    nothing. The caller has checked that the actor owns it (selectors.access_token)."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.revoked_at)
    audit_record(
        actor=actor, action="token.revoke", object_type="user", object_id=token.user_id,
        before={"token": token.pk, "name": token.name},
    )
    return token
