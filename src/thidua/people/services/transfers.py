"""Moves between units: one person, many people, and the roster side of tree events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.org.permissions import require, require_tree_change
from thidua.org.services import UnitSpec, unit_dissolve, unit_merge, unit_split
from thidua.people.figures import people_figures
from thidua.people.models import (
    Employment,
    Membership,
    MembershipEvent,
    Person,
)
from thidua.people.selectors import open_people_count, open_person_ids
from thidua.people.services.membership import _check_day_order, _switch
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date


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
    with people_figures([person.pk]):
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
    with people_figures(ids):
        return _people_transfer(ids, from_unit_ids, to_unit, date, event)


def _people_transfer(ids: list[int], from_unit_ids: list[int], to_unit: Unit, date: dt.date,
                     event: str) -> int:
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
