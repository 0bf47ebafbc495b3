"""Pages of the union tree: the tree as of a date (children loaded on demand) and a unit's page.
They live with the roster because every node shows its people figures; URL names stay `org:…`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from thidua.org.models import Unit, UnitEvent, UnitType, UnitVersion
from thidua.org.permissions import can
from thidua.org.selectors import (
    access_unit,
    ancestors_at,
    award_issuers,
    children_at,
    ended_grant_units,
    tree_roots,
    units_below_children,
    version_at,
)
from thidua.people.selectors import child_counts, roster_counts
from thidua.people.stats import unit_stats
from thidua.people.views.events import tree_event_links
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.dbrouter import replica_reads
from thidua.platform.errors import NotFoundError
from thidua.platform.web import (
    day_param,
    day_query,
    today,
    url_maker,
    url_or_none,
    with_query,
)

_ZERO = {"workers": 0, "members": 0, "women": 0, "women_members": 0}


_TYPE_LABELS = {value: str(label) for value, label in UnitType.choices}


@dataclass
class TreeNode:
    version: UnitVersion
    counts: dict[str, int]
    has_children: bool
    url: str
    children_url: str
    children: list[TreeNode] | None = field(default=None)

    @property
    def type_label(self) -> str:
        return _TYPE_LABELS[self.version.unit.type]


def _unit_url(unit: Unit, day: dt.date) -> str:
    return with_query(reverse("org:unit", args=[unit.code]), day_query(day))


def _child_nodes(version: UnitVersion, day: dt.date) -> list[TreeNode]:
    """The children of `version` at `day` with their subtree counts: four queries however many."""
    children = children_at(version, day)
    if not children:
        return []
    counts = child_counts(parent_path=version.path, parent_depth=version.depth, day=day)
    below = units_below_children(version, day)
    unit_url = url_maker("org:unit", day_query(day))
    children_url = url_maker("org:tree-children", {"ngay": day.isoformat()})
    return [
        TreeNode(
            version=child,
            counts=counts.get(child.path, _ZERO),
            has_children=below.get(child.path, 0) > 0,
            url=unit_url(child.unit.code),
            children_url=children_url(child.unit.code),
        )
        for child in children
    ]


def _not_found() -> Http404:
    return Http404("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này.")


@login_required
@require_GET
@replica_reads
def tree(request: AuthenticatedHttpRequest) -> HttpResponse:
    day, day_error = day_param(request)
    roots = []
    for version in tree_roots(request.user, day):
        counts = roster_counts(unit_path=version.path, day=day)
        children = _child_nodes(version, day)
        roots.append(TreeNode(
            version=version, counts=counts, has_children=bool(children),
            url=_unit_url(version.unit, day), children_url="", children=children,
        ))
    return render(request, "org/tree.html", {
        "roots": roots, "day": day, "day_error": day_error, "is_today": day == today(),
        "ended": _ended(request.user, day),
    })


def _ended(user: Actor, day: dt.date) -> list[dict[str, Any]]:
    """The user's units that had ended by `day`, with links to their page and to the tree of
    their last day (the officers of an ended body read its history there)."""
    out = []
    for unit in ended_grant_units(user, day):
        assert unit.valid_to is not None  # ended_grant_units returns ended units only
        last_day = unit.valid_to - dt.timedelta(days=1)
        out.append({"name": unit.name, "valid_to": unit.valid_to, "last_day": last_day,
                    "url": reverse("org:unit", args=[unit.code]),
                    "tree_url": with_query(reverse("org:tree"), day_query(last_day))})
    return out


@login_required
@require_GET
@replica_reads
def tree_children(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The children of one node, as list items (HTMX partial)."""
    day, _ = day_param(request)
    try:
        unit = access_unit(request.user, code)
    except NotFoundError:
        raise _not_found() from None
    version = version_at(unit, day)
    nodes = _child_nodes(version, day) if version else []
    return render(request, "org/_tree_children.html", {"nodes": nodes, "day": day})


def _ancestors(user: Actor, chain: list[UnitVersion], day: dt.date) -> list[dict[str, Any]]:
    """The parent chain at `day`, top first; links only where the user may open the unit."""
    return [
        {"name": v.name, "url": _unit_url(v.unit, day) if can(user, v.unit.path, "viewer") else None}
        for v in chain
    ]


def _events(unit: Unit) -> list[UnitEvent]:
    return list(
        UnitEvent.objects.filter(Q(units_before=unit) | Q(units_after=unit))
        .distinct()
        .select_related("actor")
        .prefetch_related("units_before", "units_after")
        .order_by("-date", "-id")
    )


def _report_year(unit: Unit, day: dt.date) -> int:
    """The year the page's report links open: the viewed date's; for a unit that had ended by
    then, its last year-end (31/12) in activity, the last year it has figures for."""
    if unit.valid_to is not None and day >= unit.valid_to:
        return unit.valid_to.year - 1
    return day.year


@login_required
@require_GET
@replica_reads
def unit_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    day, day_error = day_param(request)
    try:
        unit = access_unit(request.user, code)
    except NotFoundError:
        raise _not_found() from None
    version = version_at(unit, day)
    chain = ancestors_at(version, day) if version else []
    stats = unit_stats(unit, day, version=version)
    type_rows = [
        (label, stats["units"][value]) for value, label in UnitType.choices
        if stats["units"].get(value)
    ]
    query = {"don_vi": unit.code, **day_query(day)}
    user = request.user
    context = {
        "unit": unit,
        "version": version,
        "name": version.name if version else unit.name,
        "type_label": UnitType(unit.type).label,
        "day": day,
        "day_error": day_error,
        "is_today": day == today(),
        "report_year": _report_year(unit, day),
        "stats": stats,
        "type_rows": type_rows,
        "ancestors": _ancestors(user, chain, day),
        "children": _child_nodes(version, day) if version else [],
        "issuers": award_issuers(unit, day, chain=chain) if version else [],
        "events": _events(unit),
        "list_url": with_query(reverse("people:list"), query),
        "is_officer": can(user, unit.path, "officer"),
        "tree_events": tree_event_links(user, unit),
        "create_url": with_query(reverse("people:create"), {"don_vi": unit.code}),
        "import_url": with_query(url_or_none("people:import") or "/nhap-danh-sach/",
                                 {"don_vi": unit.code}),
        "export_url": with_query(url_or_none("people:export") or "/xuat-danh-sach/", query),
    }
    return render(request, "org/unit.html", context)
