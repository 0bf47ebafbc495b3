"""Reads of initiatives: scoped lists and details, what each page shows of an initiative, a
council and a review, the counts by level, year and unit, and the facts the rules engine reads
(who holds a recognised initiative, when, at what level)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from thidua.councils.models import Council, Kind, Level, Member, Vote
from thidua.councils.selectors import members_in_order
from thidua.initiatives.figures import PROPOSED, RECOGNISED, level_key
from thidua.initiatives.figures import SUMS as INITIATIVE_SUMS
from thidua.initiatives.models import (
    LEVEL_ORDER,
    Attachment,
    Author,
    Criterion,
    Initiative,
    InitiativeUse,
    Recognition,
    Review,
    Status,
    StatusChange,
    TrialParticipant,
    UseKind,
)
from thidua.initiatives.permissions import (
    is_officer_at,
    restrict_councils,
    restrict_initiatives,
)
from thidua.org.models import Unit, alive_at
from thidua.org.permissions import scope_paths
from thidua.org.rollups import rolled_sums
from thidua.org.selectors import top_depth, units_for
from thidua.people.models import Employment, Person, by_name
from thidua.people.selectors import people_for
from thidua.platform.actor import Actor
from thidua.platform.errors import NotFoundError
from thidua.platform.text import fold

#: People offered in an author or member picker (the roster of the unit's subtree).
ROSTER_LIMIT = 2000


def initiatives_for(user: Actor) -> QuerySet[Initiative]:
    """Initiatives the user may see: those of units in their subtrees, and their own."""
    return restrict_initiatives(Initiative.objects.all(), user)


def access_initiative(user: Actor, pk: int | str) -> Initiative:
    """The initiative with its unit, if the user may see it; the same NotFoundError otherwise."""
    try:
        return initiatives_for(user).select_related("unit").get(pk=int(pk))
    except (Initiative.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def councils_for(user: Actor) -> QuerySet[Council]:
    return restrict_councils(Council.objects.filter(kind=Kind.INITIATIVE), user)


def access_council(user: Actor, pk: int | str) -> Council:
    try:
        return councils_for(user).select_related("unit").get(pk=int(pk))
    except (Council.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_review(user: Actor, pk: int | str) -> Review:
    try:
        return (Review.objects.filter(council__in=councils_for(user))
                .select_related("council", "council__unit", "initiative", "initiative__unit",
                                "subject")
                .get(pk=int(pk)))
    except (Review.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_recognition(user: Actor, pk: int | str) -> Recognition:
    try:
        return (Recognition.objects.filter(initiative__in=initiatives_for(user))
                .select_related("initiative", "initiative__unit").get(pk=int(pk)))
    except (Recognition.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_attachment(user: Actor, pk: int | str) -> Attachment:
    try:
        return (Attachment.objects.filter(initiative__in=initiatives_for(user))
                .select_related("initiative").get(pk=int(pk)))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


@dataclass(frozen=True)
class Openable:
    """Which of a page's links the viewer may open: the keys the target pages' own
    `access_*` lookups would find (a link that would answer 404 is shown as plain text)."""

    people: frozenset[int] = frozenset()
    councils: frozenset[int] = frozenset()
    reviews: frozenset[int] = frozenset()


def openable(user: Actor, *, person_ids: Iterable[int] = (), council_ids: Iterable[int] = (),
             review_ids: Iterable[int] = ()) -> Openable:
    """The subset of each set of keys the user may open, through the querysets behind
    `access_person`, `access_council` and `access_review` (one query per non-empty set)."""
    people, councils, reviews = set(person_ids), set(council_ids), set(review_ids)

    def keys(qs: QuerySet[Any], wanted: set[int]) -> frozenset[int]:
        return frozenset(qs.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted \
            else frozenset()

    return Openable(
        people=keys(people_for(user), people),
        councils=keys(councils_for(user), councils),
        reviews=keys(Review.objects.filter(council__in=councils_for(user)), reviews))


@dataclass(frozen=True)
class ListFilter:
    year: int | None = None
    level: str = ""
    status: str = ""
    unit_path: str = ""  # a subtree, as the tree stands today
    query: str = ""


def initiative_list(user: Actor, flt: ListFilter) -> QuerySet[Initiative]:
    """The filtered list with unit, authors and recognitions fetched alongside (three queries
    per page, whatever its length)."""
    qs = initiatives_for(user)
    if flt.year:
        qs = qs.filter(year=flt.year)
    if flt.status in Status.values:
        qs = qs.filter(status=flt.status)
    if flt.level in Level.values:
        qs = qs.filter(recognitions__level=flt.level)
    if flt.unit_path:
        qs = qs.filter(unit__path__startswith=flt.unit_path)
    if flt.query:
        q = fold(flt.query)
        qs = qs.filter(Q(title_folded__contains=q)
                       | Q(authors__full_name__icontains=flt.query.strip())).distinct()
    return (qs.select_related("unit")
            .prefetch_related(Prefetch("authors", queryset=Author.objects.order_by("order", "id")),
                              Prefetch("recognitions",
                                       queryset=Recognition.objects.order_by("decided_on")))
            .order_by("-year", "-id"))


def initiative_years(user: Actor) -> list[int]:
    """The years the user's initiatives were filed in, and this year; latest first."""
    years = set(initiatives_for(user).order_by().values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def filter_units(user: Actor, selected: Unit | None) -> list[tuple[str, str, int]] | None:
    """(code, name, depth) of the user's top units and two levels below them (one query), plus
    the selected one, in tree order; None for a user without grants."""
    paths = scope_paths(user)
    if not paths:
        return None
    rows = list(units_for(user).filter(depth__lte=top_depth(paths) + 2).order_by("path")
                .values_list("code", "name", "depth", "path")[:1500])
    if selected is not None and all(r[0] != selected.code for r in rows):
        rows = sorted([*rows, (selected.code, selected.name, selected.depth, selected.path)],
                      key=lambda r: r[3])
    return [(c, n, d) for c, n, d, _ in rows]


def top_unit(user: Actor) -> Unit | None:
    """The highest unit the user sees (the counts page opens on it)."""
    return units_for(user).order_by("depth", "path").first()


def own_person(user: Actor) -> Person | None:
    """The roster record linked to the user's account."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def current_unit(person: Person | None) -> Unit | None:
    """Where the person works today."""
    if person is None:
        return None
    job = (Employment.objects.filter(alive_at(timezone.localdate()), person=person).select_related("unit")
           .first())
    return job.unit if job else None


def roster_options(unit: Unit) -> list[tuple[str, str]]:
    """People on the roster of the unit's subtree today, for author and member pickers."""
    rows = (Employment.objects.filter(alive_at(timezone.localdate()), unit__path__startswith=unit.path)
            .select_related("person", "unit").order_by(*by_name("person__"))
            [:ROSTER_LIMIT])
    out = []
    for e in rows:
        born = f" ({e.person.birth_date.year})" if e.person.birth_date else ""
        out.append((str(e.person_id), f"{e.person.full_name}{born} — {e.unit.name}"))
    return out


def author_options(user: Actor, unit: Unit, own: Person | None) -> list[tuple[str, str]]:
    """Who may be picked as an author: the unit's roster for its officers, oneself otherwise."""
    if is_officer_at(user, unit):
        return roster_options(unit)
    return [(str(own.pk), own.full_name)] if own else []


def authors(initiative: Initiative) -> list[Author]:
    return list(initiative.authors.all())


def participants(initiative: Initiative) -> list[TrialParticipant]:
    return list(initiative.participants.all())


def author_person(initiative: Initiative, person_id: int | None) -> Person | None:
    """The roster record of one of the initiative's authors."""
    if not person_id:
        return None
    return Person.objects.filter(pk=person_id, initiative_authorships__initiative=initiative
                                 ).first()


def latest_review(initiative: Initiative) -> Review | None:
    return (initiative.reviews.select_related("council").order_by("-opened_at", "-id").first())


@dataclass
class InitiativeRecords:
    """What an initiative's page lists besides the application itself."""

    authors: list[Author]
    participants: list[TrialParticipant]
    attachments: list[Attachment]
    review: Review | None
    recognitions: list[Recognition]
    uses: list[InitiativeUse]
    changes: list[StatusChange]


def initiative_records(initiative: Initiative) -> InitiativeRecords:
    return InitiativeRecords(
        authors=list(initiative.authors.select_related("person").all()),
        participants=participants(initiative),
        attachments=attachments(initiative),
        review=latest_review(initiative),
        recognitions=recognitions(initiative),
        uses=uses(initiative),
        changes=list(initiative.status_changes.select_related("actor").order_by("at", "id")),
    )


def attachments(initiative: Initiative) -> list[Attachment]:
    return list(initiative.attachments.all())


def recognitions(initiative: Initiative) -> list[Recognition]:
    """The initiative's recognitions, earliest decision first."""
    return list(initiative.recognitions.order_by("decided_on", "id"))


def uses(initiative: Initiative) -> list[InitiativeUse]:
    """The award dossiers the initiative backs, by year."""
    return list(initiative.uses.select_related("person").order_by("year", "id"))


def councils_over(user: Actor, initiative: Initiative) -> list[Council]:
    """Councils the user runs whose unit is the initiative's unit or above it."""
    path = initiative.unit.path
    prefixes = [path[:i] for i in range(Unit.steplen, len(path) + 1, Unit.steplen)]
    return [c for c in councils_for(user).filter(unit__path__in=prefixes)
            .select_related("unit").order_by("-year", "name")
            if is_officer_at(user, c.unit)]


def council_list(user: Actor, year: int | None = None) -> list[Council]:
    """The councils the user sees (with their members), latest year first; at most 200."""
    qs = councils_for(user).select_related("unit").prefetch_related("members")
    if year:
        qs = qs.filter(year=year)
    return list(qs.order_by("-year", "unit__path", "name")[:200])


def council_members(council: Council) -> list[Member]:
    return members_in_order(council)


def council_member(council: Council, pk: int) -> Member | None:
    return council.members.filter(pk=pk).first()


def council_criteria(council: Council) -> list[Criterion]:
    return list(council.criteria.all())


def council_reviews(council: Council) -> list[Review]:
    """The council's reviews, latest first, with their initiatives and votes."""
    return list(council.reviews.select_related("initiative", "initiative__unit", "subject")
                .prefetch_related("subject__votes").order_by("-opened_at"))


def reviews_in_order(council: Council) -> list[Review]:
    """The council's reviews in the order they were opened, with their initiatives."""
    return list(council.reviews.select_related("initiative").order_by("opened_at"))


def council_has_scores(reviews: Iterable[Review]) -> bool:
    """Whether anyone scored one of these reviews (the scoring sheet is fixed from then on)."""
    return any(r.scores.exists() for r in reviews)


@dataclass
class SheetRow:
    member: Member
    cells: list[tuple[Criterion, Decimal | None]]
    total: Decimal | None
    vote: Vote | None


def review_sheet(review: Review, members: list[Member], criteria: list[Criterion]
                 ) -> list[SheetRow]:
    """One row per member: their points per criterion, their total once every line is scored,
    and their vote."""
    scores: dict[tuple[int, int], Decimal] = {
        (s.member_id, s.criterion_id): s.points for s in review.scores.all()}
    votes = {v.member_id: v for v in review.subject.votes.all()}
    sheet = []
    for m in members:
        cells = [scores.get((m.pk, c.pk)) for c in criteria]
        done = [x for x in cells if x is not None]
        sheet.append(SheetRow(member=m, cells=list(zip(criteria, cells, strict=True)),
                              total=sum(done, Decimal(0)) if len(done) == len(criteria) else None,
                              vote=votes.get(m.pk)))
    return sheet


def votes_cast(review: Review) -> list[Vote]:
    """The votes cast on the review, in the members' order."""
    return list(review.subject.votes.select_related("member").order_by("member__order"))


@dataclass
class UnitCounts:
    unit: Unit
    applications: int = 0
    recognized: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass
class Counts:
    """Figures of a subtree over some years. `recognized` counts initiatives (each once however
    many levels recognised it); `by_level` counts initiatives per level."""

    unit: Unit
    years: list[int]
    applications: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    recognized: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    by_year: dict[int, dict[str, int]] = field(default_factory=dict)
    by_year_level: dict[int, dict[str, int]] = field(default_factory=dict)
    used_for_commendation: int = 0
    used_for_title: int = 0
    children: list[UnitCounts] = field(default_factory=list)

    def at_levels(self, levels: Iterable[str]) -> int:
        """Initiatives recognised at any of these levels (each counted once)."""
        wanted = set(levels)
        return len({pk for lvl, pks in self._ids_by_level.items() if lvl in wanted for pk in pks})

    _ids_by_level: dict[str, set[int]] = field(default_factory=dict, repr=False)


def initiative_years_in(unit: Unit) -> set[int]:
    """The years with initiatives filed or recognised on the unit's subtree."""
    filed = Initiative.objects.filter(unit__path__startswith=unit.path)
    recognised = Recognition.objects.filter(initiative__unit__path__startswith=unit.path)
    return (set(filed.order_by().values_list("year", flat=True).distinct())
            | set(recognised.order_by().values_list("year", flat=True).distinct()))


def initiative_year_sums(*, unit: Unit, year: int) -> tuple[dict[str, int], int, int]:
    """The initiatives recognised at each level, recognised in all (once each) and put forward
    for an award in `year`, over the subtree `unit` headed on 31/12 of `year`: its kept subtree
    sums (ADR 0036), one query. What `initiative_counts` counts from the records for one year
    and that subtree (`reports/tests/test_subtree_sums.py` compares them)."""
    sums = {key: n for (_, _, key), n in
            rolled_sums(INITIATIVE_SUMS, unit_ids=[unit.pk], years=[year]).items()}
    by_level = {lvl: sums.get(level_key(lvl), 0) for lvl in Level.values}
    return by_level, sums.get(RECOGNISED, 0), sums.get(PROPOSED, 0)


def initiative_counts(*, unit: Unit, years: Iterable[int], unit_ids: Any = None,
                      children: bool = True) -> Counts:
    """Applications by status and year, recognitions by level and year, uses in dossiers, and the
    same per direct child of `unit` — six queries whatever the size of the subtree. `unit_ids`
    (ids or a subquery) replaces the subtree as the tree stands today by another (the tree of a
    past year end, for the year-end report); `children=False` skips the per-child counts."""
    years = sorted(set(years))
    out = Counts(unit=unit, years=years)
    if unit_ids is None:
        sub, of_initiative = Q(unit__path__startswith=unit.path), Q(
            initiative__unit__path__startswith=unit.path)
    else:
        sub, of_initiative = Q(unit_id__in=unit_ids), Q(initiative__unit_id__in=unit_ids)
    apps = Initiative.objects.filter(sub, year__in=years)
    for year, status, n in (apps.values_list("year", "status").annotate(n=Count("id"))
                            .order_by()):
        out.applications += n
        out.by_status[status] = out.by_status.get(status, 0) + n
        row = out.by_year.setdefault(year, {"applications": 0, "recognized": 0})
        row["applications"] += n
    recs = Recognition.objects.filter(of_initiative, year__in=years)
    ids_by_level: dict[str, set[int]] = defaultdict(set)
    ids_by_year: dict[int, set[int]] = defaultdict(set)
    year_level: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for pk, level, year in recs.values_list("initiative_id", "level", "year"):
        ids_by_level[level].add(pk)
        ids_by_year[year].add(pk)
        year_level[year][level].add(pk)
    out._ids_by_level = dict(ids_by_level)
    out.recognized = len(set().union(*ids_by_level.values())) if ids_by_level else 0
    out.by_level = {lvl: len(ids_by_level.get(lvl, ())) for lvl in Level.values}
    for year in years:
        row = out.by_year.setdefault(year, {"applications": 0, "recognized": 0})
        row["recognized"] = len(ids_by_year.get(year, ()))
        out.by_year_level[year] = {lvl: len(year_level[year].get(lvl, ())) for lvl in Level.values}
    uses = (InitiativeUse.objects.filter(of_initiative, year__in=years)
            .values_list("kind").annotate(n=Count("initiative_id", distinct=True)).order_by())
    for kind, n in uses:
        if kind == UseKind.COMMENDATION:
            out.used_for_commendation = n
        else:
            out.used_for_title = n
    if children:
        out.children = _child_counts(unit, years)
    return out


def _child_counts(unit: Unit, years: list[int]) -> list[UnitCounts]:
    plen = len(unit.path) + unit.steplen
    children = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
                    .order_by("path"))
    rows = {c.path: UnitCounts(unit=c) for c in children}
    own = UnitCounts(unit=unit)
    apps = (Initiative.objects.filter(unit__path__startswith=unit.path, year__in=years)
            .annotate(prefix=Substr("unit__path", 1, plen))
            .values_list("prefix").annotate(n=Count("id")).order_by())
    for prefix, n in apps:
        rows.get(prefix, own).applications += n
    recs = (Recognition.objects.filter(initiative__unit__path__startswith=unit.path,
                                       year__in=years)
            .annotate(prefix=Substr("initiative__unit__path", 1, plen))
            .values_list("prefix", "level", "initiative_id"))
    seen: dict[str, set[int]] = defaultdict(set)
    for prefix, level, pk in recs:
        target = rows.get(prefix, own)
        target.by_level[level] = target.by_level.get(level, 0) + 1
        seen[prefix if prefix in rows else ""].add(pk)
    for prefix, ids in seen.items():
        (rows[prefix] if prefix else own).recognized = len(ids)
    out = [own] if own.applications or own.recognized else []
    return out + [r for r in rows.values() if r.applications or r.recognized]


#: How a recognition level reads in the rules engine, whose vocabulary is co_so / tinh / toan_quoc
#: (thidua.rules.facts.LEVELS). A district (quận, huyện) recognition is a recognition by the
#: "cơ sở" that applies it in the sense of NĐ 13/2012 — the district People's Committee is the
#: employer of the district's civil servants — and proves no effect across a province, which
#: Luật 06/2022 Art. 22 asks of CSTĐ cấp bộ, ngành, tỉnh: so it counts as co_so. A ministry or
#: sector recognition is the "bộ, ban, ngành" of Art. 22, the same engine level as a province.
ENGINE_LEVEL: dict[str, str] = {
    Level.CO_SO: "co_so",
    Level.HUYEN: "co_so",
    Level.TINH: "tinh",
    Level.BO_NGANH: "tinh",
    Level.TOAN_QUOC: "toan_quoc",
}


def recognized_initiatives(*, person_ids: Iterable[int], years: Iterable[int]
                           ) -> dict[int, list[dict[str, Any]]]:
    """{person_id: [{"year": 2023, "level": "tinh"}, …]} for every author (linked to the roster)
    of an initiative recognised in one of `years`, levels mapped by ENGINE_LEVEL; one query.
    Every co-author holds the initiative, whatever their share (Hà Nội QĐ 16/2023: co-authors
    have equal rights). People without any are absent from the result."""
    ids = list(set(person_ids))
    wanted = list(set(years))
    out: dict[int, set[tuple[int, str]]] = defaultdict(set)
    if not ids or not wanted:
        return {}
    rows = (Recognition.objects.filter(year__in=wanted,
                                       initiative__authors__person_id__in=ids)
            .values_list("initiative__authors__person_id", "year", "level"))
    for pid, year, level in rows:
        out[pid].add((year, ENGINE_LEVEL[level]))
    rank = {"co_so": 0, "tinh": 1, "toan_quoc": 2}
    return {pid: [{"year": y, "level": lvl}
                  for y, lvl in sorted(pairs, key=lambda p: (p[0], rank[p[1]]))]
            for pid, pairs in out.items()}


def level_sort_key(level: str) -> int:
    return LEVEL_ORDER.get(level, 99)
