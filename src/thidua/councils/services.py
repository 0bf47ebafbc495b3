"""Council actions shared by every kind of council: set one up, seat and unseat members, record
who attends, open a subject, record votes (open ballot) or the announced counts (secret ballot).

These are the building blocks of the domain services (the year-end review, initiative councils):
each runs inside the caller's transaction, after the caller has checked the actor's role and the
step its own record is at, and the caller writes the one audit entry of the change. A refusal
raises ApplicationError with a Vietnamese message and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Max

from thidua.councils.models import (
    SINGLE_ROLES,
    Ballot,
    Choice,
    Council,
    Member,
    Role,
    Subject,
    Vote,
)
from thidua.councils.tally import Tally, Threshold, count, counted
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_number

MAX_OPINION = 2000
NOT_A_MEMBER = "Phiếu của người không phải thành viên Hội đồng này không được ghi nhận."
SINGLE_ROLE_NAMES = {Role.CHU_TICH: "Chủ tịch", Role.THU_KY: "Thư ký"}


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "pk", None) else None


def council_create(*, actor: Actor, unit: Any, kind: str, year: int, name: str, level: str = "",
                   ballot: str = Ballot.OPEN, decision_no: str = "",
                   established_on: dt.date | None = None, meeting_place: str = "",
                   threshold: Threshold | None = None) -> Council:
    """A new council. `threshold`: the fixed share of all members its subjects need, if it has
    one (kept with the council so a later change of the setting does not rewrite results)."""
    name = clean_spaces(name)[:255]
    if not name:
        raise ApplicationError("Hãy ghi tên Hội đồng.", field="name")
    if ballot not in Ballot.values:
        raise ApplicationError("Hình thức biểu quyết không hợp lệ.", field="ballot")
    if Council.objects.filter(unit=unit, kind=kind, year=year, name=name).exists():
        raise ApplicationError(f"«{name}» năm {year} đã có.", field="name")
    share = threshold.share if threshold is not None else None
    return Council.objects.create(
        unit=unit, kind=kind, year=year, name=name, level=level, ballot=ballot,
        decision_no=clean_spaces(decision_no)[:80], established_on=established_on,
        meeting_place=clean_spaces(meeting_place)[:255],
        threshold_num=share.numerator if share is not None else None,
        threshold_den=share.denominator if share is not None else None,
        threshold_source=threshold.source[:255] if threshold is not None else "",
        created_by=_user(actor))


def council_threshold(council: Council) -> Threshold | None:
    """The council's own threshold, when it has one."""
    if council.threshold_num is None or council.threshold_den is None:
        return None
    return Threshold(Fraction(council.threshold_num, council.threshold_den),
                     source=council.threshold_source)


def member_add(*, council: Council, role: str, person: Person | None = None,
               full_name: str = "", position: str = "", roles: Iterable[str] = Role.values
               ) -> Member:
    """Seat a member: a person (name and position from the roster unless given) or a free name.
    Refused: a role outside `roles`, no name, the same person twice, a second chair or
    secretary."""
    if role not in set(roles):
        raise ApplicationError("Hãy chọn vai trò trong Hội đồng.", field="role")
    name = clean_spaces(full_name)[:150] or (person.full_name if person is not None else "")
    if not name:
        raise ApplicationError("Hãy chọn một người hoặc ghi họ tên thành viên.",
                               field="full_name")
    if person is not None and council.members.filter(person=person).exists():
        raise ApplicationError(f"{person.full_name} đã là thành viên Hội đồng.", field="person")
    if role in SINGLE_ROLES and council.members.filter(role=role).exists():
        raise ApplicationError(f"Hội đồng đã có {SINGLE_ROLE_NAMES[Role(role)]}.", field="role")
    position = clean_spaces(position)[:255] or (person.position if person is not None else "")
    order = (council.members.aggregate(m=Max("order"))["m"] or 0) + 1
    return Member.objects.create(council=council, person=person, full_name=name,
                                 position=position, role=role, order=order)


def presence_set(*, council: Council, present_ids: Iterable[int]) -> tuple[int, int]:
    """Who attends the meeting; the others may vote in writing. Returns (present, members)."""
    present = set(present_ids)
    members = list(council.members.all())
    if present - {m.pk for m in members}:
        raise ApplicationError("Người được chọn không phải thành viên Hội đồng.", field="member")
    for m in members:
        m.present = m.pk in present
    Member.objects.bulk_update(members, ["present"])
    return len(present), len(members)


def meeting_set(*, council: Council, meeting_date: dt.date | None,
                meeting_time: dt.time | None = None, meeting_end_time: dt.time | None = None,
                meeting_place: str = "") -> Council:
    """When and where the council meets: the date, the hour it starts and (for the minutes)
    the hour it ends. Refused: an hour without a date, an end not after the start."""
    if meeting_date is None and (meeting_time or meeting_end_time):
        raise ApplicationError("Hãy ghi ngày họp cùng với giờ họp.", field="meeting_date")
    if meeting_end_time is not None and meeting_time is None:
        raise ApplicationError("Hãy ghi giờ bắt đầu cuộc họp.", field="meeting_time")
    if meeting_time and meeting_end_time and meeting_end_time <= meeting_time:
        raise ApplicationError("Giờ kết thúc phải sau giờ bắt đầu cuộc họp.",
                               field="meeting_end_time")
    council.meeting_date = meeting_date
    council.meeting_time = meeting_time
    council.meeting_end_time = meeting_end_time
    council.meeting_place = clean_spaces(meeting_place)[:255]
    council.save(update_fields=["meeting_date", "meeting_time", "meeting_end_time",
                                "meeting_place"])
    return council


def subject_create(*, council: Council, label: str = "") -> Subject:
    return Subject.objects.create(council=council, label=clean_spaces(label)[:255])


def subjects_create(*, council: Council, labels: Sequence[str]) -> list[Subject]:
    """Many subjects in one insert, in the order of `labels` (with their keys)."""
    return Subject.objects.bulk_create(
        [Subject(council=council, label=clean_spaces(label)[:255]) for label in labels],
        batch_size=1000)


@dataclass(frozen=True)
class BallotIn:
    """One member's vote on one subject. An empty `choice` removes the vote. `in_writing` None:
    a member absent from the meeting who votes for or against does so in writing."""

    subject_id: int
    member_id: int
    choice: str
    opinion: str = ""
    in_writing: bool | None = None


def votes_record(*, council: Council, ballots: Sequence[BallotIn]) -> list[dict[str, Any]]:
    """Record (or correct) open-ballot votes; returns the changes made (subject, member, choice).
    Refused: a secret ballot, a voter who is not a member, a subject of another council, a
    choice outside the vocabulary, an opinion over 2.000 characters."""
    if council.ballot == Ballot.SECRET:
        raise ApplicationError("Hội đồng bỏ phiếu kín: chỉ ghi số phiếu của từng đề nghị, không "
                               "ghi phiếu của từng thành viên.", field="votes")
    members = {m.pk: m for m in council.members.all()}
    subjects = set(council.subjects.filter(pk__in={b.subject_id for b in ballots})
                   .values_list("pk", flat=True))
    for b in ballots:
        if b.member_id not in members:
            raise ApplicationError(NOT_A_MEMBER, field="member")
        if b.subject_id not in subjects:
            raise ApplicationError("Đề nghị không có trong danh sách đang bỏ phiếu.",
                                   field="candidate")
        if b.choice and b.choice not in Choice.values:
            raise ApplicationError("Phiếu phải là Đồng ý, Không đồng ý hoặc Vắng.",
                                   field="choice")
        if len(b.opinion) > MAX_OPINION:
            raise ApplicationError(f"Ý kiến tối đa {vn_number(MAX_OPINION)} ký tự.",
                                   field="opinion")
    existing = {(v.subject_id, v.member_id): v for v in Vote.objects.filter(
        subject_id__in=subjects, member_id__in=list(members))}
    new: list[Vote] = []
    changed: list[Vote] = []
    removed: list[int] = []
    changes: list[dict[str, Any]] = []
    for b in ballots:
        current = existing.get((b.subject_id, b.member_id))
        if not b.choice:
            if current is not None:
                removed.append(current.pk)
                changes.append({"subject": b.subject_id, "member": b.member_id, "choice": ""})
            continue
        written = b.in_writing if b.in_writing is not None else (
            not members[b.member_id].present and b.choice != Choice.VANG)
        opinion = clean_spaces(b.opinion)
        if current is None:
            new.append(Vote(subject_id=b.subject_id, member_id=b.member_id, choice=b.choice,
                            in_writing=written, opinion=opinion))
        elif (current.choice, current.opinion, current.in_writing) != (b.choice, opinion,
                                                                       written):
            current.choice, current.opinion, current.in_writing = b.choice, opinion, written
            changed.append(current)
        else:
            continue
        changes.append({"subject": b.subject_id, "member": b.member_id, "choice": b.choice})
    Vote.objects.filter(pk__in=removed).delete()
    Vote.objects.bulk_create(new, batch_size=1000)
    Vote.objects.bulk_update(changed, ["choice", "opinion", "in_writing"], batch_size=500)
    return changes


def counts_record(*, subject: Subject, votes_for: int, votes_against: int, absent: int) -> Tally:
    """The counts a secret ballot announces for one subject. They must add up to the members."""
    council = subject.council
    if council.ballot != Ballot.SECRET:
        raise ApplicationError("Hội đồng biểu quyết công khai: hãy ghi phiếu của từng thành "
                               "viên.", field="votes")
    members = council.members.count()
    if min(votes_for, votes_against, absent) < 0:
        raise ApplicationError("Số phiếu không thể âm.", field="votes")
    if votes_for + votes_against + absent != members:
        raise ApplicationError(
            f"Số phiếu đồng ý, không đồng ý và vắng phải cộng lại bằng {vn_number(members)} "
            f"thành viên Hội đồng (đang là {vn_number(votes_for + votes_against + absent)}).",
            field="votes")
    subject.count_for, subject.count_against, subject.count_absent = (
        votes_for, votes_against, absent)
    subject.save(update_fields=["count_for", "count_against", "count_absent"])
    return counted(members=members, votes_for=votes_for, votes_against=votes_against)


def subject_tally(subject: Subject, *, members: int, ballot: str = Ballot.OPEN) -> Tally:
    """The tally of one subject over `members` seats. An open ballot counts its votes (use
    `prefetch_related("votes")` for many subjects); a secret ballot reads the counts."""
    if ballot == Ballot.SECRET:
        cast = subject.count_for + subject.count_against + subject.count_absent
        return counted(members=members, votes_for=subject.count_for,
                       votes_against=subject.count_against, cast=cast)
    return count((v.choice for v in subject.votes.all()), members=members)
