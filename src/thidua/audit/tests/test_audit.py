import hashlib
import importlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction

from thidua.audit.models import Algo, AuditEntry
from thidua.audit.selectors import actor_label, entries_for
from thidua.audit.services import GENESIS, audit_key, audit_record, audit_verify, entry_digest
from thidua.testing import make_user

pytestmark = pytest.mark.django_db


def _drop_triggers():
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("DROP TRIGGER IF EXISTS audit_no_change ON accounts_auditentry")
            c.execute("DROP TRIGGER IF EXISTS audit_no_truncate ON accounts_auditentry")
        else:
            c.execute("DROP TRIGGER IF EXISTS audit_no_update")
            c.execute("DROP TRIGGER IF EXISTS audit_no_delete")


def _restore_triggers():
    mod = importlib.import_module("thidua.audit.migrations.0002_append_only_triggers")
    statements = mod.PG_UP if connection.vendor == "postgresql" else mod.SQLITE_UP
    keyed = importlib.import_module("thidua.audit.migrations.0003_keyed_chain_and_truncate_trigger")
    if connection.vendor == "postgresql":
        statements = [*statements, *keyed.PG_UP]
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
    assert audit_verify().ok


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
        verdict = audit_verify()
        assert not verdict.ok and f"số {entries[1].seq}" in verdict.message
        with pytest.raises(CommandError, match="BỊ THAY ĐỔI"):
            call_command("verify_audit")
    finally:
        _restore_triggers()


def test_verify_detects_a_deleted_entry(entries):
    _drop_triggers()
    try:
        AuditEntry.objects.filter(pk=entries[1].pk).delete()
        verdict = audit_verify()
        assert not verdict.ok and "Thiếu" in verdict.message
    finally:
        _restore_triggers()


def test_verify_command_passes_on_an_intact_chain(entries, capsys):
    call_command("verify_audit")
    assert "toàn vẹn" in capsys.readouterr().out


def test_the_table_kept_its_name_and_its_triggers():
    # SQLite rebuilt the table in audit/0003, which drops triggers: that migration re-creates them
    assert AuditEntry._meta.db_table == "accounts_auditentry"
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'accounts_auditentry'::regclass "
                      "AND NOT tgisinternal")
            assert {r[0] for r in c.fetchall()} == {"audit_no_change", "audit_no_truncate"}
        else:
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                      "AND tbl_name = 'accounts_auditentry'")
            assert {r[0] for r in c.fetchall()} == {"audit_no_update", "audit_no_delete"}


def test_new_entries_are_keyed(entries):
    assert {e.algo for e in entries} == {Algo.HMAC_SHA256}
    # the old unkeyed hash of the same row differs: the key is in it
    legacy = AuditEntry(**{f.attname: getattr(entries[0], f.attname)
                           for f in AuditEntry._meta.concrete_fields})
    legacy.algo = Algo.SHA256
    assert entry_digest(legacy, b"") != entries[0].hash == entry_digest(entries[0], audit_key())


def _old_audit_hash(entry):
    """audit_hash as it was before the keyed chain, verbatim: rows it wrote must still verify."""
    payload = json.dumps(
        [entry.seq, entry.at.isoformat(), entry.actor_id, entry.actor_name, entry.action,
         entry.object_type, entry.object_id, entry.unit_id, entry.before, entry.after,
         entry.prev_hash],
        ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(payload.encode()).hexdigest()


def test_rows_written_before_the_key_still_verify_and_the_keyed_chain_covers_them(world):
    # an installation upgraded in place: its rows got algo 1 from the migration
    prev = AuditEntry.objects.order_by("-seq").first()
    assert prev is not None
    _drop_triggers()
    try:
        with connection.cursor() as c:
            c.execute("UPDATE accounts_auditentry SET algo = 1")
        prev_hash = GENESIS
        for entry in AuditEntry.objects.order_by("seq"):
            entry.prev_hash = prev_hash
            entry.hash = _old_audit_hash(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
            prev_hash = entry.hash
    finally:
        _restore_triggers()
    assert audit_verify().ok
    keyed = audit_record(actor=world.admin, action="test.after_upgrade", object_type="thing")
    assert keyed.algo == Algo.HMAC_SHA256 and keyed.prev_hash == prev_hash
    assert audit_verify().ok


def test_deleting_a_user_keeps_their_entries_as_written(world):
    user = make_user("nguoi-se-bi-xoa")
    entry = audit_record(actor=user, action="test.action", object_type="thing", object_id=1)
    user_id = user.pk
    user.delete()  # the append-only triggers are in place
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_name) == (user_id, "nguoi-se-bi-xoa")
    assert actor_label(entry) == "nguoi-se-bi-xoa"
    listed = entries_for([""]).get(pk=entry.pk)
    assert actor_label(listed) == "nguoi-se-bi-xoa"
    assert audit_verify().ok
