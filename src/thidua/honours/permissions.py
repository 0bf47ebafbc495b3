"""Who reads and who edits the award catalogue. The catalogue is the installation's, not a
unit's: any administrator (as the accounts pages decide, `admin_paths`) may read it; only an
administrator of the whole tree (a superuser, or an admin of every root unit) may change it."""

from __future__ import annotations

from thidua.accounts.permissions import ALL, admin_paths, covers
from thidua.org.models import Unit
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError, PermissionDeniedError


def may_read_catalogue(user: Visitor) -> bool:
    return bool(admin_paths(user))


def may_edit_catalogue(user: Visitor) -> bool:
    paths = admin_paths(user)
    if paths == ALL:
        return True
    if not paths:
        return False
    roots = Unit.objects.filter(depth=1).values_list("path", flat=True)
    return all(covers(paths, p) for p in roots)


def require_catalogue_reader(user: Visitor) -> None:
    """The same 404 as any administration page for everybody else."""
    if not may_read_catalogue(user):
        raise NotFoundError()


def require_catalogue_editor(actor: Actor) -> None:
    require_catalogue_reader(actor)
    if not may_edit_catalogue(actor):
        raise PermissionDeniedError("Chỉ quản trị toàn hệ thống mới sửa được danh mục khen "
                                    "thưởng.")
