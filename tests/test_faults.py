"""Faults under requests (issue 10 §8): the database going away in the middle of a request
(PostgreSQL: the app's backend terminated from a second connection) and a full SQLite database
end in a Vietnamese 503 — JSON under /api/ — with nothing written; the next request works."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.movements.models import Attachment, Movement
from thidua.movements.tests.helpers import movement
from thidua.platform.middleware import DB_UNAVAILABLE, DISK_FULL
from thidua.testing import World, make_world

ON_PG = connection.vendor == "postgresql"


def _launch(client: Client, content: str = "Nội dung") -> Any:
    return client.post(reverse("movements:create"), {
        "issuer": "CDVC-HN", "name": "Phong trào thử sự cố", "start_date": "01/01/2026",
        "end_date": "31/12/2026", "content": content})


def _terminate_app_backends() -> None:
    """From a second connection, as a PostgreSQL restart would."""
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"],
                         password=db["PASSWORD"] or None, dbname=db["NAME"],
                         autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def _cut_when(marker: str) -> Callable[..., Any]:
    """An execute wrapper: the first statement containing `marker` finds its connection gone."""
    fired = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: Any) -> Any:
        if not fired and marker in sql:
            fired.append(sql)
            _terminate_app_backends()
        return execute(sql, params, many, context)

    wrapper.fired = fired  # type: ignore[attr-defined]
    return wrapper


@pytest.fixture
def pg_world(transactional_db: Any) -> Iterator[World]:
    if not ON_PG:
        pytest.skip("PostgreSQL only: terminating the app's backend")
    yield make_world()
    connection.close()  # the terminated connection, before the flush


@pytest.mark.skipif(not ON_PG, reason="PostgreSQL only")
def test_backend_killed_in_the_middle_of_a_write_is_a_503_and_nothing_is_written(
        pg_world: World, client: Client):
    client.force_login(pg_world.officer_above)
    movements, entries = Movement.objects.count(), AuditEntry.objects.count()
    # the movement row is inserted; the connection dies before the audit entry of the same
    # transaction
    cut = _cut_when('INSERT INTO "accounts_auditentry"')
    with connection.execute_wrapper(cut):
        response = _launch(client)
    assert cut.fired, "the fault was injected"  # type: ignore[attr-defined]
    assert response.status_code == 503
    assert DB_UNAVAILABLE in response.content.decode()
    assert response["Retry-After"]
    close_old_connections()  # what the next request does first
    assert Movement.objects.count() == movements and AuditEntry.objects.count() == entries
    # the next request reconnects
    assert _launch(client).status_code == 302
    assert Movement.objects.count() == movements + 1


@pytest.mark.skipif(not ON_PG, reason="PostgreSQL only")
def test_backend_killed_under_the_api_is_a_json_503(pg_world: World, client: Client):
    client.force_login(pg_world.officer_above)
    cut = _cut_when('FROM "movements_movement"')
    with connection.execute_wrapper(cut):
        response = client.get("/api/movements", {"year": 2026})
    assert cut.fired  # type: ignore[attr-defined]
    assert response.status_code == 503
    assert response.json() == {"detail": DB_UNAVAILABLE}


@pytest.mark.skipif(not ON_PG, reason="PostgreSQL only")
def test_after_a_restart_the_kept_connection_is_replaced(pg_world: World, client: Client):
    client.force_login(pg_world.officer_above)
    assert client.get(reverse("movements:list")).status_code == 200
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    _terminate_app_backends()  # between two requests, as a PostgreSQL restart
    close_old_connections()  # the start of the next request: the health check is re-armed
    assert client.get(reverse("movements:list")).status_code == 200


@pytest.fixture
def full_sqlite(db: Any) -> Iterator[None]:
    if ON_PG:
        pytest.skip("SQLite only: its database file cannot grow")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")


@pytest.mark.django_db
@pytest.mark.skipif(ON_PG, reason="SQLite only")
def test_a_full_sqlite_database_is_a_clean_refusal(client: Client, request: Any):
    world = make_world()
    client.force_login(world.officer_above)
    movements, entries = Movement.objects.count(), AuditEntry.objects.count()
    request.getfixturevalue("full_sqlite")
    response = _launch(client, content="Nội dung rất dài. " * 20_000)  # needs new pages
    assert response.status_code == 503
    assert DISK_FULL in response.content.decode()
    assert Movement.objects.count() == movements and AuditEntry.objects.count() == entries
    response = client.get("/api/movements", {"year": 2026})  # reading still works
    assert response.status_code == 200


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs, nearly full (needs root and mount, else the test is skipped)."""
    where = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(where)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (where / "filler").write_bytes(b"0" * 200 * 1024)
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.django_db
def test_an_upload_to_a_full_disk_is_a_clean_refusal(client: Client, settings: Any,
                                                     tiny_disk: Path):
    settings.MEDIA_ROOT = tiny_disk
    world = make_world()
    m = movement(world)
    client.force_login(world.officer_above)
    entries = AuditEntry.objects.count()
    pdf = b"%PDF-1.7\n" + b"1" * 150 * 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("movements:attach", args=[m.pk]),
                           {"file": SimpleUploadedFile("ke-hoach.pdf", pdf)})
    assert response.status_code == 503
    assert DISK_FULL in response.content.decode()
    assert not Attachment.objects.exists() and AuditEntry.objects.count() == entries
    leftovers = [p for p in tiny_disk.rglob("*") if p.is_file() and p.name != "filler"]
    assert leftovers == [], "no part of the upload stays on the disk"
