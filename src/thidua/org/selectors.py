"""Reads of the union tree: scoped lists, the tree as of a date, and subtree figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from thidua.accounts.models import ROLE_RANK, Role
from thidua.org.figures import PEOPLE_KEYS, UNIT_KEYS
from thidua.org.models import (
    AwardLine,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitQuerySet,
    UnitType,
    UnitVersion,
    alive_at,
)
from thidua.org.permissions import grants, path_q
from thidua.platform.actor import Visitor
from thidua.platform.api import MAX_ID
from thidua.platform.errors import NotFoundError
from thidua.platform.forms import UnitOptions, unit_options
from thidua.platform.reads import remembered
from thidua.platform.text import vn_date

_KEPT_SUMS = ", ".join(f"COALESCE(SUM(f.{key}), 0)" for key in PEOPLE_KEYS + UNIT_KEYS)
_ROW_SUMS = ", ".join(f"SUM(r.{key}) AS {key}" for key in PEOPLE_KEYS + UNIT_KEYS)
_ROW_VALUES = ", ".join(f"COALESCE(f.{key}, 0)" for key in PEOPLE_KEYS + UNIT_KEYS)


def _alive(alias: str) -> str:
    """The version `alias` is valid on the day given twice as parameters."""
    return f"{alias}.valid_from <= %s AND ({alias}.valid_to IS NULL OR {alias}.valid_to > %s)"


_ALIVE = _alive("v")


def units_for(user: Visitor) -> QuerySet[Unit]:
    """Units in the user's subtrees (as the tree stands today)."""
    units: QuerySet[Unit] = Unit.objects.restrict(user)
    return units


def top_depth(paths: list[str]) -> int:
    """The depth of the highest of the subtrees at `paths` (1, the roots, for the whole tree)."""
    return min((len(p) for p in paths if p), default=Unit.steplen) // Unit.steplen


def live_units_in(user: Visitor, paths: list[str]) -> QuerySet[Unit]:
    """The live units the user sees inside the subtrees at `paths` (a `scope_paths` answer for
    the role a page asks for; `[""]` is the whole tree)."""
    none: QuerySet[Unit] = Unit.objects.none()
    if not paths:
        return none
    qs = units_for(user).filter(valid_to__isnull=True)
    return qs if paths == [""] else qs.filter(path_q(paths))


def unit_options_in(user: Visitor, paths: list[str]) -> UnitOptions:
    """A unit field's offer for the subtrees at `paths`: every live unit in a select when they
    are few (`platform.forms.UNIT_CHOICES`); else a typed code suggesting the subtrees' top two
    levels (a province's officer has thousands of CĐCS below; the TLĐ's, the nation's)."""
    if not paths:
        return UnitOptions([], complete=True)
    qs = live_units_in(user, paths)
    return unit_options(qs.order_by("path"), qs.filter(depth__lte=top_depth(paths) + 1))


def live_unit_in(user: Visitor, paths: list[str], code: str) -> Unit | None:
    """The live unit of that code inside the subtrees at `paths` (a code typed in a unit
    field), or None."""
    if not code:
        return None
    found: Unit | None = live_units_in(user, paths).filter(code=code).first()
    return found


def unit_suggestions(user: Visitor, q: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """(code, name) of the live units the user sees whose code starts with, or whose name
    holds, what was typed in a unit field (top levels first): the field's suggestions as the
    officer types. The name is matched as typed, in small letters and with its first letter in
    capitals (SQLite's case-insensitive match knows only the ASCII letters: «đ» is not «Đ»)."""
    q = " ".join(q.split())[:60]
    if len(q) < 2:
        return []
    # each condition found by a trigram index on PostgreSQL (org migration 0009)
    match = Q(code__istartswith=q) | Q(name__icontains=q)
    for as_written in {q.lower(), q[:1].upper() + q[1:], q[:1].upper() + q[1:].lower()}:
        match |= Q(name__contains=as_written)
    return list(units_for(user).filter(match, valid_to__isnull=True)
                .order_by("depth", "path").values_list("code", "name")[:limit])


@remembered
def scope_version_paths(user: Visitor, day: dt.date, role: str = Role.VIEWER) -> list[str]:
    """Paths, as of `day`, of the granted units' subtrees (for reading the tree of a past date)."""
    versions = _granted_versions(user, day, role)
    return [""] if versions is None else [v.path for v in versions]


def _granted_versions(user: Visitor, day: dt.date, role: str) -> list[UnitVersion] | None:
    """The versions at `day` of the units the user holds `role` on, those inside another one's
    subtree left out, in path order; None when the user's scope is the whole installation."""
    need = ROLE_RANK[Role(role)]
    held = grants(user)
    if any(path == "" and rank >= need for path, rank, _ in held):
        return None
    unit_ids = [uid for _, rank, uid in held if rank >= need]
    if not unit_ids:
        return []
    versions = (UnitVersion.objects.at(day).filter(unit_id__in=unit_ids).select_related("unit")
                .order_by("path"))
    kept: list[UnitVersion] = []
    for version in versions:
        if not any(version.path.startswith(k.path) for k in kept):
            kept.append(version)
    return kept


def access_unit(user: Visitor, code_or_id: str | int) -> Unit:
    """The unit if the user may see it; the same NotFoundError for missing and forbidden."""
    qs = units_for(user)
    text = str(code_or_id)
    try:
        # ASCII digits only: "²".isdigit() is true but int("²") fails
        if isinstance(code_or_id, int) or (text.isascii() and text.isdigit()):
            pk = int(code_or_id)
            if not 0 < pk <= MAX_ID:  # no such row, and the database driver would overflow
                raise NotFoundError()
            return qs.get(pk=pk)
        return qs.get(code=text.upper())
    except Unit.DoesNotExist:
        raise NotFoundError() from None


def version_at(unit: Unit, day: dt.date) -> UnitVersion | None:
    version: UnitVersion | None = unit.versions.filter(alive_at(day)).first()
    return version


def tree_versions(user: Visitor, day: dt.date) -> QuerySet[UnitVersion]:
    """The versions valid at `day` inside the user's subtrees as they stood at `day`."""
    return UnitVersion.objects.at(day).filter(path_q(scope_version_paths(user, day))).select_related(
        "unit"
    )


def tree_roots(user: Visitor, day: dt.date) -> list[UnitVersion]:
    """The top nodes the user sees at `day` (the granted units themselves): one query."""
    versions = _granted_versions(user, day, Role.VIEWER)
    if versions is None:
        return list(UnitVersion.objects.at(day).filter(depth=1).select_related("unit").order_by("path"))
    return versions


def ended_grant_units(user: Visitor, day: dt.date) -> list[Unit]:
    """Units the user holds a role on that had ended by `day`: the tree of `day` leaves them
    out, and their officers still read their history at an earlier date."""
    ids = [uid for _, _, uid in grants(user) if uid]
    return list(Unit.objects.filter(pk__in=ids, valid_to__lte=day).order_by("path"))


def children_at(version: UnitVersion, day: dt.date) -> list[UnitVersion]:
    return list(
        UnitVersion.objects.at(day)
        .children_of(version)
        .select_related("unit")
        .order_by("path")
    )


def child_types_at(version: UnitVersion, day: dt.date) -> dict[str, int]:
    """Unit type -> how many children of `version` at `day` are of it: counted in the
    database (a cấp trên's 1.446 children are not built as models to be counted)."""
    return dict(UnitVersion.objects.at(day).children_of(version).order_by()
                .values_list("unit__type").annotate(n=Count("pk")).values_list("unit__type", "n"))


@dataclass(frozen=True)
class Kept:
    """A subtree's kept figures at a date (ADR 0025, 0035): its people by `PEOPLE_KEYS`, and
    its units by type, the node itself (of `own_type`) included; types with none left out."""

    people: dict[str, int]
    units: dict[str, int]
    own_type: str | None  # None: no unit at that place on that day

    def units_below(self) -> dict[str, int]:
        """The units of each type strictly below the node."""
        counts = dict(self.units)
        if self.own_type is not None:
            counts[self.own_type] = counts.get(self.own_type, 0) - 1
        return {unit_type: n for unit_type, n in counts.items() if n}

    def count_below(self) -> int:
        return sum(self.units_below().values())


_UNIT_TYPES = tuple(UnitType.values)  # the order of UNIT_KEYS


def _kept(own_type: str | None, sums: list[int] | tuple[int, ...]) -> Kept:
    people = dict(zip(PEOPLE_KEYS, (int(x) for x in sums[:len(PEOPLE_KEYS)]), strict=True))
    units = {unit_type: int(n) for unit_type, n in
             zip(_UNIT_TYPES, sums[len(PEOPLE_KEYS):], strict=True) if n}
    return Kept(people=people, units=units, own_type=own_type)


@dataclass(frozen=True)
class KeptChild:
    """A child of a node at a date, with its subtree's kept figures."""

    unit_id: int
    code: str
    type: str
    name: str
    path: str
    kept: Kept


def kept_children(version: UnitVersion, day: dt.date) -> list[KeptChild]:
    """The children of `version` at `day` in tree order, each with its subtree's people and
    units: one query (the children's kept rows summed, joined to their versions and units),
    however many people or units lie below them; no model is built per child (a cấp trên
    lists hundreds). Each child's rows read are its sums by year (`FigureYear`) and at most
    half a year of its day rows (`_kept_rows`)."""
    # the children by their parent (an indexed foreign key), not by a path LIKE: SQLite's LIKE
    # is case-insensitive and cannot use the path index. Each child's rows are summed by its id
    # before the join: grouped with the names, PostgreSQL sorted the 153.000 rows of the TLĐ's
    # 54 children on those text keys (on disk) before summing them (185 → 80 ms at scale 0,1)
    children = ("SELECT c.unit_id FROM org_unitversion c WHERE c.parent_id = %s AND "
                + _alive("c"))
    return _children_with_figures(version, day, children, [version.unit_id, day, day],
                                  among=False)


def kept_children_page(version: UnitVersion, day: dt.date, *, start: int, limit: int,
                       slack: int = 0) -> tuple[list[KeptChild], int]:
    """`kept_children` from the `start`-th child in tree order, at most `limit` of them (or
    `limit + slack` when that reaches the last one: no page ends with a handful left for the
    next), and how many children there are in all: the figure rows are read for the children
    shown only (a cấp trên's page shows its first 50 of 310). Two queries for a node of many
    children: with the page's children as a subquery (ORDER BY … LIMIT), PostgreSQL misjudged
    their number and summed every child's rows once per child (57 ms for the TLĐ's 54
    children, against 8 ms). One for a node of few."""
    if not start and version.unit.numchild <= 2 * (limit + slack):
        # few children (treebeard's count of today, an estimate for `day`): reading them all
        # in one query costs less than a second query for the page's ids
        every = kept_children(version, day)
        return (every if len(every) <= limit + slack else every[:limit]), len(every)
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.unit_id, COUNT(*) OVER () FROM org_unitversion c "
                       f"WHERE c.parent_id = %s AND {_alive('c')} ORDER BY c.path "
                       "LIMIT %s OFFSET %s", [version.unit_id, day, day, limit + slack, start])
        found = cursor.fetchall()
    if found and start + len(found) < int(found[0][1]):
        found = found[:limit]  # more than the slack is left: a page of `limit`
    if not found:
        total = UnitVersion.objects.at(day).filter(parent_id=version.unit_id).count() \
            if start else 0
        return [], total
    ids = [unit_id for unit_id, _ in found]
    page = _children_with_figures(version, day, ", ".join(["%s"] * len(ids)), ids, among=True)
    return page, int(found[0][1])


def _children_with_figures(version: UnitVersion, day: dt.date, children: str,
                           children_params: list[Any], *, among: bool) -> list[KeptChild]:
    """The children of `version` at `day` in tree order, with their kept figures, the rows
    read for the units of `children` (a SELECT of unit ids, or a list of placeholders); only
    those children (`among`), or all: one query."""
    rows, params = _kept_rows(children, children_params, day)
    shown = f" AND v.unit_id IN ({children})" if among else ""
    sql = (f"SELECT v.unit_id, u.code, u.type, v.name, v.path, {_ROW_VALUES} "
           "FROM org_unitversion v JOIN org_unit u ON u.id = v.unit_id "
           f"LEFT JOIN (SELECT r.unit_id, {_ROW_SUMS} FROM ({rows}) r GROUP BY r.unit_id) f "
           f"ON f.unit_id = v.unit_id WHERE v.parent_id = %s AND {_ALIVE}{shown} "
           "ORDER BY v.path")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, version.unit_id, day, day,
                             *(children_params if among else [])])
        return [KeptChild(unit_id=unit_id, code=code, type=unit_type, name=name, path=path,
                          kept=_kept(unit_type, sums))
                for unit_id, code, unit_type, name, path, *sums in cursor.fetchall()]


def _kept_rows(units: str, units_params: list[Any], day: dt.date) -> tuple[str, list[Any]]:
    """The kept rows that sum to the figures at `day` of the units selected by `units` (a
    SELECT of unit ids). In the first half of a year: their sums of the years before `day`'s,
    then their day rows from 1 January to `day`. In the second half: their sums of the years up
    to `day`'s, less their day rows after `day` to 31 December (ADR 0035 addendum): the default
    date is today and a report's is 31 December, so those reads take no day row but a
    future-dated change's, where the first form summed the year's days (23.070 rows for the
    TLĐ's 83 children at scale 0,1, 15 ms of the tree page's 23)."""
    columns = ", ".join(PEOPLE_KEYS + UNIT_KEYS)
    year_end = dt.date(day.year, 12, 31)
    if day >= dt.date(day.year, 7, 1):
        less = ", ".join(f"-{key}" for key in PEOPLE_KEYS + UNIT_KEYS)
        sql = (f"SELECT unit_id, {columns} FROM org_figureyear WHERE year <= %s "
               f"AND unit_id IN ({units}) UNION ALL "
               f"SELECT unit_id, {less} FROM org_figuredelta WHERE day > %s AND day <= %s "
               f"AND unit_id IN ({units})")
        return sql, [day.year, *units_params, day, year_end, *units_params]
    sql = (f"SELECT unit_id, {columns} FROM org_figureyear WHERE year < %s "
           f"AND unit_id IN ({units}) UNION ALL "
           f"SELECT unit_id, {columns} FROM org_figuredelta WHERE day >= %s AND day <= %s "
           f"AND unit_id IN ({units})")
    return sql, [day.year, *units_params, dt.date(day.year, 1, 1), day, *units_params]


def kept_subtree(*, unit_path: str, day: dt.date) -> Kept:
    """The kept figures of the node whose version at `day` has `unit_path`: one query over its
    sums by year and at most half a year of its day rows (`_kept_rows`: two range scans),
    however many people and units lie below (the Confederation counts 10⁵ units). No unit
    there on that day: all zero."""
    node = f"SELECT v.unit_id FROM org_unitversion v WHERE v.path = %s AND {_ALIVE}"
    rows, params = _kept_rows(node, [unit_path, day, day], day)
    sql = (f"SELECT u.type, {_KEPT_SUMS} FROM org_unit u JOIN ({rows}) f ON f.unit_id = u.id "
           "GROUP BY u.type")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return _kept(None, [0] * (len(PEOPLE_KEYS) + len(UNIT_KEYS)))
    own_type, *sums = row
    return _kept(own_type, sums)


def unit_history(unit: Unit) -> QuerySet[UnitEvent]:
    """Events in which the unit took part, oldest first, with the units on both sides."""
    ids = UnitEvent.objects.filter(Q(units_before=unit) | Q(units_after=unit)).values("pk")
    return (
        UnitEvent.objects.filter(pk__in=ids)
        .prefetch_related("units_before", "units_after")
        .order_by("date", "pk")
    )


@dataclass
class TimelineEvent:
    """A tree event as a unit's page shows it: what, when, by whom, the units on each side."""

    kind: str
    kind_label: str
    date: dt.date
    decision: str
    note: str
    actor_name: str  # "" when the installation recorded it
    before: list[str]
    after: list[str]


def unit_timeline(unit: Unit) -> list[TimelineEvent]:
    """The tree events the unit took part in, newest first, with the names of the units on
    each side and who recorded them: one query (the events, then their units and recorder
    read apart were three, a tenth of a province's page)."""
    before = UnitEvent.units_before.through._meta.db_table
    after = UnitEvent.units_after.through._meta.db_table
    users = UnitEvent._meta.get_field("actor").related_model._meta.db_table
    sql = ("SELECT e.id, e.kind, e.date, e.decision, e.note, a.last_name, a.first_name, "
           "a.username, s.side, u.name FROM "
           f"(SELECT unitevent_id, 0 AS side, unit_id FROM {before} "
           f"UNION ALL SELECT unitevent_id, 1 AS side, unit_id FROM {after}) s "
           "JOIN org_unitevent e ON e.id = s.unitevent_id JOIN org_unit u ON u.id = s.unit_id "
           f"LEFT JOIN {users} a ON a.id = e.actor_id WHERE s.unitevent_id IN "
           f"(SELECT unitevent_id FROM {before} WHERE unit_id = %s UNION "
           f"SELECT unitevent_id FROM {after} WHERE unit_id = %s) "
           "ORDER BY e.date DESC, e.id DESC, s.side, u.path")
    labels = dict(UnitEventKind.choices)
    out: dict[int, TimelineEvent] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk, unit.pk])
        for (event_id, kind, date, decision, note, last, first, username, side,
             name) in cursor.fetchall():
            event = out.get(event_id)
            if event is None:
                recorder = " ".join(p for p in ((last or "").strip(), (first or "").strip()) if p)
                event = out[event_id] = TimelineEvent(
                    kind=kind, kind_label=str(labels.get(kind, kind)),
                    date=date if isinstance(date, dt.date) else dt.date.fromisoformat(date),
                    decision=decision, note=note, actor_name=recorder or (username or ""),
                    before=[], after=[])
            (event.after if side else event.before).append(name)
    return list(out.values())


def version_and_chain(unit: Unit, day: dt.date) -> tuple[UnitVersion | None, list[UnitVersion]]:
    """`version_at(unit, day)` and its `ancestors_at`, top first: one query when the unit stood
    at its place of today on `day` (the versions at its path's prefixes are then its chain),
    a second one when it has moved since."""
    prefixes = [unit.path[:i] for i in range(4, len(unit.path), 4)]
    rows = list(UnitVersion.objects.at(day).filter(Q(unit_id=unit.pk) | Q(path__in=prefixes))
                .select_related("unit").order_by("depth"))
    version = next((v for v in rows if v.unit_id == unit.pk), None)
    if version is None:
        return None, []
    if version.path != unit.path:
        return version, ancestors_at(version, day)
    return version, [v for v in rows if v.unit_id != unit.pk]


def ancestors_at(version: UnitVersion, day: dt.date) -> list[UnitVersion]:
    """The parent chain of a unit version at `day`, top first (one query)."""
    prefixes = [version.path[:i] for i in range(4, len(version.path), 4)]
    return list(
        UnitVersion.objects.at(day).filter(path__in=prefixes).select_related("unit").order_by("depth")
    )


def award_issuers(unit: Unit, day: dt.date, *,
                  chain: list[UnitVersion] | None = None) -> list[Unit]:
    """Who may award `unit` at `day`: its ancestors then, plus the award lines of the unit and of
    its ancestors (CĐVC Việt Nam awards CĐVC Hà Nội and the CĐCS under it). `chain`: the
    unit's `ancestors_at(day)` when the caller has them already."""
    if chain is None:
        version = version_at(unit, day)
        if version is None:
            return []
        chain = ancestors_at(version, day)
    ancestors = [v.unit for v in chain]
    lines = [
        line.issuer
        for line in AwardLine.objects.filter(alive_at(day), unit__in=[*ancestors, unit])
        .select_related("issuer")
        .order_by("issuer__path")
    ]
    seen = {u.pk for u in ancestors}
    extra = []
    for issuer in lines:
        if issuer.pk not in seen:
            seen.add(issuer.pk)
            extra.append(issuer)
    return ancestors + extra


# --- choices of the tree-event forms (units the user may change, as the tree stands today) -----

def tree_change_units(user: Visitor) -> UnitQuerySet:
    """Live units on which the user may change the tree (a leader's role or higher)."""
    units: UnitQuerySet = Unit.objects.restrict(user, Role.LEADER).filter(valid_to__isnull=True)
    return units


def live_children(unit: Unit) -> list[Unit]:
    """The unit's child units that have not ended, in tree order."""
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1,
                                    valid_to__isnull=True).order_by("path"))


def parent_of(unit: Unit) -> Unit | None:
    parent: Unit | None = Unit.objects.get_parent(unit)
    return parent


def move_targets(user: Visitor, unit: Unit) -> QuerySet[Unit]:
    """Where the user may move `unit`: live units they lead, outside the unit's own subtree and
    other than its present parent (a query: a province's leader leads thousands)."""
    parent = parent_of(unit)
    qs: QuerySet[Unit] = tree_change_units(user).exclude(path__startswith=unit.path)
    return qs if parent is None else qs.exclude(pk=parent.pk)


def merge_candidates(user: Visitor, unit: Unit) -> list[Unit]:
    """The live siblings of `unit` the user leads: the units that may be merged with it."""
    if unit.depth <= 1:
        return []
    return list(
        tree_change_units(user)
        .filter(depth=unit.depth, path__startswith=unit.path[: -Unit.steplen])
        .exclude(pk=unit.pk)
        .order_by("path")
    )


def event_date_problems(units: list[Unit], day: dt.date, *, ordered: bool = True) -> list[str]:
    """Why a tree event on `day` touching `units` would be refused for its date (the checks the
    services make), read before trying it: not yet founded, already ended, or a later change
    already recorded (events are recorded in date order)."""
    problems = []
    for unit in units:
        if day < unit.valid_from:
            problems.append(f"«{unit.name}» thành lập ngày {vn_date(unit.valid_from)}; không thể "
                            f"ghi sự kiện ngày {vn_date(day)}.")
        elif unit.valid_to is not None and day >= unit.valid_to:
            problems.append(f"«{unit.name}» đã chấm dứt hoạt động từ ngày {vn_date(unit.valid_to)}.")
    if not ordered or problems:
        return problems
    later = (UnitVersion.objects.filter(unit__in=units, valid_from__gt=day)
             .select_related("unit").order_by("-valid_from").first())
    if later is not None:
        problems.append(f"«{later.unit.name}» đã có thay đổi ghi ngày {vn_date(later.valid_from)}, "
                        f"sau ngày {vn_date(day)}. Hãy ghi các sự kiện theo thứ tự thời gian.")
    return problems
