"""Figures kept by difference: around a change, the figures of the records it touches are
computed before and after, and only the difference is written, in the change's transaction
(the roster's figures, ADR 0025; the title figures, ADR 0031).

`DifferenceKeeper.track(ids)` is that "around". Nested (a service calling another), the
outermost one writes, once, for every id the inner ones named; ids a change creates (nothing
to count before) are added with `new=True`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection, transaction
from django.db.models import Model, Q

Figures = TypeVar("Figures")
K = TypeVar("K")


class _Tracked(Generic[Figures]):
    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.before: list[Figures] = []


class DifferenceKeeper(Generic[Figures]):
    """`compute(ids)`: the figures of these ids from the records; `write(after, before)`: add
    `after` minus the sum of the parts of `before` to the kept table."""

    def __init__(self, name: str, *, compute: Callable[[set[int]], Figures],
                 write: Callable[[Figures, list[Figures]], Any]) -> None:
        self._compute = compute
        self._write = write
        self._tracked: ContextVar[_Tracked[Figures] | None] = ContextVar(name, default=None)

    def _add(self, state: _Tracked[Figures], ids: Iterable[int], *, new: bool) -> None:
        fresh = set(ids) - state.ids
        if fresh:
            if not new:
                state.before.append(self._compute(fresh))
            state.ids |= fresh

    @contextmanager
    def track(self, ids: Iterable[int]) -> Iterator[None]:
        outer = self._tracked.get()
        if outer is not None:
            self._add(outer, ids, new=False)
            yield
            return
        state: _Tracked[Figures] = _Tracked()
        self._add(state, ids, new=False)
        token = self._tracked.set(state)
        try:
            yield
        finally:
            self._tracked.reset(token)
        self._write(self._compute(state.ids), state.before)

    def add_new(self, ids: Iterable[int]) -> None:
        """Ids with nothing to count before the change (new records): counted after it, with
        the outer change if there is one, else now."""
        outer = self._tracked.get()
        if outer is not None:
            self._add(outer, ids, new=True)
            return
        self._write(self._compute(set(ids)), [])


YearlyKey = tuple[int, int, str]  # (unit id, year, key)


def subtract(after: Mapping[K, int], before: Iterable[Mapping[K, int]]) -> dict[K, int]:
    """`after` minus the sum of the parts of `before`, zeros left out."""
    out = dict(after)
    for part in before:
        for key, n in part.items():
            out[key] = out.get(key, 0) - n
    return {key: n for key, n in out.items() if n}


def id_runs(ids: Iterable[int]) -> tuple[list[tuple[int, int]], list[int]]:
    """Runs of two or more consecutive ids (an import's or a load's new people) as (first,
    last) ranges, and the ids left over: a range is one `BETWEEN` on the index where a list
    would be thousands of parameters."""
    ranges: list[tuple[int, int]] = []
    for pk in sorted(set(ids)):
        if ranges and ranges[-1][1] == pk - 1:
            ranges[-1] = (ranges[-1][0], pk)
        else:
            ranges.append((pk, pk))
    return [r for r in ranges if r[0] != r[1]], [lo for lo, hi in ranges if lo == hi]


@dataclass(frozen=True)
class IdBatch:
    """Ids to read in one statement: ranges (`BETWEEN`, two parameters each) and single ids
    (`IN`), ORed."""

    ranges: list[tuple[int, int]]
    singles: list[int]

    def q(self, field: str) -> Q:
        """The batch as a filter on `field`."""
        where = Q(pk__in=[])
        for lo, hi in self.ranges:
            where |= Q(**{f"{field}__gte": lo, f"{field}__lte": hi})
        if self.singles:
            where |= Q(**{f"{field}__in": self.singles})
        return where


def id_batches(ids: Iterable[int], limit: int = 500) -> list[IdBatch]:
    """`ids` as few batches as the parameter bound `limit` allows (SQLite's limit): runs of
    consecutive ids (a load's or an import's new records) as ranges, the rest as lists."""
    runs, singles = id_runs(ids)
    out: list[IdBatch] = []
    used = limit
    # a range costs two parameters, a single id one
    items: list[int | tuple[int, int]] = [*runs, *singles]
    for item in items:
        cost = 1 if isinstance(item, int) else 2
        if used + cost > limit:
            out.append(IdBatch([], []))
            used = 0
        if isinstance(item, int):
            out[-1].singles.append(item)
        else:
            out[-1].ranges.append(item)
        used += cost
    return out


def chunks(items: Sequence[K], size: int = 500) -> Iterator[Sequence[K]]:
    """`items` in slices of `size` (the parameters of one statement stay under SQLite's
    limit)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def add_yearly(table: str, *, key: str, value: str, difference: Mapping[YearlyKey, int]) -> None:
    """Add `difference` to a table of figures kept per unit and year, `(unit_id, year, <key>)`
    -> `<value>`, unique on (year, unit_id, key): upserts that add (two changes at once both
    count), then the rows left at zero deleted (a kept table holds no empty rows, as the check's
    recomputation does not)."""
    rows = [(unit_id, year, k, n) for (unit_id, year, k), n in sorted(difference.items()) if n]
    if not rows:
        return
    upsert = (f"INSERT INTO {table} (unit_id, year, {key}, {value}) VALUES (%s, %s, %s, %s) "
              f"ON CONFLICT (year, unit_id, {key}) "
              f"DO UPDATE SET {value} = {table}.{value} + excluded.{value}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 1:
            # one statement for all the rows (a load adds thousands): executemany sends one
            # per row, 0,59 s for 5.200 rows where this takes a few tens of milliseconds;
            # the keys are a dictionary's, so no row is updated twice by the statement
            columns = list(zip(*rows, strict=True))
            cursor.execute(
                f"INSERT INTO {table} (unit_id, year, {key}, {value}) SELECT * FROM "
                "unnest(%s::bigint[], %s::int[], %s::text[], %s::bigint[]) "
                f"ON CONFLICT (year, unit_id, {key}) "
                f"DO UPDATE SET {value} = {table}.{value} + excluded.{value}",
                [list(c) for c in columns])
        else:
            cursor.executemany(upsert, rows)
        for year in sorted({r[1] for r in rows}):
            units = sorted({r[0] for r in rows if r[1] == year})
            for batch in chunks(units):
                cursor.execute(
                    f"DELETE FROM {table} WHERE {value} = 0 AND year = %s AND "
                    f"unit_id IN ({', '.join(['%s'] * len(batch))})", [year, *batch])


def replace_yearly(model: type[Model], rows: Mapping[YearlyKey, int], *, key: str,
                   value: str) -> int:
    """A table kept per unit and year replaced whole by `rows` (its rebuild from the records),
    in one transaction; returns the number of figures computed."""
    with transaction.atomic():
        model._default_manager.all().delete()
        model._default_manager.bulk_create(
            (model(unit_id=unit_id, year=year, **{key: k, value: n})
             for (unit_id, year, k), n in sorted(rows.items()) if n), batch_size=2000)
    return len(rows)


def yearly_differences(kept: Mapping[YearlyKey, int], expected: Mapping[YearlyKey, int], *,
                       label: Callable[[str], str]) -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, 31/12 of the year, label of the key, kept, recomputed) for every wrong row of a
    table kept per unit and year (the rows of `figures-check`)."""
    out = []
    for k in sorted(set(expected) | set(kept)):
        have, want = kept.get(k, 0), expected.get(k, 0)
        if have != want:
            out.append((k[0], dt.date(k[1], 12, 31), label(k[2]), have, want))
    return out
