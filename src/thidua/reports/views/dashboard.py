"""The dashboard of a unit's year (issue 11 §3): its targets against their actuals, its children
as the tree stood that year (a table sorted, filtered and paged on the server, drill down by
the child's name), charts and the
figures of registrations, titles, initiatives, awards, welfare and Party development."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.dbrouter import replica_reads
from thidua.platform.errors import ApplicationError
from thidua.platform.reads import page_reads_view
from thidua.platform.spreadsheets.report import XLSX_CONTENT_TYPE
from thidua.platform.web import is_htmx, today
from thidua.reports.dashboard import children_rows
from thidua.reports.dashboard_page import CHILD_TABLE, ChildOrder, children_part, dashboard_page
from thidua.reports.dashboard_xlsx import children_xlsx
from thidua.reports.views.common import header, unit_year_or_404


@login_required
@require_GET
@replica_reads
@page_reads_view
def dashboard(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    order = ChildOrder.from_query(request.GET)
    if is_htmx(request, CHILD_TABLE):
        return render(request, "reports/_dashboard_children.html",
                      {"unit": unit, "year": year, "oob": True,
                       **children_part(unit, year, order)})
    context = header(user, unit, year, "dashboard")
    try:
        context.update(dashboard_page(unit, year, order))
    except ApplicationError as exc:
        context["error"] = exc.message
        return render(request, "reports/dashboard.html", context, status=400)
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
@replica_reads
@page_reads_view
def dashboard_children_xlsx(request: AuthenticatedHttpRequest, code: str,
                            year: int) -> HttpResponse:
    """All the children the page's filter keeps, in its order, as .xlsx."""
    unit = unit_year_or_404(request.user, code, year)
    out = io.BytesIO()
    children_xlsx(children_rows(unit, year), unit, year, ChildOrder.from_query(request.GET), out,
                  made_on=today())
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="don-vi-truc-thuoc-{unit.code}-{year}.xlsx"')
    return response
