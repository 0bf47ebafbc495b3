"""The dashboard of a unit's year (issue 11 §3): its targets against their actuals, its children
as the tree stood that year (a sortable table, drill down by the child's name), charts and the
figures of registrations, titles, initiatives, awards, welfare and Party development."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.dbrouter import replica_reads
from thidua.platform.errors import ApplicationError
from thidua.reports.dashboard_page import dashboard_page
from thidua.reports.views.common import header, unit_year_or_404


@login_required
@require_GET
@replica_reads
def dashboard(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, "dashboard")
    try:
        context.update(dashboard_page(unit, year))
    except ApplicationError as exc:
        context["error"] = exc.message
        return render(request, "reports/dashboard.html", context, status=400)
    return render(request, "reports/dashboard.html", context)
