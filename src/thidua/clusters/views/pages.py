"""The issuer's clusters of a year (and the clusters a unit belongs to), a cluster's page with
its members, head, criteria and figures, the issuer's set-up actions, and the pledge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.clusters import permissions, selectors
from thidua.clusters.documents import render_pledge
from thidua.clusters.forms import CriterionEditForm, first_error
from thidua.clusters.models import (
    Cluster,
    Criterion,
    CriterionKind,
    Kind,
    MemberRole,
    Membership,
    TieBreak,
)
from thidua.clusters.prefill import source_choices
from thidua.clusters.services import setup, sheets
from thidua.clusters.views.common import docx_response, or_404, parse_day, points, post_list
from thidua.honours import catalogue
from thidua.org.models import Unit
from thidua.org.selectors import access_unit, children_at, version_at
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.web import run_action
from thidua.platform.years import check_year


def _year(year: int) -> int:
    return or_404(lambda: _checked_year(year))


def _checked_year(year: int) -> int:
    try:
        return check_year(year)
    except ApplicationError:
        raise NotFoundError() from None


@login_required
@require_http_methods(["GET", "POST"])
def cluster_list(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    """The clusters `code` set up for `year` and those it is a member of; the issuer's officers
    create clusters and set the year's rules here."""
    user = request.user
    unit = or_404(lambda: access_unit(user, code))
    year = _year(year)
    may_issue = permissions.may_issue(user, unit)
    back = reverse("clusters:list", args=[unit.code, year])
    if request.method == "POST":
        def act() -> str:
            if request.POST.get("action") == "rules":
                setup.rules_set(
                    actor=user, issuer=unit, year=year, tie_breaks=post_list(request, "tie"),
                    vote_num=_int(request.POST.get("vote_num"), 1),
                    vote_den=_int(request.POST.get("vote_den"), 2),
                    flag_form=request.POST.get("flag_form", ""),
                    flag_count=_int(request.POST.get("flag_count"), 1),
                    merit_form=request.POST.get("merit_form", ""),
                    merit_count=_int(request.POST.get("merit_count"), 1),
                    source=request.POST.get("source", ""))
                return "Đã lưu quy định cụm, khối thi đua của năm."
            cluster = setup.cluster_create(
                actor=user, issuer=unit, year=year, kind=request.POST.get("kind", Kind.CUM),
                number=_int(request.POST.get("number"), 0), name=request.POST.get("name", ""))
            return f"Đã lập {cluster.title} năm {year}."
        return run_action(request, act, success_url=back)
    issued = list(selectors.issuer_clusters(unit, year))
    member_of = (selectors.clusters_for(user).filter(year=year, memberships__unit=unit)
                 .exclude(issuer=unit).prefetch_related(selectors.MEMBERS).distinct())
    rules = selectors.rules_for(unit, year)
    day = dt.date(year, 12, 31)
    forms = catalogue.forms_for_issuer(unit.type, day)
    return render(request, "clusters/list.html", {
        "unit": unit, "year": year, "issued": [_summary(c) for c in issued],
        "member_of": [_summary(c) for c in member_of], "may_issue": may_issue,
        "rules": rules, "tie_choices": TieBreak.choices, "kinds": Kind.choices,
        "forms": forms, "next_number": max((c.number for c in issued), default=0) + 1,
        "prev_url": reverse("clusters:list", args=[unit.code, year - 1]),
        "next_url": reverse("clusters:list", args=[unit.code, year + 1]),
    })


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw or default)
    except ValueError:
        return default


def _summary(c: Cluster) -> dict[str, Any]:
    members = list(c.memberships.all())
    head = next((m for m in members if m.role == MemberRole.HEAD), None)
    deputy = next((m for m in members if m.role == MemberRole.DEPUTY), None)
    summary = selectors.ranking_summary(c)
    return {"c": c, "members": members, "head": head, "deputy": deputy,
            "url": reverse("clusters:detail", args=[c.pk]), "summary": summary,
            "leaders": [(s.membership.unit.name, points(s.totals.total))
                        for s in summary.leaders]}


def _candidates(cluster: Cluster) -> list[Unit]:
    """Units directly under the issuer at the year's end, not yet in a cluster of this kind."""
    day = dt.date(cluster.year, 12, 31)
    version = version_at(cluster.issuer, day)
    if version is None:
        return []
    taken = set(Membership.objects.filter(cluster__issuer=cluster.issuer, cluster__year=cluster.year,
                                          cluster__kind=cluster.kind).values_list("unit_id",
                                                                                  flat=True))
    return [v.unit for v in children_at(version, day) if v.unit_id not in taken]


@login_required
def cluster_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cluster = or_404(lambda: selectors.access_cluster(user, pk))
    criteria = selectors.criteria_of(cluster)
    standings = selectors.ranking(cluster)
    may_manage = permissions.may_manage(user, cluster)
    rows = []
    for s in standings:
        m = s.membership
        rows.append({"m": m, "s": s, "total": points(s.totals.total),
                     "sheet_url": reverse("clusters:sheet", args=[m.pk])
                     if permissions.may_view_sheet(user, m) else ""})
    others = (list(Cluster.objects.filter(issuer=cluster.issuer, year=cluster.year)
                   .exclude(pk=cluster.pk)) if may_manage and not criteria else [])
    own_targets = selectors.targets_of(cluster)
    target_rows = [{"c": c, "units": [(m, own_targets.get((c.pk, m.unit_id)))
                                      for m in cluster.memberships.all()]}
                   for c in criteria if c.kind == CriterionKind.TARGET] if may_manage else []
    return render(request, "clusters/detail.html", {
        "cluster": cluster, "rows": rows, "criteria": criteria,
        "max_total": points(setup.max_total(criteria)), "may_manage": may_manage,
        "may_edit_criteria": may_manage and not selectors.sheets_sent(cluster),
        "may_run": permissions.may_run(user, cluster),
        "candidates": _candidates(cluster) if may_manage else [],
        "roles": MemberRole.choices, "kinds": CriterionKind.choices,
        "sources": source_choices(), "copy_from": others, "target_rows": target_rows,
        "groups": [c for c in criteria if c.kind == CriterionKind.GROUP],
        "rules": selectors.rules_for(cluster.issuer, cluster.year),
        "list_url": reverse("clusters:list", args=[cluster.issuer.code, cluster.year]),
    })


def _membership(cluster: Cluster, raw: str | None) -> Membership:
    m = cluster.memberships.filter(pk=_int(raw, 0)).select_related("unit", "cluster").first()
    if m is None:
        raise ApplicationError("Đơn vị không có trong cụm.", field="unit")
    return m


def _criterion(cluster: Cluster, raw: str | None) -> Criterion:
    c = cluster.criteria.filter(pk=_int(raw, 0)).select_related("cluster__issuer").first()
    if c is None:
        raise ApplicationError("Tiêu chí không có trong bảng điểm của cụm.", field="criterion")
    return c


@login_required
@require_POST
def cluster_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The issuer's set-up actions on a cluster's page (one service call each)."""
    user = request.user
    cluster = or_404(lambda: selectors.access_cluster(user, pk))
    back = reverse("clusters:detail", args=[cluster.pk])
    post = request.POST

    def act() -> str:
        action = post.get("action", "")
        permissions.require_manage(user, cluster)
        if action == "member_add":
            unit = Unit.objects.filter(pk=_int(post.get("unit"), 0)).first()
            if unit is None:
                raise ApplicationError("Hãy chọn đơn vị.", field="unit")
            setup.member_add(actor=user, cluster=cluster, unit=unit,
                             role=post.get("role", MemberRole.MEMBER))
            return f"Đã thêm {unit.name} vào cụm."
        if action == "member_role":
            m = _membership(cluster, post.get("membership"))
            setup.member_role_set(actor=user, membership=m, role=post.get("role", ""))
            return f"Đã đặt vai trò của {m.unit.name}."
        if action == "member_remove":
            m = _membership(cluster, post.get("membership"))
            setup.member_remove(actor=user, membership=m)
            return f"Đã rút {m.unit.name} khỏi cụm."
        if action == "criterion_add":
            parent = (_criterion(cluster, post.get("parent")) if post.get("parent") else None)
            setup.criterion_add(actor=user, cluster=cluster, code=post.get("code", ""),
                                name=post.get("name", ""), kind=post.get("kind", ""),
                                max_points=post.get("max_points"), parent=parent,
                                target=post.get("target"), unit_label=post.get("unit_label", ""),
                                source=post.get("source", ""))
            return "Đã thêm tiêu chí."
        if action == "criterion_update":
            c = _criterion(cluster, post.get("criterion"))
            form = CriterionEditForm(post)
            if not form.is_valid():
                raise first_error(form)
            d = form.cleaned_data
            setup.criterion_update(actor=user, criterion=c, name=d["name"], kind=d["kind"],
                                   max_points=d["max_points"], target=d["target"],
                                   unit_label=d["unit_label"])
            return f"Đã sửa tiêu chí {c.code}."
        if action == "criterion_remove":
            setup.criterion_remove(actor=user, criterion=_criterion(cluster, post.get("criterion")))
            return "Đã xóa tiêu chí."
        if action == "criteria_copy":
            source = or_404(lambda: selectors.access_cluster(user, _int(post.get("source"), 0)))
            n = setup.criteria_copy(actor=user, cluster=cluster, source=source)
            return f"Đã chép {n} tiêu chí từ {source.title}."
        if action == "target_set":
            c = _criterion(cluster, post.get("criterion"))
            m = _membership(cluster, post.get("membership"))
            setup.target_set(actor=user, criterion=c, unit=m.unit, value=post.get("value"))
            return f"Đã lưu chỉ tiêu của {m.unit.name}."
        if action == "next_year":
            new, left_out = setup.cluster_next_year(actor=user, cluster=cluster)
            gone = f" Không còn trong cụm: {', '.join(left_out)}." if left_out else ""
            return (f"Đã lập {new.title} năm {new.year}; cụm trưởng, cụm phó đã luân phiên."
                    f"{gone}")
        raise ApplicationError("Thao tác không hợp lệ.", field="action")

    return run_action(request, act, success_url=back)


@login_required
@require_http_methods(["GET", "POST"])
def pledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The pledge: its commitments, who signed for each member and when; the issuer writes it,
    each member's officer signs for it."""
    user = request.user
    cluster = or_404(lambda: selectors.access_cluster(user, pk))
    back = reverse("clusters:pledge", args=[cluster.pk])
    if request.method == "POST":
        post = request.POST

        def act() -> str:
            if post.get("action") == "text":
                sheets.pledge_set(actor=user, cluster=cluster, text=post.get("text", ""),
                                  place=post.get("place", ""),
                                  signed_on=parse_day(post.get("signed_on")))
                return "Đã lưu nội dung giao ước."
            m = _membership(cluster, post.get("membership"))
            day = parse_day(post.get("signed_on"))
            if day is None:
                raise ApplicationError("Hãy ghi ngày ký theo dạng ngày/tháng/năm.",
                                       field="signed_on")
            sheets.pledge_sign(actor=user, membership=m, signer_name=post.get("signer_name", ""),
                               signer_title=post.get("signer_title", ""), signed_on=day)
            return f"{m.unit.name} đã ký giao ước."

        return run_action(request, act, success_url=back)
    members = list(cluster.memberships.all())
    signable = [m for m in members if permissions.may_fill(user, m)]
    return render(request, "clusters/pledge.html", {
        "cluster": cluster, "members": members, "signable": signable,
        "commitments": cluster.pledge_text.splitlines(),
        "may_manage": permissions.may_manage(user, cluster),
        "signed": sum(1 for m in members if m.signed_on),
        "detail_url": reverse("clusters:detail", args=[cluster.pk]),
    })


@login_required
def pledge_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cluster = or_404(lambda: selectors.access_cluster(request.user, pk))
    name = f"giao-uoc-{cluster.kind}-{cluster.number}-{cluster.year}.docx"
    return docx_response(render_pledge(cluster), name)

