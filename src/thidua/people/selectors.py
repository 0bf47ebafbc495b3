"""Reads of the roster: scoped lists, search, and counts of a subtree at a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from thidua.accounts.models import Role
from thidua.org.models import Unit, UnitType, UnitVersion, alive_at
from thidua.org.permissions import can, scope_paths
from thidua.org.selectors import event_date_problems, kept_subtree, live_children, parent_of
from thidua.people.models import (
    Employment,
    Gender,
    ImportJob,
    Membership,
    MembershipStatus,
    Person,
    by_name,
)
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError
from thidua.platform.planner import without_jit
from thidua.platform.text import ascii_digits, fold, vn_date, vn_number


def open_person_ids(*, unit_ids: list[int], day: dt.date) -> set[int]:
    """People with an employment or membership in these units that is open at or after `day`."""
    still = Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    return set(
        Employment.objects.filter(still, unit_id__in=unit_ids).values_list("person_id", flat=True)
    ) | set(
        Membership.objects.filter(still, unit_id__in=unit_ids).values_list("person_id", flat=True)
    )


def open_people_count(*, unit_ids: list[int], day: dt.date) -> int:
    return len(open_person_ids(unit_ids=unit_ids, day=day))


def people_for(user: Visitor) -> QuerySet[Person]:
    """People the user may see (`Person.objects.restrict`)."""
    return Person.objects.restrict(user)


def access_person(user: Visitor, person_id: int) -> Person:
    """The person, if the user may see them; the same NotFoundError for missing and forbidden."""
    try:
        return people_for(user).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_import_job(user: Actor, job_id: int) -> ImportJob:
    """An import job, for its creator and for officers over its unit; the same NotFoundError for
    anyone else and for a job that does not exist."""
    job = ImportJob.objects.select_related("unit").filter(pk=job_id).first()
    if job is None or not (
        (job.created_by_id is not None and job.created_by_id == getattr(user, "pk", None))
        or can(user, job.unit.path, "officer")
    ):
        raise NotFoundError()
    return job


def people_search(qs: QuerySet[Person], query: str, *, user: Visitor,
                  whole_cccd: bool = True) -> QuerySet[Person]:
    """Match the folded name, the member code or the CCCD; "nguyen van duc" finds "Nguyễn Văn Đức".

    A CCCD fragment matches only people whose whole number `user` may read (`cccd_readable`):
    for anyone else a fragment search would recover a masked number digit by digit (about 36
    searches for 12 digits), so they find a person by CCCD only by typing all 12 digits — and,
    with `whole_cccd=False` (their daily allowance of such look-ups used up:
    `people.services.privacy.cccd_lookup_allowed`), not even so."""
    q = fold(query)
    if not q:
        return qs
    digits = q.replace(" ", "")
    cond = Q(name_folded__contains=q)
    # Member codes (DV0000001918) carry digits: a query without any is a name, and an OR with a
    # code match that no index serves would turn the trigram search into a scan of every person.
    if any(ch.isdigit() for ch in digits):
        cond |= Q(member_code__icontains=digits)
    if ascii_digits(digits, 12):
        number = Q(cccd=digits) if len(digits) == 12 else Q(cccd__contains=digits)
        limited = len(digits) != 12 or not whole_cccd
        if limited and scope_paths(user, Role.OFFICER) != [""]:  # not installation-wide
            number &= Q(pk__in=cccd_readable(user).values("pk"))
        cond |= number
    return qs.filter(cond)


def cccd_readable(user: Visitor) -> QuerySet[Person]:
    """People whose whole CCCD `user` may read: those on the roster of a unit where the user is
    an officer (cán bộ) or higher, and the user's own record (`permissions.can_see_cccd`)."""
    return Person.objects.restrict(user, Role.OFFICER)


#: A roster of at most this many people is selected, then sorted by name; a larger one is left
#: to the planner, which reads it in the order of the name index. At 1.000.000 members on
#: PostgreSQL, selecting and sorting a cấp trên's 33.906 rows took 0,45–0,61 s against 3 ms
#: along the index; 400 rows took 3 ms sorted (bench/README.md, "each kind alone at
#: 1.000.000 members").
SORTED_ROSTER_MAX = 2_000


def roster(
    *, user: Actor, unit_path: str, day: dt.date, query: str = "", status: str = "",
    gender: str = "", whole_cccd: bool = True, workers: int | None = None,
) -> QuerySet[Employment]:
    """Employments valid at `day` in the subtree at `unit_path` (as of `day`), with person, unit and
    the person's membership at `day` fetched alongside — one query per page. `workers` is the
    subtree's kept count at `day` (`roster_workers`), read here when the caller has not."""
    if workers is None:
        workers = roster_workers(unit_path=unit_path, day=day)
    units = UnitVersion.objects.at(day).subtree(unit_path).values("unit_id")
    # PostgreSQL sizes a subtree from its path histogram, which misses the units added since the
    # last ANALYZE: a CĐCS of 400 people was taken for 4.000, and the first page walked all
    # 1.000.000 people in name order looking for 50 of them (3,0 s). The kept count is exact:
    # a small roster is sorted (a millisecond for 400), only a large one walks the index.
    qs = (_with_person_and_status(Employment.objects.filter(alive_at(day), unit_id__in=units),
                                  day)
          .order_by(*by_name("person__", indexed=not sorting_is_cheaper(workers))))
    if query:
        qs = qs.filter(person__in=people_search(Person.objects.all(), query, user=user,
                                                  whole_cccd=whole_cccd).values("pk"))
    if gender in Gender.values:
        qs = qs.filter(person__gender=gender)
    # filtered by EXISTS, not by the annotation: PostgreSQL runs a (NOT) EXISTS as one
    # (anti-)join, the annotation's subquery once per row (2,5 s for "not a member" over a
    # province of 1.000.000, bench/README.md); the annotation is only computed for the page
    alive = Membership.objects.filter(alive_at(day), person=OuterRef("person_id"))
    if status == "member":
        qs = qs.filter(Exists(alive))
    elif status == "non_member":
        qs = qs.filter(~Exists(alive))
    elif status in MembershipStatus.values:
        qs = qs.filter(Exists(alive.filter(status=status)))
    return qs


def roster_workers(*, unit_path: str, day: dt.date) -> int:
    """The subtree's workers at `day` (kept, ADR 0025): the rows of the unfiltered `roster`."""
    return roster_counts(unit_path=unit_path, day=day)["workers"]


def roster_known_total(*, unit_path: str, day: dt.date, query: str = "", status: str = "",
                       gender: str = "", workers: int | None = None) -> int | None:
    """The number of rows `roster` gives with these filters when a kept figure says it (ADR
    0025): the whole roster is the subtree's workers at `day`. None when filtered: count then."""
    if query or status or gender:
        return None
    return roster_workers(unit_path=unit_path, day=day) if workers is None else workers


#: A page needs this many matches: walking the name index for them reads about
#: PAGE_MATCHES × people / matches entries, sorting reads the matches (bench/README.md).
PAGE_MATCHES = 50

#: What an entry walked costs against a row sorted: the walk reads the person, then looks up
#: their employment and its unit's version for each entry, in name order (random pages); the
#: sort reads the subtree's employments unit by unit. At a tenth of the nation (1.130.000
#: people) a cấp trên of 9.576 workers: walked 107–112 ms (9.869 entries, 11 µs each), sorted
#: 25 ms (2,6 µs a row); one of 33.643: 35–47 against 47–57 ms (bench/README.md, session 38).
WALK_COST = 4


def sorting_is_cheaper(rows: int) -> bool:
    """Whether a page of `rows` (a roster or its matches) is read sooner by selecting and
    sorting them than by walking the name index: small, or rows² ≤ WALK_COST × PAGE_MATCHES ×
    people (the walk reads PAGE_MATCHES × people / rows entries)."""
    return (rows <= SORTED_ROSTER_MAX
            or rows * rows <= WALK_COST * PAGE_MATCHES * _people_estimate())


#: A name search with at most this many matches is always selected and sorted. Its matches
#: share words of the name, and the name index starts with the given name: when the query
#: holds the given name ("nguyen thi hoa"), every match sits in one stretch of the index,
#: which the walk reaches only after every name sorted before it. At a tenth of the nation
#: the first page of that search walked 314.708 entries for its 3.272 matches (890 ms, sorted
#: 102 ms); at scale 1 the square rule below chose the walk for its matches (about ten times
#: as many) and the search took 12–16 s at p95. Sorting reads the matches, as the COUNT before
#: it has, about 10 µs a match ("le thi", 24.381 matches: 255 ms sorted, 33 ms walked): it at
#: most doubles a search's cost, where a walk can cost thirty times it. Above this bound the
#: square rule decides.
SORTED_SEARCH_MAX = 50_000


def _matches_up_to_bound(qs: QuerySet[Any]) -> int:
    """`qs`'s rows counted up to `SORTED_SEARCH_MAX + 1`: enough to choose between sorting and
    walking, and to say "more than", without reading every match of a broad search."""
    return qs.order_by().values("pk")[:SORTED_SEARCH_MAX + 1].count()


def people_by_name(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """`qs` (people, filtered by `people_search(query)`) in Vietnamese name order. On
    PostgreSQL a name search of at most `SORTED_SEARCH_MAX` matches is selected, then sorted,
    rather than walked along the name index: one bounded COUNT tells which."""
    walk = True
    if fold(query) and connection.vendor == "postgresql":
        walk = _matches_up_to_bound(qs) > SORTED_SEARCH_MAX
    return qs.order_by(*by_name(indexed=walk))


def roster_counted(qs: QuerySet[Employment], known: int | None, *, query: str = "",
                   capped: bool = False, matches: int | None = None,
                   ) -> tuple[QuerySet[Employment], int]:
    """`roster`'s rows and their number: the kept figure when there is one (`known`), else one
    COUNT. A filtered roster is then selected and sorted rather than walked along the name
    index when it is small (`SORTED_ROSTER_MAX`) or when the walk would read more entries than
    there are rows to sort: a search inside a cấp trên of 33.906 workers matching 3.645 of the
    province's 1.000.000 walked ~14.000 entries for its first page (bench/README.md); and
    when it is a name search (`query`) of up to `SORTED_SEARCH_MAX` matches.

    `capped` (the page, not the API): a name search's COUNT stops after `SORTED_SEARCH_MAX`
    matches, and the number is then `SORTED_SEARCH_MAX + 1`, "more than" (`search_more_than`):
    counting every "thi" of the nation to print the number read 279.765 rows at a tenth of it
    (514 ms; the first 50.001, 28 ms). `matches`: the search's matches as already counted
    (`roster_search_page` found more than the bound), not counted again."""
    if known is not None:
        return qs, known
    if matches is not None:
        total = matches
    else:
        total = _matches_up_to_bound(qs) if query and capped else qs.count()
    if (query and total <= SORTED_SEARCH_MAX) or sorting_is_cheaper(total):
        qs = qs.order_by(*by_name("person__", indexed=False))
    return qs, total


@dataclass(frozen=True)
class SearchPage:
    """A page of a name search's matches (`roster_search_page`): `rows`, and `matches` their
    number; or, with `rows` None, more matches than `SORTED_SEARCH_MAX` (`matches` is then
    `SORTED_SEARCH_MAX + 1`): the caller walks the name index for the page, without counting
    them again (`roster_counted(matches=…)`)."""

    rows: list[Employment] | None
    matches: int


def roster_search_page(qs: QuerySet[Employment], *, day: dt.date, number: int, size: int
                       ) -> SearchPage | None:
    """Page `number` (of `size` rows) of a name search's matches (`roster` with a query), in
    name order, with the number of matches (PostgreSQL). The matches are read once, bounded at
    `SORTED_SEARCH_MAX + 1`, as a list of ids: their number is its length, and more than the
    bound is known before anything is joined or sorted (`SearchPage(None, …)`: the caller
    walks the name index). Under the bound a second statement sorts them by name and reads
    the page's rows, their membership status for those rows only. "hoang" over the nation had
    its 50.001 matches joined to people and units, counted by a window and sorted before the
    page learnt it had too many (1.068 ms, 515 of them after the matches were found:
    bench/README.md, session 45). None when that does not answer: another database, or a page
    past the last (the caller counts, then shows the last)."""
    if connection.vendor != "postgresql" or number < 1:
        return None
    bounded = qs.order_by().values("pk")[:SORTED_SEARCH_MAX + 1]
    inner, params = bounded.query.sql_with_params()
    read_from = bounded.db  # the replica for a page the router sends there
    # its cost is estimated past a million (nationwide trigram matches joined to 11 M
    # employments): JIT compiled it before running it, 0,51 s of a province's 2,2 s
    # (bench/README.md, session 39)
    with without_jit(using=read_from), connections[read_from].cursor() as cursor:
        cursor.execute(f"SELECT ARRAY({inner})", params)
        row = cursor.fetchone()
    ids: list[int] = list(row[0] or []) if row else []
    if len(ids) > SORTED_SEARCH_MAX:
        return SearchPage(None, SORTED_SEARCH_MAX + 1)
    if not ids:
        return SearchPage([], 0) if number == 1 else None
    # the ids as an array behind a sub-select: looked up in the primary key, each match's
    # person in its own. As a literal PostgreSQL knew the array's 24.381 ids of "le thi" and
    # hash-joined them to all 1,13 M people (530 ms); behind a sub-select it estimates few rows
    # and takes the index lookups (`pk IN (…)` was a semi-join reading every employment of the
    # nation, 160 ms of 671: session 44)
    matched = RawSQL('"people_employment"."id" = ANY((SELECT %s::bigint[])::bigint[])', [ids],
                     output_field=BooleanField())
    # the membership status is computed after the sort, for the page's rows only
    rows = list(_with_person_and_status(Employment.objects.filter(matched), day)
                .order_by(*by_name("person__", indexed=False))
                .using(read_from)[(number - 1) * size:number * size])
    return SearchPage(rows, len(ids)) if rows else None


def search_more_than(query: str, total: int) -> int | None:
    """For a capped count (`roster_counted`): the number the search found more than, or None
    when `total` is exact."""
    return SORTED_SEARCH_MAX if query and total > SORTED_SEARCH_MAX else None


def _people_estimate() -> int:
    """The number of people the name index holds, as PostgreSQL's statistics estimate it (no
    count); 0 elsewhere: SQLite drives a roster from the subtree's employments either way."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'people_person'::regclass")
        row = cursor.fetchone()
    return max(0, int(row[0])) if row else 0


def _with_person_and_status(qs: QuerySet[Employment], day: dt.date) -> QuerySet[Employment]:
    """A roster's rows as a page shows them: the person and unit fetched alongside, and the
    person's membership status at `day` (`member_status`)."""
    return qs.select_related("person", "unit").annotate(member_status=_membership_status_at(day))


def _membership_status_at(day: dt.date) -> Any:
    from django.db.models import Subquery

    return Subquery(
        Membership.objects.filter(alive_at(day), person=OuterRef("person_id")).values("status")[:1]
    )


def roster_counts(*, unit_path: str, day: dt.date) -> dict[str, int]:
    """Workers, members (by status), women and women members of the subtree at `unit_path` as of
    `day`, read from the maintained figures (`people.figures`): one indexed query, whatever
    the size of the subtree."""
    return kept_subtree(unit_path=unit_path, day=day).people


# --- previews of tree events: what moves where and what closes, read without writing ----------

def direct_roster(unit: Unit) -> list[Person]:
    """People with an open employment or membership directly in `unit` (not in its sub-units),
    in Vietnamese name order: the people a split shares out."""
    ids = Employment.objects.filter(unit=unit, valid_to__isnull=True).values("person_id")
    member_ids = Membership.objects.filter(unit=unit, valid_to__isnull=True).values("person_id")
    return list(Person.objects.filter(Q(pk__in=ids) | Q(pk__in=member_ids)).order_by(*by_name()))


def _open_counts(*, unit_ids: Any, person_ids: Any = None) -> tuple[int, int]:
    """Open employments and memberships in these units (of these people): what a tree event
    carries along, counted the way `people_transfer` moves them."""
    jobs = Employment.objects.filter(unit_id__in=unit_ids, valid_to__isnull=True)
    members = Membership.objects.filter(unit_id__in=unit_ids, valid_to__isnull=True)
    if person_ids is not None:
        jobs, members = jobs.filter(person_id__in=person_ids), members.filter(person_id__in=person_ids)
    return jobs.count(), members.count()


@dataclass(frozen=True)
class Carry:
    """What one tree event moves from `source` to `target`: child units (with the people in
    their subtrees, who stay in them) and people directly on the source's roster."""

    source: str
    target: str
    units: int = 0
    units_workers: int = 0
    units_members: int = 0
    workers: int = 0
    members: int = 0

    def sentence(self) -> str:
        parts = []
        if self.units:
            parts.append(
                f"{vn_number(self.units)} đơn vị trực thuộc (cùng {vn_number(self.units_workers)} "
                f"người lao động, {vn_number(self.units_members)} đoàn viên trong các đơn vị đó)"
            )
        if self.workers or self.members:
            parts.append(f"{vn_number(self.workers)} người lao động, "
                         f"{vn_number(self.members)} đoàn viên")
        if not parts:
            return f"«{self.source}» không có đơn vị trực thuộc hay người nào chuyển sang «{self.target}»."
        return f"Chuyển {' và '.join(parts)} từ «{self.source}» sang «{self.target}»."


@dataclass
class EventPreview:
    """The lines an officer reads before confirming a tree event; `blockers` are reasons the
    event would be refused, known before trying it (no confirm button then)."""

    lines: list[str] = field(default_factory=list)
    carries: list[Carry] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    def all_lines(self) -> list[str]:
        return [*(c.sentence() for c in self.carries), *self.lines]


def _carry(source: Unit, target: str, *, children: list[Unit] | None = None,
           person_ids: Any = None) -> Carry:
    """The carry of `children` (default: all live children) and of the source's own people
    (`person_ids`, default: all of them) to a unit named `target`."""
    kids = live_children(source) if children is None else children
    below = Q(pk__in=[])
    for kid in kids:
        below |= Q(path__startswith=kid.path)
    sub_workers, sub_members = _open_counts(unit_ids=Unit.objects.filter(below).values("pk"))
    workers, members = _open_counts(unit_ids=[source.pk], person_ids=person_ids)
    return Carry(source=source.name, target=target, units=len(kids), units_workers=sub_workers,
                 units_members=sub_members, workers=workers, members=members)


def _ends(unit: Unit, day: dt.date) -> str:
    return f"«{unit.name}» chấm dứt hoạt động từ ngày {vn_date(day)}."


def _founds(name: str, code: str, type_: str, parent: Unit | None, day: dt.date) -> str:
    where = f" trực thuộc «{parent.name}»" if parent is not None else ""
    return (f"Thành lập «{name}» (mã {code.strip().upper()}, {UnitType(type_).label.lower()})"
            f"{where} từ ngày {vn_date(day)}.")


def preview_create(*, parent: Unit, code: str, name: str, type: str, day: dt.date) -> EventPreview:
    return EventPreview(lines=[_founds(name, code, type, parent, day)],
                        blockers=event_date_problems([parent], day))


def preview_rename(*, unit: Unit, name: str, day: dt.date) -> EventPreview:
    return EventPreview(lines=[
        f"«{unit.name}» đổi tên thành «{name.strip()}» từ ngày {vn_date(day)}.",
        f"Số liệu và lịch sử trước ngày {vn_date(day)} vẫn mang tên cũ.",
    ], blockers=event_date_problems([unit], day))


def preview_move(*, unit: Unit, new_parent: Unit, day: dt.date) -> EventPreview:
    parent = parent_of(unit)
    below = Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True)
    workers, members = _open_counts(unit_ids=below.values("pk"))
    units = below.count() - 1
    source = f"từ «{parent.name}» " if parent is not None else ""
    preview = EventPreview(lines=[
        f"Chuyển «{unit.name}» (cùng {vn_number(units)} đơn vị trực thuộc, {vn_number(workers)} "
        f"người lao động, {vn_number(members)} đoàn viên) {source}sang «{new_parent.name}» "
        f"từ ngày {vn_date(day)}.",
        f"Số liệu của các đơn vị trước ngày {vn_date(day)} giữ nguyên.",
    ])
    preview.blockers += event_date_problems([*below, new_parent], day)
    if new_parent.path.startswith(unit.path):
        preview.blockers.append(
            f"Không thể chuyển «{unit.name}» vào chính nó hoặc vào một đơn vị trực thuộc nó.")
    return preview


def preview_merge(*, sources: list[Unit], day: dt.date, into: Unit | None = None,
                  new_unit: tuple[str, str, str] | None = None, parent: Unit | None = None
                  ) -> EventPreview:
    """Merging `sources` into `into`, or into a new unit (code, name, type) under `parent`."""
    preview = EventPreview()
    if into is not None:
        target = into.name
    else:
        assert new_unit is not None
        code, target, type_ = new_unit
        preview.lines.append(_founds(target, code, type_, parent, day))
    preview.carries = [_carry(s, target) for s in sources]
    preview.lines += [_ends(s, day) for s in sources]
    receiving = into if into is not None else parent
    preview.blockers = event_date_problems(sources, day) + (
        event_date_problems([receiving], day, ordered=False) if receiving is not None else [])
    return preview


def preview_split(*, source: Unit, day: dt.date, parts: list[tuple[str, str, str]],
                  children: dict[int, int], people: dict[int, int]) -> EventPreview:
    """Splitting `source` into `parts` (code, name, type); `children` and `people` map child
    unit ids and person ids to a part's index."""
    parent = parent_of(source)
    kids = live_children(source)
    preview = EventPreview(lines=[_founds(name, code, type_, parent, day)
                                  for code, name, type_ in parts])
    for i, (_, name, _) in enumerate(parts):
        preview.carries.append(_carry(
            source, name, children=[k for k in kids if children.get(k.pk, 0) == i],
            person_ids=[p for p, part in people.items() if part == i],
        ))
    preview.lines.append(_ends(source, day))
    preview.blockers = event_date_problems(
        list(Unit.objects.filter(path__startswith=source.path, valid_to__isnull=True)), day)
    return preview


def preview_dissolve(*, unit: Unit, day: dt.date) -> EventPreview:
    preview = EventPreview(lines=[_ends(unit, day)], blockers=event_date_problems([unit], day))
    kids = live_children(unit)
    if kids:
        preview.blockers.append(
            f"«{unit.name}» còn {vn_number(len(kids))} đơn vị trực thuộc đang hoạt động; hãy chuyển "
            "hoặc giải thể các đơn vị đó trước.")
    left = open_people_count(unit_ids=[unit.pk], day=day)
    if left:
        preview.blockers.append(
            f"«{unit.name}» còn {vn_number(left)} người lao động/đoàn viên; hãy chuyển sinh hoạt "
            "hoặc ghi nhận ra khỏi tổ chức trước khi giải thể.")
    return preview
