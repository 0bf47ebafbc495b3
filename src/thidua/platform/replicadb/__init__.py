"""The replica's alias in tests: a PostgreSQL backend that creates, flushes and drops nothing —
the test database is the primary's, copied by streaming replication (ADR 0028)."""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections


def wait_for_replay(*, replica: str = "replica", timeout: float = 30.0) -> bool:
    """Wait until the replica has replayed everything the primary had written when called;
    False when it has not within `timeout` (lagging, paused or down)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections[replica].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return True
        except OperationalError as exc:
            connections[replica].close()
            if "does not exist" not in str(exc) and "starting up" not in str(exc):
                return False  # nobody listens there
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
