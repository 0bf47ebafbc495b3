"""The caller's own profile and API tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from thidua.accounts import selectors, services
from thidua.accounts.api.schemas import Detail, MeOut, TokenOut
from thidua.accounts.models import ApiToken
from thidua.platform.actor import Actor
from thidua.platform.api import caller

router = Router(tags=["Tài khoản"])


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


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {"id": token.pk, "name": token.name, "scope": token.scope,
            "created_at": token.created_at, "expires_at": token.expires_at,
            "last_used_at": token.last_used_at, "revoked_at": token.revoked_at,
            "status": token.status_at(timezone.now())}


@router.get("/tokens", response=list[TokenOut],
            summary="Các mã truy cập API của chính tài khoản đang dùng (cả mã đã thu hồi, hết hạn)")
def tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [_token_out(t) for t in selectors.tokens_of(caller(request))]


@router.delete("/tokens/{token_id}", response={200: TokenOut, 404: Detail},
               summary="Thu hồi một mã truy cập của chính mình (có hiệu lực ngay)")
def token_revoke(request: HttpRequest, token_id: int) -> dict[str, Any]:
    user = caller(request)
    token = selectors.access_token(user, token_id)
    return _token_out(services.api_token_revoke(actor=user, token=token))
