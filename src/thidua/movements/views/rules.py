"""The officer's part of the registration page: the unit's registration rule for the year and
the unit's kind of year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.movements import services
from thidua.movements.forms import RuleForm, YearSettingForm
from thidua.movements.views.common import form_action
from thidua.movements.views.registration import registration_context, registration_unit_year
from thidua.platform.actor import AuthenticatedHttpRequest


@login_required
@require_POST
def registration_rule_save(request: AuthenticatedHttpRequest, code: str,
                           year: int) -> HttpResponse:
    unit, year = registration_unit_year(request, code, year)
    form = RuleForm(request.POST, prefix="qd")

    def save() -> str:
        data = form.cleaned_data
        services.registration_rule_set(
            actor=request.user, issuer=unit, year=year, year_kind=data["year_kind"],
            deadline=data["deadline"], min_commitments_unit=data["min_commitments_unit"],
            min_commitments_member=data["min_commitments_member"], pledges=data["pledges"],
            note=data["note"])
        return "Đã lưu quy định đăng ký thi đua của đơn vị."

    return form_action(
        request, form, save,
        success_url=reverse("movements:registration", args=[unit.code, year]) + "#quy-dinh",
        page=lambda: render(request, "movements/registration.html",
                            registration_context(request, unit, year, rule_form=form),
                            status=400))


@login_required
@require_POST
def year_setting_save(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    unit, year = registration_unit_year(request, code, year)
    form = YearSettingForm(request.POST, prefix="nh")

    def save() -> str:
        data = form.cleaned_data
        services.year_setting_set(actor=request.user, unit=unit, kind=data["kind"],
                                  start_month=data["start_month"], start_day=data["start_day"])
        return "Đã lưu cách tính năm thi đua của đơn vị."

    return form_action(
        request, form, save,
        success_url=reverse("movements:registration", args=[unit.code, year]) + "#quy-dinh",
        page=lambda: render(request, "movements/registration.html",
                            registration_context(request, unit, year, year_form=form),
                            status=400))
