"""Ratings and working-time facts of the people on a unit's roster at year end (the grid, the
API and the file import all save through `ratings_save`): all rows or none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.evaluation import permissions
from thidua.evaluation.models import (
    Rating,
    RatingCode,
    year_end,
)
from thidua.evaluation.selectors import (
    lock_covering,
    lock_paths,
    roster_units,
)
from thidua.evaluation.services.common import (
    by,
    check_eval_year,
    ensure_open,
    locked_message,
)
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date, vn_number

MAX_DAYS = 366


@dataclass
class RatingRow:
    """One line of the grid or of an imported file."""

    person_id: int
    code: str = ""
    absence_days: int = 0
    maternity_days: int = 0
    service_months: int | None = None
    note: str = ""
    family_ok: bool | None = None  # "đảm việc nhà" (GVNĐVN); None: not stated, kept as it was
    row: int = 0  # Excel row number, for messages


@dataclass
class RatingsResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Đã lưu: thêm mới {vn_number(self.created)}, cập nhật {vn_number(self.updated)}, "
                f"không đổi {vn_number(self.unchanged)}.")


RATING_FIELDS = ("code", "absence_days", "maternity_days", "service_months", "note", "family_ok")


def rating_row_problems(row: RatingRow) -> list[tuple[str, str]]:
    """(field, message) for every value a rating row may not hold."""
    problems = []
    if row.code and row.code not in RatingCode.values:
        problems.append(("code", "Xếp loại phải là HTXSNV, HTTNV, HTNV hoặc KHTNV."))
    for name, label in (("absence_days", "Số ngày nghỉ"), ("maternity_days",
                                                          "Số ngày nghỉ thai sản")):
        value = getattr(row, name)
        if value is None or value < 0 or value > MAX_DAYS:
            problems.append((name, f"{label} phải từ 0 đến {MAX_DAYS}."))
    if (row.absence_days or 0) + (row.maternity_days or 0) > MAX_DAYS:
        problems.append(("maternity_days", "Tổng số ngày nghỉ và nghỉ thai sản vượt quá số ngày "
                                           "trong năm."))
    if row.service_months is not None and not 0 <= row.service_months <= 12:
        problems.append(("service_months", "Số tháng công tác phải từ 0 đến 12."))
    if len(row.note) > 255:
        problems.append(("note", "Ghi chú tối đa 255 ký tự."))
    return problems


def rating_snapshot(rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {f: getattr(rating, f) for f in RATING_FIELDS}


@transaction.atomic
def ratings_save(*, actor: Actor, unit: Unit, year: int, rows: list[RatingRow],
                 source: str = "grid") -> RatingsResult:
    """Save ratings and working-time facts for people on the unit's roster on 31/12 of `year`.
    All or nothing: a person off the roster, a bad value or a locked year refuses every row."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    homes = roster_units(unit, year)
    locks = lock_paths(year)
    unit_paths = dict(Unit.objects.filter(pk__in=set(homes.values())).values_list("pk", "path"))
    seen: set[int] = set()
    for row in rows:
        if row.person_id in seen:
            raise ApplicationError(f"Một người được ghi hai lần (dòng {row.row})."
                                   if row.row else "Một người được ghi hai lần.")
        seen.add(row.person_id)
        if row.person_id not in homes:
            name = Person.objects.filter(pk=row.person_id).values_list("full_name", flat=True).first()
            raise ApplicationError(
                f"{name or 'Người này'} không có trong danh sách của «{unit.name}» ngày "
                f"{vn_date(year_end(year))}; không ghi xếp loại được.", field="person")
        lock = lock_covering(unit_paths[homes[row.person_id]], locks)
        if lock is not None:
            raise ApplicationError(locked_message(lock), field="year")
        problems = rating_row_problems(row)
        if problems:
            f, message = problems[0]
            raise ApplicationError(message, field=f)
    existing = {r.person_id: r for r in Rating.objects.select_for_update().filter(
        year=year, person_id__in=[r.person_id for r in rows])}
    result = RatingsResult()
    new: list[Rating] = []
    changed: list[Rating] = []
    for row in rows:
        values = {"code": row.code, "absence_days": row.absence_days,
                  "maternity_days": row.maternity_days, "service_months": row.service_months,
                  "note": clean_spaces(row.note), "family_ok": row.family_ok}
        current = existing.get(row.person_id)
        if row.family_ok is None and current is not None:
            values["family_ok"] = current.family_ok
        if current is None:
            new.append(Rating(person_id=row.person_id, year=year, unit_id=homes[row.person_id],
                              updated_by=by(actor), **values))
            result.changes.append({"person": row.person_id, "before": None, "after": values})
            continue
        before = rating_snapshot(current)
        if before == values and current.unit_id == homes[row.person_id]:
            result.unchanged += 1
            continue
        for k, v in values.items():
            setattr(current, k, v)
        current.unit_id = homes[row.person_id]
        current.updated_by = by(actor)
        current.updated_at = timezone.now()
        changed.append(current)
        result.changes.append({"person": row.person_id, "before": before, "after": values})
    Rating.objects.bulk_create(new, batch_size=1000)
    if changed:
        Rating.objects.bulk_update(changed, [*RATING_FIELDS, "unit", "updated_by", "updated_at"],
                                   batch_size=500)
    result.created, result.updated = len(new), len(changed)
    if new or changed:
        audit_record(actor=actor, action="rating.save", object_type="unit", object_id=unit.code,
                     unit_id=unit.pk, after={"year": year, "source": source,
                                             "created": result.created,
                                             "updated": result.updated,
                                             "changes": result.changes})
    return result
