"""Facts entered on a person's evaluation page: a discipline (kỷ luật) and a recognised initiative,
one at a time or, for initiatives, a unit's list at once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.evaluation import permissions
from thidua.evaluation.models import (
    Discipline,
    DisciplineForm,
    InitiativeLevel,
    PendingKind,
    PendingMatter,
    RecognizedInitiative,
    year_end,
)
from thidua.evaluation.selectors import (
    roster_units,
)
from thidua.evaluation.services.common import (
    by,
    check_eval_year,
)
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date


@transaction.atomic
def discipline_record(*, actor: Actor, person: Person, form: str, valid_from: dt.date,
                      valid_to: dt.date | None = None, decision: str = "",
                      note: str = "") -> Discipline:
    permissions.require_person_entry(actor, person)
    if form not in DisciplineForm.values:
        raise ApplicationError("Hình thức kỷ luật không có trong danh mục.", field="form")
    if valid_to is not None and valid_to <= valid_from:
        raise ApplicationError("Ngày kết thúc phải sau ngày bắt đầu.", field="valid_to")
    record = Discipline.objects.create(
        person=person, form=form, valid_from=valid_from, valid_to=valid_to,
        decision=clean_spaces(decision)[:80], note=clean_spaces(note)[:255],
        created_by=by(actor))
    audit_record(actor=actor, action="discipline.create", object_type="person",
                 object_id=person.pk, after={"form": form, "from": valid_from, "to": valid_to,
                                             "decision": record.decision})
    return record


@transaction.atomic
def pending_record(*, actor: Actor, person: Person, kind: str, valid_from: dt.date,
                   valid_to: dt.date | None = None, note: str = "") -> PendingMatter:
    """A discipline review, inspection or complaint under way (NĐ 152/2025 Điều 4 khoản 4):
    while it is open (no end day) the person's review is held."""
    permissions.require_person_entry(actor, person)
    if kind not in PendingKind.values:
        raise ApplicationError("Loại việc không có trong danh mục.", field="kind")
    if valid_to is not None and valid_to < valid_from:
        raise ApplicationError("Ngày kết thúc phải từ ngày bắt đầu trở đi.", field="valid_to")
    record = PendingMatter.objects.create(person=person, kind=kind, valid_from=valid_from,
                                          valid_to=valid_to, note=clean_spaces(note)[:255],
                                          created_by=by(actor))
    audit_record(actor=actor, action="pending_matter.create", object_type="person",
                 object_id=person.pk, after={"kind": kind, "from": valid_from, "to": valid_to})
    return record


@transaction.atomic
def pending_close(*, actor: Actor, person: Person, matter_id: int, valid_to: dt.date
                  ) -> PendingMatter:
    """The matter has ended on `valid_to`: from then on it no longer holds the review."""
    permissions.require_person_entry(actor, person)
    matter = PendingMatter.objects.select_for_update().filter(person=person, pk=matter_id).first()
    if matter is None:
        raise ApplicationError("Không tìm thấy việc này.", field="matter")
    if valid_to < matter.valid_from:
        raise ApplicationError("Ngày kết thúc phải từ ngày bắt đầu trở đi.", field="valid_to")
    before = matter.valid_to
    matter.valid_to = valid_to
    matter.save(update_fields=["valid_to"])
    audit_record(actor=actor, action="pending_matter.close", object_type="person",
                 object_id=person.pk, before={"to": before}, after={"to": valid_to})
    return matter


@transaction.atomic
def initiative_record(*, actor: Actor, person: Person, year: int, level: str, name: str,
                      decision: str = "") -> RecognizedInitiative:
    """A recognised initiative as a fact (stand-in until the initiatives module exists)."""
    permissions.require_person_entry(actor, person)
    check_eval_year(year)
    if level not in InitiativeLevel.values:
        raise ApplicationError("Cấp công nhận không có trong danh mục.", field="level")
    name = clean_spaces(name)
    if not name:
        raise ApplicationError("Hãy ghi tên sáng kiến.", field="name")
    record = RecognizedInitiative.objects.create(
        person=person, year=year, level=level, name=name[:255],
        decision=clean_spaces(decision)[:120],
        created_by=by(actor))
    audit_record(actor=actor, action="initiative.record", object_type="person",
                 object_id=person.pk, after={"year": year, "level": level, "name": record.name,
                                             "decision": record.decision})
    return record


@transaction.atomic
def initiatives_import(*, actor: Actor, unit: Unit, year: int,
                       rows: list[tuple[int, str, str, str]]) -> int:
    """Recognised initiatives (person id, level, name, decision) of people on the unit's roster
    on 31/12 of `year`, in one go. Returns how many were recorded."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    homes = roster_units(unit, year)
    records = []
    for pid, level, name, decision in rows:
        if pid not in homes:
            raise ApplicationError(f"Có người không thuộc danh sách của «{unit.name}» ngày "
                                   f"{vn_date(year_end(year))}.", field="person")
        if level not in InitiativeLevel.values:
            raise ApplicationError("Cấp công nhận không có trong danh mục.", field="level")
        name = clean_spaces(name)
        if not name:
            raise ApplicationError("Hãy ghi tên sáng kiến.", field="name")
        records.append(RecognizedInitiative(
            person_id=pid, year=year, level=level, name=name[:255],
            decision=clean_spaces(decision)[:120],
            created_by=by(actor)))
    RecognizedInitiative.objects.bulk_create(records, batch_size=1000)
    audit_record(actor=actor, action="initiative.import", object_type="unit",
                 object_id=unit.code, unit_id=unit.pk,
                 after={"year": year, "count": len(records),
                        "people": sorted({r.person_id for r in records})})
    return len(records)
