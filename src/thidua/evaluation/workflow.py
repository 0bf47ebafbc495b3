"""The review's transition table: the only way a review changes step (drafting the list → voting
→ closed), who may take each step, what must hold first, and what each step does. Closed is
final: after it, corrections (`services.corrections`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.councils import services as councils
from thidua.councils.models import Role
from thidua.evaluation.engine import quota_limit
from thidua.evaluation.models import Candidate, Review, ReviewEvent, ReviewStatus
from thidua.evaluation.permissions import REVIEW_STEP, deny_step, may_step
from thidua.evaluation.selectors import locks_below, year_lock_for
from thidua.evaluation.services.common import MIN_REASON, by, locked_message, title_label
from thidua.evaluation.services.council import votes_close
from thidua.evaluation.services.titles import quota_base
from thidua.platform.actor import Actor
from thidua.platform.text import clean_spaces, vn_number
from thidua.platform.workflow import Move, Transition, Workflow
from thidua.rules.ruleset import RuleSetError


def _voting_refusal(review: Review, actor: Actor) -> str | None:
    roles = set(review.council.members.values_list("role", flat=True))
    if not roles:
        return "Hãy lập Hội đồng bình xét trước khi bỏ phiếu."
    if Role.CHU_TICH not in roles:
        return "Hội đồng cần có Chủ tịch (chủ tọa cuộc họp)."
    if Role.THU_KY not in roles:
        return "Hội đồng cần có Thư ký (ghi biên bản)."
    if not review.candidates.filter(included=True).exists():
        return "Danh sách đề nghị đang trống."
    return _quota_refusal(review)


def _quota_refusal(review: Review) -> str | None:
    """A title with a quota (CSTĐ cơ sở ≤ 15 % of LĐTT under NĐ 91/2017) may not go to the vote
    with more candidates than the quota allows: the officer trims the list first, with reasons."""
    counts: dict[str, int] = {}
    for title in review.candidates.filter(included=True, person__isnull=False).values_list(
            "title", flat=True):
        counts[title] = counts.get(title, 0) + 1
    for title, n in counts.items():
        try:
            base_title = quota_base(title, review.year)
        except RuleSetError:
            return None
        if base_title is None:
            continue
        limit = quota_limit(title, counts.get(base_title, 0), review.year)
        if limit is not None and n > limit:
            return (f"Danh sách «{title_label(title)}» có {vn_number(n)} người, vượt chỉ tiêu "
                    f"{vn_number(limit)} người theo bộ quy tắc năm {review.year}. Hãy đưa bớt ra "
                    "khỏi danh sách (ghi lý do) trước khi bỏ phiếu.")
    return None


def _to_voting(review: Review, actor: Actor, note: str) -> dict[str, Any]:
    """Every included candidate becomes a subject of the council's vote."""
    council = review.council
    waiting = list(review.candidates.filter(included=True, subject__isnull=True).order_by("pk"))
    for c, s in zip(waiting, councils.subjects_create(council=council,
                                                      labels=[c.title for c in waiting]),
                    strict=True):
        c.subject = s
    Candidate.objects.bulk_update(waiting, ["subject"], batch_size=500)
    return {"council": council.members.count()}


def _to_closed(review: Review, actor: Actor, note: str) -> dict[str, Any]:
    counts = votes_close(review, actor)
    review.closed_at = timezone.now()
    return counts


def _years_open(review: Review, actor: Actor) -> str | None:
    lock = year_lock_for(review.unit, review.year)
    if lock is None:
        below = locks_below(review.unit, review.year)
        lock = below[0] if below else None
    return locked_message(lock) if lock is not None else None


def _all(*guards: Callable[[Review, Any], str | None]) -> Callable[[Review, Any], str | None]:
    def guard(review: Review, actor: Actor) -> str | None:
        return next((r for r in (g(review, actor) for g in guards) if r), None)
    return guard


def _record_transition(move: Move[Review]) -> None:
    text = f"{move.transition.label}."
    if move.reason:
        text += f" Ghi chú: {clean_spaces(move.reason)}"
    ReviewEvent.objects.create(review=move.obj, actor=by(move.actor), kind="transition", text=text,
        data={"before": move.source, "after": move.target, **move.data})


# The only way a review changes step. Closed is final: after it, corrections.
WORKFLOW: Workflow[Review] = Workflow(
    name="review", model=Review, labels=dict(ReviewStatus.choices), object_type="review",
    transitions=[
        Transition(ReviewStatus.DRAFT, ReviewStatus.VOTING, "vote", "Chuyển sang bỏ phiếu",
                   role=REVIEW_STEP, guard=_all(_years_open, _voting_refusal),
                   effect=_to_voting),
        Transition(ReviewStatus.VOTING, ReviewStatus.DRAFT, "back", "Trở lại lập danh sách",
                   role=REVIEW_STEP, guard=_years_open, reason_required=True,
                   reason_hint="lý do trở lại lập danh sách"),
        Transition(ReviewStatus.VOTING, ReviewStatus.CLOSED, "close",
                   "Kết thúc bỏ phiếu, ghi kết quả", role=REVIEW_STEP, guard=_years_open,
                   effect=_to_closed, saves=("closed_at",)),
    ],
    can=may_step, deny=deny_step,
    audit=audit_record, audit_action="review.transition", unit_id=lambda r: r.unit_id,
    record=_record_transition, min_reason=MIN_REASON,
)
