"""The family culture title (Gia đình văn hóa) of a worker's family for a year."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces
from thidua.platform.years import check_year
from thidua.reports import permissions
from thidua.reports.kept import family_figures
from thidua.reports.models import FamilyCultureTitle
from thidua.reports.services.common import person_of_unit, subtree_people


@transaction.atomic
def family_title_set(*, actor: Actor, unit: Unit, person_id: int, year: int,
                     note: str = "") -> FamilyCultureTitle:
    """Record that the person's family is "Gia đình văn hóa" for the year."""
    permissions.require_manage(actor, unit)
    check_year(year)
    person_of_unit(unit, person_id)
    try:
        with transaction.atomic(), family_figures([person_id]):
            row = FamilyCultureTitle.objects.create(person_id=person_id, year=year, unit=unit,
                                                    note=clean_spaces(note)[:255],
                                                    created_by=actor)
    except IntegrityError:
        raise ApplicationError(f"Gia đình người này đã được ghi «Gia đình văn hóa» năm {year}.",
                               field="person") from None
    audit_record(actor=actor, action="family_title.set", object_type="reports_family_title",
                 object_id=row.pk, unit_id=unit.pk,
                 after={"person": person_id, "year": year, "note": row.note})
    return row


@transaction.atomic
def family_title_delete(*, actor: Actor, title: FamilyCultureTitle) -> None:
    permissions.require_manage(actor, title.unit)
    before = {"person": title.person_id, "year": title.year, "unit": title.unit_id}
    pk = title.pk
    with family_figures([title.person_id]):
        title.delete()
    audit_record(actor=actor, action="family_title.delete", object_type="reports_family_title",
                 object_id=pk, unit_id=before["unit"], before=before)


@dataclass
class FamilySaved:
    created: int = 0
    unchanged: int = 0


@transaction.atomic
def family_titles_save(*, actor: Actor, unit: Unit, year: int, person_ids: list[int],
                       note: str = "", source: str = "") -> FamilySaved:
    """Record the families of these people "Gia đình văn hóa" for the year in one write (the
    file import); those already recorded are left as they are. All or none."""
    permissions.require_manage(actor, unit)
    check_year(year)
    ids = list(dict.fromkeys(person_ids))
    known = set(subtree_people(unit).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - known:
        raise ApplicationError(f"Có người không thuộc danh sách của «{unit.name}».",
                               field="person")
    already = set(FamilyCultureTitle.objects.filter(year=year, person_id__in=ids)
                  .values_list("person_id", flat=True))
    new = [pid for pid in ids if pid not in already]
    try:
        with transaction.atomic(), family_figures(new):
            FamilyCultureTitle.objects.bulk_create([
                FamilyCultureTitle(person_id=pid, year=year, unit=unit,
                                   note=clean_spaces(note)[:255], created_by=actor)
                for pid in new])
    except IntegrityError:
        raise ApplicationError("Danh sách vừa được người khác ghi; hãy nhập lại tệp.",
                               field="person") from None
    audit_record(actor=actor, action="family_title.bulk", object_type="reports_family_title",
                 object_id=f"{unit.pk}/{year}", unit_id=unit.pk,
                 after={"year": year, "added": new, "source": source})
    return FamilySaved(created=len(new), unchanged=len(ids) - len(new))
