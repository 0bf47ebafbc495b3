"""Account actions: users, role grants, API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from thidua.accounts.models import ApiToken, Role, RoleGrant
from thidua.audit.services import audit_record
from thidua.platform.actor import Actor


@transaction.atomic
def user_create(
    *, actor: Actor | None, username: str, password: str, full_name: str = "", email: str = "",
    is_superuser: bool = False,
) -> Any:
    """Create an account. `is_superuser` makes an installation-wide administrator."""
    User = get_user_model()
    if is_superuser:
        user = User.objects.create_superuser(username=username, password=password, email=email)
    else:
        user = User.objects.create_user(username=username, password=password, email=email)
    if full_name:
        parts = full_name.rsplit(" ", 1)
        user.last_name, user.first_name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        user.save(update_fields=["first_name", "last_name"])
    audit_record(
        actor=actor, action="user.create", object_type="user", object_id=user.pk,
        after={"username": username, "full_name": full_name, "is_superuser": is_superuser},
    )
    return user


@transaction.atomic
def role_grant_create(*, actor: Actor | None, user: Actor, unit: Any, role: str) -> RoleGrant:
    grant, _ = RoleGrant.objects.get_or_create(user=user, unit=unit, role=Role(role))
    audit_record(
        actor=actor, action="role.grant", object_type="user", object_id=user.pk, unit_id=unit.pk,
        after={"unit": unit.code, "role": role},
    )
    return grant


@transaction.atomic
def api_token_create(*, actor: Actor | None, user: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = "td_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(raw))
    audit_record(
        actor=actor, action="token.create", object_type="user", object_id=user.pk,
        after={"name": name},
    )
    return token, raw
