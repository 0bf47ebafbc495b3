"""Who administers which accounts. A grant of the "admin" role on a unit lets its holder manage
the accounts and role grants of that unit's subtree; a superuser manages the installation.

accounts sits below org (ADR 0009), so the subtree is read here from the grants' own unit paths
(`unit__path`, the same materialised path org scopes by) rather than from org's helpers:

- an account is *visible* to an administrator when it holds a grant on a unit of their subtree;
- it is *manageable* (deactivate, new password) only when every grant it holds lies in that
  subtree and it is not a superuser: resetting the password of someone who also holds a grant
  elsewhere would hand the administrator that other grant too."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q

from thidua.accounts.models import Role, RoleGrant
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError, PermissionDeniedError

ALL = [""]  # the whole tree: every path starts with ""


def admin_paths(user: Visitor) -> list[str]:
    """Tree paths of the subtrees the user administers ([""] for a superuser, [] for none)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return ALL
    paths = sorted(set(RoleGrant.objects.filter(user=user, role=Role.ADMIN)
                       .values_list("unit__path", flat=True)))
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def covers(paths: list[str], path: str) -> bool:
    return any(path.startswith(p) for p in paths)


def paths_q(paths: list[str], field: str) -> Q:
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def require_admin_of(actor: Actor, unit_path: str) -> None:
    """NotFoundError when the unit lies outside the actor's administered subtrees."""
    if not covers(admin_paths(actor), unit_path):
        raise NotFoundError()


def require_manage_account(actor: Actor, account: User) -> None:
    """The actor may deactivate the account or set its password (see the module's note)."""
    paths = admin_paths(actor)
    if paths == ALL:
        return
    if account.is_superuser:
        raise PermissionDeniedError("Chỉ quản trị toàn hệ thống mới thay đổi được tài khoản này.")
    outside = (RoleGrant.objects.filter(user=account).exclude(paths_q(paths, "unit__path"))
               .exists())
    if outside:
        raise PermissionDeniedError(
            "Tài khoản này còn được giao quyền ở đơn vị ngoài phạm vi bạn quản trị; hãy nhờ quản "
            "trị cấp trên thực hiện.")
