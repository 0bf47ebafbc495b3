"""Fresh planner statistics after a bulk write, only where the write changed the table's size
enough for a plan to change (PostgreSQL; nothing to do on SQLite); JIT compilation off for
one transaction's statements."""

from __future__ import annotations

import pytest
from django.db import connection

from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.planner import (
    DATABASE_SETTINGS,
    database_settings,
    database_settings_apply,
    fresh_statistics,
    without_jit,
)


@pytest.mark.django_db
def test_a_large_write_is_analysed_a_small_one_into_a_large_table_is_not():
    if connection.vendor != "postgresql":
        assert fresh_statistics({Person: 10_000}) == []
        return
    Person.objects.bulk_create(Person(full_name=f"Người {i}", gender="nam")
                               for i in range(300))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    # 300 rows known: 20 more change no plan, 300 more do
    assert fresh_statistics({Person: 20, Unit: 0}) == []
    assert fresh_statistics({Person: 300}) == ["people_person"]


def test_nothing_written_nothing_analysed():
    assert fresh_statistics({Person: 0}) == []


def _jit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_jit_is_off_inside_and_as_before_after(django_assert_num_queries):
    if connection.vendor != "postgresql":
        with django_assert_num_queries(0), without_jit():
            pass
        return
    before = _jit()
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")  # the server's default; a DBA may have turned it off
    with without_jit():
        assert _jit() == "off"
    assert _jit() == "on"  # SET LOCAL: over with the transaction it opened
    with connection.cursor() as cursor:
        cursor.execute(f"SET jit = {before}")


@pytest.mark.django_db
def test_the_advised_database_settings_hold_now_and_for_new_sessions():
    """docs/scaling.md's `parallel_setup_cost`, set on the database (so that it holds behind
    PgBouncer in transaction mode) and in this session. Rolled back with the test's
    transaction: ALTER DATABASE … SET is transactional."""
    if connection.vendor != "postgresql":
        assert database_settings_apply() == [] and database_settings() == {}
        return
    assert database_settings_apply() == [f"{k} = {v}" for k, v in DATABASE_SETTINGS.items()]
    assert database_settings() == DATABASE_SETTINGS
    with connection.cursor() as cursor:
        cursor.execute("SELECT setconfig FROM pg_db_role_setting WHERE setrole = 0 AND "
                       "setdatabase = (SELECT oid FROM pg_database "
                       "WHERE datname = current_database())")
        row = cursor.fetchone()
    assert row is not None
    assert {f"{k}={v}" for k, v in DATABASE_SETTINGS.items()} <= set(row[0])
