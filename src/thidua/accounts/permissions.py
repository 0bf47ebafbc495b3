"""Scoping in one place: a grant on a unit covers its subtree. Lists go through `units_for`,
details through the `access_<entity>` functions, which answer NotFoundError both for a missing
object and for one outside the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from thidua.accounts.models import ROLE_RANK, Role, RoleGrant
from thidua.platform.errors import NotFoundError, PermissionDeniedError

_CACHE_ATTR = "_thidua_grants"


def _grants(user: Any) -> list[tuple[str, int, int]]:
    """(current unit path, role rank, unit id) per grant, cached on the user object per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        if user.is_superuser:
            cached = [("", ROLE_RANK[Role.ADMIN], 0)]
        else:
            cached = [
                (g.unit.path, ROLE_RANK[Role(g.role)], g.unit_id)
                for g in RoleGrant.objects.filter(user=user).select_related("unit")
            ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: Any, role: str = Role.VIEWER) -> list[str]:
    """Current tree paths of the units on which the user holds `role` or higher."""
    need = ROLE_RANK[Role(role)]
    paths = sorted({path for path, rank, _ in _grants(user) if rank >= need})
    # drop paths already covered by a shorter one
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def path_q(paths: list[str], field: str = "path") -> Q:
    """`field` starts with one of `paths`; matches nothing for an empty list."""
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def has_any_grant(user: Any) -> bool:
    return bool(_grants(user))


def role_on(user: Any, unit_path: str) -> int:
    """The highest role rank the user holds over a unit at `unit_path` (0 for none)."""
    return max((rank for path, rank, _ in _grants(user) if unit_path.startswith(path)), default=0)


def can(user: Any, unit_path: str, role: str) -> bool:
    return role_on(user, unit_path) >= ROLE_RANK[Role(role)]


def require(user: Any, unit_path: str, role: str) -> None:
    """Raise NotFoundError if the unit is invisible to the user, PermissionDenied if the role is
    too low. Call after the object was fetched through a scoped access function."""
    rank = role_on(user, unit_path)
    if rank == 0:
        raise NotFoundError()
    if rank < ROLE_RANK[Role(role)]:
        raise PermissionDeniedError(
            f"Bạn cần quyền «{Role(role).label}» trên đơn vị này để thực hiện thao tác."
        )


def scope_version_paths(user: Any, day: dt.date, role: str = Role.VIEWER) -> list[str]:
    """Paths, as of `day`, of the granted units' subtrees (for reading the tree of a past date)."""
    from thidua.org.models import UnitVersion

    need = ROLE_RANK[Role(role)]
    grants = _grants(user)
    if any(path == "" and rank >= need for path, rank, _ in grants):
        return [""]
    unit_ids = [uid for _, rank, uid in grants if rank >= need]
    if not unit_ids:
        return []
    paths = sorted(UnitVersion.objects.at(day).filter(unit_id__in=unit_ids).values_list("path", flat=True))
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept
