"""The tree events' side of the maintained figures (`FigureDelta`, ADR 0025).

A unit's rows hold the figures of its whole subtree, and a tree event never changes what lies
inside a moved subtree, only where it hangs. So when a subtree leaves its ancestors on day D,
its own rows from D on (its figure on D, then its later changes) are taken from the old
ancestors and given to the new ones; when a unit ends on D, its rows from D on are taken from
itself and its ancestors (a unit that no longer exists belongs to no subtree). Only the figures
table is read: no period, no person, whatever the size of the subtree.

The units of each type are kept in the same rows (ADR 0035), in the canonical form of the
people's periods (people.figures): each version of a unit adds +1 of the unit's type at its
`valid_from` and -1 at its `valid_to` to every unit of its chain (itself and its ancestors while
it is valid). A new unit adds its own (`units_figures_add`); moves and ends carry them with the
rest of the subtree's rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import add
from typing import Any

from django.db import connection, transaction

from thidua.org.models import FigureDelta, Unit, UnitType, UnitVersion
from thidua.platform.kept import chunks

#: the people figures (roster counts), then the units of each type in the subtree (ADR 0035)
PEOPLE_KEYS = ("workers", "women", "members", "women_members", "members_active",
               "members_suspended")
UNIT_KEYS = tuple(f"units_{unit_type}" for unit_type in UnitType.values)
KEYS = PEOPLE_KEYS + UNIT_KEYS
UNIT_SLOT = {unit_type: len(PEOPLE_KEYS) + i for i, unit_type in enumerate(UnitType.values)}
Deltas = dict[tuple[int, dt.date], list[int]]

ALL_ZERO = " AND ".join(f"{key} = 0" for key in KEYS)
BULK = 1000  # from this many rows on, the staged path pays for its three statements


@dataclass(frozen=True)
class _Target:
    """A kept table written by adding to its rows: the day's deltas (`org_figuredelta`) and
    their sums by year (`org_figureyear`)."""

    table: str
    key: str  # the column beside unit_id that identifies a row
    key_type: str

    @property
    def columns(self) -> str:
        return f"unit_id, {self.key}, " + ", ".join(KEYS)

    @property
    def upsert(self) -> str:
        return (f"INSERT INTO {self.table} ({self.columns}) VALUES {{values}} "
                f"ON CONFLICT (unit_id, {self.key}) DO UPDATE SET "
                + ", ".join(f"{key} = {self.table}.{key} + excluded.{key}" for key in KEYS))

    # bulk upserts on PostgreSQL: COPY into a temporary table, then one INSERT … SELECT … ON
    # CONFLICT; the table lives for the transaction only (fine behind PgBouncer's transaction
    # mode)
    @property
    def stage(self) -> str:
        return f"{self.table}_in"

    def add(self, cursor: Any, items: list[tuple[Any, ...]]) -> None:
        if connection.vendor == "postgresql" and len(items) >= BULK:
            cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.stage} (unit_id integer, "
                           f"{self.key} {self.key_type}, "
                           + ", ".join(f"{key} integer" for key in KEYS) + ") ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY {self.stage} ({self.columns}) FROM STDIN") as copy:
                for item in items:
                    copy.write_row(item)
            # WHERE true: ON CONFLICT after a SELECT with no join needs a WHERE to parse
            cursor.execute(self.upsert.replace(
                "VALUES {values}", f"SELECT {self.columns} FROM {self.stage} WHERE true"))
            cursor.execute(f"TRUNCATE {self.stage}")
        elif connection.vendor == "postgresql":
            row = "(" + ", ".join(["%s"] * (2 + len(KEYS))) + ")"
            for i in range(0, len(items), 100):
                chunk = items[i:i + 100]
                cursor.execute(self.upsert.format(values=", ".join([row] * len(chunk))),
                               [x for one in chunk for x in one])
        else:
            cursor.executemany(self.upsert.format(
                values="(" + ", ".join(["%s"] * (2 + len(KEYS))) + ")"), items)

    def drop_zero(self, cursor: Any, units: list[int]) -> None:
        for i in range(0, len(units), 500):
            ids = units[i:i + 500]
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {self.table} WHERE unit_id IN ({marks}) AND {ALL_ZERO}",
                           ids)


DAYS = _Target("org_figuredelta", "day", "date")
YEARS = _Target("org_figureyear", "year", "integer")


def _summed(rows: Iterable[tuple[int, Any, tuple[int, ...] | list[int]]]
            ) -> dict[tuple[int, Any], list[int]]:
    # one row per key in a statement: PostgreSQL refuses to update a row twice in one
    # INSERT … ON CONFLICT (a moved unit's common ancestors appear as old and new)
    summed: dict[tuple[int, Any], list[int]] = {}
    for unit_id, key, vec in rows:
        row = summed.get((unit_id, key))
        summed[unit_id, key] = list(vec) if row is None else list(map(add, row, vec))
    return summed


def figures_add(rows: Iterable[tuple[int, dt.date, tuple[int, ...] | list[int]]] | Deltas, *,
                years: bool = True) -> None:
    """Add (unit id, day, figures in the order of KEYS) to the table with upserts, and the
    same to the units' sums by year, then drop the rows of these units left at zero. Many rows
    (an import's, a load's) go in bulk: COPY and one upsert on PostgreSQL, one prepared upsert
    run by executemany on SQLite. (`years=False`: only a migration that predates the sums by
    year, org/0005.) `Deltas` (one row per unit and day already) are taken as they are."""
    summed = rows if isinstance(rows, dict) else _summed(rows)
    as_day = ((lambda day: day) if connection.vendor == "postgresql"
              else connection.ops.adapt_datefield_value)
    items: list[tuple[Any, ...]] = [(unit_id, as_day(day), *vec)
                                    for (unit_id, day), vec in sorted(summed.items()) if any(vec)]
    if not items:
        return
    units = sorted({unit_id for unit_id, _ in summed})
    with transaction.atomic(), connection.cursor() as cursor:
        DAYS.add(cursor, items)
        DAYS.drop_zero(cursor, units)
        if years:
            by_year = _summed((unit_id, day.year, vec) for (unit_id, day), vec in summed.items())
            YEARS.add(cursor, [(unit_id, year, *vec) for (unit_id, year), vec
                               in sorted(by_year.items()) if any(vec)])
            YEARS.drop_zero(cursor, units)


_YEAR_OF = {"postgresql": "CAST(EXTRACT(YEAR FROM day) AS integer)",
            "sqlite": "CAST(strftime('%Y', day) AS integer)"}


def _years_from_days_sql() -> str:
    """The sums by year of the day rows (unit_id, year, KEYS…), as a SELECT."""
    year = _YEAR_OF[connection.vendor]
    return (f"SELECT unit_id, {year} AS year, " + ", ".join(f"SUM({key}) AS {key}" for key in KEYS)
            + f" FROM org_figuredelta GROUP BY unit_id, {year}")


def years_rebuild() -> int:
    """The sums by year recomputed from the day rows (after a bulk rewrite of those)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM org_figureyear")
        cursor.execute(f"INSERT INTO org_figureyear ({YEARS.columns}) "
                       f"SELECT * FROM ({_years_from_days_sql()}) y WHERE NOT ({ALL_ZERO})")
        return int(cursor.rowcount)


Difference = tuple[int, dt.date, str, int, int]


@contextmanager
def recomputed() -> Iterator[tuple[Callable[[Deltas], None], Callable[[], list[Difference]]]]:
    """For a check of the whole table in parts: `add(deltas)` adds recomputed day rows to a
    temporary table (the sums are additive, so the parts may share ancestors), and
    `differences()` then compares the kept day rows and sums by year with it in the database:
    (unit id, day, key, kept, recomputed), the sums by year as "year:" keys on 1 January. The
    memory holds one part, not the table (≈ 20 M rows at national size)."""
    expected = _Target("org_figuredelta_expected", "day", "date")
    years = _Target("org_figureyear_expected", "year", "integer")
    counts = ", ".join(f"{key} integer NOT NULL DEFAULT 0" for key in KEYS)
    as_day = ((lambda day: day) if connection.vendor == "postgresql"
              else connection.ops.adapt_datefield_value)
    with transaction.atomic(), connection.cursor() as cursor:
        for target in (expected, years):
            cursor.execute(f"CREATE TEMPORARY TABLE {target.table} (unit_id integer NOT NULL, "
                           f"{target.key} {target.key_type} NOT NULL, {counts})")
            cursor.execute(f"CREATE UNIQUE INDEX {target.table}_key ON {target.table} "
                           f"(unit_id, {target.key})")

        def add(deltas: Deltas) -> None:
            expected.add(cursor, [(unit_id, as_day(day), *vec)
                                  for (unit_id, day), vec in sorted(deltas.items())])

        def differences() -> list[Difference]:
            year = _YEAR_OF[connection.vendor]
            cursor.execute(f"INSERT INTO {years.table} ({years.columns}) SELECT unit_id, "
                           f"{year}, " + ", ".join(f"SUM({key})" for key in KEYS)
                           + f" FROM {expected.table} GROUP BY unit_id, {year}")
            return (_compare(cursor, DAYS, expected, read_day, "")
                    + _compare(cursor, YEARS, years, lambda y: dt.date(int(y), 1, 1), "year:"))

        try:
            yield add, differences
        finally:
            for target in (expected, years):
                cursor.execute(f"DROP TABLE IF EXISTS {target.table}")


def _compare(cursor: Any, kept: _Target, want: _Target, as_date: Callable[[Any], dt.date],
             prefix: str) -> list[Difference]:
    """The rows of `kept` and `want` that differ (a missing row counts as zeros)."""
    on = f"k.unit_id = w.unit_id AND k.{kept.key} = w.{want.key}"
    differ = " OR ".join(f"k.{key} <> w.{key}" for key in KEYS)
    k_cols = ", ".join(f"k.{key}" for key in KEYS)
    w_cols = ", ".join(f"w.{key}" for key in KEYS)
    nulls = ", ".join("NULL" for _ in KEYS)
    cursor.execute(
        f"SELECT k.unit_id, k.{kept.key}, {k_cols}, {w_cols} FROM {kept.table} k "
        f"LEFT JOIN {want.table} w ON {on} WHERE w.unit_id IS NULL OR {differ} "
        f"UNION ALL SELECT w.unit_id, w.{want.key}, {nulls}, {w_cols} FROM {want.table} w "
        f"LEFT JOIN {kept.table} k ON {on} WHERE k.unit_id IS NULL AND NOT ("
        + " AND ".join(f"w.{key} = 0" for key in KEYS) + ")")
    out: list[Difference] = []
    width = len(KEYS)
    for unit_id, key, *values in cursor.fetchall():
        have, got = values[:width], values[width:]
        for name, a, b in zip(KEYS, have, got, strict=True):
            a, b = int(a or 0), int(b or 0)
            if a != b:
                out.append((unit_id, as_date(key), prefix + name, a, b))
    return sorted(out)


def _from(unit: Unit, day: dt.date) -> list[tuple[dt.date, list[int]]]:
    """The unit's rows from `day` on: its figure on `day` (the sum of the rows up to it), then
    each later row."""
    rows = FigureDelta.objects.filter(unit=unit).order_by("day").values_list("day", *KEYS)
    level = [0] * len(KEYS)
    out: list[tuple[dt.date, list[int]]] = []
    for when, *vec in rows:
        if when <= day:
            level = [a + b for a, b in zip(level, vec, strict=True)]
        else:
            out.append((when, list(vec)))
    return [(day, level), *out] if any(level) else out


def ancestors(unit: Unit) -> list[int]:
    """The unit's ancestors in the tree as it stands (treebeard's path prefixes)."""
    step = Unit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path), step)]
    return list(Unit.objects.filter(path__in=paths).values_list("pk", flat=True))


def figures_move(unit: Unit, day: dt.date, *, old: list[int], new: list[int]) -> None:
    """The subtree of `unit` leaves the units `old` and joins the units `new` on `day`."""
    series = _from(unit, day)
    figures_add([(a, when, [-x for x in vec]) for a in old for when, vec in series]
                + [(a, when, vec) for a in new for when, vec in series])


def figures_end(unit: Unit, day: dt.date) -> None:
    """`unit` ends on `day`: its figures from then on leave it and its ancestors."""
    figures_move(unit, day, old=[unit.pk, *ancestors(unit)], new=[])


# --- the units of each type (ADR 0035) -------------------------------------------------------

def read_day(value: Any) -> dt.date:
    """A date column as the driver returns it (SQLite's raw SQL gives ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def version_chains(version_ids: Iterable[int], *, every: bool = False) -> dict[int, list[int]]:
    """For each version, the units of its subtree's chain (itself and its ancestors) while it
    is valid. `every`: load all versions at once (the rebuild) instead of looking them up."""
    ids = set(version_ids)
    if not ids:
        return {}
    rows = UnitVersion.objects.values_list("id", "unit_id", "path", "valid_from", "valid_to")
    if every:
        all_rows = list(rows)
        mine = [r for r in all_rows if r[0] in ids]
        candidates = all_rows
    else:
        mine = []
        for id_chunk in chunks(sorted(ids)):
            mine += list(rows.filter(id__in=id_chunk))
        step = Unit.steplen
        prefixes = sorted({path[:end] for _, _, path, _, _ in mine
                           for end in range(step, len(path) + 1, step)})
        candidates = []
        for chunk in chunks(prefixes):
            candidates += list(rows.filter(path__in=chunk))
    by_path: dict[str, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for _, unit_id, path, start, stop in candidates:
        by_path[path].append((unit_id, start, stop))
    out: dict[int, list[int]] = {}
    step = Unit.steplen
    for vid, _, path, start, _ in mine:
        chain = []
        for cut in range(step, len(path) + 1, step):
            for unit_id, v_start, v_end in by_path.get(path[:cut], ()):
                if v_start <= start and (v_end is None or v_end > start):
                    chain.append(unit_id)
        out[vid] = chain
    return out


def spread(direct: Deltas, *, every: bool = False,
           chains: dict[int, list[int]] | None = None) -> Deltas:
    """Each version's deltas (keyed by version id and day) added to every unit of its chain.
    `chains`: those of `version_chains`, when the caller spreads many parts with them."""
    if chains is None:
        chains = version_chains({vid for vid, _ in direct}, every=every)
    out: Deltas = {}
    for (vid, day), vec in direct.items():
        for unit_id in chains.get(vid, ()):
            row = out.get((unit_id, day))
            if row is None:
                out[(unit_id, day)] = list(vec)
            else:
                for i, value in enumerate(vec):
                    row[i] += value
    return {key: vec for key, vec in out.items() if any(vec)}


_UNIT_PIECES = """
SELECT v.id, v.valid_from, 1, u.type FROM org_unitversion v JOIN org_unit u ON u.id = v.unit_id
WHERE {where}
UNION ALL
SELECT v.id, v.valid_to, -1, u.type FROM org_unitversion v JOIN org_unit u ON u.id = v.unit_id
WHERE v.valid_to IS NOT NULL AND {where}
"""


def unit_pieces(version_ids: Iterable[int] | None = None) -> Deltas:
    """The deltas of these versions (all: None), keyed by (version id, day), in KEYS' order:
    +1 of the unit's type when a version starts, -1 when it ends."""
    out: Deltas = {}
    if version_ids is None:
        wheres: list[tuple[str, list[int]]] = [("1 = 1", [])]
    else:
        wheres = [(f"v.id IN ({', '.join(['%s'] * len(chunk))})", list(chunk))
                  for chunk in chunks(sorted(set(version_ids)))]
    with connection.cursor() as cursor:
        for where, ids in wheres:
            cursor.execute(_UNIT_PIECES.format(where=where), ids + ids)
            for vid, day, sign, unit_type in cursor.fetchall():
                row = out.setdefault((vid, read_day(day)), [0] * len(KEYS))
                row[UNIT_SLOT[unit_type]] += int(sign)
    return {key: vec for key, vec in out.items() if any(vec)}


def units_figures_add(version_ids: Iterable[int]) -> None:
    """Count new versions (a new unit's, a load's units) in the kept figures of their chains."""
    figures_add((unit_id, day, vec) for (unit_id, day), vec
                in spread(unit_pieces(version_ids)).items())
