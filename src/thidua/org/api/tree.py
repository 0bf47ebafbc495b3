"""Units: the visible tree, a subtree and a unit's history, as of a date (one unit with its
figures is `people.api.units`, the layer that may read the roster).

Scoping is the UI's: lists come from `tree_versions`, a unit from `access_unit` (404 for missing
and for out-of-scope alike)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params.functions import Query  # typed; `ninja.Query` is an Annotated alias for mypy

from thidua.org.api.schemas import UnitEventOut, UnitNode
from thidua.org.models import Unit, UnitType, UnitVersion
from thidua.org.permissions import scope_paths
from thidua.org.selectors import (
    access_unit,
    tree_versions,
    unit_history,
    version_at,
)
from thidua.platform.actor import Actor
from thidua.platform.api import caller
from thidua.platform.errors import NotFoundError
from thidua.platform.text import vn_date

router = Router(tags=["Đơn vị"])

DATE_HELP = "Ngày cần xem (YYYY-MM-DD); mặc định hôm nay"


def day_or_today(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def visible_parent(user: Actor, parent: Unit | None) -> str | None:
    """The parent's code, unless the parent is outside the user's subtrees (its code is withheld
    like everything else out of scope)."""
    if parent is None:
        return None
    if any(parent.path.startswith(p) for p in scope_paths(user)):
        return parent.code
    return None


def node(user: Actor, version: UnitVersion) -> dict[str, Any]:
    unit = version.unit
    return {
        "code": unit.code,
        "name": version.name,
        "short_name": version.short_name,
        "type": unit.type,
        "type_label": UnitType(unit.type).label,
        "parent": visible_parent(user, version.parent),
        "depth": version.depth,
        "valid_from": unit.valid_from,
        "founded_on": unit.founded_on,
        "valid_to": unit.valid_to,
    }


def _nodes(user: Actor, versions: Iterable[UnitVersion], nested: bool) -> list[dict[str, Any]]:
    rows = [(v.path, node(user, v)) for v in versions]
    if not nested:
        return [row for _, row in rows]
    # Paths sort parents before children, so each node's parent (the longest visible prefix)
    # has been seen when the node comes.
    by_path: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for path, row in rows:
        row["children"] = []
        parent_path = next(
            (path[:i] for i in range(len(path) - 4, 0, -4) if path[:i] in by_path), None
        )
        (by_path[parent_path]["children"] if parent_path else roots).append(row)
        by_path[path] = row
    return roots


def _versions(user: Actor, day: dt.date, under: str = "") -> list[UnitVersion]:
    qs = tree_versions(user, day).select_related("parent").order_by("path")
    if under:
        qs = qs.filter(path__startswith=under)
    return list(qs)


def version_or_404(unit: Unit, day: dt.date) -> UnitVersion:
    version = version_at(unit, day)
    if version is None:
        raise NotFoundError(f"Đơn vị «{unit.code}» không hoạt động vào ngày {vn_date(day)}.")
    return version


@router.get(
    "/tree",
    response=list[UnitNode],
    summary="Cây đơn vị được phép xem, tại một ngày",
    description="Danh sách phẳng theo thứ tự cây (mỗi dòng có mã đơn vị cấp trên), hoặc dạng lồng "
    "nhau với nested=true.",
)
def tree(
    request: HttpRequest,
    date: dt.date | None = Query(None, description=DATE_HELP),  # noqa: B008
    nested: bool = Query(False, description="Trả về cây lồng nhau (children)"),  # noqa: B008
) -> list[dict[str, Any]]:
    user = caller(request)
    return _nodes(user, _versions(user, day_or_today(date)), nested)


@router.get(
    "/{code}/subtree",
    response=list[UnitNode],
    summary="Cây trực thuộc của một đơn vị tại một ngày",
)
def subtree(
    request: HttpRequest,
    code: str,
    date: dt.date | None = Query(None, description=DATE_HELP),  # noqa: B008
    nested: bool = Query(False, description="Trả về cây lồng nhau (children)"),  # noqa: B008
) -> list[dict[str, Any]]:
    user = caller(request)
    day = day_or_today(date)
    unit = access_unit(user, code)
    version = version_or_404(unit, day)
    return _nodes(user, _versions(user, day, under=version.path), nested)


@router.get(
    "/{code}/events",
    response=list[UnitEventOut],
    summary="Lịch sử của đơn vị: thành lập, đổi tên, chuyển, hợp nhất, chia tách, giải thể",
)
def events(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    unit = access_unit(caller(request), code)
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "date": e.date,
            "decision": e.decision,
            "note": e.note,
            "units_before": sorted(u.code for u in e.units_before.all()),
            "units_after": sorted(u.code for u in e.units_after.all()),
        }
        for e in unit_history(unit)
    ]
