from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.sqlite3 import base, operations

from thidua.audit.testdb import TABLE


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Sequence[str], *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences,
                                allow_cascade=allow_cascade)
        if not sql or TABLE not in tables:
            return sql
        return ["DROP TRIGGER IF EXISTS audit_no_delete;", *sql,
                f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
