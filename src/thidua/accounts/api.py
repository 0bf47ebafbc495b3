"""API authentication (session or bearer token) and the caller's own profile."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer, django_auth

from thidua.accounts.models import ApiToken
from thidua.platform.actor import Actor
from thidua.platform.api import caller

router = Router(tags=["Tài khoản"])


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


def auth_methods() -> list[Any]:
    return [TokenAuth(), django_auth]


class MeOut(Schema):
    username: str
    full_name: str
    grants: list[dict[str, str]]


@router.get("/me", response=MeOut, summary="Tài khoản đang dùng và quyền của nó")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Actor = caller(request)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "grants": [
            {"unit": g.unit.code, "role": g.role}
            for g in user.role_grants.select_related("unit")
        ],
    }
