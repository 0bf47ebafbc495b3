"""Operations the apps' migrations share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def postgresql_only(up: Sequence[str], down: Sequence[str]) -> migrations.RunPython:
    """SQL run on PostgreSQL only (indexes SQLite has no use for, or could not keep), forward
    `up` and backward `down`; nothing on SQLite."""

    def run(statements: Sequence[str]) -> Any:
        def apply(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(up), run(down))
