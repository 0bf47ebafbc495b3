"""Passwords: changed by their owner, reset by an administrator (then to be changed at the next
login). The password itself never reaches the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from thidua.accounts.models import PasswordChangeRequired
from thidua.accounts.permissions import require_manage_account
from thidua.accounts.services.common import check_password_rules, home_unit_id, one_time_password
from thidua.audit.services import audit_record
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


@transaction.atomic
def account_password_reset(*, actor: Actor | None, account: Any, password: str = "") -> str:
    """Set a new password (a generated one-time password when none is given) and return it; the
    account must change it at its next login. Its open sessions end (Django checks each
    session's password hash). `actor=None` is the installation's operator (the command line)."""
    if actor is not None:
        require_manage_account(actor, account)
    raw = password or one_time_password()
    check_password_rules(raw, account)
    account.set_password(raw)
    account.save(update_fields=["password"])
    PasswordChangeRequired.objects.get_or_create(user=account)
    audit_record(
        actor=actor, action="user.password_reset", object_type="user", object_id=account.pk,
        unit_id=home_unit_id(account), after={"generated": not password},
    )
    return raw


@transaction.atomic
def password_change(*, actor: Actor, old_password: str, new_password: str) -> None:
    """The account holder chooses a new password, proving the old one. The caller keeps its own
    session (update_session_auth_hash); every other session of the account ends."""
    if not actor.check_password(old_password):
        raise ApplicationError("Mật khẩu hiện tại không đúng.", field="old_password")
    if new_password == old_password:
        raise ApplicationError("Mật khẩu mới phải khác mật khẩu hiện tại.",
                               field="new_password1")
    check_password_rules(new_password, actor, field="new_password1")
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    required = PasswordChangeRequired.objects.filter(user=actor).delete()[0] > 0
    audit_record(
        actor=actor, action="user.password_change", object_type="user", object_id=actor.pk,
        unit_id=home_unit_id(actor), after={"was_required": required},
    )

