"""Planner statistics after a bulk write, on PostgreSQL.

A load or an import writes thousands of rows and then, in the same transaction, computes the
kept figures of what it wrote with joins over those tables. Autovacuum cannot see the
transaction's rows, so the planner still believes what it last sampled: a table nearly empty
before the load was joined by nested loops over all its new rows (a title figures query of a
22.600-person load: 2,3 s). ANALYZE inside the transaction samples its own rows."""

from __future__ import annotations

from typing import Any

from django.db import connection

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
