"""A member's own commendation on a phone: their candidacies with the step each proposal has
reached, their awards, and each certificate as PDF. An officer is shown the same per unit: the
register filtered to each of their units."""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from thidua.honours import selectors, selectors_pages
from thidua.honours.views.common import form_names, officer_units
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.web import with_query

#: Built by the certificates helper: certificate_pdf(*, actor, award) -> bytes (signed PDF).
CERTIFICATES_MODULE = "thidua.honours.services.certificates"


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    person_id = selectors_pages.own_person_id(user)
    candidacies = list(selectors.proposals_naming(person_id)) if person_id else []
    awards = selectors_pages.my_awards(person_id) if person_id else []
    register = reverse("honours:register")
    units = [{"unit": u, "url": with_query(register, {"don_vi": u.code})}
             for u in officer_units(user)[:20]]
    return render(request, "honours/member.html", {
        "candidacies": candidacies, "rows": _rows(awards),
        "has_person": person_id is not None, "units": units})


def _certificate_pdf() -> Any:
    try:
        module = importlib.import_module(CERTIFICATES_MODULE)
    except ImportError:
        return None
    return getattr(module, "certificate_pdf", None)


@login_required
@require_GET
def certificate_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    award = selectors.access_award(request.user, pk)
    render_pdf = _certificate_pdf()
    if award.revoked:
        return render(request, "people/refused.html", {
            "message": "Khen thưởng này đã bị thu hồi: không in giấy khen."}, status=410)
    if render_pdf is None:
        return render(request, "people/refused.html", {
            "message": "Chưa in được giấy khen điện tử; hãy thử lại sau."}, status=503)
    data = render_pdf(actor=request.user, award=award)
    if not isinstance(data, bytes | bytearray):
        data = data.read()
    response = HttpResponse(bytes(data), content_type="application/pdf")
    code = getattr(getattr(award, "certificate", None), "code", "") or str(award.pk)
    response["Content-Disposition"] = f'attachment; filename="giay-khen-{code}.pdf"'
    return response


def _rows(awards: list[Any]) -> list[dict[str, Any]]:
    names = form_names()
    return [{"a": a, "form_name": names.get(a.form, a.form)} for a in awards]
