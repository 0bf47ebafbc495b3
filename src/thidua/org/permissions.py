"""Scoping in one place, next to the tree: a grant on a unit covers its subtree. Every scoped list
is built on `restrict_queryset` (`Unit.objects.restrict(user)`, `Person.objects.restrict(user)`,
the `<entity>s_for` selectors); details go through the `access_<entity>` functions, which answer
NotFoundError both for a missing object and for one outside the user's scope. Services call
`require`; the tree's own rules (who may change which part of it) are at the end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from thidua.accounts.models import ROLE_RANK, Role, RoleGrant
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError, PermissionDeniedError

_CACHE_ATTR = "_thidua_grants"
QS = TypeVar("QS", bound=QuerySet[Any])


def grants(user: Visitor) -> list[tuple[str, int, int]]:
    """(current unit path, role rank, unit id) per grant, cached on the user object per request."""
    if not isinstance(user, User) or not user.is_authenticated:
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


def forget_grants(user: Actor) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: Visitor, role: str = Role.VIEWER) -> list[str]:
    """Current tree paths of the units on which the user holds `role` or higher."""
    need = ROLE_RANK[Role(role)]
    paths = sorted({path for path, rank, _ in grants(user) if rank >= need})
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


def has_any_grant(user: Visitor) -> bool:
    return bool(grants(user))


def role_on(user: Visitor, unit_path: str) -> int:
    """The highest role rank the user holds over a unit at `unit_path` (0 for none)."""
    return max((rank for path, rank, _ in grants(user) if unit_path.startswith(path)), default=0)


def can(user: Visitor, unit_path: str, role: str) -> bool:
    return role_on(user, unit_path) >= ROLE_RANK[Role(role)]


def require(user: Visitor, unit_path: str, role: str) -> None:
    """Raise NotFoundError if the unit is invisible to the user, PermissionDenied if the role is
    too low. Call after the object was fetched through a scoped access function."""
    rank = role_on(user, unit_path)
    if rank == 0:
        raise NotFoundError()
    if rank < ROLE_RANK[Role(role)]:
        raise PermissionDeniedError(
            f"Bạn cần quyền «{Role(role).label}» trên đơn vị này để thực hiện thao tác."
        )


def restrict_queryset(
    qs: QS, user: Visitor, *, field: str | None = "unit__path", role: str = Role.VIEWER,
    also: Callable[[list[str]], Q] | None = None,
) -> QS:
    """`qs` narrowed to the rows whose `field` (a unit's current tree path) lies in a subtree on
    which the user holds `role` or higher, plus the rows `also(paths)` admits (the user's own
    records, or rows reached another way from those subtrees; with `field=None`, only those).
    Whole-tree grants add no filter."""
    paths = scope_paths(user, role)
    if paths == [""]:
        return qs
    q = path_q(paths, field) if field is not None else Q(pk__in=[])
    if also is not None:
        q |= also(paths)
    return qs.filter(q)


def is_system(actor: Actor | None) -> bool:
    """The command line and the demo builder act as the installation itself (actor None)."""
    return actor is None


def require_tree_change(actor: Actor | None, unit_path: str) -> None:
    """Changing the tree at a node (creating under it, renaming, moving, merging, splitting,
    dissolving, adding award lines) takes a leader's role over it; the command line may."""
    if actor is not None:
        require(actor, unit_path, Role.LEADER)


def require_new_root(actor: Actor | None) -> None:
    """A unit without a parent: only an installation-wide administrator, or the command line."""
    if actor is not None:
        require(actor, "", Role.ADMIN)
