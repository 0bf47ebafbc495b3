"""A member's own commendation on a phone: their candidacies with the step each proposal has
reached, their awards, and each certificate as PDF. An officer is shown the same per unit: the
register filtered to each of their units."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from thidua.honours import selectors, selectors_pages
from thidua.honours.services.certificates import certificate_pdf
from thidua.honours.views.common import form_names, officer_paths
from thidua.org.selectors import live_units_in
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.web import with_query


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    person_id = selectors_pages.own_person_id(user)
    candidacies = list(selectors.proposals_naming(person_id)) if person_id else []
    awards = selectors_pages.my_awards(person_id) if person_id else []
    register = reverse("honours:register")
    units = [{"unit": u, "url": with_query(register, {"don_vi": u.code})}
             for u in live_units_in(user, officer_paths(user)).order_by("path")[:20]]
    return render(request, "honours/member.html", {
        "candidacies": candidacies, "rows": _rows(awards),
        "has_person": person_id is not None, "units": units})


@login_required
@require_GET
def certificate_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    award = selectors.access_award(request.user, pk)
    if award.revoked:
        return render(request, "people/refused.html", {
            "message": "Khen thưởng này đã bị thu hồi: không in giấy khen."}, status=410)
    try:
        data = certificate_pdf(actor=request.user, award=award)
    except ApplicationError as exc:
        return render(request, "people/refused.html", {"message": exc.message}, status=400)
    response = HttpResponse(data, content_type="application/pdf")
    code = getattr(getattr(award, "certificate", None), "code", "") or str(award.pk)
    response["Content-Disposition"] = f'attachment; filename="giay-khen-{code}.pdf"'
    return response


def _rows(awards: list[Any]) -> list[dict[str, Any]]:
    names = form_names()
    return [{"a": a, "form_name": names.get(a.form, a.form)} for a in awards]
