from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.postgresql import base, operations

from thidua.audit.testdb import TABLE


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Sequence[str], *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences,
                                allow_cascade=allow_cascade)
        if not sql or TABLE not in tables:
            return sql
        return [f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_truncate;", *sql,
                f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_truncate;"]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
