"""Initiative councils: the list and the form to set one up, a council's page with its members
and scoring sheet, and the changes made there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from thidua.councils.models import Council, Level, Role
from thidua.initiatives import selectors, services
from thidua.initiatives.forms import CouncilForm, MemberForm
from thidua.initiatives.permissions import is_council_officer
from thidua.initiatives.selectors import access_council
from thidua.initiatives.views.common import officer_unit, officer_unit_options
from thidua.org.selectors import access_unit
from thidua.people.selectors import access_person
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.forms import UnitOptions
from thidua.platform.text import ascii_digits
from thidua.platform.web import refused, today
from thidua.platform.years import parse_year

CRITERIA_TEXT_LIMIT = 5000


def _council_form(user: Actor, *args: Any, units: UnitOptions, **kwargs: Any) -> CouncilForm:
    return CouncilForm(*args, units=units, known=lambda code: officer_unit(user, code) is not None,
                       **kwargs)


@login_required
@require_GET
def council_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    year = parse_year(request.GET.get("nam"))
    units = officer_unit_options(user)
    form = _council_form(user, units=units,
                         initial={"year": today().year, "level": Level.CO_SO})
    return render(request, "initiatives/councils.html", {
        "councils": selectors.council_list(user, year), "year": year,
        "form": form if units.choices else None,
    })


@login_required
@require_POST
def council_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = _council_form(user, request.POST, units=officer_unit_options(user))
    try:
        if form.is_valid():
            d = form.cleaned_data
            unit = access_unit(user, d["unit"])
            council = services.council_create(
                actor=user, unit=unit, year=d["year"], name=d["name"], level=d["level"],
                decision_no=d["decision_no"], established_on=d["established_on"])
            messages.success(request, f"Đã lập «{council.name}». Hãy thêm thành viên Hội đồng.")
            return redirect("initiatives:council", council.pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "initiatives/councils.html",
                  {"councils": selectors.council_list(user), "form": form, "open_form": True},
                  status=400)


def _council_context(request: AuthenticatedHttpRequest, council: Council,
                     **bound: Any) -> dict[str, Any]:
    officer = is_council_officer(request.user, council)
    members = selectors.council_members(council)
    reviews = selectors.council_reviews(council)
    criteria = selectors.council_criteria(council)
    context: dict[str, Any] = {
        "council": council, "members": members, "criteria": criteria,
        "rows": [{"review": r, "tally": services.tally(r, members=len(members))}
                 for r in reviews],
        "is_officer": officer,
        "max_total": sum(c.max_points for c in criteria),
        "roles": dict(Role.choices),
        "open_panel": bound.get("panel", ""),
        "member_error": bound.get("member_error", ""),
    }
    if officer:
        context["member_form"] = bound.get("member") or MemberForm(
            people=selectors.roster_options(council.unit))
        context["criteria_text"] = bound.get("criteria_text") or "\n".join(
            f"{c.name} | {c.max_points}" for c in criteria)
        context["criteria_error"] = bound.get("criteria_error", "")
        context["can_edit_criteria"] = not selectors.council_has_scores(reviews)
    return context


@login_required
@require_GET
def council_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    council = access_council(request.user, pk)
    return render(request, "initiatives/council.html", _council_context(request, council))


@login_required
@require_POST
def council_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    council = access_council(user, pk)
    form = MemberForm(request.POST, people=selectors.roster_options(council.unit))
    try:
        if form.is_valid():
            d = form.cleaned_data
            person = access_person(user, d["person"]) if d["person"] else None
            member = services.council_member_add(
                actor=user, council=council, role=d["role"], person=person,
                full_name=d["full_name"], position=d["position"])
            messages.success(request, f"Đã thêm {member.full_name} vào Hội đồng.")
            return redirect("initiatives:council", council.pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        form.apply_error(exc)
    return render(request, "initiatives/council.html",
                  _council_context(request, council, member=form, panel="thanh-vien"),
                  status=400)


@login_required
@require_POST
def council_member_remove(request: AuthenticatedHttpRequest, pk: int,
                          member_pk: int) -> HttpResponse:
    user = request.user
    council = access_council(user, pk)
    member = selectors.council_member(council, member_pk)
    if member is None:
        raise Http404()
    try:
        services.council_member_remove(actor=user, member=member)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        return render(request, "initiatives/council.html",
                      _council_context(request, council, member_error=exc.message),
                      status=400)
    messages.success(request, f"Đã rút {member.full_name} khỏi Hội đồng.")
    return redirect("initiatives:council", council.pk)


def _criteria_rows(text: str) -> tuple[list[tuple[str, int]], str]:
    """The lines «name | points» as rows, or the first bad line's message."""
    rows: list[tuple[str, int]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, _, points = line.rpartition("|")
        if not name.strip() or not ascii_digits(points.strip(), 6):
            return rows, f"Dòng {n}: ghi theo dạng «Tên tiêu chí | điểm tối đa»."
        rows.append((name.strip(), int(points.strip())))
    return rows, ""


@login_required
@require_POST
def council_criteria(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    council = access_council(user, pk)
    text = request.POST.get("criteria", "")[:CRITERIA_TEXT_LIMIT]
    rows, error = _criteria_rows(text)
    if not error:
        try:
            services.council_criteria_set(actor=user, council=council, criteria=rows)
            messages.success(request, "Đã lưu phiếu chấm điểm.")
            return redirect("initiatives:council", council.pk)
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except ApplicationError as exc:
            error = exc.message
    return render(request, "initiatives/council.html",
                  _council_context(request, council, criteria_text=text, criteria_error=error,
                                   panel="phieu-cham"), status=400)
