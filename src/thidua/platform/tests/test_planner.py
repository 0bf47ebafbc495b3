"""Fresh planner statistics after a bulk write, only where the write changed the table's size
enough for a plan to change (PostgreSQL; nothing to do on SQLite)."""

from __future__ import annotations

import pytest
from django.db import connection

from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.planner import fresh_statistics


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
