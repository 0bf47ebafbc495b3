"""Helpers shared by the account services."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from thidua.accounts.models import Role, RoleGrant
from thidua.platform.errors import ApplicationError


def one_time_password() -> str:
    """A password to hand over once (12 characters, no look-alike letters)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def check_password_rules(password: str, user: Any = None, *, field: str = "password") -> None:
    """Django's password validators (AUTH_PASSWORD_VALIDATORS), as an ApplicationError."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field=field) from None


def parse_role(role: str) -> Role:
    if role not in Role.values:
        raise ApplicationError("Vai trò không hợp lệ.", field="role")
    return Role(role)


def home_unit_id(account: Any) -> int | None:
    """The unit an account's audit entries are filed under: its highest grant (for the log
    browser's scope)."""
    grant = RoleGrant.objects.filter(user=account).order_by("unit__path").first()
    return grant.unit_id if grant is not None else None
