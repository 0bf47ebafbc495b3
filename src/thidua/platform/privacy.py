"""Files holding personal data readable by their owner only (Nghị định 13/2023/NĐ-CP): the SQLite
database and its -wal/-shm files, on every new connection. SQLite creates -wal and -shm with the
mode of the database file, so once that is 0600 they follow; the check here also mends files
of an installation made before."""

from __future__ import annotations

import os
import stat
from typing import Any

OWNER_ONLY = 0o600


def restrict_file_modes(paths: list[str]) -> None:
    """chmod 0600 each existing file that others may read or write (one stat each otherwise)."""
    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_IMODE(mode) & 0o077:
            os.chmod(path, OWNER_ONLY)


def sqlite_files(name: str) -> list[str]:
    """The database file and its companions; none for an in-memory database."""
    if not name or name == ":memory:" or "mode=memory" in name:
        return []
    return [name, f"{name}-wal", f"{name}-shm", f"{name}-journal"]


def restrict_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver."""
    if connection.vendor == "sqlite":
        restrict_file_modes(sqlite_files(str(connection.settings_dict.get("NAME") or "")))
