"""Who may do what with targets, welfare, Party development and family titles. A grant on a unit
covers its subtree (`thidua.org.permissions`):

- seeing a unit's targets, welfare and Party lists: a viewer of the unit;
- setting the unit's targets (its own, which override the level above), recording its welfare,
  its Party candidates and its families' titles: an officer of the unit.

Services call `require_*` (NotFoundError when the unit is out of sight, PermissionDeniedError
when the role is too low); pages ask `may_manage` to show or hide the forms."""

from __future__ import annotations

from thidua.accounts.models import Role
from thidua.org.models import Unit
from thidua.org.permissions import can, require
from thidua.platform.actor import Actor, Visitor

VIEW = Role.VIEWER
MANAGE = Role.OFFICER


def require_view(actor: Actor, unit: Unit) -> None:
    require(actor, unit.path, VIEW)


def require_manage(actor: Actor, unit: Unit) -> None:
    require(actor, unit.path, MANAGE)


def may_manage(user: Visitor, unit: Unit) -> bool:
    return can(user, unit.path, MANAGE)
