"""A member's own registration page: register, change or withdraw their titles and commitments
for a year, through the roster they are on that year."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thidua.movements import services
from thidua.movements.catalogue import TITLE_BY_CODE, individual_titles_for
from thidua.movements.forms import SelfRegistrationForm
from thidua.movements.selectors import current_year_of, own_registration, person_of, pledge_options
from thidua.people.models import Gender
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date
from thidua.platform.web import today, with_query
from thidua.platform.years import parse_year


@login_required
@require_http_methods(["GET", "POST"])
def self_registration(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    person = person_of(user)
    if person is None:
        return render(request, "movements/self.html", {"person": None}, status=404)
    year = (parse_year(request.GET.get("nam") or request.POST.get("nam"))
            or current_year_of(person, today()))
    own = own_registration(person, year, today())
    context: dict[str, Any] = {"person": person, "year": year, "home": own.home,
                               "prev_year": year - 1, "next_year": year + 1}
    if own.home is None:
        context["not_on_roster"] = True
        return render(request, "movements/self.html", context)
    rule, reg, closed = own.rule, own.registration, own.closed
    titles = individual_titles_for(person.gender)
    pledges = pledge_options(rule, reg)
    status = 200
    if request.method == "POST" and not closed:
        form = SelfRegistrationForm(request.POST, pledges=pledges, titles=titles)
        try:
            if form.is_valid():
                data = form.cleaned_data
                saved = services.self_registration_save(
                    actor=user, year=year, titles=data["titles"],
                    commitments=data["commitments"].splitlines(), pledges=data["pledges"])
                messages.success(request, "Đã lưu đăng ký thi đua của bạn." if saved else
                                 "Đã huỷ đăng ký thi đua của bạn.")
                return redirect(with_query(reverse("movements:self"), {"nam": year}))
        except ApplicationError as exc:
            form.apply_error(exc)
        status = 400
    else:
        form = SelfRegistrationForm(pledges=pledges, titles=titles, initial={
            "titles": [t.code for t in reg.titles.all()] if reg else [],
            "commitments": "\n".join(c.text for c in reg.commitments.all()) if reg else "",
            "pledges": [p.text for p in reg.pledges.all()] if reg else []})
        if request.method == "POST" and rule is not None:
            messages.error(request, f"Đã hết hạn đăng ký ({vn_date(rule.deadline)}); "
                                    "không sửa được nữa.")
            status = 400
    context.update({
        "form": form, "reg": reg, "rule": rule, "closed": closed,
        "year_label": own.year_label, "is_female": person.gender == Gender.FEMALE,
        "reg_titles": [TITLE_BY_CODE[t.code].name for t in reg.titles.all()
                       if t.code in TITLE_BY_CODE] if reg else [],
        "min_member": rule.min_commitments_member if rule else 0,
    })
    return render(request, "movements/self.html", context, status=status)
