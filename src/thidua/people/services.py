"""Roster actions: people, their employment in units, and union membership periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from thidua.audit.services import audit_record
from thidua.org.models import Unit, alive_at
from thidua.org.permissions import require, require_tree_change
from thidua.org.services import UnitSpec, unit_dissolve, unit_merge, unit_split
from thidua.people.cccd import cccd_problems, normalise_cccd
from thidua.people.models import (
    Counter,
    Employment,
    Gender,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
)
from thidua.people.selectors import open_people_count, open_person_ids
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, fold, vn_date

MEMBER_CODE_PREFIX = "DV"
PERSON_FIELDS = ("full_name", "birth_date", "gender", "cccd", "ethnicity", "position", "phone", "email")


def member_codes_allocate(count: int) -> list[str]:
    """Reserve `count` new member codes (DV + 10 digits), unique across the installation."""
    if count <= 0:
        return []
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(name="member_code")
        start = counter.value + 1
        counter.value += count
        counter.save(update_fields=["value"])
    return [f"{MEMBER_CODE_PREFIX}{n:010d}" for n in range(start, start + count)]


def person_snapshot(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in PERSON_FIELDS} | {"member_code": person.member_code}


def person_unit_path(person: Person) -> str:
    """Tree path of the unit the person belongs to now (or last belonged to): the unit whose
    officers may edit them."""
    employments = person.employments.select_related("unit")
    period = (
        employments.filter(valid_to__isnull=True).first()
        or employments.order_by("-valid_to").first()
        or person.memberships.select_related("unit").order_by("-valid_from").first()
    )
    # "\x00" matches no grant: nobody but an installation-wide admin may edit an orphan record
    return period.unit.path if period else "\x00"


def _clean_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "full_name" in out:
        out["full_name"] = clean_spaces(out["full_name"])
        if not out["full_name"]:
            raise ApplicationError("Họ và tên không được để trống.", field="full_name")
    if "gender" in out and out["gender"] not in Gender.values:
        raise ApplicationError("Giới tính phải là Nam hoặc Nữ.", field="gender")
    if out.get("cccd"):
        out["cccd"] = normalise_cccd(out["cccd"])
        problems = cccd_problems(
            out["cccd"], birth_date=out.get("birth_date"), gender=out.get("gender")
        )
        if problems:
            raise ApplicationError(" ".join(problems), field="cccd")
    elif "cccd" in out:
        out["cccd"] = None
    for key in ("ethnicity", "position", "phone", "email"):
        if key in out:
            out[key] = clean_spaces(out[key])
    return out


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    unit: Unit,
    full_name: str,
    gender: str,
    start_date: dt.date,
    birth_date: dt.date | None = None,
    cccd: str | None = None,
    ethnicity: str = "Kinh",
    position: str = "",
    phone: str = "",
    email: str = "",
    is_member: bool = False,
    join_date: dt.date | None = None,
) -> Person:
    """Add a worker to `unit`'s roster from `start_date`; with `is_member`, a membership too."""
    require(actor, unit.path, "officer")
    if not unit.is_alive(start_date):
        raise ApplicationError(f"Đơn vị «{unit.name}» không hoạt động vào ngày {vn_date(start_date)}.")
    fields = _clean_person_fields(
        {"full_name": full_name, "gender": gender, "birth_date": birth_date, "cccd": cccd,
         "ethnicity": ethnicity, "position": position, "phone": phone, "email": email}
    )
    if fields["cccd"] and Person.objects.filter(cccd=fields["cccd"]).exists():
        raise ApplicationError("Số CCCD này đã có trong hệ thống.", field="cccd")
    person = Person(**fields, name_folded=fold(fields["full_name"]))
    if is_member:
        person.member_code = member_codes_allocate(1)[0]
    person.save()
    Employment.objects.create(person=person, unit=unit, valid_from=start_date)
    if is_member:
        Membership.objects.create(
            person=person, unit=unit, valid_from=join_date or start_date,
            opened_by=MembershipEvent.JOIN,
        )
    audit_record(
        actor=actor, action="person.create", object_type="person", object_id=person.pk,
        unit_id=unit.pk, after=person_snapshot(person) | {"unit": unit.code, "member": is_member},
    )
    return person


@transaction.atomic
def person_link_user(*, actor: Actor, person: Person, user: Actor) -> Person:
    """Give a member their own account: it sees only their own record."""
    require(actor, person_unit_path(person), "officer")
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ApplicationError("Tài khoản này đã gắn với một người khác.")
    before = person.user_id
    Person.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    audit_record(actor=actor, action="person.link_user", object_type="person", object_id=person.pk,
                 before={"user_id": before}, after={"username": user.get_username()})
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, expected_version: int, **changes: Any) -> Person:
    """Change identity fields. `expected_version` is the version the editor saw: a concurrent save
    in between makes this one fail instead of silently overwriting it."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ApplicationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    current = Person.objects.select_for_update().get(pk=person.pk)
    require(actor, person_unit_path(current), "officer")
    merged = {f: getattr(current, f) for f in PERSON_FIELDS} | changes
    cleaned = _clean_person_fields(merged)
    if cleaned["cccd"] and Person.objects.filter(cccd=cleaned["cccd"]).exclude(pk=person.pk).exists():
        raise ApplicationError("Số CCCD này đã có trong hệ thống.", field="cccd")
    before = person_snapshot(current)
    # The version check is in the UPDATE itself, so two editors cannot both win.
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        **cleaned, name_folded=fold(cleaned["full_name"]), version=expected_version + 1
    )
    if not updated:
        raise ApplicationError(
            "Hồ sơ vừa được người khác sửa. Hãy tải lại trang để xem bản mới rồi sửa lại.",
            field="version",
        )
    current.refresh_from_db()
    audit_record(
        actor=actor, action="person.update", object_type="person", object_id=person.pk,
        before=before, after=person_snapshot(current),
    )
    return current


def _open_membership(person: Person, day: dt.date) -> Membership | None:
    return person.memberships.filter(alive_at(day)).first()


def _check_day_order(period: Employment | Membership, day: dt.date) -> None:
    if day < period.valid_from:
        raise ApplicationError(
            f"Ngày {vn_date(day)} trước ngày bắt đầu giai đoạn hiện tại ({vn_date(period.valid_from)})."
        )


@transaction.atomic
def membership_join(
    *, actor: Actor, person: Person, date: dt.date, unit: Unit | None = None, note: str = ""
) -> Membership:
    employment = person.employments.filter(alive_at(date)).select_related("unit").first()
    unit = unit or (employment.unit if employment else None)
    if unit is None:
        raise ApplicationError("Người này không thuộc đơn vị nào vào ngày kết nạp.")
    require(actor, unit.path, "officer")
    if person.memberships.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date)).exists():
        raise ApplicationError("Người này đang là đoàn viên.")
    if not person.member_code:
        person.member_code = member_codes_allocate(1)[0]
        person.save(update_fields=["member_code"])
    m = Membership.objects.create(person=person, unit=unit, valid_from=date, note=note,
                                  opened_by=MembershipEvent.JOIN)
    audit_record(actor=actor, action="membership.join", object_type="person", object_id=person.pk,
                 unit_id=unit.pk, after={"date": date, "unit": unit.code,
                                         "member_code": person.member_code})
    return m


def _switch(
    person: Person, date: dt.date, *, event: str, unit: Unit | None = None,
    status: str | None = None, close_only: bool = False, note: str = "",
) -> Membership | None:
    current = person.memberships.filter(valid_to__isnull=True).select_related("unit").first()
    if current is None or date < current.valid_from:
        raise ApplicationError(
            "Người này không có giai đoạn sinh hoạt công đoàn đang mở vào ngày đó." if current is None
            else f"Ngày {vn_date(date)} trước ngày bắt đầu giai đoạn hiện tại "
                 f"({vn_date(current.valid_from)})."
        )
    if date == current.valid_from:
        raise ApplicationError("Giai đoạn hiện tại bắt đầu đúng ngày này; hãy chọn ngày sau đó.")
    current.valid_to = date
    current.closed_by = event
    current.save(update_fields=["valid_to", "closed_by"])
    if close_only:
        return None
    return Membership.objects.create(
        person=person, unit=unit or current.unit, status=status or current.status,
        valid_from=date, opened_by=event, note=note,
    )


@transaction.atomic
def membership_suspend(*, actor: Actor, person: Person, date: dt.date, note: str = "") -> Membership:
    m = person.memberships.filter(valid_to__isnull=True).select_related("unit").first()
    if m is None:
        raise ApplicationError("Người này không phải đoàn viên.")
    require(actor, m.unit.path, "officer")
    if m.status == MembershipStatus.SUSPENDED:
        raise ApplicationError("Đoàn viên này đang tạm dừng sinh hoạt.")
    new = _switch(person, date, event=MembershipEvent.SUSPEND, status=MembershipStatus.SUSPENDED,
                  note=note)
    audit_record(actor=actor, action="membership.suspend", object_type="person",
                 object_id=person.pk, unit_id=m.unit_id, after={"date": date, "note": note})
    return new  # type: ignore[return-value]


@transaction.atomic
def membership_resume(*, actor: Actor, person: Person, date: dt.date, note: str = "") -> Membership:
    m = person.memberships.filter(valid_to__isnull=True).select_related("unit").first()
    if m is None or m.status != MembershipStatus.SUSPENDED:
        raise ApplicationError("Đoàn viên này không ở trạng thái tạm dừng sinh hoạt.")
    require(actor, m.unit.path, "officer")
    new = _switch(person, date, event=MembershipEvent.RESUME, status=MembershipStatus.ACTIVE,
                  note=note)
    audit_record(actor=actor, action="membership.resume", object_type="person",
                 object_id=person.pk, unit_id=m.unit_id, after={"date": date})
    return new  # type: ignore[return-value]


@transaction.atomic
def membership_leave(*, actor: Actor, person: Person, date: dt.date, note: str = "") -> None:
    m = person.memberships.filter(valid_to__isnull=True).select_related("unit").first()
    if m is None:
        raise ApplicationError("Người này không phải đoàn viên.")
    require(actor, m.unit.path, "officer")
    _switch(person, date, event=MembershipEvent.LEAVE, close_only=True, note=note)
    audit_record(actor=actor, action="membership.leave", object_type="person",
                 object_id=person.pk, unit_id=m.unit_id, after={"date": date, "note": note})


@transaction.atomic
def person_transfer(
    *, actor: Actor, person: Person, to_unit: Unit, date: dt.date, note: str = ""
) -> Person:
    """Move a worker (and their membership, if any) to another unit from `date`."""
    employment = person.employments.filter(valid_to__isnull=True).select_related("unit").first()
    if employment is None:
        raise ApplicationError("Người này không còn thuộc đơn vị nào.")
    require(actor, employment.unit.path, "officer")
    require(actor, to_unit.path, "officer")
    if employment.unit_id == to_unit.pk:
        raise ApplicationError(f"Người này đã thuộc «{to_unit.name}».")
    if not to_unit.is_alive(date):
        raise ApplicationError(f"Đơn vị «{to_unit.name}» không hoạt động vào ngày {vn_date(date)}.")
    _check_day_order(employment, date)
    people_transfer(person_ids=[person.pk], from_unit_ids=[employment.unit_id], to_unit=to_unit,
                    date=date, event=MembershipEvent.TRANSFER)
    audit_record(actor=actor, action="person.transfer", object_type="person", object_id=person.pk,
                 unit_id=to_unit.pk, before={"unit": employment.unit.code},
                 after={"unit": to_unit.code, "date": date, "note": note})
    return person


@transaction.atomic
def person_leave_unit(*, actor: Actor, person: Person, date: dt.date, note: str = "") -> None:
    """The worker leaves the roster (retirement, resignation); an open membership ends too."""
    employment = person.employments.filter(valid_to__isnull=True).select_related("unit").first()
    if employment is None:
        raise ApplicationError("Người này không còn thuộc đơn vị nào.")
    require(actor, employment.unit.path, "officer")
    _check_day_order(employment, date)
    if date == employment.valid_from:
        raise ApplicationError("Hãy chọn ngày sau ngày bắt đầu làm việc.")
    employment.valid_to = date
    employment.save(update_fields=["valid_to"])
    if person.memberships.filter(valid_to__isnull=True).exists():
        _switch(person, date, event=MembershipEvent.LEAVE, close_only=True, note=note)
    audit_record(actor=actor, action="person.leave_unit", object_type="person",
                 object_id=person.pk, unit_id=employment.unit_id, after={"date": date, "note": note})


def people_transfer(
    *, person_ids: Iterable[int], from_unit_ids: list[int], to_unit: Unit, date: dt.date,
    event: str = MembershipEvent.MOVE_UNIT,
) -> int:
    """Close the open periods of these people in `from_unit_ids` at `date` and reopen them in
    `to_unit`, keeping membership status. Bulk: used by merges, splits and transfers."""
    ids = list(person_ids)
    employments = list(
        Employment.objects.filter(person_id__in=ids, unit_id__in=from_unit_ids, valid_to__isnull=True)
    )
    memberships = list(
        Membership.objects.filter(person_id__in=ids, unit_id__in=from_unit_ids, valid_to__isnull=True)
    )
    new_employments: list[Employment] = []
    new_memberships: list[Membership] = []
    periods: list[Employment | Membership] = [*employments, *memberships]
    for period in periods:
        if date < period.valid_from:
            raise ApplicationError(
                f"Có giai đoạn bắt đầu ngày {vn_date(period.valid_from)}, sau ngày chuyển {vn_date(date)}."
            )
        if date == period.valid_from:
            period.unit_id = to_unit.pk  # started that very day: just point it at the new unit
            continue
        period.valid_to = date
        if isinstance(period, Membership):
            period.closed_by = event
            new_memberships.append(Membership(person_id=period.person_id, unit=to_unit,
                                              status=period.status, valid_from=date,
                                              opened_by=event))
        else:
            new_employments.append(Employment(person_id=period.person_id, unit=to_unit,
                                              valid_from=date))
    Employment.objects.bulk_update(employments, ["valid_to", "unit"])
    Membership.objects.bulk_update(memberships, ["valid_to", "unit", "closed_by"])
    Employment.objects.bulk_create(new_employments)
    Membership.objects.bulk_create(new_memberships)
    return len({p.person_id for p in periods})


def people_transfer_all(*, from_unit_ids: list[int], to_unit: Unit, date: dt.date) -> int:
    ids = set(
        Employment.objects.filter(unit_id__in=from_unit_ids, valid_to__isnull=True)
        .values_list("person_id", flat=True)
    ) | set(
        Membership.objects.filter(unit_id__in=from_unit_ids, valid_to__isnull=True)
        .values_list("person_id", flat=True)
    )
    return people_transfer(person_ids=ids, from_unit_ids=from_unit_ids, to_unit=to_unit, date=date)


# The people side of tree events: the tree change (org.services) and the roster's move happen in
# one transaction under the tree event's single audit entry.


@transaction.atomic
def unit_merge_with_roster(
    *, actor: Actor | None, sources: Sequence[Unit], date: dt.date, into: Unit | None = None,
    new_unit: UnitSpec | None = None, parent: Unit | None = None, note: str = "",
    decision: str = "",
) -> Unit:
    """Merge units (`org.services.unit_merge`) and move everyone on their rosters to the merged
    unit on `date`."""
    target = unit_merge(actor=actor, sources=sources, date=date, into=into, new_unit=new_unit,
                        parent=parent, note=note, decision=decision)
    people_transfer_all(from_unit_ids=[s.pk for s in sources], to_unit=target, date=date)
    return target


@transaction.atomic
def unit_split_with_roster(
    *, actor: Actor | None, source: Unit, date: dt.date, parts: Sequence[UnitSpec],
    people: dict[int, str], children: dict[int, str] | None = None, note: str = "",
    decision: str = "",
) -> list[Unit]:
    """Split `source` (`org.services.unit_split`); `people` maps every person on its roster at
    `date` (person id) to a part's code."""
    require_tree_change(actor, source.path)  # before the roster says anything about the unit
    codes = [p.code.strip().upper() for p in parts]
    on_roster = open_person_ids(unit_ids=[source.pk], day=date)
    missing = on_roster - set(people)
    if missing:
        raise ApplicationError(
            f"Còn {len(missing)} người của «{source.name}» chưa được phân về đơn vị mới."
        )
    unknown = {c for c in people.values() if c.strip().upper() not in codes}
    if unknown:
        raise ApplicationError(f"Mã đơn vị không thuộc các đơn vị mới: {', '.join(sorted(unknown))}.")
    new_units = unit_split(actor=actor, source=source, date=date, parts=parts, children=children,
                           note=note, decision=decision)
    by_code = dict(zip(codes, new_units, strict=True))
    by_target: dict[str, list[int]] = {}
    for person_id, code in people.items():
        if person_id in on_roster:
            by_target.setdefault(code.strip().upper(), []).append(person_id)
    for code, ids in by_target.items():
        people_transfer(person_ids=ids, from_unit_ids=[source.pk], to_unit=by_code[code], date=date)
    return new_units


@transaction.atomic
def unit_dissolve_with_roster(
    *, actor: Actor | None, unit: Unit, date: dt.date, note: str = "", decision: str = ""
) -> Unit:
    """Dissolve a unit (`org.services.unit_dissolve`) once nobody is left on its roster."""
    require_tree_change(actor, unit.path)  # before the roster says anything about the unit
    left = open_people_count(unit_ids=[unit.pk], day=date)
    if left:
        raise ApplicationError(
            f"«{unit.name}» còn {left} người lao động/đoàn viên; hãy chuyển sinh hoạt hoặc ghi nhận "
            "ra khỏi tổ chức trước khi giải thể."
        )
    return unit_dissolve(actor=actor, unit=unit, date=date, note=note, decision=decision)
