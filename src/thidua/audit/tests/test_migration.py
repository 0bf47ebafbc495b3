"""An installation upgraded in place: rows written by the unkeyed writer survive audit/0003 (on
SQLite a table rebuild), still verify, are covered by the first keyed row, and the table keeps
its append-only triggers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from thidua.audit.models import Algo, AuditEntry
from thidua.audit.services import audit_record, audit_verify

BEFORE = [("audit", "0002_append_only_triggers")]
AFTER = [("audit", "0003_keyed_chain_and_truncate_trigger")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_hash(row) -> str:
    payload = json.dumps(
        [row.seq, row.at.isoformat(), row.actor_id, row.actor_name, row.action, row.object_type,
         row.object_id, row.unit_id, row.before, row.after, row.prev_hash],
        ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(payload.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_old_rows_survive_the_upgrade_and_stay_append_only():
    old = _migrate(BEFORE).get_model("audit", "AuditEntry")
    prev = "0" * 64
    at = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    for seq in (1, 2, 3):
        row = old(seq=seq, at=at, actor_name="hệ thống", action="old.action", object_type="thing",
                  object_id=str(seq), after={"tên": "Đức"}, prev_hash=prev)
        row.hash = _old_hash(row)
        row.save()
        prev = row.hash
    _migrate(AFTER)
    assert list(AuditEntry.objects.order_by("seq").values_list("algo", flat=True)) == [1, 1, 1]
    assert audit_verify().ok
    keyed = audit_record(actor=None, action="new.action", object_type="thing")
    assert (keyed.seq, keyed.algo, keyed.prev_hash) == (4, Algo.HMAC_SHA256, prev)
    assert audit_verify().ok
    for statement in ("UPDATE accounts_auditentry SET action = 'x'",
                      "DELETE FROM accounts_auditentry"):
        with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
              connection.cursor() as c):
            c.execute(statement)
