"""Who has registered for an emulation year, kept per subtree and day (ADR 0037): the members
and the workers registered, by their number of commitments, counted where they are on the
roster, and the units registered, by type and number of commitments. The registration page
reads these instead of scanning the subtree's memberships and employments (the TLĐ's page
read 1,1 M memberships at a tenth of the nation).

Kept in `org.DatedFigure`, in the roster's canonical form (ADR 0025): a person registered for
year Y adds, for each piece of their membership (or employment) periods cut at their unit's
versions, +1 at the piece's start and -1 at its end to every unit of the version's chain, under
`dk:Y:m:<commitments>` (`dk:Y:w` for employments); a unit registered for Y adds each of its
versions under `dk:Y:u:<type>:<commitments>`. A year's figures are only ever read inside its
period (`Calendar.reference_day`), which lies in [1/1 of Y-1, 1/1 of Y+1) whatever the
calendar, so the pieces are cut to that window: a unit's rows of a year stay a few per day on
which its roster changed in those two years, not one for every day since the records began.

Kept by difference (`platform.kept`): the registrar's writes count the people and units they
touch before and after; every change to the roster's periods does the same for its people
(registered with `people.figures` as a dependent: transfers, joins, leaves, imports); a tree
event moves a subtree's rows (`org.dated`); a load adds its new registrations. `figures-check`
recomputes everything and compares; `figures_rebuild` replaces it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.db import connection

from thidua.org.dated import DatedKey, dated_add, dated_differences, dated_replace, dated_sums
from thidua.org.figures import read_day, version_chains
from thidua.org.models import DatedFigure, UnitVersion
from thidua.people.figures import DependentFigures, register_dependent
from thidua.platform.kept import DifferenceKeeper, chunks, id_runs, subtract

PREFIX = "dk:"
LONG_RUN = 100  # consecutive ids read as a range from this many on
Figures = dict[DatedKey, int]

_PEOPLE_PIECES = """
SELECT v.id, t.valid_from, t.valid_to, v.valid_from, v.valid_to, r.year, r.commitment_count
FROM movements_registration r
JOIN {table} t ON t.person_id = r.person_id
JOIN org_unitversion v ON v.unit_id = t.unit_id
     AND (t.valid_to IS NULL OR v.valid_from < t.valid_to)
     AND (v.valid_to IS NULL OR t.valid_from < v.valid_to)
WHERE r.person_id IS NOT NULL AND {where}
"""

_UNIT_PIECES = """
SELECT v.id, v.valid_from, v.valid_to, v.valid_from, v.valid_to, r.year, r.commitment_count,
       u.type
FROM movements_registration r
JOIN org_unit u ON u.id = r.unit_id
JOIN org_unitversion v ON v.unit_id = r.unit_id
WHERE r.unit_id IS NOT NULL AND {where}
"""


def year_prefix(year: int) -> str:
    return f"{PREFIX}{year}:"


def member_key(year: int, commitments: int) -> str:
    return f"{PREFIX}{year}:m:{commitments}"


def worker_key(year: int) -> str:
    return f"{PREFIX}{year}:w"


def unit_key(year: int, unit_type: str, commitments: int) -> str:
    return f"{PREFIX}{year}:u:{unit_type}:{commitments}"


def window(year: int) -> tuple[dt.date, dt.date]:
    """[first, first after) day on which a year's figures may be read: every calendar's
    period of the year lies inside (a school year Y runs from a day of Y-1 to one of Y)."""
    return dt.date(year - 1, 1, 1), dt.date(year + 1, 1, 1)


def _where(column: str, ids: Iterable[int] | None) -> Iterator[tuple[str, list[Any]]]:
    """The statement's filters on `column` for these ids (all: None): long runs of
    consecutive ids as ranges (a load's new people), the rest in one array on PostgreSQL, in
    lists of 500 on SQLite. (A CĐCS's roster is short runs: one statement each made 400
    statements for a grid of 1.000 people.)"""
    if ids is None:
        yield "1 = 1", []
        return
    runs, singles = id_runs(ids)
    rest = list(singles)
    for lo, hi in runs:
        if hi - lo >= LONG_RUN:
            yield f"{column} BETWEEN %s AND %s", [lo, hi]
        else:
            rest += range(lo, hi + 1)
    if rest and connection.vendor == "postgresql":
        yield f"{column} = ANY(%s)", [sorted(rest)]
        return
    for chunk in chunks(sorted(rest)):
        yield f"{column} IN ({', '.join(['%s'] * len(chunk))})", list(chunk)


def _direct(sql: str, wheres: Iterable[tuple[str, list[Any]]], table: str = "") -> Figures:
    """Deltas of the pieces the statement returns, keyed by (version id, key, day), each piece
    cut to its year's window: a person's periods in `table` (memberships or employments), or
    a unit's versions (no table)."""
    out: Figures = defaultdict(int)
    with connection.cursor() as cursor:
        for where, params in wheres:
            cursor.execute(sql.format(where=where, table=table), params)
            for vid, t_from, t_to, v_from, v_to, year, commitments, *rest in cursor.fetchall():
                first, after = window(int(year))
                start = max(read_day(t_from), read_day(v_from), first)
                end = min([after] + [read_day(x) for x in (t_to, v_to) if x is not None])
                if start >= end:
                    continue
                if rest:
                    key = unit_key(int(year), rest[0], int(commitments))
                elif table == "people_membership":
                    key = member_key(int(year), int(commitments))
                else:
                    key = worker_key(int(year))
                out[vid, key, start] += 1
                out[vid, key, end] -= 1
    return out


def _spread(direct: Figures, chains: dict[int, list[int]] | None = None) -> Figures:
    """Each version's deltas added to every unit of its chain (itself and its ancestors)."""
    if chains is None:
        chains = version_chains({vid for vid, _, _ in direct})
    out: Figures = defaultdict(int)
    for (vid, key, day), n in direct.items():
        if n:
            for unit_id in chains.get(vid, ()):
                out[unit_id, key, day] += n
    return {k: n for k, n in out.items() if n}


def _people_direct(wheres: list[tuple[str, list[Any]]]) -> Figures:
    """The pieces of the registered people the filters select, memberships and employments."""
    direct: Figures = defaultdict(int)
    for table in ("people_membership", "people_employment"):
        for k, n in _direct(_PEOPLE_PIECES, wheres, table).items():
            direct[k] += n
    return direct


def _people(person_ids: Iterable[int] | None, chains: dict[int, list[int]] | None = None
            ) -> Figures:
    ids = None if person_ids is None else sorted(set(person_ids))
    return _spread(_people_direct(list(_where("r.person_id", ids))), chains)


def _units(unit_ids: Iterable[int] | None, chains: dict[int, list[int]] | None = None
           ) -> Figures:
    ids = None if unit_ids is None else sorted(set(unit_ids))
    return _spread(_direct(_UNIT_PIECES, _where("r.unit_id", ids)), chains)


def _write(after: Figures, before: list[Figures]) -> None:
    dated_add(subtract(after, before))


_PEOPLE: DifferenceKeeper[Figures] = DifferenceKeeper("registered_people", compute=_people,
                                                      write=_write)
_UNITS: DifferenceKeeper[Figures] = DifferenceKeeper("registered_units", compute=_units,
                                                     write=_write)


@contextmanager
def registered_figures(*, person_ids: Iterable[int], unit_ids: Iterable[int]) -> Iterator[None]:
    """Around a change to these people's and units' registrations (the registrar's write):
    their figures are counted before and after, and the difference kept. Nested, the
    outermost writes."""
    with ExitStack() as kept:
        kept.enter_context(_PEOPLE.track(person_ids))
        kept.enter_context(_UNITS.track(unit_ids))
        yield


def registered_add(*, person_ids: Iterable[int], unit_ids: Iterable[int]) -> None:
    """Count people and units that had no registration before (a load's)."""
    _PEOPLE.add_new(person_ids)
    _UNITS.add_new(unit_ids)


#: the rebuild reads the registrations of this many person ids at a time
REBUILD_PEOPLE = 50000


def _parts() -> Iterator[Figures]:
    """Everything recomputed, in parts that add up: the units' registrations, then the
    people's by ranges of person ids (memory holds one range's pieces)."""
    chains = version_chains(UnitVersion.objects.values_list("id", flat=True), every=True)
    yield _units(None, chains)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(person_id), MAX(person_id) FROM movements_registration "
                       "WHERE person_id IS NOT NULL")
        lo, hi = cursor.fetchone()
    if lo is None:
        return
    for start in range(int(lo), int(hi) + 1, REBUILD_PEOPLE):
        where = ("r.person_id BETWEEN %s AND %s", [start, start + REBUILD_PEOPLE - 1])
        yield _spread(_people_direct([where]), chains)


def rebuild() -> int:
    """Replace the kept figures by their recomputation from the records (data written
    without the services, a repair): the number of rows."""
    return dated_replace(PREFIX, _parts())


def differences() -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, day, key, kept, recomputed) for every kept row that is wrong."""
    return dated_differences(PREFIX, _parts())


register_dependent(DependentFigures(name="registered", track=_PEOPLE.track,
                                    differences=differences, rebuild=rebuild))


def registered_years(unit_id: int) -> set[int]:
    """The years for which someone in the unit's subtree registered (on some day of the
    year's window): the distinct keys of the unit's own rows."""
    keys = (DatedFigure.objects.filter(unit_id=unit_id, key__startswith=PREFIX)
            .order_by().values_list("key", flat=True).distinct())
    return {int(key.split(":")[1]) for key in keys}


def registered_sums(unit_ids: Iterable[int], *, year: int, day: dt.date
                    ) -> dict[int, dict[str, int]]:
    """unit id -> {key without the year's prefix ("m:2", "w", "u:cdcs:3"): figure at `day`}
    for the subtrees of these units: one query."""
    cut = len(year_prefix(year))
    return {unit_id: {key[cut:]: n for key, n in sums.items()}
            for unit_id, sums in dated_sums(unit_ids, prefix=year_prefix(year), day=day).items()}
