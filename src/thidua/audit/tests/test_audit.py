import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from thidua.audit.models import AuditEntry
from thidua.audit.services import GENESIS, audit_record, audit_verify

pytestmark = pytest.mark.django_db


def _drop_triggers():
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("DROP TRIGGER IF EXISTS audit_no_change ON accounts_auditentry")
        else:
            c.execute("DROP TRIGGER IF EXISTS audit_no_update")
            c.execute("DROP TRIGGER IF EXISTS audit_no_delete")


def _restore_triggers():
    mod = importlib.import_module("thidua.audit.migrations.0002_append_only_triggers")
    statements = mod.PG_UP if connection.vendor == "postgresql" else mod.SQLITE_UP
    with connection.cursor() as c:
        for statement in statements:
            c.execute(statement)


@pytest.fixture
def entries(world):
    for i in range(3):
        audit_record(actor=world.admin, action="test.action", object_type="thing", object_id=i,
                     before={"n": i}, after={"n": i + 1, "tên": "Đức"})
    return list(AuditEntry.objects.order_by("seq"))


def test_every_service_change_is_chained(world):
    entries = list(AuditEntry.objects.order_by("seq"))
    assert entries, "building the world fixture goes through services, which audit"
    assert entries[0].prev_hash == GENESIS
    for prev, cur in zip(entries, entries[1:], strict=False):
        assert cur.prev_hash == prev.hash
        assert cur.seq == prev.seq + 1
    assert audit_verify()[0]


def test_entries_keep_actor_and_before_after(entries, world):
    last = entries[-1]
    assert last.actor == world.admin
    assert last.before == {"n": 2}
    assert last.after == {"n": 3, "tên": "Đức"}


def test_database_refuses_update_and_delete(entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).delete()


def test_verify_detects_an_edited_entry(entries):
    _drop_triggers()
    try:
        AuditEntry.objects.filter(pk=entries[1].pk).update(after={"n": 999})
        ok, _, message = audit_verify()
        assert not ok and f"số {entries[1].seq}" in message
        with pytest.raises(CommandError, match="BỊ THAY ĐỔI"):
            call_command("verify_audit")
    finally:
        _restore_triggers()


def test_verify_detects_a_deleted_entry(entries):
    _drop_triggers()
    try:
        AuditEntry.objects.filter(pk=entries[1].pk).delete()
        ok, _, message = audit_verify()
        assert not ok and "Thiếu" in message
    finally:
        _restore_triggers()


def test_verify_command_passes_on_an_intact_chain(entries, capsys):
    call_command("verify_audit")
    assert "toàn vẹn" in capsys.readouterr().out


def test_the_table_kept_its_name_and_its_triggers():
    assert AuditEntry._meta.db_table == "accounts_auditentry"
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'accounts_auditentry'::regclass "
                      "AND NOT tgisinternal")
            assert {r[0] for r in c.fetchall()} == {"audit_no_change"}
        else:
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                      "AND tbl_name = 'accounts_auditentry'")
            assert {r[0] for r in c.fetchall()} == {"audit_no_update", "audit_no_delete"}
