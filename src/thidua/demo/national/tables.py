"""Buffered raw writes of generated rows: COPY on PostgreSQL, executemany on SQLite (the roster
import's `insert_rows`), with the model's defaults filled in for the columns a row leaves out.

This is a data generator, like the benchmark fixtures: it bypasses the services on purpose
(eleven million people through the import would measure the import, not the national shape)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from thidua.people.imports.write import insert_rows

FLUSH = 50_000


class Table:
    """Rows of one model with explicit ids (the generator numbers them itself: the same seed
    gives the same ids in an empty database); dates are given as ISO text, which COPY and
    SQLite take alike. `columns` are field names; the other concrete
    fields get their default (auto_now fields the run's time, JSON defaults as JSON text)."""

    def __init__(self, model: type[models.Model], columns: list[str]) -> None:
        self.model = model
        self.columns = ["id", *columns]
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        self.extra: list[str] = []
        self.extra_values: list[Any] = []
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in columns:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = stamp
            else:
                value = field.get_default()
                if isinstance(field, models.JSONField):
                    value = json.dumps(value)
            self.extra.append(field.name)
            self.extra_values.append(value)
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        last = model._default_manager.aggregate(last=Max("pk"))["last"]
        self.next_id = (last or 0) + 1
        self.tail = tuple(self.extra_values)

    def add(self, *values: Any) -> int:
        """Queue a row (values for `columns`, in order); returns its id."""
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values, *self.tail))
        return pk

    def flush(self) -> None:
        if self.rows:
            insert_rows(self.model, self.columns + self.extra, self.rows)
            self.written += len(self.rows)
            self.rows = []

    @property
    def full(self) -> bool:
        return len(self.rows) >= FLUSH


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After explicit ids, PostgreSQL's identity sequences must move past them (SQLite's
    AUTOINCREMENT follows the largest id by itself)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def database_size() -> int:
    """Bytes used by the database (PostgreSQL) or its file (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), "
                           "pragma_page_size()")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@contextlib.contextmanager
def foreign_keys_checked_once(model_list: list[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, the foreign keys of these tables dropped while the block writes them and
    added back afterwards NOT VALID, then VALIDATEd: one join per key over the whole table,
    where a deferred check per row (an index probe with a row lock, at each commit) took most of
    a national run's time — what `pg_restore` does, adding constraints after the data. Nothing
    on SQLite (its per-row check is an index probe, no lock). A row the keys refuse makes the
    VALIDATE fail: the data set is then wrong, and said so."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                       "FROM pg_constraint WHERE contype = 'f' "
                       "AND conrelid::regclass::text = ANY(%s) ORDER BY 1, 2", [tables])
        keys = cursor.fetchall()
        qn = connection.ops.quote_name
        _checks_due(cursor)
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        _checks_deferred(cursor)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            _checks_due(cursor)
            for table, name, definition in keys:
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} "
                               f"{definition} NOT VALID")
            for table, name, _ in keys:
                cursor.execute(f"ALTER TABLE {qn(table)} VALIDATE CONSTRAINT {qn(name)}")
            _checks_deferred(cursor)


def _checks_due(cursor: Any) -> None:
    """Inside a transaction (a test's), the deferred checks already queued run now: PostgreSQL
    refuses to alter a table with pending trigger events."""
    if connection.in_atomic_block:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _checks_deferred(cursor: Any) -> None:
    # back to Django's default for its foreign keys, the only deferrable constraints here
    if connection.in_atomic_block:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
