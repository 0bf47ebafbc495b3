"""The registration page of a unit and a year: the progress figures, the grid of its roster
(saved by `views.grid`), the unit's own registration, and for its officers the rule and the kind
of year (saved by `views.rules`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from thidua.movements import services
from thidua.movements.catalogue import INDIVIDUAL_TITLES, collective_titles_for, title_name
from thidua.movements.forms import RuleForm, UnitRegistrationForm, YearSettingForm
from thidua.movements.permissions import can_accept_late, can_manage
from thidua.movements.selectors import (
    calendar_for,
    first_unit_row,
    own_rule,
    own_year_setting,
    pledge_options,
    registration_roster,
    registration_years,
    registrations_by_person,
    rule_for,
    unit_registration,
)
from thidua.movements.selectors_progress import registration_progress
from thidua.movements.views.common import (
    form_action,
    managed_unit_options,
    managed_units_under,
    year_or_404,
)
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import has_any_grant
from thidua.org.selectors import access_unit
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.errors import NotFoundError
from thidua.platform.forms import UnitOptions
from thidua.platform.web import CountedPaginator, is_htmx, today, with_query
from thidua.platform.years import parse_year, year_options, year_to_open

GRID_PAGE_SIZE = 50
#: ?loc= of the grid: only those who did not register, or only those who did
GRID_FILTERS = {"chua_dang_ky": False, "da_dang_ky": True}

#: What a refused grid save shows again: each person's typed line, by person id.
Posted = dict[int, dict[str, Any]]


@login_required
@require_GET
def registration_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_any_grant(user):
        return redirect("movements:self")
    code = (request.GET.get("don_vi") or "").strip().upper()
    year = parse_year(request.GET.get("nam"))
    if code:
        try:
            unit = access_unit(user, code)
        except NotFoundError:
            # a code typed in the page's unit field: the page comes back on the default unit
            messages.error(request, f"Không có đơn vị mã «{code}» trong các đơn vị bạn xem được.")
        else:
            return redirect("movements:registration", unit.code, year or opening_year(unit))
    unit = _default_unit(user)
    return redirect("movements:registration", unit.code, year or opening_year(unit))


def _default_unit(user: Actor) -> Unit:
    """The first unit the user manages movements on, else the first one they see."""
    managed = managed_units_under(user, "").order_by("path").first()
    if managed is not None:
        return managed
    rows = first_unit_row(user)
    if not rows:
        raise Http404("Tài khoản của bạn chưa được giao quyền trên đơn vị nào.")
    return access_unit(user, rows[0][0])


def opening_year(unit: Unit) -> int:
    """The latest year with registrations on the unit's subtree, else the year in progress."""
    return year_to_open(registration_years(unit), current=calendar_for(unit).year_of(today()))


def _title_boxes(person_id: int, gender: str, checked: set[str], *, disabled: bool) -> str:
    """A grid row's title checkboxes, drawn here rather than by the template's loop: 50 rows ×
    6 titles were half the page's rendering time."""
    off = " disabled" if disabled else ""
    return mark_safe("".join(  # noqa: S308 -- every value is escaped
        f'<label class="check" title="{escape(t.name)}"><input type="checkbox" '
        f'name="t-{person_id}" value="{escape(t.code)}"'
        f'{" checked" if t.code in checked else ""}{off}> <span>{escape(t.short or t.name)}'
        '</span></label>'
        for t in INDIVIDUAL_TITLES if not t.gender or t.gender == gender))


def _grid(user: Actor, unit: Unit, version: UnitVersion, year: int, day: dt.date,
          workers: int, rule_pledges: list[str], params: Mapping[str, Any],
          errors: dict[int, list[str]] | None = None,
          posted: Posted | None = None, *, can_edit: bool = False) -> dict[str, Any]:
    """The page of the roster shown in the registration grid, with each person's registration.
    `workers`: the subtree's roster at `day`, as the progress counted it."""
    query = (params.get("q") or "").strip()[:100]
    show = params.get("loc") or ""
    registered = GRID_FILTERS.get(show)
    qs = registration_roster(user, unit_path=version.path, day=day, year=year, query=query,
                             registered=registered, workers=workers)
    paginator = (Paginator(qs, GRID_PAGE_SIZE) if query or registered is not None
                 else CountedPaginator(qs, GRID_PAGE_SIZE, count=workers))
    page = paginator.get_page(params.get("trang"))
    employments = list(page.object_list)
    regs = registrations_by_person(person_ids=[e.person_id for e in employments], year=year)
    rows = []
    for i, e in enumerate(employments, start=page.start_index()):
        p = e.person
        reg = regs.get(p.pk)
        typed = (posted or {}).get(p.pk)
        titles = typed["titles"] if typed else (set(reg.titles) if reg else set())
        commitments = typed["commitments"] if typed else (
            "\n".join(reg.commitments) if reg else "")
        pledged = typed["pledged"] if typed else bool(reg and reg.pledges)
        rows.append({
            "n": i, "person": p, "unit_name": e.unit.name,
            "is_member": bool(getattr(e, "member_status", None)),
            "registered": reg is not None,
            "late": bool(reg and reg.late),
            "titles_html": _title_boxes(p.pk, p.gender, titles, disabled=not can_edit),
            "commitments": commitments, "pledged": pledged,
            "errors": (errors or {}).get(p.pk, []),
        })
    base = {"q": query, "loc": show}
    grid_url = reverse("movements:registration", args=[unit.code, year])

    def url(n: int) -> str:
        return with_query(grid_url, {**base, "trang": n if n > 1 else ""})

    return {
        "grid_rows": rows, "grid_page": page, "grid_query": query, "grid_show": show,
        "grid_prev": url(page.number - 1) if page.has_previous() else "",
        "grid_next": url(page.number + 1) if page.has_next() else "",
        "grid_titles": INDIVIDUAL_TITLES, "rule_pledges": rule_pledges,
    }


def registration_context(request: AuthenticatedHttpRequest, unit: Unit, year: int, *,
                         grid_params: Mapping[str, Any] | None = None,
                         grid_errors: dict[int, list[str]] | None = None,
                         posted: Posted | None = None,
                         unit_form: UnitRegistrationForm | None = None,
                         rule_form: RuleForm | None = None,
                         year_form: YearSettingForm | None = None) -> dict[str, Any]:
    user = request.user
    now = today()
    progress = registration_progress(unit=unit, year=year, today=now)
    rule = progress.rule
    calendar = progress.calendar
    is_officer = can_manage(user, unit.path)
    is_leader = can_accept_late(user, unit.path)
    closed = bool(rule and rule.deadline and now > rule.deadline)
    units = managed_unit_options(user)
    context: dict[str, Any] = {
        "unit": unit, "year": year, "progress": progress, "rule": rule,
        "year_label": calendar.label(year), "calendar": calendar,
        "day": progress.day, "closed": closed, "is_officer": is_officer,
        "can_edit": is_officer and (not closed or is_leader),
        "is_leader": is_leader,
        "prev_year": year - 1, "next_year": year + 1,
        "year_options": year_options(registration_years(unit),
                                     current=calendar.year_of(now), selected=year),
        "unit_options": units if units.choices
        else UnitOptions([(unit.code, unit.name)], complete=True),
        "version": progress.version,
    }
    if progress.version is None:
        return context
    context.update(_grid(user, unit, progress.version, year, progress.day, progress.workers,
                         list(rule.pledges) if rule else [],
                         grid_params if grid_params is not None else request.GET,
                         grid_errors, posted, can_edit=context["can_edit"]))
    own = unit_registration(unit, year)
    context["own"] = own
    context["own_titles"] = [title_name(t.code) for t in own.titles.all()] if own else []
    if is_officer:
        pledges = pledge_options(rule, own)
        context["unit_form"] = unit_form or UnitRegistrationForm(
            prefix="tt", pledges=pledges, titles=collective_titles_for(unit.type),
            initial={"titles": [t.code for t in own.titles.all()] if own else [],
                     "commitments": "\n".join(c.text for c in own.commitments.all()) if own
                     else "",
                     "pledges": [p.text for p in own.pledges.all()] if own else pledges})
        issued = own_rule(unit, year, calendar.kind)
        context["own_rule"] = issued
        context["rule_form"] = rule_form or RuleForm(prefix="qd", initial={
            "year_kind": calendar.kind,
            "deadline": issued.deadline if issued else None,
            "min_commitments_unit": issued.min_commitments_unit if issued else 2,
            "min_commitments_member": issued.min_commitments_member if issued else 1,
            "pledges": "\n".join(issued.pledges) if issued else "",
            "note": issued.note if issued else ""})
        setting = own_year_setting(unit)
        context["year_form"] = year_form or YearSettingForm(prefix="nh", initial={
            "kind": setting.kind if setting else calendar.kind,
            "start_month": setting.start_month if setting else calendar.start_month,
            "start_day": setting.start_day if setting else calendar.start_day})
    return context


def registration_unit_year(request: AuthenticatedHttpRequest, code: str,
                           year: int) -> tuple[Unit, int]:
    """The unit and the year of a registration URL: 404 for an unseen unit or a year out of
    range."""
    return access_unit(request.user, code), year_or_404(year)


@login_required
@require_GET
def registration_page(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    unit, year = registration_unit_year(request, code, year)
    context = registration_context(request, unit, year)
    if is_htmx(request, "bang-dang-ky"):
        return render(request, "movements/_grid.html", context)
    return render(request, "movements/registration.html", context)


@login_required
@require_POST
def registration_unit_save(request: AuthenticatedHttpRequest, code: str,
                           year: int) -> HttpResponse:
    user = request.user
    unit, year = registration_unit_year(request, code, year)
    form = UnitRegistrationForm(
        request.POST, prefix="tt", pledges=pledge_options(rule_for(unit, year),
                                                          unit_registration(unit, year)),
        titles=collective_titles_for(unit.type))

    def save() -> str:
        data = form.cleaned_data
        services.unit_registration_save(
            actor=user, unit=unit, year=year, titles=data["titles"],
            commitments=data["commitments"].splitlines(), pledges=data["pledges"],
            late_reason=data["late_reason"])
        return "Đã lưu đăng ký thi đua của tập thể đơn vị."

    return form_action(
        request, form, save,
        success_url=reverse("movements:registration", args=[unit.code, year]) + "#tap-the",
        page=lambda: render(request, "movements/registration.html",
                            registration_context(request, unit, year, unit_form=form),
                            status=400))
