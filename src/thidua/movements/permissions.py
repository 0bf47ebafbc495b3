"""Who may do what in the movements app, on top of "a grant on a unit covers its subtree":

- launching a movement, issuing and deploying a plan, answering a deployment for the receiving
  unit, setting a unit's registration rule and its kind of year, registering people and units
  (by hand or from a file): an officer of the unit concerned (`MANAGE`);
- accepting a registration after the deadline: a leader of the unit (`ACCEPT_LATE`);
- seeing: a movement or a plan also reaches the units it is deployed to, and a registration is
  also its author's (the `*_reach` and `own_registrations` filters the scoped lists add)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from thidua.accounts.models import Role
from thidua.movements.models import Deployment
from thidua.org.permissions import can, path_q, require, scope_paths
from thidua.platform.actor import Actor, Visitor

MANAGE = Role.OFFICER
ACCEPT_LATE = Role.LEADER


def require_manage(actor: Actor, unit_path: str) -> None:
    """NotFoundError outside the actor's scope, PermissionDeniedError below an officer."""
    require(actor, unit_path, MANAGE)


def can_manage(user: Actor, unit_path: str) -> bool:
    return can(user, unit_path, MANAGE)


def can_accept_late(user: Actor, unit_path: str) -> bool:
    return can(user, unit_path, ACCEPT_LATE)


def managed_paths(user: Actor) -> list[str]:
    """The current paths of the units on which the user may manage movements and registrations."""
    return scope_paths(user, MANAGE)


def manages_below(paths: list[str], unit_path: str) -> bool:
    """Whether a unit at `unit_path` lies under one of the `managed_paths` already computed."""
    return any(unit_path.startswith(p) for p in paths)


def _deployed_in(paths: list[str]) -> QuerySet[Deployment]:
    return Deployment.objects.filter(path_q(paths, "unit__path"))


def movement_reach(paths: list[str]) -> Q:
    """Movements carried by a plan deployed to a unit in the subtrees at `paths`."""
    if not paths:
        return Q(pk__in=[])
    return Q(Exists(_deployed_in(paths).filter(plan__movements=OuterRef("pk"))))


def plan_reach(paths: list[str]) -> Q:
    """Plans deployed to a unit in the subtrees at `paths`."""
    if not paths:
        return Q(pk__in=[])
    return Q(Exists(_deployed_in(paths).filter(plan=OuterRef("pk"))))


def own_registrations(user: Visitor) -> Q:
    """The registrations of the person whose account this is (members without grants)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(person__user=user)
