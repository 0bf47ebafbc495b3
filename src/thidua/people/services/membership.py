"""Union membership periods: join, suspend, resume, leave (see `people.services`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from thidua.audit.services import audit_record
from thidua.org.models import Unit, alive_at
from thidua.org.permissions import require
from thidua.people.figures import people_figures
from thidua.people.models import (
    Employment,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
)
from thidua.people.services.persons import member_codes_allocate
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date


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
    if person.union_joined_on is None:
        person.union_joined_on = date
        person.save(update_fields=["union_joined_on"])
    with people_figures([person.pk]):
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
    with people_figures([person.pk]):
        return _switch_periods(person, date, event=event, unit=unit, status=status,
                               close_only=close_only, note=note)


def _switch_periods(
    person: Person, date: dt.date, *, event: str, unit: Unit | None, status: str | None,
    close_only: bool, note: str,
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
