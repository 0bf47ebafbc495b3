"""People and members: the roster of a subtree at a date, search, detail with history, create,
update with optimistic locking; and the status of an import job.

Scoping is the UI's: `roster`/`people_for` for lists, `access_unit`/`access_person` for details
(404 for missing and out-of-scope alike); the role checks live in the services."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query  # typed; `ninja.Query` is an Annotated alias for mypy
from ninja.responses import Status

from thidua.accounts.models import Role
from thidua.org.api.tree import DATE_HELP, day_or_today
from thidua.org.models import Unit, alive_at
from thidua.org.permissions import can
from thidua.org.selectors import access_unit, version_at
from thidua.people.api.schemas import (
    GenderCode,
    ImportJobOut,
    PersonCreateIn,
    PersonDetail,
    PersonPatchIn,
    PersonRow,
    StatusFilter,
)
from thidua.people.models import (
    Employment,
    Gender,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
)
from thidua.people.permissions import shown_cccd
from thidua.people.selectors import (
    access_import_job,
    access_person,
    people_by_name,
    people_for,
    people_search,
    roster,
    roster_counted,
    roster_known_total,
    roster_workers,
)
from thidua.people.services import person_create, person_update
from thidua.people.services.privacy import cccd_lookup_allowed, cccd_views_record
from thidua.platform.actor import Actor
from thidua.platform.api import Pages, RowId, RowPage, caller
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.text import vn_date

router = Router(tags=["Người lao động, đoàn viên"])
imports_router = Router(tags=["Nhập danh sách"])

PAGE_SIZE = 50
MAX_IMPORT_ERRORS = 200


def _label(choices: Any, value: str) -> str:
    return choices(value).label if value in choices.values else ""


def _row(user: Actor, person: Person, unit: Unit | None, status: str | None,
         cccd_unit: Unit | None) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "gender": person.gender,
        "gender_label": _label(Gender, person.gender),
        "birth_date": person.birth_date,
        "cccd": shown_cccd(user, person.cccd, cccd_unit.path if cccd_unit else None,
                           person.user_id),
        "member_code": person.member_code,
        "position": person.position,
        "unit": unit.code if unit else None,
        "unit_name": unit.name if unit else None,
        "member_status": status,
    }


def _record_full_cccd(user: Actor, people: list[Person], rows: list[dict[str, Any]],
                      unit: Unit | None = None) -> None:
    """One audit entry per answer that carried whole CCCD numbers of other people."""
    cccd_views_record(actor=user, where="api:people", unit_id=unit.pk if unit else None, person_ids=[
        p.pk for p, r in zip(people, rows, strict=True)
        if r["cccd"] and "*" not in r["cccd"] and p.user_id != user.pk])


def _unit_roster(user: Actor, unit: Unit, day: dt.date, q: str, status: str, gender: str) -> RowPage:
    version = version_at(unit, day)
    if version is None:
        raise ApplicationError(
            f"Đơn vị «{unit.code}» không hoạt động vào ngày {vn_date(day)}.", field="date"
        )
    workers = roster_workers(unit_path=version.path, day=day)
    qs = roster(user=user, unit_path=version.path, day=day, query=q, status=status, gender=gender,
                whole_cccd=cccd_lookup_allowed(actor=user, query=q), workers=workers)

    def rows(employments: list[Employment]) -> list[dict[str, Any]]:
        out = [_row(user, e.person, e.unit, e.member_status, e.unit)  # type: ignore[attr-defined]
               for e in employments]
        _record_full_cccd(user, [e.person for e in employments], out, unit)
        return out

    qs, total = roster_counted(qs, roster_known_total(
        unit_path=version.path, day=day, query=q, status=status, gender=gender, workers=workers),
        query=q)
    return RowPage(qs, rows, known_count=total)


def _visible_people(user: Actor, day: dt.date, q: str, status: str, gender: str) -> RowPage:
    """Everyone the user may see (former workers of their units and their own record included),
    with the unit and membership status at `day`."""
    qs = people_search(people_for(user), q, user=user,
                       whole_cccd=cccd_lookup_allowed(actor=user, query=q))
    if gender:
        qs = qs.filter(gender=gender)
    member_then = Membership.objects.filter(alive_at(day), person=OuterRef("pk"))
    if status == "member":
        qs = qs.filter(Exists(member_then))
    elif status == "non_member":
        qs = qs.filter(~Exists(member_then))
    elif status:
        qs = qs.filter(Exists(member_then.filter(status=status)))
    qs = people_by_name(qs, q).prefetch_related(
        Prefetch(
            "employments",
            queryset=Employment.objects.select_related("unit").order_by("-valid_from", "-id"),
        ),
        Prefetch("memberships", queryset=Membership.objects.filter(alive_at(day)),
                 to_attr="memberships_then"),
    )

    def rows(people: list[Person]) -> list[dict[str, Any]]:
        out = []
        for p in people:
            periods = list(p.employments.all())
            then = next((e.unit for e in periods if e.valid_from <= day
                         and (e.valid_to is None or e.valid_to > day)), None)
            latest = periods[0].unit if periods else None
            then_periods = p.memberships_then  # type: ignore[attr-defined]
            status_then = then_periods[0].status if then_periods else None
            out.append(_row(user, p, then, status_then, then or latest))
        _record_full_cccd(user, people, out)
        return out

    return RowPage(qs, rows)


@router.get(
    "",
    response=list[PersonRow],
    summary="Danh sách người lao động, đoàn viên (tìm kiếm, lọc, phân trang)",
    description="Với `unit`: những người thuộc cây trực thuộc của đơn vị tại ngày `date` "
    "(mặc định hôm nay). Không có `unit`: mọi người trong phạm vi bạn được xem. `q` tìm theo họ "
    "tên (không phân biệt dấu, hoa thường), mã đoàn viên hoặc số CCCD. 50 người mỗi trang.",
)
@paginate(Pages, page_size=PAGE_SIZE)
def people_list(
    request: HttpRequest,
    unit: str | None = Query(None, description="Mã đơn vị"),  # noqa: B008
    date: dt.date | None = Query(None, description=DATE_HELP),  # noqa: B008
    q: str = Query("", description="Từ khoá: họ tên, mã đoàn viên, CCCD"),  # noqa: B008
    status: StatusFilter | None = Query(None, description="Lọc theo đoàn viên"),  # noqa: B008
    gender: GenderCode | None = Query(None, description="nam / nu"),  # noqa: B008
) -> RowPage:
    user = caller(request)
    day = day_or_today(date)
    if unit:
        return _unit_roster(user, access_unit(user, unit), day, q, status or "", gender or "")
    return _visible_people(user, day, q, status or "", gender or "")


def _detail(user: Actor, person: Person) -> dict[str, Any]:
    today = day_or_today(None)
    employments = list(person.employments.select_related("unit").order_by("valid_from", "id"))
    memberships = list(person.memberships.select_related("unit").order_by("valid_from", "id"))
    current = next((e for e in employments if e.valid_to is None), None)
    cccd_unit = current.unit if current else (employments[-1].unit if employments else None)
    member_now = next((m for m in memberships if m.valid_from <= today
                       and (m.valid_to is None or m.valid_to > today)), None)
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "gender": person.gender,
        "gender_label": _label(Gender, person.gender),
        "birth_date": person.birth_date,
        "cccd": shown_cccd(user, person.cccd, cccd_unit.path if cccd_unit else None,
                           person.user_id),
        "ethnicity": person.ethnicity,
        "position": person.position,
        "phone": person.phone,
        "email": person.email,
        "member_code": person.member_code,
        "union_joined_on": person.union_joined_on,
        "unit": current.unit.code if current else None,
        "member_status": member_now.status if member_now else None,
        "version": person.version,
        "employments": [
            {"unit": e.unit.code, "unit_name": e.unit.name, "valid_from": e.valid_from,
             "valid_to": e.valid_to}
            for e in employments
        ],
        "memberships": [
            {
                "unit": m.unit.code,
                "unit_name": m.unit.name,
                "status": m.status,
                "status_label": _label(MembershipStatus, m.status),
                "opened_by": m.opened_by,
                "opened_by_label": _label(MembershipEvent, m.opened_by),
                "closed_by": m.closed_by,
                "closed_by_label": _label(MembershipEvent, m.closed_by),
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
                "note": m.note,
            }
            for m in memberships
        ],
    }


@router.get("/{int:person_id}", response=PersonDetail,
            summary="Hồ sơ một người, kèm quá trình công tác và sinh hoạt công đoàn")
def person_detail(request: HttpRequest, person_id: RowId) -> dict[str, Any]:
    user = caller(request)
    person = access_person(user, person_id)
    out = _detail(user, person)
    _record_full_cccd(user, [person], [out])
    return out


@router.post("", response={201: PersonDetail}, summary="Thêm người lao động (và đoàn viên)")
def person_new(request: HttpRequest, payload: PersonCreateIn) -> Status[dict[str, Any]]:
    user = caller(request)
    unit = access_unit(user, payload.unit)
    data = payload.model_dump(exclude={"unit", "start_date"})
    person = person_create(actor=user, unit=unit, start_date=day_or_today(payload.start_date),
                           **data)
    return Status(201, _detail(user, person))


def _person_units(person: Person) -> Sequence[Unit]:
    """Units whose officers may edit the person: the current unit, else the last one."""
    periods = list(person.employments.select_related("unit").order_by("-valid_from", "-id"))
    current = [e.unit for e in periods if e.valid_to is None]
    return current or [e.unit for e in periods[:1]]


@router.patch(
    "/{int:person_id}",
    response=PersonDetail,
    summary="Sửa thông tin nhân thân",
    description="Gửi kèm `version` đọc được lần cuối. Nếu hồ sơ đã bị người khác sửa trong lúc "
    "đó, trả về 409 và không ghi gì.",
)
def person_edit(request: HttpRequest, person_id: RowId, payload: PersonPatchIn) -> dict[str, Any]:
    user = caller(request)
    person = access_person(user, person_id)
    # person_update has no role check of its own: a visible record is not an editable one.
    if not any(can(user, u.path, Role.OFFICER) for u in _person_units(person)):
        raise PermissionDeniedError(
            f"Bạn cần quyền «{Role.OFFICER.label}» trên đơn vị này để thực hiện thao tác."
        )
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    person = person_update(actor=user, person=person, expected_version=version, **changes)
    return _detail(user, person)


@imports_router.get("/{int:job_id}", response=ImportJobOut,
                    summary="Tiến độ và kết quả một lần nhập danh sách")
def import_status(request: HttpRequest, job_id: RowId) -> dict[str, Any]:
    job = access_import_job(caller(request), job_id)
    errors = job.errors if isinstance(job.errors, list) else []
    return {
        "id": job.pk,
        "unit": job.unit.code,
        "file_name": job.file_name,
        "status": job.status,
        "status_label": job.get_status_display(),
        "total": job.total,
        "processed": job.processed,
        "percent": job.percent,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "error_count": len(errors),
        "errors": errors[:MAX_IMPORT_ERRORS],
        "message": job.message,
        "dry_run": job.dry_run,
        "valid_only": job.valid_only,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
