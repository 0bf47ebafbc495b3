"""Pages of the roster: the member list with live search, a person's page with their history and
the officers' forms on it, and adding a person. Every change goes through people.services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.org.models import Unit
from thidua.org.permissions import can
from thidua.org.selectors import (
    access_unit,
    scope_version_paths,
    tree_roots,
    tree_versions,
    version_at,
)
from thidua.people import services
from thidua.people.forms import (
    GENDER_FILTER_CHOICES,
    MEMBERSHIP_ACTIONS,
    STATUS_CHOICES,
    MembershipForm,
    PersonCreateForm,
    PersonEditForm,
    TransferForm,
)
from thidua.people.models import Employment, Membership, MembershipStatus, Person
from thidua.people.permissions import shown_cccd
from thidua.people.selectors import (
    access_person,
    people_for,
    roster,
    roster_counted,
    roster_known_total,
    roster_search_page,
    roster_workers,
    search_more_than,
)
from thidua.people.services.privacy import cccd_lookup_allowed, cccd_views_record
from thidua.people.views.officer_units import OfficerUnits, officer_units
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.dbrouter import replica_reads
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.forms import unit_choices
from thidua.platform.reads import page_reads_view
from thidua.platform.web import (
    CountedPaginator,
    day_param,
    day_query,
    page_links,
    page_or_partial,
    run_action,
    today,
    url_or_none,
    with_query,
)

PAGE_SIZE = 50
STEPLEN = Unit.steplen
STATUS_LABELS = {
    MembershipStatus.ACTIVE.value: "Đang sinh hoạt",
    MembershipStatus.SUSPENDED.value: "Tạm dừng sinh hoạt",
}
NOT_MEMBER = "Không phải đoàn viên"


# --- member list -------------------------------------------------------------------------------

def _list_unit_options(user: Actor, day: dt.date, selected: Any) -> list[tuple[str, str]]:
    """The units offered in the list's unit select: the user's top units and one level below,
    plus the unit being shown (two queries)."""
    paths = scope_version_paths(user, day)
    if not paths:
        return []
    top = min((len(p) // STEPLEN for p in paths if p), default=0) or 1
    # rows, not objects: a cấp trên offers its hundreds of children
    rows = list(tree_versions(user, day).filter(depth__lte=top + 1).order_by("path")
                .values_list("path", "unit__code", "name", "depth")[:2000])
    if selected is not None and all(path != selected.path for path, *_ in rows):
        rows = sorted([*rows, (selected.path, selected.unit.code, selected.name,
                               selected.depth)])
    return unit_choices([(code, name, depth) for _path, code, name, depth in rows])


def page_number(raw: str | None) -> int:
    """?trang= as the paginator reads it: a number, else the first page."""
    try:
        return int(raw or 1)
    except ValueError:
        return 1


@login_required
@require_GET
@replica_reads
@page_reads_view
def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    day, day_error = day_param(request)
    code = (request.GET.get("don_vi") or "").strip()
    if code:
        unit = access_unit(user, code)
        version = version_at(unit, day)
    else:
        roots = tree_roots(user, day)
        if not roots:
            own = people_for(user).values_list("pk", flat=True).first()
            if own is not None:
                return redirect("people:detail", own)
            raise Http404("Tài khoản của bạn chưa được giao quyền trên đơn vị nào.")
        version = roots[0]
        unit = version.unit
    query = (request.GET.get("q") or "").strip()[:100]
    status = request.GET.get("trang_thai") or ""
    status = status if status in dict(STATUS_CHOICES) else ""
    gender = request.GET.get("gioi_tinh") or ""
    gender = gender if gender in dict(GENDER_FILTER_CHOICES) else ""

    page = None
    more_than: int | None = None
    rows: list[dict[str, Any]] = []
    if version is not None:
        workers = roster_workers(unit_path=version.path, day=day)
        qs = roster(user=user, unit_path=version.path, day=day, query=query, status=status,
                    whole_cccd=cccd_lookup_allowed(actor=user, query=query),
                    gender=gender, workers=workers)
        # a search's page and its number from its matches' ids when it can; else a kept figure
        # when there is one (no COUNT(*) over a province), or a count
        found = roster_search_page(qs, day=day, number=page_number(request.GET.get("trang")),
                                   size=PAGE_SIZE) if query else None
        if found is not None and found.rows is not None:
            page = CountedPaginator(qs, PAGE_SIZE, count=found.matches).get_page(
                request.GET.get("trang"))
            page.object_list = found.rows
        else:
            qs, total = roster_counted(qs, roster_known_total(
                unit_path=version.path, day=day, query=query, status=status, gender=gender,
                workers=workers), query=query, capped=True,
                matches=found.matches if found is not None else None)
            more_than = search_more_than(query, total)
            paginator = CountedPaginator(qs, PAGE_SIZE, count=more_than or total)
            page = paginator.get_page(request.GET.get("trang"))
        for i, employment in enumerate(page.object_list, start=page.start_index()):
            person = employment.person
            member_status = getattr(employment, "member_status", None) or ""
            rows.append({
                "n": i,
                "person": person,
                "unit": employment.unit,
                "cccd": shown_cccd(user, person.cccd, employment.unit.path, person.user_id),
                "status": member_status,
                "status_label": STATUS_LABELS.get(member_status, NOT_MEMBER),
            })
        cccd_views_record(actor=user, where="people:list", unit_id=unit.pk, person_ids=[
            r["person"].pk for r in rows
            if r["cccd"] and "*" not in r["cccd"] and r["person"].user_id != user.pk])

    base = {"don_vi": unit.code, "q": query, "trang_thai": status, "gioi_tinh": gender,
            **day_query(day)}
    list_url = reverse("people:list")

    def page_url(n: int) -> str:
        return with_query(list_url, {**base, "trang": n if n > 1 else ""})

    pages = page_links(page, page_url)

    is_officer = can(user, unit.path, "officer")
    context = {
        "unit": unit,
        "version": version,
        "unit_name": version.name if version else unit.name,
        "day": day,
        "day_error": day_error,
        "is_today": day == today(),
        "query": query,
        "status": status,
        "gender": gender,
        "status_choices": STATUS_CHOICES,
        "gender_choices": GENDER_FILTER_CHOICES,
        "unit_options": _list_unit_options(user, day, version),
        "page": page,
        "more_than": more_than,
        "rows": rows,
        "pages": pages,
        "prev_url": page_url(page.number - 1) if page is not None and page.has_previous() else "",
        "next_url": page_url(page.number + 1) if page is not None and page.has_next() else "",
        "is_officer": is_officer,
        "unit_url": with_query(reverse("org:unit", args=[unit.code]), day_query(day)),
        "create_url": with_query(reverse("people:create"), {"don_vi": unit.code}),
        "import_url": with_query(url_or_none("people:import") or "/nhap-danh-sach/",
                                 {"don_vi": unit.code}),
        "export_url": with_query(url_or_none("people:export") or "/xuat-danh-sach/",
                                 {"don_vi": unit.code, **day_query(day)}),
    }
    return page_or_partial(request, "people/list.html", "people/_results.html", context,
                           target="ket-qua")


# --- a person's page ---------------------------------------------------------------------------

def _history(person: Person) -> tuple[list[Employment], list[Membership]]:
    employments = list(person.employments.select_related("unit").order_by("valid_from", "id"))
    memberships = list(person.memberships.select_related("unit").order_by("valid_from", "id"))
    return employments, memberships


def _detail(
    request: AuthenticatedHttpRequest, person: Person, *, bound: dict[str, Any] | None = None,
    open_panel: str = "", status: int = 200,
) -> HttpResponse:
    user = request.user
    employments, memberships = _history(person)
    current_job = next((e for e in reversed(employments) if e.valid_to is None), None)
    last_job = current_job or (employments[-1] if employments else None)
    current_membership = next((m for m in reversed(memberships) if m.valid_to is None), None)
    home_unit = last_job.unit if last_job else None
    is_officer = home_unit is not None and can(user, home_unit.path, "officer")
    bound = bound or {}
    cccd = shown_cccd(user, person.cccd, home_unit.path if home_unit else None, person.user_id)
    if cccd and "*" not in cccd and person.user_id != user.pk:
        cccd_views_record(actor=user, where="people:detail", person_ids=[person.pk],
                          unit_id=home_unit.pk if home_unit else None)
    context: dict[str, Any] = {
        "person": person,
        "cccd": cccd,
        "current_job": current_job,
        "current_membership": current_membership,
        "status_label": (STATUS_LABELS[current_membership.status] if current_membership
                         else NOT_MEMBER),
        "employments": employments,
        "memberships": memberships,
        "is_officer": is_officer,
        "is_self": person.user_id is not None and person.user_id == user.pk,
        # the download lives in the web app (it gathers every app's data)
        "my_data_url": url_or_none("my-data"),
        "open_panel": open_panel,
        "unit_url": (reverse("org:unit", args=[home_unit.code])
                     if home_unit is not None and can(user, home_unit.path, "viewer") else ""),
    }
    if is_officer:
        context["edit_form"] = bound.get("edit") or PersonEditForm(
            prefix="sua",
            initial={**{f: getattr(person, f) for f in services.PERSON_FIELDS},
                     "version": person.version},
        )
        if current_job is not None:
            context["transfer_form"] = bound.get("transfer") or _transfer_form(
                officer_units(user).without(current_job.unit.code), initial={"date": today()})
        actions = _membership_actions(current_membership, current_job)
        context["membership_forms"] = [
            (action, MEMBERSHIP_ACTIONS[action],
             bound.get(f"membership-{action}") or MembershipForm(
                 prefix=action, initial={"action": action, "date": today()}))
            for action in actions
        ]
    return render(request, "people/detail.html", context, status=status)


def _transfer_form(units: OfficerUnits, *args: Any, **kwargs: Any) -> TransferForm:
    return TransferForm(*args, prefix="chuyen", units=units.options, known=units.known, **kwargs)


def _membership_actions(current: Membership | None, job: Employment | None) -> list[str]:
    if current is None:
        return ["join"] if job is not None else []
    if current.status == MembershipStatus.SUSPENDED:
        return ["resume", "leave"]
    return ["suspend", "leave"]


@login_required
@require_GET
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_person(request.user, pk))


def _refused(request: AuthenticatedHttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return render(request, "people/refused.html", {"message": exc.message}, status=403)


def _submit(request: AuthenticatedHttpRequest, person: Person, form: Any, *, panel: str, bound: str,
            action: Callable[[], str]) -> HttpResponse:
    """Run a person form's service call through the one action runner: on success its message
    and back to the person; on a refusal the page again with the form as typed and the error
    next to it."""

    def again(exc: ApplicationError | None = None) -> HttpResponse:
        if exc is not None:
            form.apply_error(exc)
        return _detail(request, person, bound={bound: form}, open_panel=panel)

    if not form.is_valid():
        return again()
    return run_action(request, action, success_url=reverse("people:detail", args=[person.pk]),
                      on_error=again)


@login_required
@require_POST
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = access_person(user, pk)
    form = PersonEditForm(request.POST, prefix="sua")

    def save() -> str:
        services.person_update(actor=user, person=person,
                               expected_version=form.cleaned_data["version"],
                               **form.person_fields())
        return "Đã lưu thay đổi hồ sơ."

    return _submit(request, person, form, panel="sua", bound="edit", action=save)


@login_required
@require_POST
def person_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = access_person(user, pk)
    # the present unit stays a choice here: the service refuses it by name
    form = _transfer_form(officer_units(user), request.POST)

    def transfer() -> str:
        to_unit = access_unit(user, form.cleaned_data["to_unit"])
        services.person_transfer(actor=user, person=person, to_unit=to_unit,
                                 date=form.cleaned_data["date"], note=form.cleaned_data["note"])
        return f"Đã chuyển sang «{to_unit.name}»."

    return _submit(request, person, form, panel="chuyen", bound="transfer", action=transfer)


_MEMBERSHIP_DONE = {
    "join": "Đã kết nạp vào Công đoàn.",
    "suspend": "Đã ghi tạm dừng sinh hoạt.",
    "resume": "Đã ghi sinh hoạt trở lại.",
    "leave": "Đã ghi ra khỏi tổ chức Công đoàn.",
}


@login_required
@require_POST
def person_membership(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = access_person(user, pk)
    action = request.POST.get("action") or ""
    if action not in MEMBERSHIP_ACTIONS:
        # the prefix is the action; find which of the four forms was sent
        action = next((a for a in MEMBERSHIP_ACTIONS if f"{a}-action" in request.POST), "")
    if action not in MEMBERSHIP_ACTIONS:
        raise Http404()
    form = MembershipForm(request.POST, prefix=action)
    service = {
        "join": services.membership_join,
        "suspend": services.membership_suspend,
        "resume": services.membership_resume,
        "leave": services.membership_leave,
    }[action]

    def record() -> str:
        service(actor=user, person=person, date=form.cleaned_data["date"],
                note=form.cleaned_data["note"])
        return _MEMBERSHIP_DONE[action]

    return _submit(request, person, form, panel=f"membership-{action}",
                   bound=f"membership-{action}", action=record)


# --- adding a person ---------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    units = officer_units(user)
    if not units.any:
        return _refused(request, PermissionDeniedError(
            "Bạn cần quyền «Cán bộ» trên một đơn vị để thêm người lao động."))
    if request.method == "POST":
        form = PersonCreateForm(request.POST, units=units.options, known=units.known)
        try:
            if form.is_valid():
                data = form.cleaned_data
                unit = access_unit(user, data["unit"])
                person = services.person_create(
                    actor=user, unit=unit, start_date=data["start_date"],
                    is_member=data["is_member"], join_date=data["join_date"],
                    **form.person_fields(),
                )
                messages.success(request, f"Đã thêm {person.full_name} vào «{unit.name}».")
                return redirect("people:detail", person.pk)
        except NotFoundError:
            raise Http404() from None
        except PermissionDeniedError as exc:
            return _refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
    else:
        code = (request.GET.get("don_vi") or "").strip().upper()
        form = PersonCreateForm(
            units=units.options, known=units.known,
            initial={"unit": code if units.offers(code) else "", "start_date": today(),
                     "ethnicity": "Kinh"},
        )
    return render(request, "people/create.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
