"""The counts page: applications and recognitions of a subtree by level, year and direct child
unit, over a span of years (at most 31)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from thidua.initiatives.models import Level, Status
from thidua.initiatives.selectors import initiative_counts, initiative_years_in, top_unit
from thidua.initiatives.views.common import unit_filter_options
from thidua.org.permissions import scope_paths
from thidua.org.selectors import access_unit
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.text import vn_count
from thidua.platform.web import today
from thidua.platform.years import parse_year, year_options, year_to_open

MAX_SPAN = 30


@login_required
@require_GET
def counts(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    code = (request.GET.get("don_vi") or "").strip()
    if code:
        unit = access_unit(user, code)
    else:
        if not scope_paths(user):
            raise Http404("Tài khoản của bạn chưa được giao quyền trên đơn vị nào.")
        found = top_unit(user)
        if found is None:
            raise Http404()
        unit = found
    this_year = today().year
    with_data = initiative_years_in(unit)
    # opens on the latest year with initiatives and the one before, not on an empty year
    end = parse_year(request.GET.get("den_nam")) or year_to_open(with_data, current=this_year)
    start = parse_year(request.GET.get("tu_nam")) or end - 1
    start, end = min(start, end), max(start, end)
    if end - start > MAX_SPAN:
        start = end - MAX_SPAN
    years = list(range(start, end + 1))
    figures = initiative_counts(unit=unit, years=years)
    levels = [(lvl, label, figures.by_level.get(lvl, 0)) for lvl, label in Level.choices]
    year_rows = [{"year": y, **figures.by_year.get(y, {}),
                  "levels": [(label, figures.by_year_level.get(y, {}).get(lvl, 0))
                             for lvl, label in Level.choices]} for y in years]
    child_rows = [{"unit": c.unit, "applications": c.applications, "recognized": c.recognized,
                   "levels": [(label, c.by_level.get(lvl, 0)) for lvl, label in Level.choices]}
                  for c in figures.children]
    return render(request, "initiatives/counts.html", {
        "unit": unit, "figures": figures, "start": start, "end": end, "years": years,
        "levels": levels, "level_choices": Level.choices, "year_rows": year_rows,
        "child_rows": child_rows,
        "phrase": {"recognized": vn_count(figures.recognized),
                   "levels": [f"{label.lower()}: {vn_count(n)}" for _, label, n in levels if n],
                   "used": vn_count(figures.used_for_commendation)},
        "unit_options": unit_filter_options(user, unit)[1:],
        "status_rows": [(label, figures.by_status.get(s, 0)) for s, label in Status.choices],
        "list_url": reverse("initiatives:list"),
        "period": f"{start}–{end}" if start != end else str(start),
        "year_options": sorted({*year_options(with_data, current=this_year), start, end},
                               reverse=True),
    })
