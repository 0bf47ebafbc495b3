"""Figures kept as dated deltas under string keys (`DatedFigure`, ADR 0037).

The roster's figures (`FigureDelta`, ADR 0025) have fixed columns and belong to org and people.
A higher app that must count something *where people are on the roster at a day* (the people
registered for an emulation year, on the registration page's day) keeps it here, in the same
canonical form: each counted piece [start, end) of a unit version adds +value at `start` and
-value at `end` to every unit of the version's chain under the app's key, so the figure of U's
subtree at D is the sum of U's rows up to D, with the tree as it stood at D. The owning app
computes the pieces and writes differences (`dated_add`), rebuilds and checks its keys
(`dated_replace`, `dated_differences`); the tree events move a subtree's rows of every key
(`dated_move`, `dated_end`), as `org.figures` moves the roster's, without knowing the keys."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction

from thidua.org.figures import read_day
from thidua.org.models import DatedFigure, Unit
from thidua.platform.kept import chunks

TABLE = "org_datedfigure"
DatedKey = tuple[int, str, dt.date]  # (unit id, key, day)


def _upsert(cursor: Any, table: str, rows: list[tuple[int, str, dt.date, int]]) -> None:
    """Add the rows' values to `table`'s (unit_id, key, day) rows: one `unnest` statement per
    20.000 rows on PostgreSQL (a load adds many), one prepared upsert run by executemany on
    SQLite. The keys are a dictionary's, so no row is updated twice by a statement."""
    upsert = (f"ON CONFLICT (unit_id, key, day) DO UPDATE SET value = {table}.value + "
              "excluded.value")
    if connection.vendor == "postgresql":
        for part in chunks(rows, 20000):
            columns = [list(c) for c in zip(*part, strict=True)]
            cursor.execute(f"INSERT INTO {table} (unit_id, key, day, value) SELECT * FROM "
                           "unnest(%s::bigint[], %s::text[], %s::date[], %s::bigint[]) "
                           + upsert, columns)
    else:
        as_day = connection.ops.adapt_datefield_value
        cursor.executemany(f"INSERT INTO {table} (unit_id, key, day, value) "
                           "VALUES (%s, %s, %s, %s) " + upsert,
                           [(u, k, as_day(d), n) for u, k, d, n in rows])


def _rows(difference: Mapping[DatedKey, int]) -> list[tuple[int, str, dt.date, int]]:
    return [(unit_id, key, day, n) for (unit_id, key, day), n in sorted(difference.items()) if n]


def dated_add(difference: Mapping[DatedKey, int]) -> None:
    """Add `difference` to the kept rows (upserts that add, so two changes at once both count),
    then drop the rows of those units left at zero: the table holds no empty row, as the
    check's recomputation does not. In the caller's transaction."""
    rows = _rows(difference)
    if not rows:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _upsert(cursor, TABLE, rows)
        for batch in chunks(sorted({r[0] for r in rows})):
            cursor.execute(f"DELETE FROM {TABLE} WHERE value = 0 AND "
                           f"unit_id IN ({', '.join(['%s'] * len(batch))})", list(batch))


def dated_move(unit: Unit, day: dt.date, *, old: list[int], new: list[int]) -> None:
    """The subtree of `unit` leaves the units `old` and joins the units `new` on `day`: for
    every key, its figure on `day` (its rows up to it) and each later row go with it. Only the
    unit's own rows are read, whatever lies below it."""
    level: dict[str, int] = defaultdict(int)
    later: list[tuple[str, dt.date, int]] = []
    for key, when, value in (DatedFigure.objects.filter(unit=unit).order_by("key", "day")
                             .values_list("key", "day", "value")):
        if when <= day:
            level[key] += int(value)
        else:
            later.append((key, when, int(value)))
    series = [(key, day, n) for key, n in level.items() if n] + later
    out: dict[DatedKey, int] = defaultdict(int)
    for holders, sign in ((old, -1), (new, 1)):
        for holder in holders:
            for key, when, n in series:
                out[holder, key, when] += sign * n
    dated_add(out)


def dated_end(unit: Unit, day: dt.date, *, ancestors: list[int]) -> None:
    """`unit` ends on `day`: its figures from then on leave it and its ancestors (a unit that
    no longer exists belongs to no subtree)."""
    dated_move(unit, day, old=[unit.pk, *ancestors], new=[])


def dated_sums(unit_ids: Iterable[int], *, prefix: str, day: dt.date) -> dict[int, dict[str, int]]:
    """unit id -> {key: figure at `day`} for the keys that start with `prefix` (which holds no
    `%` or `_`): one query, a range scan of each unit's rows."""
    ids = sorted(set(unit_ids))
    out: dict[int, dict[str, int]] = {unit_id: {} for unit_id in ids}
    with connection.cursor() as cursor:
        for batch in chunks(ids):
            cursor.execute(
                f"SELECT unit_id, key, SUM(value) FROM {TABLE} "
                f"WHERE unit_id IN ({', '.join(['%s'] * len(batch))}) AND key LIKE %s "
                "AND day <= %s GROUP BY unit_id, key",
                [*batch, prefix + "%", day])
            for unit_id, key, value in cursor.fetchall():
                if value:
                    out[unit_id][key] = int(value)
    return out


def dated_replace(prefix: str, parts: Iterable[Mapping[DatedKey, int]]) -> int:
    """The keys starting with `prefix` recomputed: their rows deleted, then each part of the
    recomputation added (parts may overlap: they add up). Returns the number of rows."""
    with transaction.atomic():
        DatedFigure.objects.filter(key__startswith=prefix).delete()
        for part in parts:
            dated_add(part)
        return DatedFigure.objects.filter(key__startswith=prefix).count()


def dated_differences(prefix: str, parts: Iterable[Mapping[DatedKey, int]]
                      ) -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, day, key, kept, recomputed) for every row of the keys starting with `prefix`
    (no `%` or `_` in it) that the table holds wrongly. The recomputation comes in parts that
    add up, staged in a temporary table and compared in the database: the memory holds one
    part, not the table (≈ 10 M rows a year of registrations at the nation's size)."""
    staged = f"{TABLE}_expected"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staged} (unit_id integer NOT NULL, "
                       "key varchar(60) NOT NULL, day date NOT NULL, value bigint NOT NULL)")
        try:
            cursor.execute(f"CREATE UNIQUE INDEX {staged}_key ON {staged} (unit_id, key, day)")
            for part in parts:
                rows = _rows(part)
                if rows:
                    _upsert(cursor, staged, rows)
            on = "k.unit_id = w.unit_id AND k.key = w.key AND k.day = w.day"
            cursor.execute(
                f"SELECT k.unit_id, k.day, k.key, k.value, w.value FROM {TABLE} k "
                f"LEFT JOIN {staged} w ON {on} WHERE k.key LIKE %s "
                "AND (w.unit_id IS NULL OR k.value <> w.value) "
                f"UNION ALL SELECT w.unit_id, w.day, w.key, NULL, w.value FROM {staged} w "
                f"LEFT JOIN {TABLE} k ON {on} WHERE k.unit_id IS NULL AND w.value <> 0",
                [prefix + "%"])
            found = cursor.fetchall()
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    return sorted((int(unit_id), read_day(day), key, int(have or 0), int(want or 0))
                  for unit_id, day, key, have, want in found)
