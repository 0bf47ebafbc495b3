"""Figures kept up to date: workers, women, members, women members and members by status of
every unit's subtree, as of any date, read from `FigureDelta` (ADR 0025).

The canonical form. Cut every employment or membership period at the boundaries of its unit's
versions: each piece [start, end) lies in one version, whose ancestors (the unit itself
included) stay the same units for the whole piece (a move re-versions the whole moved subtree;
a unit ends only once its children have moved). A piece adds +1 at `start` and -1 at `end` to
each of those units. `FigureDelta(unit, day)` holds the sum of all these deltas, so the figures
of U's subtree at D, as the tree stood at D, are `SUM(...) WHERE unit_id = U AND day <= D`.
This form depends only on the records, so the check can compare it row by row.

Keeping it: a change to periods recomputes the pieces of the people it touches before and
after and writes the difference with upserts, in the change's transaction. A tree event moves a
subtree's own rows between ancestors (org.figures): it never reads the periods.
`figures_rebuild` recomputes the whole table in bulk (fixtures and the demo builder insert rows
without the services). The same rows keep the units of each type (org.figures, ADR 0035); the
check and the rebuild compute both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from thidua.org.figures import (
    KEYS,
    Deltas,
    figures_add,
    read_day,
    recomputed,
    spread,
    unit_pieces,
    version_chains,
)
from thidua.org.figures import PEOPLE_KEYS as COUNT_KEYS
from thidua.org.models import FigureDelta, FigureYear, UnitVersion
from thidua.org.rollups import Rolled, rolled_add, rolled_differences, rolled_rebuild
from thidua.people.models import Gender, MembershipStatus
from thidua.platform.kept import DifferenceKeeper, YearlyKey, chunks, id_runs, subtract

WIDTH = len(KEYS)  # a row's figures: the people's (COUNT_KEYS), then the units' (ADR 0035)

_PIECES = """
WITH pieces AS (
  SELECT v.id AS vid,
         CASE WHEN t.valid_from > v.valid_from THEN t.valid_from ELSE v.valid_from END AS s,
         CASE WHEN t.valid_to IS NULL THEN v.valid_to
              WHEN v.valid_to IS NULL OR t.valid_to < v.valid_to THEN t.valid_to
              ELSE v.valid_to END AS e,
         CASE WHEN p.gender = %(female)s THEN 1 ELSE 0 END AS w,
         {suspended} AS susp
  FROM {table} t
  JOIN org_unitversion v ON v.unit_id = t.unit_id
       AND (t.valid_to IS NULL OR v.valid_from < t.valid_to)
       AND (v.valid_to IS NULL OR t.valid_from < v.valid_to)
  JOIN people_person p ON p.id = t.person_id
  WHERE {where}
)
SELECT vid, d, SUM(sign), SUM(sign * w), SUM(sign * susp) FROM (
  SELECT vid, s AS d, 1 AS sign, w, susp FROM pieces
  UNION ALL
  SELECT vid, e AS d, -1 AS sign, w, susp FROM pieces WHERE e IS NOT NULL
) x GROUP BY vid, d
"""


def _direct(where: str, params: dict[str, Any]) -> dict[tuple[int, dt.date], list[int]]:
    """Deltas of the pieces selected by `where` (on the period `t` and version `v`), keyed by
    (version id, day): two GROUP BY queries, one per period table."""
    out: dict[tuple[int, dt.date], list[int]] = {}
    params = {"female": Gender.FEMALE.value, "suspended": MembershipStatus.SUSPENDED.value,
              **params}
    with connection.cursor() as cursor:
        for table, suspended in (("people_employment", "0"),
                                 ("people_membership",
                                  "CASE WHEN t.status = %(suspended)s THEN 1 ELSE 0 END")):
            cursor.execute(_PIECES.format(table=table, suspended=suspended, where=where), params)
            for vid, day, n, women, susp in cursor.fetchall():
                n, women, susp = int(n), int(women), int(susp)
                if not (n or women or susp):
                    continue
                row = out.setdefault((vid, read_day(day)), [0] * WIDTH)
                if table == "people_employment":
                    row[0] += n
                    row[1] += women
                else:
                    row[2] += n
                    row[3] += women
                    row[4] += n - susp
                    row[5] += susp
    return out


def _compute(where: str = "1 = 1", params: dict[str, Any] | None = None) -> Deltas:
    return spread(_direct(where, params or {}))


def _compute_people(person_ids: Iterable[int]) -> Deltas:
    """The pieces of these people's periods, in groups of at most 5.000 ids (the statement's
    parameters stay under SQLite's limit however many people an import touches)."""
    ids = sorted(set(person_ids))
    if len(ids) <= 5000:
        return _compute(*_people_where(ids))
    out: Deltas = {}
    for chunk in chunks(ids, 5000):
        for key, vec in _compute(*_people_where(chunk)).items():
            row = out.setdefault(key, [0] * WIDTH)
            for i, value in enumerate(vec):
                row[i] += value
    return out


def _people_where(person_ids: Iterable[int]) -> tuple[str, dict[str, Any]]:
    # runs of consecutive ids (an import's new people) read as ranges, the rest as a list
    runs, singles = id_runs(person_ids)
    if not runs and not singles:
        return "1 = 0", {}
    parts: list[str] = []
    params: dict[str, Any] = {}
    for i, (lo, hi) in enumerate(runs):
        parts.append(f"t.person_id BETWEEN %(lo{i})s AND %(hi{i})s")
        params |= {f"lo{i}": lo, f"hi{i}": hi}
    for i, chunk in enumerate(chunks(singles)):
        names = [f"%(p{i}_{j})s" for j in range(len(chunk))]
        parts.append(f"t.person_id IN ({', '.join(names)})")
        params |= {f"p{i}_{j}": pk for j, pk in enumerate(chunk)}
    return "(" + " OR ".join(parts) + ")", params


def _write(deltas: Deltas) -> None:
    figures_add(deltas)


def _difference(after: Deltas, before: list[Deltas]) -> Deltas:
    if not before:  # new people (an import's, a load's): nothing to take away
        return {key: vec for key, vec in after.items() if any(vec)}
    out: Deltas = {key: list(vec) for key, vec in after.items()}
    for part in before:
        for key, vec in part.items():
            row = out.setdefault(key, [0] * WIDTH)
            for i, value in enumerate(vec):
                row[i] -= value
    return {key: vec for key, vec in out.items() if any(vec)}


@dataclass(frozen=True)
class DependentFigures:
    """Figures a higher app keeps that depend on where people are on the roster (the holders of
    a year's titles by the unit they work in on 31/12: evaluation.figures). Registered from
    the app's `ready`; `people_figures` enters `track(person_ids)` around every change to
    periods, in the same transaction, so those figures follow transfers and corrections as
    these do (ADR 0031). `differences` and `rebuild` serve `figures-check` and
    `figures_rebuild`, with the rows of `figures_differences`."""

    name: str
    track: Callable[[Iterable[int]], AbstractContextManager[None]]
    differences: Callable[[], list[tuple[int, dt.date, str, int, int]]]
    rebuild: Callable[[], int]


DEPENDENTS: list[DependentFigures] = []


def register_dependent(figures: DependentFigures) -> None:
    if all(d.name != figures.name for d in DEPENDENTS):
        DEPENDENTS.append(figures)


@contextmanager
def no_roster_dependence(person_ids: Iterable[int]) -> Iterator[None]:
    """The `track` of figures that follow their own records only, not the roster."""
    yield


class CountedSums:
    """Records counted per unit and year by `compute(unit_ids | None)` and kept only as subtree
    sums (ADR 0036): `track(unit_ids)` around a change to those units' records counts them
    before and after and adds the difference to the sums of `source`; `add_new` counts units
    that had none; `rebuild` and `differences` serve `figures_rebuild` and `figures-check`,
    where the sums are registered as a dependent that does not follow the roster."""

    def __init__(self, name: str, source: Rolled,
                 compute: Callable[[Iterable[int] | None], dict[YearlyKey, int]],
                 label: Callable[[str], str]) -> None:
        self.source, self._compute, self._label = source, compute, label
        self._keeper: DifferenceKeeper[dict[YearlyKey, int]] = DifferenceKeeper(
            f"{name}_sums", compute=compute,
            write=lambda after, before: rolled_add(source, subtract(after, before)))
        register_dependent(DependentFigures(name=name, track=no_roster_dependence,
                                            differences=self.differences, rebuild=self.rebuild))

    def track(self, unit_ids: Iterable[int]) -> AbstractContextManager[None]:
        return self._keeper.track(unit_ids)

    def add_new(self, unit_ids: Iterable[int]) -> None:
        self._keeper.add_new(unit_ids)

    def rebuild(self) -> int:
        """The sums recomputed from every unit's records (data written without the services)."""
        return rolled_rebuild(self.source, self._compute(None))

    def differences(self) -> list[tuple[int, dt.date, str, int, int]]:
        """(unit id, 31/12 of the year, label, kept, recomputed) for every wrong sum."""
        return rolled_differences(self.source, self._compute(None), label=self._label)


_KEEPER: DifferenceKeeper[Deltas] = DifferenceKeeper(
    "people_figures", compute=_compute_people,
    write=lambda after, before: _write(_difference(after, before)))


@contextmanager
def people_figures(person_ids: Iterable[int]) -> Iterator[None]:
    """Around a change to the periods (or the gender) of these people: their pieces are
    computed before and after, and the difference written (`platform.kept`), with the figures
    of the registered dependents. Nested (a service calling another), the outermost one writes,
    once, for all the people the inner ones named."""
    person_ids = list(person_ids)
    with ExitStack() as kept:
        for dependent in DEPENDENTS:
            kept.enter_context(dependent.track(person_ids))
        kept.enter_context(_KEEPER.track(person_ids))
        yield


def people_figures_add(person_ids: Iterable[int]) -> None:
    """Count the periods of people who had none before (new people, e.g. an import's): one
    GROUP BY of their rows, then bulk upserts."""
    _KEEPER.add_new(person_ids)


#: The rebuild reads the periods of this many unit versions at a time: its memory holds one
#: part's rows, not the table (2,0 M rows took 2,0 GB at a tenth of the nation).
REBUILD_VERSIONS = 5000


def _parts() -> Iterator[Deltas]:
    """The whole table recomputed from the periods and versions, in parts: the versions in id
    ranges of `REBUILD_VERSIONS`, each range's pieces spread over their chains (computed once).
    The parts add up to the table; each holds only its range's rows and their ancestors'."""
    ids = list(UnitVersion.objects.order_by("id").values_list("id", flat=True))
    chains = version_chains(ids, every=True)
    for part in chunks(ids, REBUILD_VERSIONS):
        direct = _direct("v.id BETWEEN %(lo)s AND %(hi)s", {"lo": part[0], "hi": part[-1]})
        for key, vec in unit_pieces(part).items():
            row = direct.setdefault(key, [0] * WIDTH)
            for i, value in enumerate(vec):
                row[i] += value
        yield spread(direct, chains=chains)


def rebuild_table(*, years: bool = True) -> int:
    """Recompute the whole table from the periods and versions in bulk, for data written
    without the services, then the sums by year (`years`; False only in a migration that may
    run before their table, people/0007). Streamed (`_parts`), each part added with COPY and
    one upsert on PostgreSQL, so memory holds one part whatever the size of the tree. Returns
    the number of day rows."""
    with transaction.atomic():
        FigureDelta.objects.all().delete()
        if years:
            FigureYear.objects.all().delete()
        for deltas in _parts():
            figures_add(((unit_id, day, vec) for (unit_id, day), vec in deltas.items()),
                        years=years)
    return FigureDelta.objects.count()


def figures_differences() -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, day, key, kept, recomputed) for every figure the table holds wrongly, then
    every sum by year that does ("year:" keys, on 1 January). Streamed like the rebuild: the
    recomputed parts are added to a temporary table and compared in the database."""
    with recomputed() as (add, differences):
        for deltas in _parts():
            add(deltas)
        return differences()


# --- reads ---------------------------------------------------------------------------------

_SUMS = ", ".join(f"COALESCE(SUM(f.{k}), 0)" for k in COUNT_KEYS)


def all_figures(*, day: dt.date) -> dict[int, dict[str, int]]:
    """The figures of every unit alive at `day` (unit id → figures): one GROUP BY over the
    table, whatever the number of people."""
    alive = UnitVersion.objects.at(day).values_list("unit_id", flat=True)
    out = {unit_id: dict.fromkeys(COUNT_KEYS, 0) for unit_id in alive}
    sql = f"SELECT f.unit_id, {_SUMS} FROM org_figuredelta f WHERE f.day <= %s GROUP BY f.unit_id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [day])
        for unit_id, *vec in cursor.fetchall():
            if unit_id in out:
                out[unit_id] = dict(zip(COUNT_KEYS, (int(x) for x in vec), strict=True))
    return out
