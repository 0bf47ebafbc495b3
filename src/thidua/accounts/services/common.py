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


# Django's Vietnamese catalogue lacks some validator messages (the minimum length is English).
PASSWORD_MESSAGES = {
    "password_too_short": "Mật khẩu quá ngắn: cần ít nhất {min_length} ký tự.",
    "password_too_common": "Mật khẩu này quá phổ biến; hãy chọn mật khẩu khó đoán hơn.",
    "password_entirely_numeric": "Mật khẩu không được chỉ gồm chữ số.",
    "password_too_similar": "Mật khẩu quá giống tên đăng nhập hoặc họ tên.",
}


def check_password_rules(password: str, user: Any = None, *, field: str = "password") -> None:
    """Django's password validators (AUTH_PASSWORD_VALIDATORS), as an ApplicationError."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        messages = []
        for error in exc.error_list:
            text = PASSWORD_MESSAGES.get(error.code or "")
            params = error.params if isinstance(error.params, dict) else {}
            messages.append(text.format(**params) if text else " ".join(error.messages))
        raise ApplicationError(" ".join(messages), field=field) from None


def parse_role(role: str) -> Role:
    if role not in Role.values:
        raise ApplicationError("Vai trò không hợp lệ.", field="role")
    return Role(role)


def home_unit_id(account: Any) -> int | None:
    """The unit an account's audit entries are filed under: its highest grant (for the log
    browser's scope)."""
    grant = RoleGrant.objects.filter(user=account).order_by("unit__path").first()
    return grant.unit_id if grant is not None else None
