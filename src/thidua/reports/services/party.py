"""Party development: outstanding members the union introduces for Party admission, and their
admission. The form and the file import both save through `party_candidates_save`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date, vn_number
from thidua.reports import permissions
from thidua.reports.kept import party_figures
from thidua.reports.models import PartyCandidate
from thidua.reports.services.common import check_day, person_of_unit, subtree_people


@dataclass
class CandidateRow:
    person_id: int
    introduced_on: dt.date
    admitted_on: dt.date | None = None
    note: str = ""
    row: int = 0  # Excel row number, for messages


@dataclass
class PartySaved:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Đã lưu: thêm mới {vn_number(self.created)}, cập nhật {vn_number(self.updated)}, "
                f"không đổi {vn_number(self.unchanged)}.")


def candidate_row_problems(row: CandidateRow) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name, what, day in (("introduced_on", "Ngày giới thiệu", row.introduced_on),
                            ("admitted_on", "Ngày kết nạp", row.admitted_on)):
        if day is None and name == "admitted_on":
            continue
        try:
            check_day(day, what=what, field=name)
        except ApplicationError as exc:
            problems.append((name, exc.message))
    if row.admitted_on is not None and row.introduced_on is not None \
            and row.admitted_on < row.introduced_on:
        problems.append(("admitted_on", f"Ngày kết nạp ({vn_date(row.admitted_on)}) trước ngày "
                                        f"giới thiệu ({vn_date(row.introduced_on)})."))
    return problems


def _snapshot(c: PartyCandidate) -> dict[str, Any]:
    return {"person": c.person_id, "unit": c.unit_id, "introduced_on": c.introduced_on.isoformat(),
            "admitted_on": c.admitted_on.isoformat() if c.admitted_on else None, "note": c.note}


def _refuse(row: CandidateRow, field_name: str, message: str) -> ApplicationError:
    return ApplicationError((f"Dòng {row.row}: " if row.row else "") + message, field=field_name)


@transaction.atomic
def party_candidates_save(*, actor: Actor, unit: Unit, rows: list[CandidateRow],
                          source: str = "") -> PartySaved:
    """Record introductions (a person and the day they were introduced) and admissions in one
    transaction, all or none. A person already introduced on that day is updated (admission
    date, note), never doubled. Each person must be of the unit's subtree."""
    permissions.require_manage(actor, unit)
    for row in rows:
        problems = candidate_row_problems(row)
        if problems:
            raise _refuse(row, *problems[0])
    ids = {r.person_id for r in rows}
    known = set(subtree_people(unit).filter(pk__in=ids).values_list("pk", flat=True))
    for row in rows:
        if row.person_id not in known:
            raise _refuse(row, "person", f"Người này không có trong danh sách của «{unit.name}».")
    existing = {(c.person_id, c.introduced_on): c for c in PartyCandidate.objects.select_for_update()
                .filter(person_id__in=ids)}
    with party_figures(ids):
        return _save(actor, unit, rows, existing, source)


def _save(actor: Actor, unit: Unit, rows: list[CandidateRow],
          existing: dict[tuple[int, dt.date], PartyCandidate], source: str) -> PartySaved:
    out = PartySaved()
    for row in rows:
        note = clean_spaces(row.note)[:255]
        current = existing.get((row.person_id, row.introduced_on))
        if current is None:
            try:
                with transaction.atomic():
                    current = PartyCandidate.objects.create(
                        person_id=row.person_id, unit=unit, introduced_on=row.introduced_on,
                        admitted_on=row.admitted_on, note=note, created_by=actor)
            except IntegrityError:
                raise _refuse(row, "person", "Người này vừa được người khác ghi giới thiệu cùng "
                                             "ngày; hãy tải lại trang.") from None
            existing[(row.person_id, row.introduced_on)] = current
            out.created += 1
            audit_record(actor=actor, action="party_candidate.create",
                         object_type="reports_party_candidate", object_id=current.pk,
                         unit_id=unit.pk, after={**_snapshot(current), "source": source})
        else:
            permissions.require_manage(actor, current.unit)
            before = _snapshot(current)
            admitted = row.admitted_on if row.admitted_on is not None else current.admitted_on
            if (admitted, note or current.note) == (current.admitted_on, current.note):
                out.unchanged += 1
            else:
                current.admitted_on, current.note = admitted, note or current.note
                current.save(update_fields=["admitted_on", "note", "updated_at"])
                out.updated += 1
                audit_record(actor=actor, action="party_candidate.update",
                             object_type="reports_party_candidate", object_id=current.pk,
                             unit_id=current.unit_id, before=before,
                             after={**_snapshot(current), "source": source})
        out.ids.append(current.pk)
    return out


@transaction.atomic
def party_candidate_create(*, actor: Actor, unit: Unit, person_id: int,
                           introduced_on: dt.date | None, admitted_on: dt.date | None = None,
                           note: str = "") -> PartyCandidate:
    permissions.require_manage(actor, unit)
    person_of_unit(unit, person_id)
    if introduced_on is None:
        raise ApplicationError("Hãy nhập ngày giới thiệu.", field="introduced_on")
    if PartyCandidate.objects.filter(person_id=person_id, introduced_on=introduced_on).exists():
        raise ApplicationError(f"Người này đã được ghi giới thiệu ngày {vn_date(introduced_on)}.",
                               field="person")
    saved = party_candidates_save(actor=actor, unit=unit, rows=[CandidateRow(
        person_id=person_id, introduced_on=introduced_on, admitted_on=admitted_on, note=note)])
    return PartyCandidate.objects.get(pk=saved.ids[0])


@transaction.atomic
def party_candidate_update(*, actor: Actor, candidate: PartyCandidate,
                           admitted_on: dt.date | None, note: str = "") -> PartyCandidate:
    """Record (or correct, or clear) the admission date and the note."""
    permissions.require_manage(actor, candidate.unit)
    problems = candidate_row_problems(CandidateRow(
        person_id=candidate.person_id, introduced_on=candidate.introduced_on,
        admitted_on=admitted_on))
    if problems:
        field_name, message = problems[0]
        raise ApplicationError(message, field=field_name)
    before = _snapshot(candidate)
    candidate.admitted_on, candidate.note = admitted_on, clean_spaces(note)[:255]
    with party_figures([candidate.person_id]):
        candidate.save(update_fields=["admitted_on", "note", "updated_at"])
    audit_record(actor=actor, action="party_candidate.update",
                 object_type="reports_party_candidate", object_id=candidate.pk,
                 unit_id=candidate.unit_id, before=before, after=_snapshot(candidate))
    return candidate


@transaction.atomic
def party_candidate_delete(*, actor: Actor, candidate: PartyCandidate) -> None:
    permissions.require_manage(actor, candidate.unit)
    before = _snapshot(candidate)
    pk = candidate.pk
    with party_figures([candidate.person_id]):
        candidate.delete()
    audit_record(actor=actor, action="party_candidate.delete",
                 object_type="reports_party_candidate", object_id=pk, unit_id=before["unit"],
                 before=before)
