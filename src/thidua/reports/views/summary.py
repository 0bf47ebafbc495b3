"""The year-end report of a unit's subtree on the web (issue 11 §4): the prose and the figures,
with the .docx, .md and .json the command line writes (one code path, `reports.summary`).
`?tu_nam=` makes it cover several years, as `--since` does."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.dbrouter import replica_reads
from thidua.platform.errors import ApplicationError
from thidua.platform.reads import page_reads_view
from thidua.reports import summary as service
from thidua.reports.views.common import header, unit_year_or_404


def _since(request: HttpRequest) -> str | None:
    return request.GET.get("tu_nam", "").strip() or None


@login_required
@require_GET
@replica_reads
@page_reads_view
def summary(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, "summary")
    since = _since(request)
    try:
        figures = service.summary_figures(unit, year, since)
    except ApplicationError as exc:
        context.update({"error": exc.message, "since": since or ""})
        return render(request, "reports/summary.html", context, status=400)
    query = f"?tu_nam={figures['since']}" if len(figures["years"]) > 1 else ""
    context.update({
        "since": figures["since"] if query else "",
        **service.summary_page(figures),
        "downloads": [(fmt, reverse("reports:summary-download", args=[unit.code, year, fmt])
                       + query) for fmt in service.FORMATS],
    })
    return render(request, "reports/summary.html", context)


@login_required
@require_GET
@page_reads_view
def summary_download(request: AuthenticatedHttpRequest, code: str, year: int, fmt: str
                     ) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    if fmt not in service.FORMATS:
        raise Http404()
    try:
        figures = service.summary_figures(unit, year, _since(request), fmt=fmt)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    report = service.summary_file(unit, figures, fmt)
    response = HttpResponse(report.content, content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
