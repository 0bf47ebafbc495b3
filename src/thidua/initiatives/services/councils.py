"""Initiative councils (Hội đồng sáng kiến, TT 18/2013 Art. 8) on the councils app: set up with
the vote threshold in force and a scoring sheet, members who are never the authors of what the
council reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction

from django.conf import settings
from django.db import transaction

from thidua.audit.services import audit_record
from thidua.councils import services as council_services
from thidua.councils.models import Council, Kind, Level, Member, Role
from thidua.councils.tally import Threshold
from thidua.initiatives.models import Author, Criterion, Initiative, Score
from thidua.initiatives.permissions import require_council_officer, require_officer_at
from thidua.initiatives.services._common import plain
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.people.selectors import people_for
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.text import fold
from thidua.platform.years import check_year

#: Councils decide with at least this share of ALL their members (absent members give a written
#: opinion). Override with the setting THIDUA_INITIATIVE_VOTE_THRESHOLD, e.g. "3/4".
DEFAULT_THRESHOLD = "2/3"
THRESHOLD_SOURCE = ("Thông tư 18/2013/TT-BKHCN, Điều 8 (Điều lệ Sáng kiến ban hành kèm Nghị định "
                    "13/2012/NĐ-CP): quyết định của Hội đồng được thông qua khi có ít nhất 2/3 "
                    "số thành viên nhất trí.")

#: The scoring sheet a new council starts with; the council edits it before anyone scores.
#: No official sheet was found (domain.md §4); these are the three conditions of NĐ 13/2012
#: Art. 3 (new, applied with benefit, replicable) in points.
DEFAULT_CRITERIA: list[tuple[str, int]] = [
    ("Tính mới trong phạm vi cơ sở", 30),
    ("Hiệu quả, lợi ích thu được khi áp dụng", 40),
    ("Khả năng áp dụng, nhân rộng", 30),
]


def vote_threshold() -> tuple[int, int, str]:
    """(numerator, denominator, source) of the vote threshold in force."""
    raw = str(getattr(settings, "THIDUA_INITIATIVE_VOTE_THRESHOLD", DEFAULT_THRESHOLD))
    try:
        frac = Fraction(raw.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        frac = Fraction(DEFAULT_THRESHOLD)
    if not 0 < frac <= 1:
        frac = Fraction(DEFAULT_THRESHOLD)
    source = THRESHOLD_SOURCE if frac == Fraction(DEFAULT_THRESHOLD) else (
        f"Cài đặt THIDUA_INITIATIVE_VOTE_THRESHOLD = {raw} (mặc định theo {THRESHOLD_SOURCE})")
    return frac.numerator, frac.denominator, source


def council_threshold(council: Council) -> Threshold:
    """The threshold kept with the council (the one in force when it was set up)."""
    return council_services.council_threshold(council) or Threshold(
        Fraction(DEFAULT_THRESHOLD), source=THRESHOLD_SOURCE)


@transaction.atomic
def council_create(*, actor: Actor, unit: Unit, year: int, name: str, level: str = Level.CO_SO,
                   decision_no: str = "", established_on: dt.date | None = None,
                   criteria: Sequence[tuple[str, int]] | None = None) -> Council:
    require_officer_at(actor, unit)
    year = check_year(year)
    name = plain(name, limit=255)
    if not name:
        raise ApplicationError("Hãy ghi tên Hội đồng.", field="name")
    if level not in Level.values:
        raise ApplicationError("Hãy chọn cấp công nhận của Hội đồng.", field="level")
    num, den, source = vote_threshold()
    council = council_services.council_create(
        actor=actor, unit=unit, kind=Kind.INITIATIVE, year=year, name=name, level=level,
        decision_no=decision_no, established_on=established_on,
        threshold=Threshold(Fraction(num, den), source=source))
    rows = criteria if criteria is not None else DEFAULT_CRITERIA
    Criterion.objects.bulk_create([Criterion(council=council, name=n, max_points=p, order=i)
                                   for i, (n, p) in enumerate(_clean_criteria(rows), 1)])
    audit_record(actor=actor, action="council.create", object_type="initiative_council",
                 object_id=council.pk, unit_id=unit.pk,
                 after={"name": name, "year": year, "level": level, "decision": decision_no,
                        "threshold": f"{num}/{den}", "criteria": [list(r) for r in rows]})
    return council


def _clean_criteria(rows: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    out = []
    for n, (name, points) in enumerate(rows, 1):
        name = plain(name, limit=255)
        try:
            points = int(points)
        except (TypeError, ValueError):
            points = 0
        if not name:
            raise ApplicationError(f"Tiêu chí thứ {n} chưa có tên.", field="criteria")
        if not 0 < points <= 1000:
            raise ApplicationError(f"Điểm tối đa của tiêu chí «{name}» phải từ 1 đến 1.000.",
                                   field="criteria")
        out.append((name, points))
    if not out:
        raise ApplicationError("Phiếu chấm điểm cần ít nhất một tiêu chí.", field="criteria")
    return out


@transaction.atomic
def council_criteria_set(*, actor: Actor, council: Council,
                         criteria: Sequence[tuple[str, int]]) -> list[Criterion]:
    require_council_officer(actor, council)
    if Score.objects.filter(review__council=council).exists():
        raise ApplicationError("Đã có thành viên chấm điểm theo phiếu này; không sửa phiếu được "
                               "nữa.", field="criteria")
    rows = _clean_criteria(criteria)
    before = list(council.criteria.values_list("name", "max_points"))
    council.criteria.all().delete()
    created = Criterion.objects.bulk_create([Criterion(council=council, name=n, max_points=p,
                                                       order=i)
                                             for i, (n, p) in enumerate(rows, 1)])
    audit_record(actor=actor, action="council.criteria", object_type="initiative_council",
                 object_id=council.pk, unit_id=council.unit_id,
                 before=[list(r) for r in before], after=[list(r) for r in rows])
    return created


def _same_person(member: Member, author: Author) -> bool:
    """Linked records decide; otherwise the folded name (and the birth date when both have one)."""
    if member.person_id and author.person_id:
        return member.person_id == author.person_id
    if fold(member.full_name) != fold(author.full_name):
        return False
    m_birth = member.person.birth_date if member.person_id and member.person else None
    return not (m_birth and author.birth_date and m_birth != author.birth_date)


def author_conflicts(members: Sequence[Member], authors: Sequence[Author]
                      ) -> list[tuple[Member, Author]]:
    return [(m, a) for m in members for a in authors if _same_person(m, a)]


def author_on_council_message(author: Author, ini: Initiative) -> str:
    return (f"{author.full_name} là tác giả sáng kiến «{ini.title}»: tác giả không được là thành "
            "viên Hội đồng xét sáng kiến của mình (Thông tư 18/2013/TT-BKHCN, Điều 8).")


@transaction.atomic
def council_member_add(*, actor: Actor, council: Council, role: str, person: Person | None = None,
                       full_name: str = "", position: str = "") -> Member:
    """Add a member. Refused: the person is an author of an initiative this council is
    reviewing; a second chair or secretary; the same person twice."""
    require_council_officer(actor, council)
    if role not in Role.values:
        raise ApplicationError("Hãy chọn vai trò trong Hội đồng.", field="role")
    if person is not None and not people_for(actor).filter(pk=person.pk).exists():
        raise NotFoundError()
    if council.reviews.filter(closed_at__isnull=False).exists():
        raise ApplicationError("Hội đồng đã biểu quyết; không thay đổi thành phần được nữa.",
                               field="person")
    seat = Member(council=council, person=person,
                  full_name=plain(full_name, limit=150) or (person.full_name if person else ""))
    for review in council.reviews.filter(closed_at__isnull=True).select_related("initiative"):
        conflicts = author_conflicts([seat], list(review.initiative.authors.all()))
        if conflicts:
            raise ApplicationError(author_on_council_message(conflicts[0][1], review.initiative),
                                   field="person")
    member = council_services.member_add(council=council, role=role, person=person,
                                         full_name=full_name, position=position)
    audit_record(actor=actor, action="council.member_add", object_type="initiative_council",
                 object_id=council.pk, unit_id=council.unit_id,
                 after={"member": member.pk, "person": person.pk if person else None,
                        "name": member.full_name, "role": role})
    return member


@transaction.atomic
def council_member_remove(*, actor: Actor, member: Member) -> None:
    council = member.council
    require_council_officer(actor, council)
    if member.votes.exists() or member.scores.exists():
        raise ApplicationError(f"{member.full_name} đã chấm điểm hoặc biểu quyết; không rút khỏi "
                               "Hội đồng được.")
    audit_record(actor=actor, action="council.member_remove", object_type="initiative_council",
                 object_id=council.pk, unit_id=council.unit_id,
                 before={"member": member.pk, "name": member.full_name, "role": member.role})
    member.delete()

