"""The tree events' side of the maintained figures (`FigureDelta`, ADR 0025).

A unit's rows hold the figures of its whole subtree, and a tree event never changes what lies
inside a moved subtree, only where it hangs. So when a subtree leaves its ancestors on day D,
its own rows from D on (its figure on D, then its later changes) are taken from the old
ancestors and given to the new ones; when a unit ends on D, its rows from D on are taken from
itself and its ancestors (a unit that no longer exists belongs to no subtree). Only the figures
table is read: no period, no person, whatever the size of the subtree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from thidua.org.models import FigureDelta, Unit

KEYS = ("workers", "women", "members", "women_members", "members_active", "members_suspended")

UPSERT = """
INSERT INTO org_figuredelta (unit_id, day, workers, women, members, women_members,
                             members_active, members_suspended)
VALUES {values}
ON CONFLICT (unit_id, day) DO UPDATE SET
  workers = org_figuredelta.workers + excluded.workers,
  women = org_figuredelta.women + excluded.women,
  members = org_figuredelta.members + excluded.members,
  women_members = org_figuredelta.women_members + excluded.women_members,
  members_active = org_figuredelta.members_active + excluded.members_active,
  members_suspended = org_figuredelta.members_suspended + excluded.members_suspended
"""
ALL_ZERO = " AND ".join(f"{key} = 0" for key in KEYS)


_COLUMNS = "unit_id, day, " + ", ".join(KEYS)
_STAGE = "org_figuredelta_in"
# bulk upserts on PostgreSQL: COPY into a temporary table, then one INSERT … SELECT … ON
# CONFLICT; the table lives for the transaction only (fine behind PgBouncer's transaction mode)
_STAGE_CREATE = (f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} (unit_id integer, day date, "
                 + ", ".join(f"{key} integer" for key in KEYS) + ") ON COMMIT DROP")
_STAGE_FROM = f"SELECT {_COLUMNS} FROM {_STAGE} WHERE true"  # WHERE: ON CONFLICT is no join
BULK = 1000  # from this many rows on, the staged path pays for its three statements


def figures_add(rows: Iterable[tuple[int, dt.date, tuple[int, ...] | list[int]]]) -> None:
    """Add (unit id, day, six figures) to the table with upserts, then drop the rows of these
    units left at zero. Many rows (an import's, a load's) go in bulk: COPY and one upsert on
    PostgreSQL, one prepared upsert run by executemany on SQLite."""
    # one row per (unit, day) in a statement: PostgreSQL refuses to update a row twice in one
    # INSERT … ON CONFLICT (a moved unit's common ancestors appear as old and new)
    summed: dict[tuple[int, dt.date], list[int]] = {}
    for unit_id, day, vec in rows:
        row = summed.setdefault((unit_id, day), [0] * len(KEYS))
        for i, value in enumerate(vec):
            row[i] += value
    as_day = ((lambda day: day) if connection.vendor == "postgresql"
              else connection.ops.adapt_datefield_value)
    items: list[tuple[Any, ...]] = [(unit_id, as_day(day), *vec)
                                    for (unit_id, day), vec in sorted(summed.items()) if any(vec)]
    if not items:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(items) >= BULK:
            cursor.execute(_STAGE_CREATE)
            with cursor.cursor.copy(f"COPY {_STAGE} ({_COLUMNS}) FROM STDIN") as copy:
                for item in items:
                    copy.write_row(item)
            cursor.execute(UPSERT.replace("VALUES {values}", _STAGE_FROM))
            cursor.execute(f"TRUNCATE {_STAGE}")
        elif connection.vendor == "postgresql":
            for i in range(0, len(items), 100):
                chunk = items[i:i + 100]
                values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                cursor.execute(UPSERT.format(values=values), [x for row in chunk for x in row])
        else:
            cursor.executemany(UPSERT.format(values="(%s, %s, %s, %s, %s, %s, %s, %s)"), items)
        units = sorted({unit_id for unit_id, _ in summed})
        for i in range(0, len(units), 500):
            ids = units[i:i + 500]
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM org_figuredelta WHERE unit_id IN ({marks}) AND {ALL_ZERO}",
                           ids)


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
