"""Saved statistics reports of a unit (issue 11 §4): the list and the form that saves one, a
report's table with its .xlsx, its edit form and removal; and the Ministry's form 0602 of the
unit's year as .xlsx."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.org.models import Unit
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.forms import unit_options
from thidua.platform.spreadsheets.report import XLSX_CONTENT_TYPE
from thidua.platform.web import refused, run_action
from thidua.reports import permissions, selectors
from thidua.reports.form0602 import LAYOUT_SOURCE, form0602, period
from thidua.reports.forms import StatisticsForm
from thidua.reports.models import StatisticsReport
from thidua.reports.services.statistics import (
    statistics_report_create,
    statistics_report_delete,
    statistics_report_update,
)
from thidua.reports.statistics import (
    Params,
    describe,
    form_choices,
    issuer_options,
    issuer_units,
    params_of,
    runnable_params,
    statistics_table,
)
from thidua.reports.statistics_xlsx import form0602_xlsx, statistics_xlsx
from thidua.reports.views.common import header, unit_year_or_404

# the subtree select lists the unit and two levels below it (a federation has thousands of
# grassroots unions; a deeper root is rarely what a federation's statistics ask for)
SUBTREE_DEPTH = 2


def _units(unit: Unit) -> QuerySet[Unit]:
    units: QuerySet[Unit] = Unit.objects.filter(path__startswith=unit.path,
                                                depth__lte=unit.depth + SUBTREE_DEPTH)
    return units


def _form(unit: Unit, data: Any = None, initial: dict[str, Any] | None = None
          ) -> tuple[StatisticsForm, QuerySet[Unit], QuerySet[Unit]]:
    units, issuers = _units(unit), issuer_units(unit)
    # a province's two levels below are thousands of CĐCS: typed beyond a select's size
    offer = unit_options(units.order_by("path"), units.filter(depth__lte=unit.depth + 1))
    form = StatisticsForm(data, initial=initial, units=offer, issuers=issuer_options(unit),
                          known=lambda code: issuers.filter(code=code).exists(),
                          below=lambda code: units.filter(code=code).exists(),
                          form_choices=form_choices())
    return form, units, issuers


def _params(form: StatisticsForm, units: QuerySet[Unit], issuers: QuerySet[Unit]) -> Params:
    d = form.cleaned_data
    return Params(subtree=units.get(code=d["subtree"]), year_from=d["year_from"], year_to=d["year_to"],
                  rows=d["rows"], columns=d["columns"] or "", values=tuple(d["values"]),
                  issuer_levels=tuple(d["issuer_levels"]),
                  issuer=issuers.get(code=d["issuer"]) if d["issuer"] else None,
                  forms=tuple(d["form_codes"]), family=d["family"] or "",
                  recipients=d["recipients"])


def _initial(report: StatisticsReport) -> dict[str, Any]:
    return {"name": report.name, "subtree": report.subtree.code, "year_from": report.year_from,
            "year_to": report.year_to, "family": report.family, "form_codes": report.forms,
            "issuer_levels": report.issuer_levels,
            "issuer": report.issuer.code if report.issuer else "",
            "recipients": report.recipients, "rows": report.rows, "columns": report.columns,
            "values": report.values}


def _save(request: AuthenticatedHttpRequest, form: StatisticsForm, units: QuerySet[Unit],
          issuers: QuerySet[Unit], *, unit: Unit, report: StatisticsReport | None
          ) -> StatisticsReport | HttpResponse | None:
    """The saved report, a refusal page, or None with the form's errors set."""
    if not form.is_valid():
        return None
    try:
        params = _params(form, units, issuers)
        name = form.cleaned_data["name"]
        if report is None:
            return statistics_report_create(actor=request.user, unit=unit, name=name,
                                            params=params)
        return statistics_report_update(actor=request.user, report=report, name=name,
                                        params=params)
    except NotFoundError:
        raise Http404() from None
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def statistics(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, "statistics")
    status = 200
    form, units, issuers = _form(unit, request.POST if request.method == "POST" else None,
                                 initial={"subtree": unit.code, "year_from": year,
                                          "year_to": year, "rows": "form",
                                          "values": ["collectives", "individuals", "total"]})
    if request.method == "POST":
        saved = _save(request, form, units, issuers, unit=unit, report=None)
        if isinstance(saved, HttpResponse):
            return saved
        if saved is not None:
            messages.success(request, f"Đã lưu báo cáo «{saved.name}».")
            return redirect(reverse("reports:statistics-detail", args=[saved.pk]))
        status = 400
    context.update({"reports": selectors.statistics_reports(unit), "form": form,
                    "form0602_url": reverse("reports:statistics-form0602",
                                            args=[unit.code, year]),
                    "layout_source": LAYOUT_SOURCE})
    context["period_start"], context["period_end"] = period(year)
    return render(request, "reports/statistics.html", context, status=status)


def _report_or_404(request: AuthenticatedHttpRequest, pk: int) -> StatisticsReport:
    try:
        return selectors.access_statistics_report(request.user, pk)
    except NotFoundError:
        raise Http404() from None


@login_required
@require_GET
def statistics_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    params = params_of(report)
    context = header(request.user, report.unit, report.year_to, "statistics")
    try:
        table = statistics_table(runnable_params(report))
    except ApplicationError as exc:
        # a form removed from the catalogue, or the subtree moved away, since it was saved
        table, error = None, exc.message
    else:
        error = ""
    context.update({"report": report, "table": table, "error": error,
                    "params": describe(params),
                    "list_url": reverse("reports:statistics", args=[report.unit.code,
                                                                     report.year_to])})
    return render(request, "reports/statistics_detail.html", context,
                  status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def statistics_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    unit = report.unit
    if not permissions.may_manage(request.user, unit):
        return refused(request, PermissionDeniedError(
            "Chỉ cán bộ của đơn vị sửa được báo cáo thống kê của đơn vị."))
    status = 200
    form, units, issuers = _form(unit, request.POST if request.method == "POST" else None,
                                 initial=_initial(report))
    if request.method == "POST":
        saved = _save(request, form, units, issuers, unit=unit, report=report)
        if isinstance(saved, HttpResponse):
            return saved
        if saved is not None:
            messages.success(request, f"Đã lưu báo cáo «{saved.name}».")
            return redirect(reverse("reports:statistics-detail", args=[saved.pk]))
        status = 400
    context = header(request.user, unit, report.year_to, "statistics")
    context.update({"report": report, "form": form})
    return render(request, "reports/statistics_edit.html", context, status=status)


@login_required
@require_POST
def statistics_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    back = reverse("reports:statistics", args=[report.unit.code, report.year_to])

    def act() -> str:
        name = report.name
        statistics_report_delete(actor=request.user, report=report)
        return f"Đã xóa báo cáo «{name}»."

    return run_action(request, act, success_url=back)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def statistics_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    try:
        params = runnable_params(report)
        table = statistics_table(params)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    out = io.BytesIO()
    statistics_xlsx(table, out, title=report.name, unit_name=report.unit.name,
                    params=describe(params), made_on=timezone.localdate())
    return _xlsx(out.getvalue(), f"thong-ke-{report.unit.code}-{report.pk}.xlsx")


@login_required
@require_GET
def statistics_form0602(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    unit = unit_year_or_404(request.user, code, year)
    out = io.BytesIO()
    form0602_xlsx(form0602(unit, year), out, made_on=timezone.localdate())
    return _xlsx(out.getvalue(), f"bieu-0602-{unit.code}-{year}.xlsx")
