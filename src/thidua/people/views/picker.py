"""The pickers' searches: the person picker's (names, with or without diacritics, or member codes
among the people the user may see; name, unit and birth year only, never the CCCD) and the
suggestions of a typed unit field (`platform.forms.unit_field`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thidua.org.selectors import unit_suggestions
from thidua.people.models import Employment, Person
from thidua.people.selectors import people_by_name, people_search
from thidua.people.services.privacy import cccd_lookup_allowed
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.text import fold

LIMIT = 15


@login_required
@require_GET
def person_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = next((str(v) for k, v in request.GET.items() if k == "q" or k.endswith("_tim")), "")
    people: list[Person] = []
    if len(fold(q)) >= 2:
        unit = Subquery(Employment.objects.filter(person=OuterRef("pk"), valid_to__isnull=True)
                        .order_by("-valid_from").values("unit__name")[:1])
        found = people_search(Person.objects.restrict(request.user), q, user=request.user,
                              whole_cccd=cccd_lookup_allowed(actor=request.user, query=q))
        people = list(people_by_name(found, q).annotate(unit_name=unit)[:LIMIT + 1])
    return render(request, "people/_picker_results.html", {
        "people": people[:LIMIT], "more": len(people) > LIMIT, "q": q,
    })


@login_required
@require_GET
def unit_suggest(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The <option>s of a typed unit field's <datalist> for what was typed (`truong` names the
    field's parameter); none when nothing matches; 204, keeping the suggestions shown, for
    fewer than two letters."""
    q = str(request.GET.get(str(request.GET.get("truong") or "q")) or "")
    if len(q.strip()) < 2:
        return HttpResponse(status=204)
    return render(request, "people/_unit_suggestions.html",
                  {"units": unit_suggestions(request.user, q)})
