"""The list of initiatives, filtered by year, level, status, unit and words (HTMX results)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from thidua.initiatives import selectors
from thidua.initiatives.models import Level, Status
from thidua.initiatives.permissions import officer_paths
from thidua.initiatives.selectors import ListFilter
from thidua.initiatives.views.common import unit_filter_options
from thidua.org.permissions import scope_paths
from thidua.org.selectors import access_unit
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.web import page_or_partial, with_query
from thidua.platform.years import parse_year

PAGE_SIZE = 30


@login_required
@require_GET
def initiative_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    year = parse_year(request.GET.get("nam"))
    level = request.GET.get("cap") or ""
    level = level if level in Level.values else ""
    status = request.GET.get("trang_thai") or ""
    status = status if status in Status.values else ""
    code = (request.GET.get("don_vi") or "").strip()
    query = (request.GET.get("q") or "").strip()[:100]
    unit = access_unit(user, code) if code else None
    qs = selectors.initiative_list(user, ListFilter(
        year=year, level=level, status=status, unit_path=unit.path if unit else "", query=query))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    base = {"nam": year or "", "cap": level, "trang_thai": status,
            "don_vi": unit.code if unit else "", "q": query}
    list_url = reverse("initiatives:list")

    def page_url(n: int) -> str:
        return with_query(list_url, {**base, "trang": n if n > 1 else ""})

    context = {
        "page": page,
        "rows": list(page.object_list),
        "year": year, "level": level, "status": status, "unit": unit, "query": query,
        "years": selectors.initiative_years(user),
        "levels": Level.choices,
        "statuses": Status.choices,
        "unit_options": unit_filter_options(user, unit),
        "prev_url": page_url(page.number - 1) if page.has_previous() else "",
        "next_url": page_url(page.number + 1) if page.has_next() else "",
        "can_create": bool(officer_paths(user)) or selectors.own_person(user) is not None,
        "has_grants": bool(scope_paths(user)),
        "counts_url": with_query(reverse("initiatives:counts"),
                                 {"don_vi": unit.code if unit else ""}),
        "councils_url": reverse("initiatives:councils"),
    }
    return page_or_partial(request, "initiatives/list.html", "initiatives/_list_results.html",
                           context, target="ket-qua")
