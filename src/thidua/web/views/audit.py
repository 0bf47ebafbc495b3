"""The audit-log browser: entries filed under the units an administrator administers (all, for a
superuser), filtered by dates, person, action and unit, with people's names."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from thidua.audit.labels import action_label
from thidua.audit.selectors import actions_in, actor_label, entries_for
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.web import page_links, with_query
from thidua.web.admin_common import (
    administered_paths,
    person_name,
    unit_by_code,
    unit_known,
    unit_options,
)
from thidua.web.forms import AuditFilterForm

PAGE_SIZE = 50

#: Vietnamese names of the actions written so far; others are shown as stored


def _summary(data: object) -> str:
    if data in (None, {}, []):
        return ""
    return json.dumps(data, ensure_ascii=False, sort_keys=True)[:300]


@login_required
@require_GET
def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    paths = administered_paths(request.user)
    actions = actions_in(paths)
    User = get_user_model()
    actor_ids = entries_for(paths).exclude(actor=None).order_by().values_list(
        "actor_id", flat=True).distinct()
    people = sorted(User.objects.filter(pk__in=actor_ids), key=person_name)
    form = AuditFilterForm(
        request.GET or None, actors=[(str(u.pk), person_name(u)) for u in people],
        actions=[(a, action_label(a)) for a in actions], units=unit_options(paths),
        known=unit_known(paths))
    filters = form.cleaned_data if form.is_valid() else {}
    unit_code = filters.get("unit") or ""
    qs = entries_for(
        paths, since=filters.get("since"), until=filters.get("until"),
        actor_id=int(filters["actor"]) if filters.get("actor") else None,
        action=filters.get("action") or "",
        unit_path=unit_by_code(paths, unit_code).path if unit_code else "")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [{"e": e, "actor": actor_label(e), "action": action_label(e.action),
             "before": _summary(e.before), "after": _summary(e.after)} for e in page.object_list]
    query = {k: v for k, v in request.GET.items() if k != "trang"}
    base = reverse("audit:list")
    return render(request, "audit/list.html", {
        "form": form, "rows": rows, "page": page,
        "page_links": page_links(page, lambda n: with_query(base, {**query, "trang": n})),
    })
