"""The dashboard, report and list pages read from a real streaming replica (scripts/pg-replica.sh,
ADR 0028); a user's reads after their own write come from the primary, also while the replica
lags; a replica that is down is skipped with a warning, never a 500."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.platform.dbrouter import PIN_COOKIE, forget_replica_outage
from thidua.platform.replicadb import wait_for_replay
from thidua.testing import World, cccd_for, make_person

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pg-replica.sh"


def _replica_or_skip() -> None:
    if "replica" in settings.DATABASES:
        return
    if connection.vendor != "postgresql":  # streaming replication is PostgreSQL's; the SQLite
        pytest.skip("a streaming replica needs PostgreSQL")  # pass has none, in CI too
    reason = ("no replica configured: THIDUA_REPLICA_URL is set by scripts/test.sh when "
              "scripts/pg-replica.sh starts one next to a local PostgreSQL")
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " — CI must run these tests")
    pytest.skip(reason)


# without a replica the fixture below skips (or fails, in CI) each test
pytestmark = [pytest.mark.django_db(transaction=True, databases=(
    ["default", "replica"] if "replica" in settings.DATABASES else ["default"]))]


@pytest.fixture
def replica(transactional_db) -> Iterator[None]:
    _replica_or_skip()
    forget_replica_outage()
    yield
    forget_replica_outage()


@pytest.fixture
def world(replica, world: World) -> World:
    """The personas, once the replica has them."""
    if not wait_for_replay(timeout=30):
        pytest.fail("the replica did not replay the primary's writes within 30 s")
    return world


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _list(client: Client, code: str = "CDCS-A") -> tuple[str, list[str]]:
    """The roster page and the SQL the replica ran for it."""
    with CaptureQueriesContext(connections["replica"]) as replica_sql:
        response = client.get(reverse("people:list"), {"don_vi": code})
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in replica_sql.captured_queries]


def _add(client: Client, name: str, n: int):
    response = client.post(reverse("people:create"), {
        "unit": "TO-A1", "full_name": name, "gender": "nu", "birth_date": "08/03/1992",
        "cccd": cccd_for(dt.date(1992, 3, 8), "nu", n), "ethnicity": "Kinh", "position": "Kế toán",
        "phone": "", "email": "", "start_date": "01/09/2023", "is_member": "on",
        "join_date": "01/10/2023"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_a_list_read_comes_from_the_replica_once_it_has_replayed(world):
    make_person(world.to_a1, "Phạm Thị Bản Sao")
    assert wait_for_replay()
    html, replica_sql = _list(_login(world.officer_above))
    assert "Phạm Thị Bản Sao" in html
    assert any("people_person" in sql for sql in replica_sql)
    # sessions and users are never read from the copy
    assert not any("django_session" in sql or "auth_user" in sql for sql in replica_sql)


def test_a_name_search_runs_on_the_replica_with_jit_off_there(world):
    make_person(world.to_a1, "Phạm Thị Bản Sao")
    assert wait_for_replay()
    client = _login(world.officer_above)
    with CaptureQueriesContext(connection) as primary_sql, \
            CaptureQueriesContext(connections["replica"]) as replica_sql:
        response = client.get(reverse("people:list"), {"don_vi": "CDCS-A", "q": "bản sao"})
    assert response.status_code == 200 and "Phạm Thị Bản Sao" in response.content.decode()
    on_replica = [q["sql"] for q in replica_sql.captured_queries]
    # the matches' statement and the setting before it, in one transaction on the replica,
    # then the page's rows sorted from those matches there too
    jit = next(i for i, sql in enumerate(on_replica) if "SET LOCAL jit = off" in sql)
    matches = next(i for i, sql in enumerate(on_replica)
                   if i > jit and sql.startswith("SELECT ARRAY(") and "people_person" in sql)
    assert any("ANY((SELECT" in sql for sql in on_replica[matches + 1:])
    # nothing of it on the primary: a transaction opened there would keep the reads there
    assert not any("jit" in q["sql"] or "ARRAY(" in q["sql"] or "ANY((SELECT" in q["sql"]
                   for q in primary_sql.captured_queries)


def test_the_dashboards_award_rows_are_read_on_the_replica_with_jit_off_there(world):
    client = _login(world.officer_above)
    with CaptureQueriesContext(connection) as primary_sql, \
            CaptureQueriesContext(connections["replica"]) as replica_sql:
        response = client.get(reverse("reports:dashboard", args=["CDVC-HN", 2024]))
    assert response.status_code == 200
    on_replica = [q["sql"] for q in replica_sql.captured_queries]
    jit = next(i for i, sql in enumerate(on_replica) if "SET LOCAL jit = off" in sql)
    assert "WITH s AS" in on_replica[jit + 1]  # `award_counts`' statement, right after it
    assert not any("jit" in q["sql"] or "WITH s AS" in q["sql"]
                   for q in primary_sql.captured_queries)


def test_right_after_their_own_write_a_user_reads_from_the_primary(world):
    writer = _login(world.officer_cdcs)
    response = _add(writer, "Đỗ Thị Vừa Thêm", 901)
    assert PIN_COOKIE in response.cookies
    html, replica_sql = _list(writer)
    assert "Đỗ Thị Vừa Thêm" in html
    assert replica_sql == []
    # another user, who wrote nothing, reads the same page from the replica
    _, other_sql = _list(_login(world.officer_above))
    assert other_sql


def test_a_lagging_replica_still_shows_the_user_their_own_change(world):
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        with connections["replica"].cursor() as cursor:
            for _ in range(200):
                cursor.execute("SELECT pg_get_wal_replay_pause_state()")
                if cursor.fetchone()[0] == "paused":
                    break
        writer, other = _login(world.officer_cdcs), _login(world.officer_above)
        _add(writer, "Vũ Thị Chưa Chép", 902)
        html, _ = _list(writer)
        assert "Vũ Thị Chưa Chép" in html
        html, replica_sql = _list(other)
        assert replica_sql and "Vũ Thị Chưa Chép" not in html  # the copy really lags
        assert not wait_for_replay(timeout=0.5)
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    assert wait_for_replay()
    html, replica_sql = _list(other)
    assert replica_sql and "Vũ Thị Chưa Chép" in html


def _script(action: str) -> None:
    if os.geteuid() != 0 and os.environ.get("USER") != "postgres":
        pytest.skip("stopping the replica needs root or the postgres user")
    subprocess.run(["bash", str(SCRIPT), action], check=True, capture_output=True, timeout=120)


def test_when_the_replica_is_down_pages_read_from_the_primary(world, caplog):
    make_person(world.to_a1, "Hoàng Văn Dự Phòng")
    reader = _login(world.officer_above)
    _list(reader)  # the replica's connection is kept open, as between two requests
    _script("stop")
    try:
        with caplog.at_level(logging.WARNING, logger="thidua.platform.dbrouter"):
            response = reader.get(reverse("people:list"), {"don_vi": "CDCS-A"})
            assert response.status_code == 200
            assert "Hoàng Văn Dự Phòng" in response.content.decode()
            dashboard = reader.get(reverse("reports:dashboard", args=["CDVC-HN", 2024]))
            assert dashboard.status_code == 200
        assert any("replica unreachable" in r.getMessage() for r in caplog.records)
    finally:
        _script("start")
    forget_replica_outage()
    html, replica_sql = _list(reader)
    assert replica_sql and "Hoàng Văn Dự Phòng" in html


def test_reads_in_a_transaction_or_after_a_write_stay_on_the_primary(world):
    from django.db import transaction

    from thidua.people.models import Person
    from thidua.platform.dbrouter import replica_context

    with replica_context() as on_replica:
        assert on_replica
        assert Person.objects.all().db == "replica"
        with transaction.atomic():
            assert Person.objects.all().db == "default"
        assert Person.objects.all().db == "replica"
        Person.objects.filter(pk=world.member.pk).update(ethnicity="Tày")
        assert Person.objects.all().db == "default"  # the rest of the request sees the write
    with replica_context():
        with transaction.atomic():
            assert list(Person.objects.select_for_update().filter(pk=world.member.pk))
            assert Person.objects.select_for_update().db == "default"
        assert Person.objects.all().db == "default"  # a row locked for update was about to change
    assert Person.objects.all().db == "default"
