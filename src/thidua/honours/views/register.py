"""The awards register (sổ khen thưởng) with the filters of `RegisterFilter`, paginated and as
.xlsx; the deadlines a receiving level sets; the «Khen thưởng» sections that the person's and
the unit's pages load over HTMX (people and org sit below honours and cannot import it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from thidua.honours import selectors, selectors_pages, services
from thidua.honours.forms import DeadlineForm
from thidua.honours.selectors import RegisterFilter
from thidua.honours.views.common import (
    form_names,
    is_officer_of,
    officer_paths,
    officer_unit_options,
    wants_xlsx,
    xlsx_response,
)
from thidua.org.models import Unit, UnitType
from thidua.org.permissions import scope_paths
from thidua.org.selectors import access_unit
from thidua.people.selectors import access_person
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.forms import UnitOptions
from thidua.platform.web import (
    is_htmx,
    page_links,
    page_or_partial,
    refused,
    today,
    with_query,
)
from thidua.platform.years import parse_year

PAGE_SIZE = 50
KINDS = (("ca_nhan", "Cá nhân", "person"), ("tap_the", "Tập thể", "unit"))
REVOKED = (("khong", "Còn hiệu lực", False), ("co", "Đã thu hồi", True))


def register_filter(request: HttpRequest, under: Unit | None) -> RegisterFilter:
    g = request.GET
    kind = {k: v for k, _, v in KINDS}.get(g.get("doi_tuong") or "", "")
    revoked = {k: v for k, _, v in REVOKED}.get(g.get("thu_hoi") or "")
    level = g.get("cap") or ""
    return RegisterFilter(issuer=(g.get("co_quan") or "").strip().upper()[:40],
                          form=(g.get("hinh_thuc") or "").strip()[:40],
                          level=level if level in UnitType.values else "",
                          year=parse_year(g.get("nam")), under=under.code if under else "",
                          recipient_kind=kind, revoked=revoked)


def _query(request: HttpRequest, under: Unit | None) -> dict[str, Any]:
    keys = ("co_quan", "hinh_thuc", "cap", "nam", "doi_tuong", "thu_hoi")
    return {**{k: request.GET.get(k) or "" for k in keys}, "don_vi": under.code if under else ""}


AWARD_COLUMNS = [("STT", 6, "number"), ("Họ tên, tập thể", 30, "text"),
                 ("Cá nhân/Tập thể", 10, "text"), ("Chức vụ, đơn vị công tác", 30, "text"),
                 ("Đơn vị", 30, "text"), ("Hình thức", 30, "text"), ("Năm", 7, "number"),
                 ("Số quyết định", 18, "text"), ("Ngày quyết định", 12, "date"),
                 ("Cơ quan ban hành", 30, "text"), ("Số sổ vàng", 9, "number"),
                 ("Tiền thưởng (đồng)", 14, "money"), ("Đã thu hồi", 10, "text")]


def award_rows(qs: Any, names: dict[str, str]) -> Any:
    for n, a in enumerate(qs.iterator(chunk_size=2000), 1):
        yield [n, a.recipient_name, "Cá nhân" if a.person_id else "Tập thể", a.position,
               a.home_unit.name, names.get(a.form, a.form), a.year, a.decision.number,
               a.decision.date, a.decision.external_issuer or a.issuer.name, a.golden_book_no,
               a.cash_amount, "Đã thu hồi" if a.revoked else ""]


def _with_chosen(options: UnitOptions, under: Unit | None) -> UnitOptions:
    """The filter's options with the unit chosen among them (a viewer's unit, outside the
    units where they are an officer, is added first so that the select shows it)."""
    if under is None or not options.complete or any(c == under.code for c, _ in options.choices):
        return options
    return UnitOptions([(under.code, under.name), *options.choices], complete=True)


@login_required
@require_GET
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    code = (request.GET.get("don_vi") or "").strip().upper()  # typed when the scope is wide
    under = access_unit(user, code) if code else None
    f = register_filter(request, under)
    qs = selectors.awards_register(user, f)
    names = form_names()
    if wants_xlsx(request):
        return xlsx_response(
            filename="so-khen-thuong.xlsx", title="SỔ KHEN THƯỞNG",
            subtitle=(under.name if under else "Các đơn vị trong phạm vi")
            + (f" — năm {f.year}" if f.year else ""),
            columns=AWARD_COLUMNS, rows=award_rows(qs[:50000], names))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    base = _query(request, under)
    list_url = reverse("honours:register")

    def page_url(n: int) -> str:
        return with_query(list_url, {**base, "trang": n if n > 1 else ""})

    context = {
        "rows": [{"a": a, "form_name": names.get(a.form, a.form)} for a in page.object_list],
        "page": page, "links": page_links(page, page_url), "f": f, "q": base, "under": under,
        "forms": sorted(names.items(), key=lambda kv: kv[1]),
        "levels": [(v, label) for v, label in UnitType.choices
                   if v not in ("to_cd", "cd_bo_phan")],
        "kinds": [(k, label) for k, label, _ in KINDS],
        "revoked_choices": [(k, label) for k, label, _ in REVOKED],
        "unit_options": _with_chosen(officer_unit_options(user), under),
        "xlsx_url": with_query(list_url, {**base, "xuat": "xlsx"}),
    }
    return page_or_partial(request, "honours/register.html", "honours/_register_results.html",
                           context, target="ket-qua")


@login_required
@require_http_methods(["GET", "POST"])
def deadlines(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The receiving level's last days for proposals, per year and kind."""
    user = request.user
    paths = officer_paths(user)
    if not paths:
        raise NotFoundError("Không tìm thấy trang.")
    data = request.POST if request.method == "POST" else None
    form = DeadlineForm(data, units=officer_unit_options(user), known=is_officer_of(user),
                        initial={"year": today().year, "kind": "nam"})
    if data is not None:
        try:
            if form.is_valid():
                d = form.cleaned_data
                row = services.deadline_set(actor=user, recipient=access_unit(user, d["recipient"]),
                                            year=d["year"], kind=d["kind"],
                                            last_day=d["last_day"], note=d["note"])
                messages.success(request, f"Đã ghi hạn nộp hồ sơ của {row.recipient.name}.")
                return redirect("honours:deadlines")
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
    return render(request, "honours/proposal_deadlines.html", {
        "form": form, "rows": selectors_pages.deadlines_set_by(paths), "today": today()},
        status=400 if data is not None else 200)


@login_required
@require_GET
def person_awards(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The «Khen thưởng» section of a person's page."""
    person = access_person(request.user, pk)
    awards = list(selectors.awards_of_person(person.pk))
    return _section(request, {"rows": _rows(awards), "heading": "Khen thưởng",
                              "more_url": None, "back": reverse("people:detail", args=[pk])})


@login_required
@require_GET
def unit_awards(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The «Khen thưởng» section of a unit's page: the unit's own (collective) awards, and a
    link to the register of its subtree."""
    unit = access_unit(request.user, code)
    awards = list(selectors.awards_of_unit(unit)[:50])
    return _section(request, {
        "rows": _rows(awards), "heading": "Khen thưởng của tập thể",
        "more_url": with_query(reverse("honours:register"), {"don_vi": unit.code}),
        "back": reverse("org:unit", args=[unit.code])})


def _section(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The section alone for the page that loads it over HTMX; a page of its own otherwise."""
    template = ("honours/register_section.html" if is_htmx(request)
                else "honours/register_section_page.html")
    # a member without grants does not open decisions (they are the units' records)
    context["link_decisions"] = bool(scope_paths(request.user))
    return render(request, template, context)


def _rows(awards: list[Any]) -> list[dict[str, Any]]:
    names = form_names()
    return [{"a": a, "form_name": names.get(a.form, a.form)} for a in awards]
