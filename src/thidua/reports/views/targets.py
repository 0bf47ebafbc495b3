"""A unit's targets for a year: those in force (its own and those inherited from the levels
above, as the tree stood that year), and the form that sets its own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.text import vn_date
from thidua.platform.web import refused, run_action
from thidua.reports import selectors, services
from thidua.reports.forms import TargetForm
from thidua.reports.models import COMPARISON_SIGN
from thidua.reports.views.common import header, unit_year_or_404


def _rows(in_force: list[selectors.TargetInForce]) -> list[dict[str, object]]:
    rows = []
    for t in in_force:
        target = t.target
        sign = "%" if t.measure is not None and t.measure.kind == "percent" else ""
        if target.comparison == "range":
            text = (f"{selectors.target_display(target.value)}–"
                    f"{selectors.target_display(target.value_max)}{sign}")
        else:
            text = (f"{COMPARISON_SIGN[target.comparison]} "
                    f"{selectors.target_display(target.value)}{sign}")
        rows.append({"t": t, "name": t.measure.name if t.measure else target.measure,
                     "text": text, "updated": vn_date(target.updated_at.date())})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    context = header(user, unit, year, "targets")
    status = 200
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.target_set(actor=user, unit=unit, year=year,
                                    measure_code=data["measure"], comparison=data["comparison"],
                                    value=data["value"], value_max=data["value_max"],
                                    note=data["note"], source=data["source"])
            except NotFoundError:
                raise Http404() from None
            except PermissionDeniedError as exc:
                return refused(request, exc)
            except ApplicationError as exc:
                form.apply_error(exc)
            else:
                messages.success(request, "Đã lưu chỉ tiêu của đơn vị.")
                return redirect(reverse("reports:targets", args=[unit.code, year]))
        status = 400
    else:
        form = TargetForm()
    context.update({"rows": _rows(selectors.targets_in_force(unit, year)), "form": form})
    return render(request, "reports/targets.html", context, status=status)


@login_required
@require_POST
def target_delete(request: AuthenticatedHttpRequest, code: str, year: int, pk: int
                  ) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    back = reverse("reports:targets", args=[unit.code, year])

    def act() -> str:
        target = selectors.access_target(user, pk)
        if target.unit_id != unit.pk or target.year != year:
            raise NotFoundError()
        services.target_delete(actor=user, target=target)
        return "Đã bỏ chỉ tiêu riêng; chỉ tiêu của cấp trên (nếu có) được áp dụng lại."

    return run_action(request, act, success_url=back)
