"""Role grants on units: given and taken back by the administrators of a subtree."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from thidua.accounts.models import RoleGrant
from thidua.accounts.permissions import require_admin_of
from thidua.accounts.services.common import parse_role
from thidua.audit.services import audit_record
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


@transaction.atomic
def role_grant_create(*, actor: Actor | None, user: Actor, unit: Any, role: str) -> RoleGrant:
    """Give `user` a role on `unit` and its subtree. A person (not the installation) must
    administer the unit. Granting a role already held changes nothing."""
    if actor is not None:
        require_admin_of(actor, unit.path)
    grant, created = RoleGrant.objects.get_or_create(user=user, unit=unit, role=parse_role(role))
    if not created:  # already held: nothing changes, nothing to record
        return grant
    audit_record(
        actor=actor, action="role.grant", object_type="user", object_id=user.pk, unit_id=unit.pk,
        after={"unit": unit.code, "role": role},
    )
    return grant


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
