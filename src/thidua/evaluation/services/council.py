"""The review's council and its vote: members, presence, ballot kind and meeting; ballots (open
vote) or announced counts (secret ballot); the tally of a candidate and the closing count that
stores the titles passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from thidua.councils import services as councils
from thidua.councils import tally as tally_mod
from thidua.councils.models import BASIC_ROLES, Ballot, Choice, Council, Member, Role, Subject
from thidua.councils.tally import Tally, Threshold, decide
from thidua.evaluation import permissions
from thidua.evaluation.figures import results_bulk_create
from thidua.evaluation.models import (
    Candidate,
    DecidedBy,
    Outcome,
    Review,
    ReviewStatus,
    TitleResult,
)
from thidua.evaluation.services.common import (
    by,
    ensure_open,
    fresh_review,
    require_status,
    review_event,
    subject_name,
    title_label,
)
from thidua.evaluation.thresholds import threshold_for
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_meeting, vn_number


@transaction.atomic
def council_member_add(*, actor: Actor, review: Review, role: str, person: Person | None = None,
                       name: str = "", position: str = "") -> Member:
    """Add a council member: a person the officer can see, or a free name (guest)."""
    review = fresh_review(review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT)
    member = councils.member_add(council=review.council, role=role, person=person,
                                 full_name="" if person is not None else name,
                                 position=position, roles=BASIC_ROLES)
    review_event(review, actor, "council_add",
           f"Thêm {member.full_name} ({Role(role).label}) vào Hội đồng.", member=member.pk)
    return member


@transaction.atomic
def council_member_remove(*, actor: Actor, member: Member) -> None:
    review = fresh_review(Review.objects.get(council_id=member.council_id))
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT)
    name = member.full_name
    member.delete()
    review_event(review, actor, "council_remove", f"Bỏ {name} khỏi Hội đồng.")


@transaction.atomic
def council_presence_set(*, actor: Actor, review: Review, present_ids: Iterable[int]) -> None:
    """Who attends the meeting; the others may vote in writing."""
    review = fresh_review(review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT, ReviewStatus.VOTING)
    present, size = councils.presence_set(council=review.council, present_ids=present_ids)
    review_event(review, actor, "presence", f"Có mặt {present}/{size} thành viên Hội đồng.",
           present=sorted(set(present_ids)))


@transaction.atomic
def council_ballot_set(*, actor: Actor, review: Review, ballot: str) -> Review:
    """Open vote (each member's vote is recorded) or secret ballot (only the counts the
    vote-counting committee announces for each candidate). Chosen while drafting."""
    review = fresh_review(review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT)
    council = review.council
    if ballot not in Ballot.values:
        raise ApplicationError("Hình thức biểu quyết không hợp lệ.", field="ballot")
    if council.subjects.filter(votes__isnull=False).exists() or council.subjects.exclude(
            count_for=0, count_against=0, count_absent=0).exists():
        raise ApplicationError("Đã có phiếu được ghi; không đổi hình thức biểu quyết được nữa.",
                               field="ballot")
    council.ballot = ballot
    council.save(update_fields=["ballot"])
    review_event(review, actor, "ballot", f"Hình thức biểu quyết: {Ballot(ballot).label.lower()}.",
           ballot=ballot)
    return review


@dataclass
class VoteIn:
    candidate_id: int
    member_id: int
    choice: str
    opinion: str = ""


def _voting_subjects(review: Review, candidate_ids: Iterable[int]) -> dict[int, int]:
    """{candidate id: subject id} of the included candidates asked for."""
    return dict(review.candidates.filter(pk__in=set(candidate_ids), included=True,
                                         subject__isnull=False)
                .values_list("pk", "subject_id"))


@transaction.atomic
def votes_record(*, actor: Actor, review: Review, votes: list[VoteIn]) -> int:
    """Record council votes (upsert per candidate and member). A member absent from the meeting
    who votes for or against does so in writing; one who does not vote is recorded `vang`."""
    review = fresh_review(review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.VOTING)
    subjects = _voting_subjects(review, [v.candidate_id for v in votes])
    for v in votes:
        if v.choice not in Choice.values:
            raise ApplicationError("Phiếu phải là Đồng ý, Không đồng ý hoặc Vắng.", field="choice")
    ballots = [councils.BallotIn(subject_id=subjects.get(v.candidate_id, 0),
                                 member_id=v.member_id, choice=v.choice, opinion=v.opinion)
               for v in votes]
    changes = councils.votes_record(council=review.council, ballots=ballots)
    if changes:
        candidate_of = {s: c for c, s in subjects.items()}
        review_event(review, actor, "votes", f"Ghi {vn_number(len(changes))} phiếu biểu quyết.",
               votes=[{"candidate": candidate_of[c["subject"]], "member": c["member"],
                       "choice": c["choice"]} for c in changes][:2000])
    return len(changes)


@transaction.atomic
def votes_fill(*, actor: Actor, review: Review, member: Member, choice: str,
               title: str = "") -> int:
    """One member's same vote on every candidate (of one title) not yet voted on by them: a
    council approving a list in one show of hands."""
    if member.council_id != review.council_id:
        raise ApplicationError(councils.NOT_A_MEMBER, field="member")
    qs = review.candidates.filter(included=True).exclude(subject__votes__member=member)
    if title:
        qs = qs.filter(title=title)
    return votes_record(actor=actor, review=review, votes=[
        VoteIn(candidate_id=pk, member_id=member.pk, choice=choice)
        for pk in qs.values_list("pk", flat=True)])


@transaction.atomic
def candidate_counts_record(*, actor: Actor, candidate: Candidate, votes_for: int,
                            votes_against: int, absent: int) -> Tally:
    """A secret ballot's announced counts for one candidate (who voted how is not kept)."""
    review = fresh_review(candidate.review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.VOTING)
    subject = (Subject.objects.select_related("council")
               .filter(candidate__pk=candidate.pk, candidate__included=True).first())
    if subject is None:
        raise ApplicationError("Đề nghị không có trong danh sách đang bỏ phiếu.",
                               field="candidate")
    result = councils.counts_record(subject=subject, votes_for=votes_for,
                                    votes_against=votes_against, absent=absent)
    review_event(review, actor, "counts",
           f"Ghi kết quả kiểm phiếu «{title_label(candidate.title)}» của "
           f"{subject_name(candidate)}: {result.votes_for} đồng ý, {result.votes_against} không "
           f"đồng ý, {result.absent} vắng.", candidate=candidate.pk, **result.as_counts())
    return result


def candidate_tally(candidate: Candidate, council: Council, size: int) -> Tally:
    """The tally of a candidate over the council's `size` members: frozen at closing, else
    counted now (prefetch `subject__votes` for many candidates)."""
    if candidate.outcome:
        return tally_mod.counted(members=candidate.council_size, votes_for=candidate.votes_for,
                                 votes_against=candidate.votes_against)
    if candidate.subject is None:
        return tally_mod.count((), members=size)
    return councils.subject_tally(candidate.subject, members=size, ballot=council.ballot)


def votes_close(review: Review, actor: Actor) -> dict[str, int]:
    council = review.council
    size = council.members.count()
    candidates = list(review.candidates.filter(included=True)
                      .select_related("person", "subject_unit", "subject")
                      .prefetch_related("subject__votes"))
    tallies = {c.pk: candidate_tally(c, council, size) for c in candidates}
    missing = sum(t.missing for t in tallies.values())
    if missing:
        raise ApplicationError(
            f"Còn {vn_number(missing)} phiếu chưa ghi. Hãy ghi đủ phiếu của mọi thành viên "
            "(thành viên vắng không có ý kiến ghi «Vắng»).", field="votes")
    held = set()
    ids = [c.person_id for c in candidates if c.person_id]
    uids = [c.subject_unit_id for c in candidates if c.subject_unit_id]
    for pid, uid, t in TitleResult.objects.filter(year=review.year, revoked=False).filter(
            Q(person_id__in=ids) | Q(subject_unit_id__in=uids)).values_list(
            "person_id", "subject_unit_id", "title"):
        held.add((pid, uid, t))
    results, changed = [], []
    passed = 0
    thresholds: dict[str, Threshold] = {}
    for c in candidates:
        counts = tallies[c.pk]
        decision = decide(counts, thresholds.setdefault(c.title,
                                                        threshold_for(c.title, review.year,
                                                                      review.unit)))
        ok = decision.passed
        c.outcome = Outcome.PASSED if ok else Outcome.FAILED
        c.votes_for, c.votes_against, c.votes_absent = (counts.votes_for, counts.votes_against,
                                                        counts.absent)
        c.council_size = size
        changed.append(c)
        if not ok or (c.person_id, c.subject_unit_id, c.title) in held:
            passed += ok
            continue
        passed += 1
        th = decision.threshold
        vote_reason = {
            "rule_id": f"vote.{c.title}", "passed": True, "source": th.source,
            "confidence": th.confidence, "text": f"Hội đồng bình xét {decision.explanation}.",
        }
        results.append(TitleResult(
            person_id=c.person_id, subject_unit_id=c.subject_unit_id, year=review.year,
            title=c.title, unit=review.unit, how=DecidedBy.COUNCIL,
            reasons=[*c.reasons, vote_reason], rule_set=review.rule_set, review=review,
            votes={**counts.as_counts(), "council": size, "threshold": th.as_dict()},
            created_by=by(actor)))
    Candidate.objects.bulk_update(changed, ["outcome", "votes_for", "votes_against",
                                            "votes_absent", "council_size"], batch_size=500)
    results_bulk_create(results)
    return {"candidates": len(candidates), "passed": passed, "stored": len(results)}


@transaction.atomic
def review_meeting_set(*, actor: Actor, review: Review, meeting_date: dt.date | None,
                       meeting_time: dt.time | None = None,
                       meeting_end_time: dt.time | None = None,
                       meeting_place: str = "", place_name: str = "") -> Review:
    review = fresh_review(review)
    permissions.require_entry(actor, review.unit)
    ensure_open(review.unit, review.year)
    require_status(review, ReviewStatus.DRAFT, ReviewStatus.VOTING)
    council = councils.meeting_set(council=review.council, meeting_date=meeting_date,
                                   meeting_time=meeting_time, meeting_end_time=meeting_end_time,
                                   meeting_place=meeting_place)
    review.place_name = clean_spaces(place_name)[:80] or review.place_name
    review.save(update_fields=["place_name"])
    when = vn_meeting(meeting_date, meeting_time, meeting_end_time) or "chưa định ngày"
    review_event(review, actor, "meeting", f"Cuộc họp {when} tại "
                                     f"{council.meeting_place or '—'}.")
    return review
