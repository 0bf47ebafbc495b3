"""A council's review of one initiative: members score it and vote; it passes with the share of
ALL members set by the council's threshold (2/3 by default); closing freezes the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.councils import services as council_services
from thidua.councils.models import Council, Member, Role, Vote
from thidua.councils.tally import Decision, counted, decide
from thidua.initiatives.models import Initiative, Outcome, Review, Score, Status
from thidua.initiatives.permissions import require_council_officer
from thidua.initiatives.services._common import now
from thidua.initiatives.services.councils import (
    author_conflicts,
    author_on_council_message,
    council_threshold,
)
from thidua.initiatives.services.workflow import initiative_transition
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


@transaction.atomic
def review_open(*, actor: Actor, council: Council, initiative: Initiative,
                meeting_date: dt.date | None = None,
                meeting_time: dt.time | None = None) -> Review:
    """Put a submitted initiative before the council. Refused: the initiative is outside the
    council's unit, the council lacks a chair or a representative of the authors' union, or a
    member is one of the authors."""
    require_council_officer(actor, council)
    if meeting_time is not None and meeting_date is None:
        raise ApplicationError("Hãy ghi ngày họp cùng với giờ họp.", field="meeting_date")
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    if not ini.unit.path.startswith(council.unit.path):
        raise ApplicationError(f"Sáng kiến thuộc «{ini.unit.name}», ngoài phạm vi của "
                               f"«{council.name}».", field="council")
    if ini.status != Status.SUBMITTED:
        raise ApplicationError(f"Chỉ chuyển Hội đồng các đơn đã nộp (đơn này: "
                               f"«{Status(ini.status).label}»).", field="council")
    if council.reviews.filter(initiative=ini).exists():
        raise ApplicationError("Hội đồng này đã xét sáng kiến này.", field="council")
    members = list(council.members.select_related("person"))
    roles = {m.role for m in members}
    if Role.CHU_TICH not in roles:
        raise ApplicationError("Hội đồng chưa có Chủ tịch.", field="council")
    if Role.DAI_DIEN_CD not in roles:
        raise ApplicationError("Hội đồng cần có đại diện tổ chức công đoàn nơi tác giả là đoàn "
                               "viên (Thông tư 18/2013/TT-BKHCN, Điều 8).", field="council")
    conflicts = author_conflicts(members, list(ini.authors.all()))
    if conflicts:
        raise ApplicationError(author_on_council_message(conflicts[0][1], ini), field="council")
    subject = council_services.subject_create(council=council, label=ini.title)
    review = Review.objects.create(council=council, initiative=ini, opened_at=now(),
                                   meeting_date=meeting_date, meeting_time=meeting_time,
                                   subject=subject)
    audit_record(actor=actor, action="review.open", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id,
                 after={"council": council.pk, "review": review.pk})
    initiative_transition(actor=actor, initiative=ini, to=Status.UNDER_REVIEW)
    initiative.status = Status.UNDER_REVIEW
    return review


def _open_review(review: Review) -> Review:
    locked = Review.objects.select_for_update().select_related(
        "council", "council__unit", "initiative", "subject").get(pk=review.pk)
    if not locked.is_open:
        raise ApplicationError("Hội đồng đã kết thúc xét sáng kiến này; không sửa phiếu được nữa.")
    return locked


@transaction.atomic
def votes_record(*, actor: Actor, review: Review, votes: Mapping[int, str],
                 in_writing: Collection[int] = ()) -> list[Vote]:
    """Record (or correct) members' votes: {member_id: "dong_y" | "khong_dong_y" | "vang"}; an
    empty choice removes a vote. `in_writing`: members who sent a written opinion."""
    review = _open_review(review)
    require_council_officer(actor, review.council)
    subject = review.subject
    written = {int(m) for m in in_writing}
    ballots = [council_services.BallotIn(subject_id=subject.pk, member_id=int(member_id),
                                         choice=choice or "",
                                         in_writing=int(member_id) in written)
               for member_id, choice in votes.items()]
    council_services.votes_record(council=review.council, ballots=ballots)
    changes = {b.member_id: b.choice for b in ballots}
    audit_record(actor=actor, action="review.votes", object_type="initiative",
                 object_id=review.initiative_id, unit_id=review.initiative.unit_id,
                 after={"review": review.pk, "votes": {str(k): v for k, v in changes.items()},
                        "in_writing": sorted(written & set(changes))})
    return list(subject.votes.all())


@transaction.atomic
def scores_record(*, actor: Actor, review: Review, member: Member,
                  points: Mapping[int, Decimal | int | str | None]) -> list[Score]:
    """One member's scoring sheet: {criterion_id: points}; None or "" clears a line."""
    review = _open_review(review)
    require_council_officer(actor, review.council)
    if member.council_id != review.council_id:
        raise ApplicationError("Người chấm không phải thành viên Hội đồng.", field="scores")
    criteria = {c.pk: c for c in review.council.criteria.all()}
    existing = {s.criterion_id: s for s in review.scores.filter(member=member)}
    after: dict[str, Decimal | None] = {}
    for cid, raw in points.items():
        criterion = criteria.get(int(cid))
        if criterion is None:
            raise ApplicationError("Tiêu chí không có trong phiếu chấm của Hội đồng.",
                                   field="scores")
        score = existing.get(criterion.pk)
        if raw in (None, ""):
            if score is not None:
                score.delete()
            after[criterion.name] = None
            continue
        try:
            value = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            raise ApplicationError(f"Điểm «{criterion.name}» không phải là số.",
                                   field="scores") from None
        if not value.is_finite() or value < 0 or value > criterion.max_points:
            raise ApplicationError(f"Điểm «{criterion.name}» phải từ 0 đến "
                                   f"{criterion.max_points}.", field="scores")
        value = value.quantize(Decimal("0.1"))
        if score is None:
            Score.objects.create(review=review, member=member, criterion=criterion, points=value)
        elif score.points != value:
            score.points = value
            score.save(update_fields=["points"])
        after[criterion.name] = value
    audit_record(actor=actor, action="review.scores", object_type="initiative",
                 object_id=review.initiative_id, unit_id=review.initiative.unit_id,
                 after={"review": review.pk, "member": member.pk, "points": after})
    return list(review.scores.filter(member=member))


def tally(review: Review, *, members: int | None = None) -> Decision:
    """The council's vote on the initiative against its threshold. Counted against ALL members
    (a member who has not voted counts against); frozen once the review is closed. `members`:
    the council's size when the caller already knows it."""
    council = review.council
    if review.closed_at is not None:
        counts = counted(members=review.members_total, votes_for=review.votes_for,
                         votes_against=review.votes_against)
    else:
        counts = council_services.subject_tally(
            review.subject, ballot=council.ballot,
            members=council.members.count() if members is None else members)
    return decide(counts, council_threshold(council))


def average_score(review: Review) -> Decimal | None:
    """The mean over members of each member's total, counting members who scored every line."""
    lines = review.council.criteria.count()
    totals: dict[int, list[Decimal]] = {}
    for member_id, points in review.scores.values_list("member_id", "points"):
        totals.setdefault(member_id, []).append(points)
    complete = [sum(v, Decimal(0)) for v in totals.values() if len(v) == lines]
    if not complete:
        return None
    return (sum(complete, Decimal(0)) / len(complete)).quantize(Decimal("0.01"))


@transaction.atomic
def review_close(*, actor: Actor, review: Review, meeting_date: dt.date | None = None) -> Review:
    """End the vote and freeze its result. A rejection moves the initiative to «not
    recognised» at once; a pass waits for the decision (recognition_create)."""
    review = _open_review(review)
    require_council_officer(actor, review.council)
    result = tally(review)
    if not result.tally.cast:
        raise ApplicationError("Chưa có phiếu biểu quyết nào.", field="votes")
    review.members_total = result.tally.members
    review.votes_for = result.tally.votes_for
    review.votes_against = result.tally.votes_against
    review.average_score = average_score(review)
    review.outcome = Outcome.PASSED if result.passed else Outcome.FAILED
    review.closed_at = now()
    if meeting_date is not None:
        review.meeting_date = meeting_date
    review.save()
    audit_record(actor=actor, action="review.close", object_type="initiative",
                 object_id=review.initiative_id, unit_id=review.initiative.unit_id,
                 after={"review": review.pk, "outcome": review.outcome,
                        "for": result.tally.votes_for, "against": result.tally.votes_against,
                        "members": result.tally.members, "threshold": result.threshold.fraction,
                        "average_score": review.average_score})
    if not result.passed:
        initiative_transition(actor=actor, initiative=review.initiative,
                              to=Status.NOT_RECOGNIZED,
                              reason=f"Hội đồng không thông qua: {result.explanation}.")
    return review
