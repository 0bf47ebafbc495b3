"""Pages of the union tree: the tree as of a date (children loaded on demand) and a unit's page.
They live with the roster because every node shows its people figures; URL names stay `org:…`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from thidua.org.models import Unit, UnitType, UnitVersion
from thidua.org.permissions import can
from thidua.org.selectors import (
    access_unit,
    award_issuers,
    ended_grant_units,
    kept_children_page,
    kept_subtree,
    tree_roots,
    unit_timeline,
    version_and_chain,
    version_at,
)
from thidua.people.stats import unit_stats
from thidua.people.views.events import tree_event_links
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.dbrouter import replica_reads
from thidua.platform.errors import NotFoundError
from thidua.platform.text import vn_number
from thidua.platform.web import (
    day_param,
    day_query,
    int_param,
    today,
    url_maker,
    url_or_none,
    with_query,
)

_TYPE_LABELS = {value: str(label) for value, label in UnitType.choices}


@dataclass
class TreeNode:
    name: str
    code: str
    type: str
    counts: dict[str, int]
    has_children: bool
    url: str
    children_url: str
    children: list[TreeNode] | None = field(default=None)
    more: Children | None = field(default=None)  # the children drawn, with their "Xem thêm"


# The nodes are drawn here, not in a template: a cấp trên's page lists 100-300 children, and the
# template engine's variable lookups and filters were most of such a page's time (bench_pages).
_NODE_ROW = """<span class="node-row">
  <span class="node-title">
    <a href="{url}" class="node-name">{name}</a>
    <span class="node-type">{type} · {code}</span>
  </span>
  <span class="node-counts">
    <span class="count" title="Người lao động"><b>{workers}</b> người LĐ</span>
    <span class="count" title="Đoàn viên"><b>{members}</b> đoàn viên</span>
    <span class="count" title="Lao động nữ"><b>{women}</b> nữ</span>
  </span>
</span>"""


def nodes_html(nodes: list[TreeNode]) -> SafeString:
    """The nodes as `<li>` items of the tree's lists: a node with units below is a `<details>`
    whose children load on opening (HTMX), or open with them when they are already read."""
    out = []
    for node in nodes:
        row = _NODE_ROW.format(
            url=escape(node.url), name=escape(node.name), type=escape(_TYPE_LABELS[node.type]),
            code=escape(node.code), workers=vn_number(node.counts["workers"]),
            members=vn_number(node.counts["members"]), women=vn_number(node.counts["women"]))
        if not node.has_children:
            out.append(f'<li class="node">\n  <div class="node-box node-leaf">{row}</div>\n</li>')
            continue
        if node.more is not None:
            attrs, inner = " open", str(node.more.html())
        elif node.children is not None:
            attrs, inner = " open", str(nodes_html(node.children))
        else:
            attrs = (f' hx-get="{escape(node.children_url)}" hx-trigger="toggle once" '
                     'hx-target="find .children" hx-swap="innerHTML"')
            inner = '<li class="loading">Đang tải các đơn vị trực thuộc…</li>'
        out.append(f'<li class="node">\n  <details class="node-box"{attrs}>\n      <summary>{row}'
                   f'</summary>\n      <ul class="children">\n        {inner}\n      </ul>\n'
                   '    </details>\n</li>')
    # every value above is escaped (the standard library's escape: Django's checks each
    # argument for laziness, a tenth of a 100-child page)
    return mark_safe("".join(out))  # noqa: S308


def _unit_url(unit: Unit, day: dt.date) -> str:
    return with_query(reverse("org:unit", args=[unit.code]), day_query(day))


#: children drawn at once under a node; "Xem thêm" brings the next ones. A cấp trên lists up
#: to ~300 CĐCS: all of them made a 240 KB page (9 m of scrolling on a phone), four times an
#: officer's trivial page to serve (bench_national.py --pages at a tenth of the nation). 50: the
#: member list's page
CHILDREN_PAGE = 50
#: … or up to this many more when they are the last ones (the TLĐ's 54 federations on one page)
CHILDREN_SLACK = 10
#: the furthest ?tu= honoured: the page's children are read by their ids (SQLite's limit of
#: 32.766 parameters), and no unit has this many direct children
MAX_START = 5000


@dataclass
class Children:
    """A page of a node's children, and where the next page starts."""

    nodes: list[TreeNode]
    total: int
    code: str
    day: dt.date
    end: int  # the position after the last child drawn

    def html(self) -> SafeString:
        """The children's items, then a "Xem thêm" item while some are left: it loads the next
        page in its place (HTMX), or opens the unit page with them (no script)."""
        left = self.total - self.end
        if left <= 0:
            return nodes_html(self.nodes)
        more_page = with_query(reverse("org:unit", args=[self.code]),
                               {**day_query(self.day), "tu": self.end})
        more_part = with_query(reverse("org:tree-children", args=[self.code]),
                               {"ngay": self.day.isoformat(), "tu": self.end})
        shown = left if left <= CHILDREN_PAGE + CHILDREN_SLACK else CHILDREN_PAGE
        label = (f"Xem thêm {vn_number(shown)} đơn vị "
                 f"(còn {vn_number(left)} trong {vn_number(self.total)})")
        more = (f'<li class="node node-more"><a class="btn btn-light btn-small" '
                f'href="{escape(more_page)}#truc-thuoc" hx-get="{escape(more_part)}" '
                f'hx-target="closest li" hx-swap="outerHTML">{escape(label)}</a></li>')
        return mark_safe(str(nodes_html(self.nodes)) + more)  # noqa: S308 (escaped above)


def _child_nodes(version: UnitVersion, day: dt.date, *, start: int = 0,
                 limit: int | None = None) -> Children:
    """The children of `version` at `day` from the `start`-th, at most `limit` (a page:
    `CHILDREN_PAGE`), with their subtree's figures: one or two queries however many
    (`kept_children_page`)."""
    unit_url = url_maker("org:unit", day_query(day))
    children_url = url_maker("org:tree-children", {"ngay": day.isoformat()})
    page, total = kept_children_page(version, day, start=start,
                                     limit=CHILDREN_PAGE if limit is None else limit,
                                     slack=CHILDREN_SLACK)
    nodes = [
        TreeNode(
            name=child.name, code=child.code, type=child.type, counts=child.kept.people,
            has_children=child.kept.count_below() > 0, url=unit_url(child.code),
            children_url=children_url(child.code),
        )
        for child in page
    ]
    return Children(nodes=nodes, total=total, code=version.unit.code, day=day,
                    end=start + len(nodes))


def _start(request: AuthenticatedHttpRequest) -> int:
    """?tu=: the position of the first child to draw (0 when absent or not a number)."""
    return max(0, min(int_param(request.GET.get("tu")) or 0, MAX_START))


def _not_found() -> Http404:
    return Http404("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này.")


@login_required
@require_GET
@replica_reads
def tree(request: AuthenticatedHttpRequest) -> HttpResponse:
    day, day_error = day_param(request)
    roots = []
    for version in tree_roots(request.user, day):
        counts = kept_subtree(unit_path=version.path, day=day).people
        children = _child_nodes(version, day)
        roots.append(TreeNode(
            name=version.name, code=version.unit.code, type=version.unit.type, counts=counts,
            has_children=bool(children.nodes), url=_unit_url(version.unit, day),
            children_url="", children=children.nodes, more=children,
        ))
    return render(request, "org/tree.html", {
        "roots": roots, "roots_html": nodes_html(roots), "day": day, "day_error": day_error,
        "is_today": day == today(),
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
    if version is None:
        return render(request, "org/_tree_children.html", {"empty": True, "day": day})
    children = _child_nodes(version, day, start=_start(request))
    return render(request, "org/_tree_children.html", {
        "empty": not children.total, "nodes_html": children.html(), "day": day})


def _ancestors(user: Actor, chain: list[UnitVersion], day: dt.date) -> list[dict[str, Any]]:
    """The parent chain at `day`, top first; links only where the user may open the unit."""
    return [
        {"name": v.name, "url": _unit_url(v.unit, day) if can(user, v.unit.path, "viewer") else None}
        for v in chain
    ]


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
    version, chain = version_and_chain(unit, day)
    stats = unit_stats(unit, day, version=version)
    type_rows = [
        (label, stats["units"][value]) for value, label in UnitType.choices
        if stats["units"].get(value)
    ]
    query = {"don_vi": unit.code, **day_query(day)}
    user = request.user
    # ?tu=N (the "Xem thêm" link without a script): the first N children and the next page
    children = _child_nodes(version, day, limit=_start(request) + CHILDREN_PAGE) \
        if version else None
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
        "children": children,
        "children_html": children.html() if children else "",
        "issuers": award_issuers(unit, day, chain=chain) if version else [],
        "events": unit_timeline(unit),
        "list_url": with_query(reverse("people:list"), query),
        "is_officer": can(user, unit.path, "officer"),
        "tree_events": tree_event_links(user, unit),
        "create_url": with_query(reverse("people:create"), {"don_vi": unit.code}),
        "import_url": with_query(url_or_none("people:import") or "/nhap-danh-sach/",
                                 {"don_vi": unit.code}),
        "export_url": with_query(url_or_none("people:export") or "/xuat-danh-sach/", query),
    }
    return render(request, "org/unit.html", context)
