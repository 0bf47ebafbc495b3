"""Accounts: created, deactivated (never deleted: the audit trail keeps their name), reactivated."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from thidua.accounts.models import PasswordChangeRequired, RoleGrant
from thidua.accounts.permissions import require_admin_of, require_manage_account
from thidua.accounts.services.common import (
    check_password_rules,
    home_unit_id,
    one_time_password,
    parse_role,
)
from thidua.audit.services import audit_record
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


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


# --- administration of accounts by the administrators of a subtree ------------------------------

@transaction.atomic
def account_create(
    *, actor: Actor, username: str, full_name: str, unit: Any, role: str, email: str = "",
    password: str = "",
) -> tuple[Any, str]:
    """A new account with its first role on `unit` (which puts it in the unit's subtree). Without
    `password` a one-time password is generated; it is returned once and never stored."""
    require_admin_of(actor, unit.path)
    User = get_user_model()
    username = username.strip()
    full_name = " ".join(full_name.split())
    if not username:
        raise ApplicationError("Hãy nhập tên đăng nhập.", field="username")
    if not full_name:
        raise ApplicationError("Hãy nhập họ và tên.", field="full_name")
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"Tên đăng nhập «{username}» đã có người dùng.", field="username")
    role_ = parse_role(role)
    raw = password or one_time_password()
    check_password_rules(raw)
    user = User.objects.create_user(username=username, password=raw, email=email.strip())
    parts = full_name.rsplit(" ", 1)
    user.last_name, user.first_name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    user.save(update_fields=["first_name", "last_name"])
    RoleGrant.objects.create(user=user, unit=unit, role=role_)
    PasswordChangeRequired.objects.create(user=user)  # the administrator knows this password
    audit_record(
        actor=actor, action="user.create", object_type="user", object_id=user.pk, unit_id=unit.pk,
        after={"username": username, "full_name": full_name, "unit": unit.code, "role": role_.value},
    )
    return user, raw


@transaction.atomic
def account_set_active(
    *, actor: Actor | None, account: Any, active: bool, reason: str = "",
) -> Any:
    """Deactivate (or reactivate) an account. Accounts are never deleted: the audit trail keeps
    their actions under their name. A deactivated account can neither log in nor use its API
    tokens. `actor=None` is the installation's operator (the command line)."""
    if actor is not None:
        require_manage_account(actor, account)
    if account.pk == getattr(actor, "pk", None) and not active:
        raise ApplicationError("Không tự khóa tài khoản của chính mình.")
    if account.is_active == active:
        return account
    reason = " ".join(reason.split())
    if not active and not reason:
        raise ApplicationError("Hãy ghi lý do khóa tài khoản.", field="reason")
    type(account).objects.filter(pk=account.pk).update(is_active=active)
    account.is_active = active
    audit_record(
        actor=actor, action="user.activate" if active else "user.deactivate", object_type="user",
        object_id=account.pk, unit_id=home_unit_id(account),
        before={"is_active": not active}, after={"is_active": active, "reason": reason},
    )
    return account


