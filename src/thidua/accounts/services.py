"""Account actions: users, role grants, API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.accounts.models import ApiToken, Role, RoleGrant
from thidua.accounts.permissions import require_admin_of, require_manage_account
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


@transaction.atomic
def role_grant_create(*, actor: Actor | None, user: Actor, unit: Any, role: str) -> RoleGrant:
    """Give `user` a role on `unit` and its subtree. A person (not the installation) must
    administer the unit. Granting a role already held changes nothing."""
    if actor is not None:
        require_admin_of(actor, unit.path)
    grant, created = RoleGrant.objects.get_or_create(user=user, unit=unit, role=_role(role))
    if not created:  # already held: nothing changes, nothing to record
        return grant
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


# --- administration of accounts by the administrators of a subtree ------------------------------

def one_time_password() -> str:
    """A password to hand over once (12 characters, no look-alike letters)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def _check_password(password: str, user: Any = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from None


def _role(role: str) -> Role:
    if role not in Role.values:
        raise ApplicationError("Vai trò không hợp lệ.", field="role")
    return Role(role)


def _home_unit_id(account: Any) -> int | None:
    """The unit an account's audit entries are filed under: its highest grant (for the log
    browser's scope)."""
    grant = RoleGrant.objects.filter(user=account).order_by("unit__path").first()
    return grant.unit_id if grant is not None else None


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
    role_ = _role(role)
    raw = password or one_time_password()
    _check_password(raw)
    user = User.objects.create_user(username=username, password=raw, email=email.strip())
    parts = full_name.rsplit(" ", 1)
    user.last_name, user.first_name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    user.save(update_fields=["first_name", "last_name"])
    RoleGrant.objects.create(user=user, unit=unit, role=role_)
    audit_record(
        actor=actor, action="user.create", object_type="user", object_id=user.pk, unit_id=unit.pk,
        after={"username": username, "full_name": full_name, "unit": unit.code, "role": role_.value},
    )
    return user, raw


@transaction.atomic
def account_set_active(*, actor: Actor, account: Any, active: bool, reason: str = "") -> Any:
    """Deactivate (or reactivate) an account. Accounts are never deleted: the audit trail keeps
    their actions under their name."""
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
        object_id=account.pk, unit_id=_home_unit_id(account),
        before={"is_active": not active}, after={"is_active": active, "reason": reason},
    )
    return account


@transaction.atomic
def account_password_reset(*, actor: Actor, account: Any, password: str = "") -> str:
    """Set a new password (a generated one-time password when none is given) and return it.
    The password itself is never written to the audit trail."""
    require_manage_account(actor, account)
    raw = password or one_time_password()
    _check_password(raw, account)
    account.set_password(raw)
    account.save(update_fields=["password"])
    audit_record(
        actor=actor, action="user.password_reset", object_type="user", object_id=account.pk,
        unit_id=_home_unit_id(account), after={"generated": not password},
    )
    return raw


@transaction.atomic
def role_grant_revoke(*, actor: Actor, grant: RoleGrant) -> None:
    """Take back a role on a unit of the actor's subtree."""
    require_admin_of(actor, grant.unit.path)
    if grant.user_id == getattr(actor, "pk", None):
        raise ApplicationError("Không tự thu hồi quyền của chính mình; hãy nhờ quản trị cấp trên.")
    before = {"unit": grant.unit.code, "role": grant.role}
    user_id, unit_id = grant.user_id, grant.unit_id
    grant.delete()
    audit_record(actor=actor, action="role.revoke", object_type="user", object_id=user_id,
                 unit_id=unit_id, before=before)
