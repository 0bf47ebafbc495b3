"""Reads of the evaluation data: the roster a year is about, locks, reviews and results, each
scoped like the rest of the system (`access_*` answer NotFoundError for missing and forbidden)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from thidua.councils.models import Ballot, Member, Vote
from thidua.councils.selectors import members_by_role
from thidua.evaluation.engine import evaluate_person, title_labels, title_order
from thidua.evaluation.facts import build_person_facts
from thidua.evaluation.figures import SUMS as TITLE_SUMS
from thidua.evaluation.models import (
    Candidate,
    Correction,
    Discipline,
    Grading,
    GradingTemplate,
    Outcome,
    PendingMatter,
    Rating,
    RecognizedInitiative,
    Review,
    ReviewEvent,
    ReviewStatus,
    TitleResult,
    UnitRating,
    YearLock,
    year_end,
)
from thidua.evaluation.permissions import reviews_for
from thidua.evaluation.thresholds import threshold_for
from thidua.evaluation.unit_figures import SUMS as UNIT_SUMS
from thidua.evaluation.unit_figures import TITLE as UNIT_TITLE
from thidua.org.models import Unit, UnitVersion, alive_at
from thidua.org.rollups import rolled_sums
from thidua.org.selectors import access_unit, ancestors_at, version_at
from thidua.people.cccd import normalise_cccd
from thidua.people.models import Employment, Person, by_name
from thidua.people.selectors import access_person, people_for, people_search
from thidua.platform.actor import Visitor
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.text import ascii_digits, vn_date
from thidua.platform.years import check_year

#: how the pages and messages name the year an evaluation is about (`platform.years` bounds it)
YEAR = "Năm đánh giá"


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
            .select_related("person", "unit").order_by(*by_name("person__")))


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


def access_review(user: Visitor, review_id: int) -> Review:
    review = reviews_for(user).select_related("unit").filter(pk=review_id).first()
    if review is None:
        raise NotFoundError()
    return review


def access_candidate(user: Visitor, review: Review, candidate_id: int) -> Candidate:
    try:
        return review.candidates.select_related("person", "subject_unit").get(pk=candidate_id)
    except (Candidate.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_member(review: Review, member_id: int) -> Member:
    try:
        return Member.objects.get(council_id=review.council_id, pk=member_id)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_unit_year(user: Visitor, code: str, year: int) -> Unit:
    unit = access_unit(user, code)
    check_year(year, what=YEAR)
    return unit


def candidates_of(review: Review) -> list[Candidate]:
    """The review's list with its subjects and votes, in three queries."""
    return list(review.candidates.select_related("person", "subject_unit", "subject")
        .prefetch_related(Prefetch("subject__votes", queryset=Vote.objects.select_related(
            "member")))
        .order_by("title", "subject_unit__path", *by_name("person__"), "id"))


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


def title_counts(*, unit_id: int, year: int) -> dict[str, int]:
    """Titles (not revoked) of `year` held by the people on the roster of the unit's subtree on
    31/12, and by the units strictly below it then, as the tree stood (the unit alive that
    day): title code -> number of holders, three queries whatever the size of the subtree. (A
    person on the rosters of two units of the subtree counts in each, as in the workers
    figure.) Key "*" (`ANY_WORKER_TITLE`): the workers holding any worker title, once — not a
    title."""
    # people's titles from the kept subtree sums (ADR 0031, 0036): neither the year's titles
    # joined to the subtree's roster nor the subtree's kept rows summed on each view
    out: Counter[str] = Counter({title: n for (_u, _y, title), n in rolled_sums(
        TITLE_SUMS, unit_ids=[unit_id], years=[year]).items()})
    # the units' titles: the subtree's kept sums (ADR 0036) less the unit's own (the units
    # strictly below); a unit has one unrevoked row per title and year
    for (_u, _y, key), n in rolled_sums(UNIT_SUMS, unit_ids=[unit_id], years=[year]).items():
        if key.startswith(UNIT_TITLE):
            out[key[len(UNIT_TITLE):]] += n
    for code in TitleResult.objects.filter(year=year, revoked=False,
                                           subject_unit_id=unit_id).values_list("title", flat=True):
        out[code] -= 1
    return {code: n for code, n in out.items() if n}


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


def access_person_for(user: Visitor, person_id: int) -> Person:
    return access_person(user, person_id)


def reviews_in(unit: Unit, year: int) -> QuerySet[Review]:
    """Reviews of the year in the unit's subtree (current tree)."""
    return Review.objects.filter(year=year, unit__path__startswith=unit.path).select_related("unit")


def child_units(unit: Unit, year: int) -> list[Unit]:
    """Direct children of the unit on 31/12 of `year` (the collectives it rates and proposes)."""
    day = year_end(year)
    version = year_version(unit, year)
    rows = (UnitVersion.objects.at(day).children_of(version)
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
    if ascii_digits(digits, 12):
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
            "threshold": threshold_for(t, review.year, review.unit),
        })
    return out



def own_person_id(user: Visitor) -> int | None:
    """The person record a member's account may see (the first one, for an officer too)."""
    return people_for(user).values_list("pk", flat=True).first()


def version_at_year_end(unit: Unit, year: int) -> UnitVersion | None:
    """The unit as it stood on 31/12 of `year`, or None when it did not exist then."""
    return UnitVersion.objects.at(year_end(year)).filter(unit=unit).first()


def ancestors_at_year_end(version: UnitVersion, year: int) -> list[UnitVersion]:
    return ancestors_at(version, year_end(year))


def unit_names(unit_ids: Iterable[int], year: int) -> dict[int, str]:
    """Unit id -> its name on 31/12 of `year` (one query)."""
    return dict(UnitVersion.objects.at(year_end(year)).filter(unit_id__in=set(unit_ids))
                .values_list("unit_id", "name"))


def roster_search(unit: Unit, year: int, query: str, *, user: Visitor,
                  whole_cccd: bool = True) -> QuerySet[Employment]:
    """The year-end roster, narrowed to the people a typed name, member code or CCCD finds (a
    CCCD fragment only where `user` may read the whole number: `people_search`)."""
    qs = year_roster(unit, year)
    if query:
        qs = qs.filter(person__in=people_search(Person.objects.all(), query, user=user,
                                             whole_cccd=whole_cccd)
                       .values("pk"))
    return qs


def roster_entry(unit: Unit, year: int, person_id: int) -> Employment | None:
    """The person's line of the year-end roster, if they are on it."""
    return year_roster(unit, year).filter(person_id=person_id).first()


def roster_homes(unit: Unit, year: int, person_ids: Iterable[int]) -> dict[int, int]:
    """person id -> the unit where each of these people is on the roster on 31/12."""
    return dict(year_roster(unit, year).filter(person_id__in=list(person_ids))
                .values_list("person_id", "unit_id"))


def rated_people(year: int, person_ids: Iterable[int]) -> set[int]:
    """Of these people, those who have a rating row for `year` (even a blank one)."""
    return set(Rating.objects.filter(year=year, person_id__in=list(person_ids))
               .values_list("person_id", flat=True))


def children_year(unit: Unit, year: int) -> tuple[list[dict[str, Any]], Grading | None]:
    """The unit's direct children on 31/12 with their name then, rating and grading; and the
    unit's own grading (four queries)."""
    children = child_units(unit, year)
    ratings = {r.unit_id: r for r in UnitRating.objects.filter(unit__in=children, year=year)}
    gradings = {g.unit_id: g for g in Grading.objects.filter(unit__in=[unit, *children],
                                                             year=year)}
    names = unit_names([c.pk for c in children], year)
    rows = [{"unit": c, "name": names.get(c.pk, c.name), "rating": ratings.get(c.pk),
             "grading": gradings.get(c.pk)} for c in children]
    return rows, gradings.get(unit.pk)


def grading_templates_for(unit: Unit, year: int) -> list[GradingTemplate]:
    """Sheets issued for the year by the unit or a unit above it, the nearest issuer first."""
    prefixes = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    return list(GradingTemplate.objects.filter(year=year, issuer__path__in=prefixes)
                .select_related("issuer").prefetch_related("criteria")
                .order_by("-issuer__depth", "name"))


def grading_templates_issued(unit: Unit, year: int) -> list[GradingTemplate]:
    """Sheets the unit itself issued for the year."""
    return list(GradingTemplate.objects.filter(issuer=unit, year=year)
                .prefetch_related("criteria"))


def grading_of(unit: Unit, year: int) -> Grading | None:
    return Grading.objects.filter(unit=unit, year=year).select_related("template").first()


def grading_points(grading: Grading) -> dict[int, Decimal]:
    """criterion id -> points of a filled sheet."""
    return {a.criterion_id: a.points for a in grading.answers.all()}


def review_candidates(review: Review, *, title: str = "", show: str = "") -> QuerySet[Candidate]:
    """The review's list as its page shows it: one title or all; on the list (default), taken
    off it (`da-bo`) or both (`tat-ca`); in the engine's title order, with subjects and votes.
    A closed review's tallies are frozen on its candidates (`candidate_tally`): its votes are
    not fetched (350 of them, two thirds of the list's cost, for a page of 50 on the demo)."""
    qs = review.candidates.select_related("person", "subject_unit", "subject")
    if review.status != ReviewStatus.CLOSED:
        qs = qs.prefetch_related("subject__votes")
    if title:
        qs = qs.filter(title=title)
    if show == "da-bo":
        qs = qs.filter(included=False)
    elif show != "tat-ca":
        qs = qs.filter(included=True)
    return qs.order_by(title_order(), "subject_unit__path", *by_name("person__"), "id")


def candidate_count(review: Review) -> int:
    return review.candidates.count()


def review_events(review: Review, limit: int = 30) -> list[ReviewEvent]:
    """The review's log, newest first, for the page (which shows who, when and the text: each
    event's `data` can hold the whole list it changed, kilobytes not read here)."""
    return list(review.events.select_related("actor").defer("data")
                .order_by("-at", "-id")[:limit])


def votes_by_member(candidate: Candidate) -> dict[int, Vote]:
    """member id -> their vote on the candidate (an open vote; none before voting starts)."""
    if candidate.subject is None:
        return {}
    return {v.member_id: v for v in candidate.subject.votes.all()}


def results_listed(unit: Unit, year: int, title: str = "") -> QuerySet[TitleResult]:
    """The unit's decided titles of the year in the engine's title order, one title or all."""
    qs = results_of(unit, year).order_by(title_order(), "revoked", "id")
    return qs.filter(title=title) if title else qs


def person_evaluation(person: Person, year: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The person's facts for the year and the rules engine's answer per title (with reasons):
    what the person page and the API show."""
    facts = build_person_facts(person_ids=[person.pk], year=year)[person.pk]
    return facts, evaluate_person(facts)


def person_results(person: Person, year: int) -> list[TitleResult]:
    """Titles decided for the person in `year`, revoked ones included."""
    return list(person_titles(person).filter(year=year).select_related("person", "subject_unit"))


def review_held(review: Review) -> list[dict[str, Any]]:
    """People of the review's roster held today (tạm hoãn xét: a discipline review,
    inspection or complaint under way, NĐ 152/2025 Điều 4 khoản 4): the engine proposes none of
    their titles until it ends."""
    today = timezone.localdate()
    ids = list(roster_units(review.unit, review.year))
    rows = (PendingMatter.objects.filter(person_id__in=ids, valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
            .select_related("person").order_by("person__full_name", "valid_from"))
    out: dict[int, dict[str, Any]] = {}
    for m in rows:
        row = out.setdefault(m.person_id, {"person": m.person, "matters": []})
        row["matters"].append(f"{m.get_kind_display()} từ {vn_date(m.valid_from)}")
    return list(out.values())


def person_pending(person: Person) -> list[PendingMatter]:
    """The person's discipline reviews, inspections and complaints, open ones holding the
    review."""
    return list(PendingMatter.objects.filter(person=person).order_by("-valid_from", "-id"))


def person_disciplines(person: Person) -> list[Discipline]:
    return list(person.disciplines.all())


def person_initiatives(person: Person) -> list[RecognizedInitiative]:
    return list(person.recognized_initiatives.all())


def person_history(person: Person) -> list[dict[str, Any]]:
    """A person's ratings and titles by year, newest first: {"year", "rating", "titles"} with
    each title's label and how it was decided (two queries)."""
    labels = title_labels()
    years: dict[int, dict[str, Any]] = {}
    for r in Rating.objects.filter(person=person).select_related("unit"):
        years.setdefault(r.year, {"year": r.year, "titles": []})["rating"] = r
    for t in TitleResult.objects.filter(person=person, revoked=False).order_by("title"):
        years.setdefault(t.year, {"year": t.year, "titles": []})["titles"].append(
            {"label": labels.get(t.title, t.title), "how": t.get_how_display()})
    return sorted(years.values(), key=lambda y: y["year"], reverse=True)
