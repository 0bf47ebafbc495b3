"""Reads of the evaluation data: the roster a year is about, locks, reviews and results, each
scoped like the rest of the system (`access_*` answer NotFoundError for missing and forbidden)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from thidua.councils.models import Ballot, Member, Vote
from thidua.councils.selectors import members_by_role
from thidua.evaluation.engine import title_labels
from thidua.evaluation.models import (
    Candidate,
    Correction,
    Outcome,
    Rating,
    Review,
    TitleResult,
    UnitRating,
    YearLock,
    year_end,
)
from thidua.evaluation.thresholds import threshold_for
from thidua.org.models import Unit, UnitVersion, alive_at
from thidua.org.permissions import restrict_queryset
from thidua.org.selectors import access_unit, version_at
from thidua.people.cccd import normalise_cccd
from thidua.people.models import Employment, Person
from thidua.people.selectors import access_person
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.text import vn_date

MIN_YEAR = 2000


def check_year(year: int) -> int:
    """A year an evaluation may be about: from 2000 to next year."""
    from django.utils import timezone

    last = timezone.localdate().year + 1
    if not MIN_YEAR <= year <= last:
        raise ApplicationError(f"Năm đánh giá phải từ {MIN_YEAR} đến {last}.", field="year")
    return year


def year_version(unit: Unit, year: int) -> UnitVersion:
    """The unit as it stood on the year's last day; refused if it did not exist then."""
    version = version_at(unit, year_end(year))
    if version is None:
        raise ApplicationError(
            f"Đơn vị «{unit.name}» không hoạt động vào ngày {vn_date(year_end(year))}; "
            f"không có danh sách để đánh giá năm {year}.")
    return version


def year_roster(unit: Unit, year: int) -> QuerySet[Employment]:
    """Employments valid on 31/12 of `year` in the unit's subtree as it stood then, with the
    person and the unit: one row per person on the roster at year end."""
    version = year_version(unit, year)
    day = year_end(year)
    units = UnitVersion.objects.at(day).subtree(version.path).values("unit_id")
    return (Employment.objects.filter(alive_at(day), unit_id__in=units)
            .select_related("person", "unit").order_by("person__name_folded", "person_id"))


def roster_units(unit: Unit, year: int) -> dict[int, int]:
    """person id -> id of the unit where the person is on the roster on 31/12 (one query)."""
    return dict(year_roster(unit, year).values_list("person_id", "unit_id"))


def lock_paths(year: int) -> list[tuple[str, YearLock]]:
    """Current tree paths of the units whose subtree is locked for `year` (one query)."""
    return [(lock.unit.path, lock) for lock in
            YearLock.objects.filter(year=year).select_related("unit", "locked_by")]


def lock_covering(path: str, locks: list[tuple[str, YearLock]]) -> YearLock | None:
    return next((lock for p, lock in locks if path.startswith(p)), None)


def year_lock_for(unit: Unit, year: int) -> YearLock | None:
    """The lock on the unit or one of its ancestors for `year`, if any."""
    prefixes = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    return (YearLock.objects.filter(year=year, unit__path__in=prefixes)
            .select_related("unit", "locked_by").order_by("unit__depth").first())


def locks_below(unit: Unit, year: int) -> list[YearLock]:
    return list(YearLock.objects.filter(year=year, unit__path__startswith=unit.path)
                .select_related("unit").order_by("unit__path"))


def ratings_of(year: int, person_ids: list[int]) -> dict[int, Rating]:
    return {r.person_id: r for r in Rating.objects.filter(year=year, person_id__in=person_ids)}


def rating_counts(unit: Unit, year: int) -> dict[str, Any]:
    """How many people of the roster at year end carry each rating (two queries)."""
    persons = year_roster(unit, year).values("person_id")
    codes = Counter(Rating.objects.filter(year=year, person_id__in=persons)
                    .values_list("code", flat=True))
    total = year_roster(unit, year).count()
    rated = sum(n for code, n in codes.items() if code)
    return {"total": total, "rated": rated, "unrated": total - rated,
            "by_code": {code: n for code, n in codes.items() if code}}


def unit_rating(unit: Unit, year: int) -> UnitRating | None:
    return UnitRating.objects.filter(unit=unit, year=year).first()


def review_of(unit: Unit, year: int) -> Review | None:
    return Review.objects.filter(unit=unit, year=year).first()


def reviews_for(user: Any) -> QuerySet[Review]:
    """Reviews of units in the user's subtrees."""
    return restrict_queryset(Review.objects.all(), user)


def access_review(user: Any, review_id: int) -> Review:
    review = reviews_for(user).select_related("unit").filter(pk=review_id).first()
    if review is None:
        raise NotFoundError()
    return review


def access_candidate(user: Any, review: Review, candidate_id: int) -> Candidate:
    try:
        return review.candidates.select_related("person", "subject_unit").get(pk=candidate_id)
    except (Candidate.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_member(review: Review, member_id: int) -> Member:
    try:
        return Member.objects.get(council_id=review.council_id, pk=member_id)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_unit_year(user: Any, code: str, year: int) -> Unit:
    unit = access_unit(user, code)
    check_year(year)
    return unit


def candidates_of(review: Review) -> list[Candidate]:
    """The review's list with its subjects and votes, in three queries."""
    return list(review.candidates.select_related("person", "subject_unit", "subject")
        .prefetch_related(Prefetch("subject__votes", queryset=Vote.objects.select_related(
            "member")))
        .order_by("title", "subject_unit__path", "person__name_folded", "id"))


def council_of(review: Review) -> list[Member]:
    """The review council's members, chair first and secretary last."""
    return members_by_role(review.council)


def results_of(unit: Unit, year: int) -> QuerySet[TitleResult]:
    """Titles decided by the unit for the year (revoked ones included, flagged)."""
    return (TitleResult.objects.filter(unit=unit, year=year)
            .select_related("person", "subject_unit").order_by("title", "revoked", "id"))


def results_counts(unit: Unit, year: int) -> dict[str, int]:
    return dict(Counter(TitleResult.objects.filter(unit=unit, year=year, revoked=False)
                        .values_list("title", flat=True)))


def corrections_of(unit: Unit, year: int) -> QuerySet[Correction]:
    return (Correction.objects.filter(unit=unit, year=year)
            .select_related("person", "subject_unit", "actor").order_by("-at", "-id"))


def person_titles(person: Person) -> QuerySet[TitleResult]:
    return (TitleResult.objects.filter(person=person).select_related("unit")
            .order_by("-year", "title", "id"))


def person_home_unit(person: Person, year: int) -> Unit | None:
    """The unit where the person is on the roster at the end of `year` (else the latest)."""
    day = year_end(year)
    periods = list(person.employments.select_related("unit").order_by("-valid_from", "-id"))
    then = next((e.unit for e in periods if e.valid_from <= day
                 and (e.valid_to is None or e.valid_to > day)), None)
    return then or (periods[0].unit if periods else None)


def access_person_for(user: Any, person_id: int) -> Person:
    return access_person(user, person_id)


def reviews_in(unit: Unit, year: int) -> QuerySet[Review]:
    """Reviews of the year in the unit's subtree (current tree)."""
    return Review.objects.filter(year=year, unit__path__startswith=unit.path).select_related("unit")


def child_units(unit: Unit, year: int) -> list[Unit]:
    """Direct children of the unit on 31/12 of `year` (the collectives it rates and proposes)."""
    day = year_end(year)
    version = year_version(unit, year)
    rows = (UnitVersion.objects.at(day)
            .filter(path__startswith=version.path, depth=version.depth + 1)
            .select_related("unit").order_by("path"))
    return [v.unit for v in rows]


def open_reviews_below(unit: Unit, year: int) -> list[Review]:
    return list(reviews_in(unit, year).filter(~Q(status="closed")))


def find_on_roster(unit: Unit, year: int, who: str) -> Person | None:
    """A person of the unit's roster on 31/12 by CCCD or member code (as typed)."""
    text = (who or "").strip()
    if not text:
        return None
    digits = normalise_cccd(text)
    q = Q(person__member_code__iexact=text)
    if digits and digits.isdigit():
        q |= Q(person__cccd=digits)
    found = year_roster(unit, year).filter(q).first()
    return found.person if found else None


def missing_votes(review: Review, size: int) -> int:
    """Ballots still to record before the review can close: one per member and included
    candidate (a secret ballot: every member of each candidate without announced counts)."""
    included = review.candidates.filter(included=True)
    if review.council.ballot == Ballot.SECRET:
        return size * included.filter(subject__count_for=0, subject__count_against=0,
                                      subject__count_absent=0).count()
    return included.count() * size - Vote.objects.filter(subject__candidate__in=included).count()


def title_summary(review: Review) -> list[dict[str, Any]]:
    """Per title of the review's list, in the engine's order: proposed by the rules, added and
    removed by officers, on the list, passed, and the vote threshold in force. The review page
    and the API both read this."""
    labels = title_labels()
    order = list(labels)
    rows = list(review.candidates.values_list("title", "included", "source", "outcome"))
    out = []
    for t in sorted({r[0] for r in rows}, key=lambda t: order.index(t) if t in order else 99):
        mine = [r for r in rows if r[0] == t]
        out.append({
            "code": t, "label": labels.get(t, t),
            "engine": sum(1 for r in mine if r[2] == "engine"),
            "added": sum(1 for r in mine if r[2] == "officer" and r[1]),
            "removed": sum(1 for r in mine if not r[1]),
            "included": sum(1 for r in mine if r[1]),
            "passed": sum(1 for r in mine if r[3] == Outcome.PASSED),
            "threshold": threshold_for(t, review.year),
        })
    return out
