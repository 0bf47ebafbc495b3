"""Clusters (cụm, khối thi đua), their ranking and the members' scoring sheets, mounted at
/api/clusters.

Scoping is the pages': `clusters_for` for the list, `access_cluster`/`access_membership` for
details (404 for missing and out-of-scope alike: a unit of another cluster sees nothing of this
one, a member sees the others' totals in the ranking, not their sheets); the role checks and
every refusal live in the services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Query

from thidua.clusters import permissions, selectors
from thidua.clusters.api.schemas import ClusterDetail, ClusterRow, SheetIn, SheetOut
from thidua.clusters.models import Cluster, MemberRole, Membership
from thidua.clusters.services import sheets
from thidua.clusters.services.setup import max_total
from thidua.org.selectors import access_unit
from thidua.platform.actor import Actor
from thidua.platform.api import RowId, Year, caller

router = Router(tags=["Cụm, khối thi đua"])


def _unit(m: Membership | None) -> dict[str, str] | None:
    return {"code": m.unit.code, "name": m.unit.name} if m is not None else None


def _row(c: Cluster) -> dict[str, Any]:
    members = list(c.memberships.all())
    return {
        "id": c.pk, "issuer": {"code": c.issuer.code, "name": c.issuer.name}, "year": c.year,
        "kind": c.kind, "number": c.number, "title": c.title,
        "head": _unit(next((m for m in members if m.role == MemberRole.HEAD), None)),
        "deputy": _unit(next((m for m in members if m.role == MemberRole.DEPUTY), None)),
        "members": len(members),
    }


@router.get("", response=list[ClusterRow],
            summary="Các cụm, khối thi đua bạn được xem",
            description="Cụm do đơn vị trong phạm vi của bạn lập, và cụm có đơn vị trong phạm "
            "vi của bạn là thành viên. `unit`: chỉ những cụm đơn vị này lập hoặc tham gia.")
def clusters(request: HttpRequest,
             year: Year | None = Query(None, description="Năm"),  # noqa: B008
             unit: str | None = Query(None, max_length=40, description="Mã đơn vị"),  # noqa: B008
             ) -> list[dict[str, Any]]:
    user: Actor = caller(request)
    qs = selectors.clusters_for(user).prefetch_related(selectors.MEMBERS)
    if year is not None:
        qs = qs.filter(year=year)
    if unit:
        u = access_unit(user, unit)
        qs = qs.filter(Q(issuer=u) | Q(pk__in=Membership.objects.filter(unit=u)
                                        .values("cluster_id")))
    return [_row(c) for c in qs.order_by("-year", "issuer__code", "kind", "number")[:500]]


@router.get("/{int:cluster_id}", response=ClusterDetail,
            summary="Một cụm: thành viên, cụm trưởng, cụm phó, giao ước, tiêu chí và xếp hạng")
def cluster(request: HttpRequest, cluster_id: RowId) -> dict[str, Any]:
    user: Actor = caller(request)
    c = selectors.access_cluster(user, cluster_id)
    rules = selectors.rules_for(c.issuer, c.year)
    return {
        **_row(c),
        "pledge": c.pledge_text.splitlines(), "pledge_date": c.pledge_date,
        "tie_breaks": rules.tie_break_list, "rules_source": rules.source,
        "member_list": [{"id": m.pk, "unit": _unit(m), "role": m.role, "signed_on": m.signed_on,
                         "signer_name": m.signer_name, "sheet_status": m.sheet_status,
                         "sheet_visible": permissions.may_view_sheet(user, m)}
                        for m in c.memberships.all()],
        "ranking": [{"member_id": s.membership.pk, "unit": _unit(s.membership), "rank": s.rank,
                     "total": s.totals.total, "bonus": s.totals.bonus,
                     "penalty": s.totals.penalty, "tied": s.tied, "decided_by": s.decided_by,
                     "tie_reason": s.membership.tie_reason if s.decided_by else ""}
                    for s in selectors.ranking(c)],
        "criteria": [{"id": x.pk, "parent_id": x.parent_id, "code": x.code, "name": x.name,
                      "kind": x.kind, "max_points": x.max_points, "target": x.target,
                      "unit_label": x.unit_label, "source": x.source}
                     for x in selectors.criteria_of(c)],
    }


def _sheet(user: Actor, m: Membership) -> dict[str, Any]:
    c = m.cluster
    criteria = selectors.criteria_of(c)
    scores = {s.criterion_id: s for s in m.scores.all()}
    own = selectors.targets_of(c)
    standing = next(s for s in selectors.ranking(c) if s.membership.pk == m.pk)
    lines = []
    for x in criteria:
        s = scores.get(x.pk)
        lines.append({
            "criterion_id": x.pk, "code": x.code, "name": x.name, "kind": x.kind,
            "depth": getattr(x, "depth", 0), "max_points": x.max_points,
            "target": selectors.target_for(x, m.unit_id, own),
            "value": s.value if s else None, "known": s.known if s else None,
            "points": s.points if s else None,
            "checked_points": s.checked_points if s else None,
            "note": s.note if s else "", "check_note": s.check_note if s else "",
            "evidence": s.original_name if s and s.file else ""})
    return {
        "id": m.pk, "cluster_id": c.pk, "cluster": c.title, "year": c.year, "unit": _unit(m),
        "status": m.sheet_status, "status_label": m.get_sheet_status_display(),
        "editable": permissions.may_fill(user, m) and m.sheet_status in sheets.EDITABLE,
        "total": standing.totals.total, "max_total": max_total(criteria),
        "rank": standing.rank, "lines": lines,
    }


@router.get("/sheets/{int:member_id}", response=SheetOut,
            summary="Bảng điểm của một đơn vị trong cụm",
            description="Đơn vị thấy bảng điểm của mình; cụm trưởng và đơn vị lập cụm thấy của "
            "mọi thành viên; các thành viên khác chỉ thấy tổng điểm (trong xếp hạng của cụm).")
def sheet(request: HttpRequest, member_id: RowId) -> dict[str, Any]:
    user: Actor = caller(request)
    return _sheet(user, selectors.access_membership(user, member_id))


@router.post("/sheets/{int:member_id}/values", response=SheetOut,
             summary="Đơn vị tự chấm: ghi số liệu, giải trình (và gửi cụm trưởng nếu submit)",
             description="Chỉ cán bộ của chính đơn vị, khi bảng điểm đang tự chấm hoặc bị trả "
             "lại. Một số liệu sai thì không lưu gì. Số liệu hệ thống (nếu tiêu chí có) được "
             "ghi kèm để đối chiếu.")
def sheet_fill(request: HttpRequest, member_id: RowId, payload: SheetIn) -> dict[str, Any]:
    user: Actor = caller(request)
    m = selectors.access_membership(user, member_id)
    with transaction.atomic():  # a refused submission leaves the values unsaved
        sheets.sheet_save(actor=user, membership=m, entries=[
            sheets.Entry(e.criterion_id, e.value, e.note) for e in payload.entries])
        if payload.submit:
            sheets.sheet_submit(actor=user, membership=m)
    return _sheet(user, selectors.access_membership(user, member_id))
