"""Planner statistics after a bulk write, on PostgreSQL.

A load or an import writes thousands of rows and then, in the same transaction, computes the
kept figures of what it wrote with joins over those tables. Autovacuum cannot see the
transaction's rows, so the planner still believes what it last sampled: a table nearly empty
before the load was joined by nested loops over all its new rows (a title figures query of a
22.600-person load: 2,3 s). ANALYZE inside the transaction samples its own rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

#: as PostgreSQL's autovacuum: analyse once the rows written exceed this share of the table
#: (`autovacuum_analyze_scale_factor`) plus `ANALYZE_THRESHOLD` rows
ANALYZE_SHARE = 0.1
ANALYZE_THRESHOLD = 50


def fresh_statistics(written: dict[type[Any], int]) -> list[str]:
    """ANALYZE each model's table to which `written[model]` rows were just written, when they
    are a large enough share of what the planner believed it held (a small load into a large
    table changes no plan, and sampling a large table costs). Returns the tables analysed."""
    if connection.vendor != "postgresql":
        return []  # SQLite's planner reads no per-table statistics the load would make stale
    tables = {model._meta.db_table: rows for model, rows in written.items() if rows}
    if not tables:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s) "
                       "AND relkind IN ('r', 'p')", [list(tables)])
        believed = {name: float(n) for name, n in cursor.fetchall()}
        stale = [name for name, rows in tables.items()
                 if rows > ANALYZE_THRESHOLD + ANALYZE_SHARE * max(believed.get(name, 0), 0)]
        for name in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return stale


@contextmanager
def without_jit(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """The statements inside run with PostgreSQL's JIT compilation off (`SET LOCAL`, in the
    caller's transaction or in one of their own; nothing on SQLite). For a statement whose cost
    the planner overestimates by orders of magnitude — joins between CTEs it cannot count —
    PostgreSQL compiles the plan before running it: the nation's award rows grouped by type
    (`honours.selectors_lists._grouped_counts`, 81.000 issuers) spent 0,56 s of 1,6 s compiling
    (bench/README.md, session 35). The setting ends with the transaction, so it holds behind
    PgBouncer in transaction mode too, where a plain SET would stay on a shared connection.
    `using`: the database the statements read from (a replica's alias for a query the router
    sends there: a transaction opened on the primary would keep the reads on the primary)."""
    if connections[using].vendor != "postgresql":
        yield
        return
    # savepoint=False: inside a transaction no savepoint (nothing here to roll back alone)
    with (transaction.atomic(using=using, savepoint=False),
          connections[using].cursor() as cursor):
        cursor.execute("SET LOCAL jit = off")
        yield


#: what docs/scaling.md sets on a production database ("PostgreSQL setting:
#: `parallel_setup_cost`"): a page's reads of a few thousand rows are planned serial — with
#: PostgreSQL's default (1000) a cấp trên's children figures (310 children) started two workers
#: and took 11 ms against 4,4 ms serial at a tenth of the nation (bench/README.md, session 44)
#: — while a report's scan of millions of rows still goes parallel. A database setting, so it
#: holds behind PgBouncer in transaction mode, where a connection's options do not pass.
DATABASE_SETTINGS = {"parallel_setup_cost": "10000"}


def database_settings() -> dict[str, str]:
    """The current values of `DATABASE_SETTINGS`' parameters in this session (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        out = {}
        for name in DATABASE_SETTINGS:
            cursor.execute("SELECT current_setting(%s)", [name])
            row = cursor.fetchone()
            out[name] = str(row[0]) if row else ""
    return out


def database_settings_apply() -> list[str]:
    """`ALTER DATABASE <this one> SET` each of `DATABASE_SETTINGS` (new sessions take them) and
    `SET` them in this session; returns what was set, "name = value". PostgreSQL only; the
    database's owner or a superuser."""
    if connection.vendor != "postgresql":
        return []
    done = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        row = cursor.fetchone()
        assert row is not None
        name = connection.ops.quote_name(str(row[0]))
        for parameter, value in DATABASE_SETTINGS.items():
            cursor.execute(f"ALTER DATABASE {name} SET {parameter} = {value}")
            cursor.execute(f"SET {parameter} = {value}")
            done.append(f"{parameter} = {value}")
    return done
