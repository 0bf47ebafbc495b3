"""What every evaluation action shares: the year bound and the lock guard, the reason rule, names
of subjects and titles, and the review's row lock, step check and event log."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.evaluation.engine import title_labels
from thidua.evaluation.models import (
    Candidate,
    Review,
    ReviewEvent,
    ReviewStatus,
    TitleResult,
    YearLock,
)
from thidua.evaluation.selectors import YEAR, year_lock_for
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date
from thidua.platform.years import check_year

MIN_REASON = 5


def check_eval_year(year: int) -> int:
    return check_year(year, what=YEAR)


def by(actor: Actor | None) -> Actor | None:
    """The account to stamp on a row (`created_by`, `updated_by`…): none for an unsaved one."""
    return actor if actor is not None and actor.pk else None


def locked_message(lock: YearLock) -> str:
    return (f"Số liệu năm {lock.year} của «{lock.unit.name}» đã khóa ngày "
            f"{vn_date(timezone.localtime(lock.at).date())}; chỉ có thể thay đổi bằng đính chính "
            "có ghi lý do.")


def ensure_open(unit: Unit, year: int) -> None:
    """Refuse a change to a locked year (a lock on the unit or an ancestor)."""
    lock = year_lock_for(unit, year)
    if lock is not None:
        raise ApplicationError(locked_message(lock), field="year")


def reason_text(text: str | None, what: str = "lý do") -> str:
    text = clean_spaces(text)
    if len(text) < MIN_REASON:
        raise ApplicationError(f"Hãy ghi {what} (ít nhất {MIN_REASON} ký tự).", field="reason")
    return text


def subject_name(item: Candidate | TitleResult) -> str:
    """The person's or the unit's name of a candidate or a result."""
    if item.person is not None:
        return str(item.person.full_name)
    return str(item.subject_unit.name) if item.subject_unit is not None else ""


def title_label(code: str) -> str:
    return title_labels().get(code, code)


# the review's shared steps: lock the row, check the step, log the event


def review_event(review: Review, actor: Actor, kind: str, text: str, **data: Any) -> None:
    ReviewEvent.objects.create(review=review, actor=by(actor), kind=kind, text=text, data=data)
    audit_record(actor=actor, action=f"review.{kind}", object_type="review", object_id=review.pk,
                 unit_id=review.unit_id, after={"year": review.year, "text": text, **data})


def fresh_review(review: Review) -> Review:
    """The review re-read under a row lock: two officers acting at once queue here."""
    return Review.objects.select_for_update().select_related("unit", "council").get(pk=review.pk)


def require_status(review: Review, *allowed: str) -> None:
    if review.status not in allowed:
        labels = ", ".join(f"«{ReviewStatus(s).label}»" for s in allowed)
        raise ApplicationError(
            f"Bình xét đang ở bước «{review.get_status_display()}»; thao tác này chỉ làm được ở "
            f"bước {labels}.", field="status")
