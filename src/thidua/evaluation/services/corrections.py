"""After the decision: closing the year (the lock), and the corrections that may still change it,
each logged with its reason and the result before and after."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.evaluation import permissions
from thidua.evaluation.engine import title_labels
from thidua.evaluation.figures import title_figures
from thidua.evaluation.models import (
    Correction,
    CorrectionKind,
    DecidedBy,
    Rating,
    RatingCode,
    TitleResult,
    YearLock,
    year_end,
)
from thidua.evaluation.selectors import (
    open_reviews_below,
    roster_units,
    year_lock_for,
)
from thidua.evaluation.services.common import (
    by,
    check_eval_year,
    locked_message,
    reason_text,
)
from thidua.evaluation.services.ratings import rating_snapshot
from thidua.evaluation.unit_figures import unit_figures
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date


@transaction.atomic
def year_lock(*, actor: Actor, unit: Unit, year: int, note: str = "") -> YearLock:
    """Close the year for the unit's subtree; only corrections change it afterwards."""
    permissions.require_lock(actor, unit)
    check_eval_year(year)
    lock = year_lock_for(unit, year)
    if lock is not None:
        raise ApplicationError(locked_message(lock), field="year")
    pending = open_reviews_below(unit, year)
    if pending:
        names = ", ".join(r.unit.name for r in pending[:3])
        raise ApplicationError(f"Còn bình xét năm {year} chưa kết thúc: {names}.", field="year")
    lock = YearLock.objects.create(unit=unit, year=year, note=clean_spaces(note)[:255],
                                   locked_by=by(actor))
    audit_record(actor=actor, action="year.lock", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, after={"year": year, "note": lock.note})
    return lock


def _result_snapshot(r: TitleResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"id": r.pk, "title": r.title, "year": r.year, "how": r.how, "revoked": r.revoked,
            "unit": r.unit_id, "person": r.person_id, "subject_unit": r.subject_unit_id}


@transaction.atomic
def title_correct(*, actor: Actor, unit: Unit, year: int, title: str, action: str, reason: str,
                  person: Person | None = None, subject_unit: Unit | None = None) -> Correction:
    """Add or revoke a title of a decided year (locked or not), logged with its reason and the
    result before and after. `unit` is the deciding unit; the subject must be of its subtree."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    reason = reason_text(reason, "lý do đính chính")
    if (person is None) == (subject_unit is None):
        raise ApplicationError("Hãy chọn một người hoặc một tập thể.", field="person")
    if title not in title_labels():
        raise ApplicationError("Danh hiệu không có trong danh mục.", field="title")
    if person is not None:
        if person.pk not in roster_units(unit, year):
            raise ApplicationError(f"{person.full_name} không có trong danh sách của "
                                   f"«{unit.name}» ngày {vn_date(year_end(year))}.",
                                   field="person")
        subject: dict[str, Any] = {"person": person}
    else:
        assert subject_unit is not None
        if not subject_unit.path.startswith(unit.path) or subject_unit.pk == unit.pk:
            raise ApplicationError(f"«{subject_unit.name}» không trực thuộc «{unit.name}».",
                                   field="subject_unit")
        subject = {"subject_unit": subject_unit}
    current = TitleResult.objects.select_for_update().filter(
        year=year, title=title, revoked=False, **subject).first()
    before = _result_snapshot(current)
    if action == "add":
        if current is not None:
            raise ApplicationError("Danh hiệu này đã được ghi nhận cho năm này.", field="title")
        with (title_figures([person.pk] if person is not None else []),
              unit_figures([subject_unit.pk] if subject_unit is not None else [])):
            result = TitleResult.objects.create(
                year=year, title=title, unit=unit, how=DecidedBy.CORRECTION, note=reason[:255],
                reasons=[{"rule_id": "correction", "text": f"Đính chính: {reason}", "source": "",
                          "confidence": "", "passed": True}],
                created_by=by(actor), **subject)
        kind = CorrectionKind.TITLE_ADD
    elif action == "revoke":
        if current is None:
            raise ApplicationError("Không có danh hiệu này để hủy.", field="title")
        if not permissions.may_revoke(actor, current):
            raise ApplicationError("Danh hiệu do đơn vị ngoài phạm vi của bạn quyết định.",
                                   field="title")
        with (title_figures([person.pk] if person is not None else []),
              unit_figures([subject_unit.pk] if subject_unit is not None else [])):
            current.revoked = True
            current.save(update_fields=["revoked"])
        result = current
        kind = CorrectionKind.TITLE_REVOKE
    else:
        raise ApplicationError("Thao tác đính chính không hợp lệ.", field="action")
    after = _result_snapshot(result)
    correction = Correction.objects.create(
        unit=unit, year=year, kind=kind, title=title, before=before, after=after, reason=reason,
        actor=by(actor), **subject)
    audit_record(actor=actor, action=f"title.{action}", object_type="title_result",
                 object_id=result.pk, unit_id=unit.pk, before=before,
                 after={**(after or {}), "reason": reason, "correction": correction.pk})
    return correction


@transaction.atomic
def rating_correct(*, actor: Actor, unit: Unit, year: int, person: Person, code: str,
                   reason: str) -> Correction:
    """Change a person's rating of a year that may be locked, logged with the reason."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    reason = reason_text(reason, "lý do đính chính")
    homes = roster_units(unit, year)
    if person.pk not in homes:
        raise ApplicationError(f"{person.full_name} không có trong danh sách của «{unit.name}» "
                               f"ngày {vn_date(year_end(year))}.", field="person")
    if code not in RatingCode.values:
        raise ApplicationError("Xếp loại phải là HTXSNV, HTTNV, HTNV hoặc KHTNV.", field="code")
    rating = Rating.objects.select_for_update().filter(person=person, year=year).first()
    before = rating_snapshot(rating)
    if rating is None:
        rating = Rating(person=person, year=year, unit_id=homes[person.pk])
    if rating.code == code:
        raise ApplicationError("Xếp loại mới giống xếp loại đang ghi.", field="code")
    rating.code = code
    rating.updated_by = by(actor)
    rating.save()
    after = rating_snapshot(rating)
    correction = Correction.objects.create(
        unit=unit, year=year, kind=CorrectionKind.RATING, person=person, before=before,
        after=after, reason=reason, actor=by(actor))
    audit_record(actor=actor, action="rating.correct", object_type="person", object_id=person.pk,
                 unit_id=unit.pk, before=before, after={**(after or {}), "reason": reason,
                                                        "correction": correction.pk})
    return correction
