"""A member's scoring sheet: the unit fills it on a phone or a desk (figures with what the system
knows beside them, a note and an evidence file per criterion) and sends it; the head unit
checks it (correcting points with a reason) or returns it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thidua.clusters import permissions, selectors
from thidua.clusters.documents import num, render_sheet
from thidua.clusters.models import CriterionKind, SheetStatus
from thidua.clusters.prefill import EXTRA, known_values
from thidua.clusters.services import sheets
from thidua.clusters.services.setup import max_total
from thidua.clusters.views.common import docx_response, or_404
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.files import attachment_response
from thidua.platform.uploads import upload_too_big
from thidua.platform.web import attachment_too_big_page, limited_attachment_upload, run_action
from thidua.reports.measures import measure


def _source_label(code: str) -> str:
    if not code:
        return ""
    m = measure(code)
    return m.name if m is not None else EXTRA.get(code, (code, ""))[0]


@login_required
@limited_attachment_upload
@require_http_methods(["GET", "POST"])
def sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if upload_too_big(request):
        return attachment_too_big_page(request)
    m = or_404(lambda: selectors.access_membership(user, pk))
    cluster = m.cluster
    back = reverse("clusters:sheet", args=[m.pk])
    criteria = selectors.criteria_of(cluster)
    if request.method == "POST":
        post = request.POST
        action = post.get("action", "save")

        def act() -> str:
            if action in ("check", "return"):
                corrections = [sheets.Correction(c.pk, post.get(f"k{c.pk}", ""),
                                                 post.get(f"kn{c.pk}", ""))
                               for c in criteria if c.kind != CriterionKind.GROUP]
                sheets.sheet_check(actor=user, membership=m, corrections=corrections,
                                   note=post.get("check_note", ""), accept=action == "check")
                return ("Đã xác nhận bảng điểm." if action == "check"
                        else "Đã trả lại bảng điểm cho đơn vị.")
            entries = [sheets.Entry(c.pk, post.get(f"c{c.pk}", ""), post.get(f"n{c.pk}", ""))
                       for c in criteria if c.kind != CriterionKind.GROUP]
            with transaction.atomic():
                n = sheets.sheet_save(actor=user, membership=m, entries=entries)
                for c in criteria:
                    upload = request.FILES.get(f"f{c.pk}")
                    if upload is not None:
                        sheets.evidence_attach(actor=user, membership=m, criterion=c,
                                               upload=upload)
                if action == "submit":
                    sheets.sheet_submit(actor=user, membership=m)
                    return "Đã gửi bảng điểm cho cụm trưởng."
            return f"Đã lưu bảng điểm ({n} tiêu chí thay đổi)." if n else "Đã lưu bảng điểm."

        return run_action(request, act, success_url=back)
    may_fill = permissions.may_fill(user, m) and m.sheet_status in sheets.EDITABLE
    may_check = (permissions.may_run(user, cluster)
                 and m.sheet_status == SheetStatus.SUBMITTED)
    known = known_values(m.unit, cluster.year) if may_fill else {}
    scores = {s.criterion_id: s for s in m.scores.all()}
    own = selectors.targets_of(cluster)
    standing = next(s for s in selectors.ranking(cluster) if s.membership.pk == m.pk)
    lines: list[dict[str, Any]] = []
    for c in criteria:
        s = scores.get(c.pk)
        k = known.get(c.source) if c.source and may_fill else (s.known if s else None)
        value = s.value if s and s.value is not None else (k if may_fill and c.source else None)
        lines.append({
            "c": c, "s": s, "depth": getattr(c, "depth", 0),
            "value": num(value), "prefilled": bool(c.source and (s is None or s.value is None)
                                                   and k is not None),
            "known": num(k), "source": _source_label(c.source),
            "target": num(selectors.target_for(c, m.unit_id, own)),
            "points": num(s.points) if s else "", "checked": num(s.checked_points)
            if s and s.checked_points is not None else "",
            "max": num(c.max_points),
            "evidence_url": reverse("clusters:evidence", args=[s.pk]) if s and s.file else "",
        })
    return render(request, "clusters/sheet.html", {
        "m": m, "cluster": cluster, "lines": lines, "may_fill": may_fill,
        "may_check": may_check, "total": num(standing.totals.total),
        "max_total": num(max_total(criteria)), "bonus": num(standing.totals.bonus),
        "penalty": num(standing.totals.penalty), "rank": standing.rank,
        "count": len(cluster.memberships.all()), "accept": sheets.EVIDENCE.accept,
        "detail_url": reverse("clusters:detail", args=[cluster.pk]),
        "rules_source": selectors.rules_for(cluster.issuer, cluster.year).source,
    })


@login_required
def sheet_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    m = or_404(lambda: selectors.access_membership(request.user, pk))
    return docx_response(render_sheet(m), f"bang-diem-{m.unit.code}-{m.cluster.year}.docx")


@login_required
def evidence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    score = or_404(lambda: selectors.access_score(request.user, pk))
    if not score.file:
        raise Http404()
    return attachment_response(score.file, filename=score.original_name, kind=score.file_kind)

