"""Reads of initiatives: scoped lists and details, councils, the counts by level, year and unit,
and the facts the rules engine reads (who holds a recognised initiative, when, at what level)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr

from thidua.councils.models import Council, Kind, Member
from thidua.councils.selectors import members_in_order
from thidua.initiatives.models import (
    LEVEL_ORDER,
    Attachment,
    Author,
    Initiative,
    InitiativeUse,
    Level,
    Recognition,
    Review,
    Status,
    UseKind,
)
from thidua.initiatives.permissions import own_q
from thidua.org.models import Unit
from thidua.org.permissions import restrict_queryset
from thidua.platform.errors import NotFoundError
from thidua.platform.text import fold

# --- scoped reads ------------------------------------------------------------------------------


def initiatives_for(user: Any) -> QuerySet[Initiative]:
    """Initiatives the user may see: those of units in their subtrees, and their own."""
    return restrict_queryset(Initiative.objects.all(), user, also=lambda _paths: own_q(user))


def access_initiative(user: Any, pk: int | str) -> Initiative:
    """The initiative with its unit, if the user may see it; the same NotFoundError otherwise."""
    try:
        return initiatives_for(user).select_related("unit").get(pk=int(pk))
    except (Initiative.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def councils_for(user: Any) -> QuerySet[Council]:
    return restrict_queryset(Council.objects.filter(kind=Kind.INITIATIVE), user)


def access_council(user: Any, pk: int | str) -> Council:
    try:
        return councils_for(user).select_related("unit").get(pk=int(pk))
    except (Council.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_review(user: Any, pk: int | str) -> Review:
    try:
        return (Review.objects.filter(council__in=councils_for(user))
                .select_related("council", "council__unit", "initiative", "initiative__unit",
                                "subject")
                .get(pk=int(pk)))
    except (Review.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_recognition(user: Any, pk: int | str) -> Recognition:
    try:
        return (Recognition.objects.filter(initiative__in=initiatives_for(user))
                .select_related("initiative", "initiative__unit").get(pk=int(pk)))
    except (Recognition.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_attachment(user: Any, pk: int | str) -> Attachment:
    try:
        return (Attachment.objects.filter(initiative__in=initiatives_for(user))
                .select_related("initiative").get(pk=int(pk)))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


# --- lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    year: int | None = None
    level: str = ""
    status: str = ""
    unit_path: str = ""  # a subtree, as the tree stands today
    query: str = ""


def initiative_list(user: Any, flt: ListFilter) -> QuerySet[Initiative]:
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


def council_members(council: Council) -> list[Member]:
    return members_in_order(council)


def latest_review(initiative: Initiative) -> Review | None:
    return (initiative.reviews.select_related("council").order_by("-opened_at", "-id").first())


# --- counts ------------------------------------------------------------------------------------


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


def initiative_counts(*, unit: Unit, years: Iterable[int]) -> Counts:
    """Applications by status and year, recognitions by level and year, uses in dossiers, and the
    same per direct child of `unit` — six queries whatever the size of the subtree."""
    years = sorted(set(years))
    out = Counts(unit=unit, years=years)
    sub = Q(unit__path__startswith=unit.path)
    apps = Initiative.objects.filter(sub, year__in=years)
    for year, status, n in (apps.values_list("year", "status").annotate(n=Count("id"))
                            .order_by()):
        out.applications += n
        out.by_status[status] = out.by_status.get(status, 0) + n
        row = out.by_year.setdefault(year, {"applications": 0, "recognized": 0})
        row["applications"] += n
    recs = Recognition.objects.filter(initiative__unit__path__startswith=unit.path, year__in=years)
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
    uses = (InitiativeUse.objects.filter(initiative__unit__path__startswith=unit.path,
                                         year__in=years)
            .values_list("kind").annotate(n=Count("initiative_id", distinct=True)).order_by())
    for kind, n in uses:
        if kind == UseKind.COMMENDATION:
            out.used_for_commendation = n
        else:
            out.used_for_title = n
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


# --- facts for the rules engine -----------------------------------------------------------------

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
