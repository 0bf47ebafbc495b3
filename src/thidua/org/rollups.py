"""Subtree sums of the tables kept per unit and year (ADR 0036).

The title, award and report figures (ADR 0031, 0034, 0032) are kept at the unit that holds
them, and a unit's figure for year Y is the sum over its subtree as the tree stood on 31/12/Y.
Summed on each view, that read every unit of the subtree: at a tenth of the nation the whole
nation's dashboard summed 47.000 units' title rows (122 ms of its 272) and award rows (68 ms).
So each source is also kept summed per subtree, in `SubtreeFigure` (one table, the keys
prefixed by the source's name):

- a difference added to a source's row (unit U, year Y) is added to every unit whose subtree
  held U on 31/12/Y: U and its ancestors that day; to none when U was not alive that day (no
  subtree of that year's tree holds it);
- a subtree that moves on day D takes its rows of the years whose 31/12 falls on or after D
  from its old ancestors to its new ones; a unit that ends on D takes them from itself and its
  ancestors (as `org.figures` moves the day rows, and under the same assumption: the chain the
  tree has now is the chain of those years);
- `rolled_rebuild` recomputes a source's sums from the source's rows in one statement, and
  `rolled_differences` compares them, in the database, with the sums of the source's rows as
  `figures-check` recomputes them from the records.

A unit that ended during Y is read, for Y, on its last day, not on 31/12: for that year its
readers keep summing the subtree's rows (`at_year_end`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.expressions import RawSQL

from thidua.org.figures import version_chains
from thidua.org.models import SubtreeFigure, Unit, UnitVersion
from thidua.platform.kept import YearlyKey, add_yearly, chunks
from thidua.platform.reads import page_memo

TABLE = "org_subtreefigure"
#: the prefixes of the sources whose keys have no bound (`Rolled.wide`)
_WIDE: set[str] = set()


@dataclass(frozen=True)
class Rolled:
    """A table kept per unit and year, `(unit_id, year, <key>) -> <value>`, whose subtree sums
    are kept under the keys "<name>:<key>"; or, with no table, records counted per unit and
    year by their own app and kept only as subtree sums (`rolled_add` and `rolled_rebuild`
    with the rows)."""

    name: str
    table: str = ""
    key: str = "key"
    value: str = "value"
    #: keys without a bound (the awards' issuer × form): a page's first read of a unit's sums
    #: leaves them out (`rolled_sums` in `page_reads`)
    wide: bool = False

    def __post_init__(self) -> None:
        if self.wide:
            _WIDE.add(self.prefix)

    def keyed(self, key: str) -> str:
        return f"{self.name}:{key}"

    @property
    def prefix(self) -> str:
        return f"{self.name}:"


def at_year_end(day: dt.date) -> bool:
    """Whether a year's tree read at `day` is the one the sums follow (31/12, not a last day)."""
    return day.month == 12 and day.day == 31


def year_end_chains(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
    """(unit id, year) -> the units whose subtree held the unit on 31/12 of the year: the chain
    of its version valid that day (`org.figures.version_chains`: a version's chain holds while it
    is valid, since a move gives the moved subtree new versions); pairs whose unit was not
    alive that day are left out. Three queries per 500 units."""
    wanted = set(pairs)
    versions: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    rows = UnitVersion.objects.values_list("unit_id", "id", "valid_from", "valid_to")
    for ids in chunks(sorted({unit_id for unit_id, _ in wanted})):
        for unit_id, vid, start, stop in rows.filter(unit_id__in=ids):
            versions[unit_id].append((vid, start, stop))
    version_of: dict[tuple[int, int], int] = {}
    for unit_id, year in wanted:
        day = dt.date(year, 12, 31)
        for vid, start, stop in versions.get(unit_id, ()):
            if start <= day and (stop is None or stop > day):
                version_of[unit_id, year] = vid
                break
    chains = version_chains(version_of.values())
    return {pair: chains[vid] for pair, vid in version_of.items()}


def rolled_add(source: Rolled, difference: Mapping[YearlyKey, int]) -> None:
    """Add a difference of the source's rows to the sums of the subtrees that held each row's
    unit on 31/12 of its year (in the caller's transaction)."""
    difference = {k: n for k, n in difference.items() if n}
    if not difference:
        return
    chains = year_end_chains((unit_id, year) for unit_id, year, _ in difference)
    out: dict[YearlyKey, int] = {}
    for (unit_id, year, key), n in difference.items():
        keyed = source.keyed(key)
        for holder in chains.get((unit_id, year), ()):
            out[holder, year, keyed] = out.get((holder, year, keyed), 0) + n
    add_yearly(TABLE, key="key", value="value", difference=out)


def rolled_move(unit: Unit, day: dt.date, *, old: list[int], new: list[int]) -> None:
    """The subtree of `unit` leaves the units `old` and joins the units `new` on `day`: its
    sums of the years from `day`'s on, every source, go with it."""
    out: dict[YearlyKey, int] = {}
    for year, key, value in (SubtreeFigure.objects.filter(unit=unit, year__gte=day.year)
                             .values_list("year", "key", "value")):
        for holders, sign in ((old, -1), (new, 1)):
            for holder in holders:
                out[holder, year, key] = out.get((holder, year, key), 0) + sign * int(value)
    add_yearly(TABLE, key="key", value="value", difference=out)


def rolled_end(unit: Unit, day: dt.date, *, ancestors: list[int]) -> None:
    """`unit` ends on `day`: its sums of the years from `day`'s on leave it and its ancestors."""
    rolled_move(unit, day, old=[unit.pk, *ancestors], new=[])


_YEAR_END = {"postgresql": "make_date(f.year, 12, 31)",
             "sqlite": "printf('%%04d-12-31', f.year)"}


def _expected_sql(table: str, key: str, value: str) -> str:
    """The subtree sums of a table kept per unit and year, as a SELECT of (unit_id, year, key,
    value) with the key prefixed by the first parameter: each row joined to its unit's version
    on 31/12 of its year, then to the versions of that day whose path is a prefix of it (one
    join per level of the tree, on the path index)."""
    end = _YEAR_END[connection.vendor]
    step = Unit.steplen
    deepest = max(UnitVersion.objects.order_by("-depth").values_list("depth", flat=True)[:1],
                  default=1)
    levels = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(1, deepest + 1))
    alive = "{v}.valid_from <= {end} AND ({v}.valid_to IS NULL OR {v}.valid_to > {end})"
    return (
        f"SELECT a.unit_id, f.year, %s || f.{key}, SUM(f.{value}) FROM {table} f "
        f"JOIN org_unitversion v ON v.unit_id = f.unit_id AND {alive.format(v='v', end=end)} "
        f"JOIN ({levels}) lv ON lv.n <= v.depth "
        f"JOIN org_unitversion a ON a.path = substr(v.path, 1, lv.n * {step}) "
        f"AND {alive.format(v='a', end=end)} "
        f"GROUP BY a.unit_id, f.year, f.{key} HAVING SUM(f.{value}) <> 0")


_STAGE = "org_rolled_expected"


@contextmanager
def _staged(cursor: Any, rows: Mapping[YearlyKey, int]) -> Iterator[str]:
    """A temporary table of these (unit id, year, key) -> value rows, for the transaction's
    statements (COPY on PostgreSQL, executemany on SQLite)."""
    cursor.execute(f"CREATE TEMPORARY TABLE {_STAGE} (unit_id integer NOT NULL, year integer "
                   "NOT NULL, key varchar(100) NOT NULL, value bigint NOT NULL)")
    try:
        items = [(u, y, k, n) for (u, y, k), n in rows.items() if n]
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_STAGE} FROM STDIN") as copy:
                for item in items:
                    copy.write_row(item)
        else:
            cursor.executemany(f"INSERT INTO {_STAGE} VALUES (%s, %s, %s, %s)", items)
        yield _STAGE
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")


def rolled_rebuild(source: Rolled, rows: Mapping[YearlyKey, int] | None = None) -> int:
    """The source's subtree sums recomputed from its rows (after its own rebuild), or from
    `rows`, the per-unit figures of a source kept only as sums (its records counted per unit);
    returns the number of rows written."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE key LIKE %s", [source.prefix + "%"])
        insert = f"INSERT INTO {TABLE} (unit_id, year, key, value) "
        if rows is None:
            cursor.execute(insert + _expected_sql(source.table, source.key, source.value),
                           [source.prefix])
            return int(cursor.rowcount)
        with _staged(cursor, rows) as stage:
            cursor.execute(insert + _expected_sql(stage, "key", "value"), [source.prefix])
            return int(cursor.rowcount)


def rolled_differences(source: Rolled, expected: Mapping[YearlyKey, int], *,
                       label: Callable[[str], str]) -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, 31/12 of the year, "cả cây: " + label of the source's key, kept, recomputed)
    for every wrong subtree sum of the source: the sums of `expected` (the source's rows as
    the check recomputed them from the records) compared with the kept ones in the database, so
    a wrong row of the source is reported once, not again in the sums of its ancestors."""
    kept = f"SELECT unit_id, year, key, value FROM {TABLE} WHERE key LIKE %s"
    on = "k.unit_id = w.unit_id AND k.year = w.year AND k.key = w.key"
    with transaction.atomic(), connection.cursor() as cursor, _staged(cursor, expected) as stage:
        cursor.execute(
            f"WITH w (unit_id, year, key, value) AS ({_expected_sql(stage, 'key', 'value')}), "
            f"k AS ({kept}) "
            f"SELECT k.unit_id, k.year, k.key, k.value, w.value FROM k LEFT JOIN w ON {on} "
            "WHERE w.value IS NULL OR w.value <> k.value "
            f"UNION ALL SELECT w.unit_id, w.year, w.key, NULL, w.value FROM w "
            f"LEFT JOIN k ON {on} WHERE k.unit_id IS NULL",
            [source.prefix, source.prefix + "%"])
        found = cursor.fetchall()
    return sorted((unit_id, dt.date(int(year), 12, 31),
                   "cả cây: " + label(key[len(source.prefix):]), int(have or 0), int(want or 0))
                  for unit_id, year, key, have, want in found)


def rolled_sums(source: Rolled, *, unit_ids: Iterable[int], years: Iterable[int],
                keys: Iterable[str] | None = None) -> dict[YearlyKey, int]:
    """(unit id, year, the source's key) -> the sum over the unit's subtree as the tree stood on
    31/12 of the year, for these units and years (all the source's keys, or these); one query
    per 500 units. Inside `page_reads`, a source that is not wide is answered from every
    narrow source's sums of these units and years, read once for the page."""
    years = list(years)
    memo = page_memo()
    if memo is not None and not source.wide:
        return _page_sums(memo, source, unit_ids=unit_ids, years=years, keys=keys)
    found = SubtreeFigure.objects.filter(year__in=years)
    if keys is None:
        found = found.filter(key__startswith=source.prefix)
    else:
        found = found.filter(key__in=[source.keyed(k) for k in keys])
    start = len(source.prefix)
    out: dict[YearlyKey, int] = {}
    for units in _unit_filters(unit_ids):
        for unit_id, year, key, value in (found.filter(unit_id__in=units).order_by()
                                          .values_list("unit_id", "year", "key", "value")):
            out[unit_id, int(year), key[start:]] = int(value)
    return out


def _page_sums(memo: dict[Any, Any], source: Rolled, *, unit_ids: Iterable[int],
               years: list[int], keys: Iterable[str] | None) -> dict[YearlyKey, int]:
    """`rolled_sums` from the page's memory: the narrow sums of the (unit, year) pairs not read
    yet are read in one query (a unit holds a few dozen: titles, gradings, movements,
    initiatives, report figures), then every later call of the page is answered from them."""
    held: dict[tuple[int, int], dict[str, dict[str, int]]] = memo.setdefault(
        ("org.rollups", "narrow"), {})
    ids = sorted(set(unit_ids))
    missing = [(u, y) for u in ids for y in years if (u, y) not in held]
    if missing:
        for pair in missing:
            held[pair] = {}
        found = SubtreeFigure.objects.filter(year__in=sorted({y for _u, y in missing}))
        for prefix in sorted(_WIDE):
            found = found.exclude(key__startswith=prefix)
        for units in _unit_filters(u for u, _y in missing):
            for unit_id, year, key, value in (found.filter(unit_id__in=units).order_by()
                                              .values_list("unit_id", "year", "key", "value")):
                by_source = held.get((unit_id, int(year)))
                if by_source is not None:
                    name, _, rest = key.partition(":")
                    by_source.setdefault(name, {})[rest] = int(value)
    wanted = None if keys is None else list(keys)
    out: dict[YearlyKey, int] = {}
    for u in ids:
        for y in years:
            sums = held[u, y].get(source.name)
            if not sums:
                continue
            if wanted is None:
                out.update(((u, y, key), value) for key, value in sums.items())
            else:
                out.update(((u, y, key), sums[key]) for key in wanted if key in sums)
    return out


def _unit_filters(unit_ids: Iterable[int]) -> Iterator[Any]:
    """What `unit_id__in` takes for these units: on PostgreSQL all of them at once, as one
    array parameter (a cấp trên's 1.446 children as 1.446 parameters cost ~15 ms to build and
    send, per query, at the nation's size); elsewhere chunks of 500 (SQLite's parameter
    limit)."""
    ids = sorted(set(unit_ids))
    if connection.vendor == "postgresql":
        if ids:
            yield RawSQL("SELECT unnest(%s::integer[])", (ids,))
        return
    yield from chunks(ids)


def yearly_add(source: Rolled, difference: Mapping[YearlyKey, int]) -> None:
    """Add a difference to the source's rows (`platform.kept.add_yearly`) and to their subtree
    sums, in the caller's transaction: the one write of a kept yearly table."""
    add_yearly(source.table, key=source.key, value=source.value, difference=difference)
    rolled_add(source, difference)


def rolled_totals(source: Rolled, *, unit_ids: Iterable[int], year: int) -> dict[int, int]:
    """Unit id -> the sum of all the source's keys over the unit's subtree as the tree stood on
    31/12 of `year` (every issuer and form of the awards, say): one GROUP BY per 500 units."""
    out: dict[int, int] = {}
    found = SubtreeFigure.objects.filter(year=year, key__startswith=source.prefix).order_by()
    for units in _unit_filters(unit_ids):
        out.update((unit_id, int(n)) for unit_id, n in found.filter(unit_id__in=units)
                   .values_list("unit_id").annotate(n=Sum("value")))
    return out
