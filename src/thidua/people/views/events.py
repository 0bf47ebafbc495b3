"""Forms for the tree events (create, rename, move, merge, split, dissolve), each in two steps:
a preview of what moves where and what closes (read by a selector, nothing written), then the
confirmation, which calls the one service through `run_action`. A refusal keeps the form as
typed with the Vietnamese message beside it.

Who may: a leader (or higher) over the units the event touches, as the services require; the
links on the unit page are shown only to them. A unit outside the user's subtrees is a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thidua.org.models import Unit
from thidua.org.permissions import can, scope_paths
from thidua.org.selectors import (
    access_unit,
    live_children,
    merge_candidates,
    move_targets,
    parent_of,
    top_depth,
    tree_change_units,
)
from thidua.org.services import UnitSpec, unit_create, unit_move, unit_rename
from thidua.people import services
from thidua.people.forms import (
    TreeEventForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
    UnitSplitForm,
)
from thidua.people.selectors import (
    EventPreview,
    direct_roster,
    preview_create,
    preview_dissolve,
    preview_merge,
    preview_move,
    preview_rename,
    preview_split,
)
from thidua.platform.actor import Actor, AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.forms import unit_choices, unit_options
from thidua.platform.text import vn_date
from thidua.platform.web import refused, run_action, today

LEADER = "leader"


@dataclass(frozen=True)
class EventPage:
    """One event's page: its title, what it tells before the form, its form and three steps."""

    title: str
    intro: str
    form: Callable[[Any], TreeEventForm]  # bound to the POST data, or None for a blank form
    preview: Callable[[TreeEventForm], EventPreview]
    apply: Callable[[TreeEventForm], str]  # runs the service, returns the success message
    success_url: Callable[[TreeEventForm], str]
    confirm_label: str = "Xác nhận"


def _unit_url(unit: Unit | str) -> str:
    return reverse("org:unit", args=[unit.code if isinstance(unit, Unit) else unit])


def _choices(units: list[Unit]) -> list[tuple[str, str]]:
    return unit_choices([(u.code, u.name, u.depth) for u in units])


def _chosen(user: Actor, code: str) -> Unit:
    """A unit picked in a form, read again through the user's scope."""
    try:
        unit: Unit = tree_change_units(user).get(code=code)
    except Unit.DoesNotExist:
        raise NotFoundError() from None
    return unit


def _event_page(request: AuthenticatedHttpRequest, unit: Unit, page: EventPage) -> HttpResponse:
    """GET: the blank form. POST: the preview (nothing written), or with `xac_nhan` the service
    call; `sua` goes back from the preview to the form as typed."""
    post = request.POST if request.method == "POST" else None
    form = page.form(post)
    context: dict[str, Any] = {"unit": unit, "page": page, "form": form,
                               "unit_url": _unit_url(unit), "preview": None}

    def again(exc: ApplicationError | None = None) -> HttpResponse:
        if exc is not None:
            form.apply_error(exc)
        return render(request, "people/unit_event.html", context, status=400)

    if post is None or "sua" in post:
        return render(request, "people/unit_event.html", context)
    if not form.is_valid():
        return again()
    if "xac_nhan" not in post:
        context["preview"] = page.preview(form)
        return render(request, "people/unit_event.html", context)
    return run_action(request, lambda: page.apply(form), success_url=page.success_url(form),
                      on_error=again)


def _guard(request: AuthenticatedHttpRequest, code: str) -> tuple[Unit, HttpResponse | None]:
    """The unit (404 outside the user's scope) and, when the user may not change the tree
    there, the 403 page saying why."""
    unit = access_unit(request.user, code)
    if not can(request.user, unit.path, LEADER):
        return unit, refused(request, PermissionDeniedError(
            "Thay đổi cây tổ chức cần quyền «Lãnh đạo» trên đơn vị này."))
    if unit.valid_to is not None:
        return unit, refused(request, PermissionDeniedError(
            f"«{unit.name}» đã chấm dứt hoạt động từ ngày {vn_date(unit.valid_to)}."))
    return unit, None


def _initial() -> dict[str, Any]:
    return {"date": today()}


def _event_view(build: Callable[[AuthenticatedHttpRequest, Unit], EventPage]
                ) -> Callable[[AuthenticatedHttpRequest, str], HttpResponse]:
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
        unit, refusal = _guard(request, code)
        if refusal is not None:
            return refusal
        return _event_page(request, unit, build(request, unit))

    view.__name__ = build.__name__
    view.__doc__ = build.__doc__
    return view


# --- the six events ----------------------------------------------------------------------------

def _create(request: AuthenticatedHttpRequest, unit: Unit) -> EventPage:
    """A new unit directly under this one."""
    user = request.user

    def apply(form: TreeEventForm) -> str:
        d = form.cleaned_data
        new = unit_create(actor=user, code=d["code"], name=d["name"], type=d["type"],
                          short_name=d["short_name"], valid_from=d["date"], parent=unit,
                          note=d["note"], decision=d["decision"])
        return f"Đã thành lập «{new.name}» trực thuộc «{unit.name}»."

    return EventPage(
        title="Thành lập đơn vị trực thuộc",
        intro=f"Đơn vị mới trực thuộc «{unit.name}».",
        form=lambda data: UnitCreateForm(data, initial=_initial()),
        preview=lambda f: preview_create(parent=unit, code=f.cleaned_data["code"],
                                         name=f.cleaned_data["name"], type=f.cleaned_data["type"],
                                         day=f.cleaned_data["date"]),
        apply=apply,
        success_url=lambda f: _unit_url(f.cleaned_data["code"].strip().upper()),
    )


def _rename(request: AuthenticatedHttpRequest, unit: Unit) -> EventPage:
    """A new name from a date; the history keeps the old one."""
    user = request.user

    def apply(form: TreeEventForm) -> str:
        d = form.cleaned_data
        unit_rename(actor=user, unit=unit, name=d["name"], short_name=d["short_name"],
                    date=d["date"], note=d["note"], decision=d["decision"])
        return f"Đã đổi tên thành «{d['name'].strip()}»."

    return EventPage(
        title="Đổi tên đơn vị",
        intro=f"Tên hiện nay: «{unit.name}».",
        form=lambda data: UnitRenameForm(
            data, initial={**_initial(), "name": unit.name, "short_name": unit.short_name}),
        preview=lambda f: preview_rename(unit=unit, name=f.cleaned_data["name"],
                                         day=f.cleaned_data["date"]),
        apply=apply,
        success_url=lambda f: _unit_url(unit),
    )


def _move(request: AuthenticatedHttpRequest, unit: Unit) -> EventPage:
    """The unit, with everything under it, to another parent the user leads."""
    user = request.user
    parent = parent_of(unit)
    targets = move_targets(user, unit)
    near = targets.filter(depth__lte=top_depth(scope_paths(user, LEADER)) + 1)
    held = (f"bạn lãnh đạo, trừ «{unit.name}», các đơn vị trực thuộc và đơn vị cấp trên hiện nay "
            "của nó")

    def move_form(data: Any) -> TreeEventForm:
        return UnitMoveForm(data, units=unit_options(targets.order_by("path"), near),
                            known=lambda code: targets.filter(code=code).exists(), held=held,
                            initial=_initial())

    def apply(form: TreeEventForm) -> str:
        d = form.cleaned_data
        new_parent = _chosen(user, d["new_parent"])
        unit_move(actor=user, unit=unit, new_parent=new_parent, date=d["date"], note=d["note"],
                  decision=d["decision"])
        return f"Đã chuyển «{unit.name}» về trực thuộc «{new_parent.name}»."

    return EventPage(
        title="Chuyển đơn vị cấp trên",
        intro=(f"«{unit.name}» đang trực thuộc «{parent.name}». " if parent else "")
        + "Đơn vị chuyển đi cùng các đơn vị trực thuộc và người lao động của mình.",
        form=move_form,
        preview=lambda f: preview_move(unit=unit, new_parent=_chosen(user, f.cleaned_data["new_parent"]),
                                       day=f.cleaned_data["date"]),
        apply=apply,
        success_url=lambda f: _unit_url(unit),
    )


def _merge(request: AuthenticatedHttpRequest, unit: Unit) -> EventPage:
    """Sibling units merged into this one, or this one and them into a new unit."""
    user = request.user
    candidates = merge_candidates(user, unit)

    def sources(form: TreeEventForm) -> list[Unit]:
        chosen = [_chosen(user, code) for code in form.cleaned_data["sources"]]
        return chosen if form.cleaned_data["mode"] == "into" else [unit, *chosen]

    def new_spec(form: TreeEventForm) -> tuple[str, str, str]:
        d = form.cleaned_data
        return d["new_code"].strip().upper(), d["new_name"].strip(), d["new_type"]

    def preview(form: TreeEventForm) -> EventPreview:
        if form.cleaned_data["mode"] == "into":
            return preview_merge(sources=sources(form), into=unit, day=form.cleaned_data["date"])
        return preview_merge(sources=sources(form), new_unit=new_spec(form), parent=parent_of(unit),
                             day=form.cleaned_data["date"])

    def apply(form: TreeEventForm) -> str:
        d = form.cleaned_data
        common: dict[str, Any] = {"actor": user, "sources": sources(form), "date": d["date"],
                                  "note": d["note"], "decision": d["decision"]}
        if d["mode"] == "into":
            target = services.unit_merge_with_roster(into=unit, **common)
            return f"Đã sáp nhập {len(common['sources'])} đơn vị vào «{target.name}»."
        code, name, type_ = new_spec(form)
        target = services.unit_merge_with_roster(new_unit=UnitSpec(code, name, type_),
                                                 parent=parent_of(unit), **common)
        return f"Đã hợp nhất thành «{target.name}»."

    return EventPage(
        title="Sáp nhập, hợp nhất đơn vị",
        intro=f"Chọn các đơn vị cùng cấp với «{unit.name}» để sáp nhập vào đơn vị này, hoặc hợp "
              "nhất tất cả thành một đơn vị mới. Đơn vị trực thuộc và người lao động của các đơn "
              "vị bị sáp nhập chuyển sang đơn vị nhận.",
        form=lambda data: UnitMergeForm(data, units=_choices(candidates), initial=_initial()),
        preview=preview,
        apply=apply,
        success_url=lambda f: _unit_url(unit if f.cleaned_data["mode"] == "into"
                                        else new_spec(f)[0]),
        confirm_label="Xác nhận sáp nhập",
    )


def _split(request: AuthenticatedHttpRequest, unit: Unit) -> EventPage:
    """This unit into two new ones: its sub-units (by tổ CĐ) and its own people shared out."""
    user = request.user
    kids = live_children(unit)
    people = direct_roster(unit)
    parent = parent_of(unit)

    def parts(form: TreeEventForm) -> list[tuple[str, str, str]]:
        d = form.cleaned_data
        return [(d[f"{n}_code"].strip().upper(), d[f"{n}_name"].strip(), d[f"{n}_type"])
                for n in ("first", "second")]

    def shares(form: TreeEventForm) -> tuple[dict[int, int], dict[int, int]]:
        second_units = {int(c) for c in form.cleaned_data["children_second"]}
        second_people = {int(p) for p in form.cleaned_data["people_second"]}
        return ({k.pk: int(k.pk in second_units) for k in kids},
                {p.pk: int(p.pk in second_people) for p in people})

    def apply(form: TreeEventForm) -> str:
        d = form.cleaned_data
        specs = [UnitSpec(code, name, type_) for code, name, type_ in parts(form)]
        children, roster = shares(form)
        new = services.unit_split_with_roster(
            actor=user, source=unit, date=d["date"], parts=specs,
            children={pk: specs[i].code for pk, i in children.items()},
            people={pk: specs[i].code for pk, i in roster.items()},
            note=d["note"], decision=d["decision"])
        return f"Đã chia tách «{unit.name}» thành «{new[0].name}» và «{new[1].name}»."

    def preview(form: TreeEventForm) -> EventPreview:
        children, roster = shares(form)
        return preview_split(source=unit, day=form.cleaned_data["date"], parts=parts(form),
                             children=children, people=roster)

    def form(data: Any) -> TreeEventForm:
        return UnitSplitForm(
            data, initial={**_initial(), "first_type": unit.type, "second_type": unit.type},
            children=[(str(k.pk), k.name) for k in kids],
            people=[(str(p.pk), p.full_name + (f" ({p.birth_date.year})" if p.birth_date else ""))
                    for p in people],
        )

    return EventPage(
        title="Chia tách đơn vị",
        intro=f"«{unit.name}» chấm dứt hoạt động; hai đơn vị mới trực thuộc "
              f"«{parent.name if parent else '—'}» nhận các đơn vị trực thuộc và người lao động "
              "của đơn vị.",
        form=form,
        preview=preview,
        apply=apply,
        success_url=lambda f: _unit_url(parent) if parent is not None else reverse("org:tree"),
        confirm_label="Xác nhận chia tách",
    )


def _dissolve(request: AuthenticatedHttpRequest, unit: Unit) -> EventPage:
    """The unit ends; it must have no live sub-unit and nobody left on its roster."""
    user = request.user
    parent = parent_of(unit)

    def apply(form: TreeEventForm) -> str:
        d = form.cleaned_data
        services.unit_dissolve_with_roster(actor=user, unit=unit, date=d["date"], note=d["note"],
                                           decision=d["decision"])
        return f"Đã ghi giải thể «{unit.name}» từ ngày {vn_date(d['date'])}."

    return EventPage(
        title="Giải thể đơn vị",
        intro="Chỉ giải thể được khi đơn vị không còn đơn vị trực thuộc đang hoạt động và không "
              "còn người lao động, đoàn viên.",
        form=lambda data: UnitDissolveForm(data, initial=_initial()),
        preview=lambda f: preview_dissolve(unit=unit, day=f.cleaned_data["date"]),
        apply=apply,
        success_url=lambda f: _unit_url(parent if parent is not None else unit),
        confirm_label="Xác nhận giải thể",
    )


unit_create_page = _event_view(_create)
unit_rename_page = _event_view(_rename)
unit_move_page = _event_view(_move)
unit_merge_page = _event_view(_merge)
unit_split_page = _event_view(_split)
unit_dissolve_page = _event_view(_dissolve)


def tree_event_links(user: Actor, unit: Unit) -> list[tuple[str, str]]:
    """(label, url) of the tree events the user may start from the unit's page: none for a
    member, a viewer or an officer; a leader over the unit gets those the services would allow."""
    if unit.valid_to is not None or not can(user, unit.path, LEADER):
        return []
    parent = parent_of(unit)
    over_parent = parent is not None and can(user, parent.path, LEADER)
    links = [
        ("Thành lập đơn vị trực thuộc", "people:unit-create", True),
        ("Đổi tên", "people:unit-rename", True),
        ("Chuyển đơn vị cấp trên", "people:unit-move", parent is not None),
        ("Sáp nhập, hợp nhất", "people:unit-merge", over_parent),
        ("Chia tách", "people:unit-split", over_parent),
        ("Giải thể", "people:unit-dissolve", True),
    ]
    return [(label, reverse(name, args=[unit.code])) for label, name, shown in links if shown]
