"""Who sees what of the movements app, beyond "a grant on a unit covers its subtree": a movement
or a plan also reaches the units it is deployed to, and a registration is also its author's."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from thidua.movements.models import Deployment
from thidua.org.permissions import path_q


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


def own_registrations(user: Any) -> Q:
    """The registrations of the person whose account this is (members without grants)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(person__user=user)
