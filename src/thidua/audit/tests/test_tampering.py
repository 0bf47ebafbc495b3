"""Each tampering of issue 10 §1, done as an attacker with database access would (triggers lifted
first), must be found by `verify_audit`: exit code 1 and a Vietnamese account of what is wrong."""

from __future__ import annotations

import io
from contextlib import redirect_stderr

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from thidua.audit.models import Algo, AuditEntry
from thidua.audit.services import GENESIS, audit_key, audit_verify, entry_digest
from thidua.audit.services.checkpoints import throttle
from thidua.audit.tests import tamper

pytestmark = pytest.mark.django_db
ENTRIES = 300
GUESSED_KEY = b"a-key-the-attacker-made-up-0123456789"


@pytest.fixture
def chain():
    """300 entries as `audit_record` writes them, each commit followed by its checkpoint (built in
    one INSERT: one call per entry costs seconds on PostgreSQL; test_audit covers the writer)."""
    key, prev, rows = audit_key(), GENESIS, []
    at = timezone.now().replace(microsecond=0)
    for seq in range(1, ENTRIES + 1):
        entry = AuditEntry(seq=seq, at=at, actor_name="hệ thống", action="test.action",
                           object_type="thing", object_id=str(seq), after={"n": seq, "tên": "Đức"},
                           prev_hash=prev, algo=Algo.HMAC_SHA256)
        entry.hash = prev = entry_digest(entry, key)
        rows.append(entry)
    AuditEntry.objects.bulk_create(rows)
    for entry in rows:
        throttle.committed(entry.seq, entry.hash)
    assert audit_verify().ok


def verify_fails() -> str:
    """Run `verify_audit` as the command line does; return its message (it must exit 1)."""
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["thidua", "verify_audit"])
    assert exit_.value.code == 1
    message = err.getvalue()
    assert "NHẬT KÝ BỊ THAY ĐỔI" in message
    return message


@pytest.mark.parametrize("cut", [5, 200])
def test_deleting_the_last_entries_is_found(chain, cut):
    tamper.lift_triggers()
    tamper.sql(f"DELETE FROM {tamper.TABLE} WHERE seq > %s", [ENTRIES - cut])
    message = verify_fails()
    assert f"chỉ còn {ENTRIES - cut} bản ghi" in message
    assert f"{cut} bản ghi cuối (từ số {ENTRIES - cut + 1}) đã bị xoá" in message


def test_deleting_everything_is_found(chain):
    tamper.lift_triggers()
    tamper.sql(f"DELETE FROM {tamper.TABLE}")
    assert "toàn bộ nhật ký đã bị xoá" in verify_fails()


def test_an_edit_with_every_later_hash_recomputed_under_a_guessed_key_is_found(chain):
    tamper.lift_triggers()
    tamper.rewrite_from(150, {"after": {"n": 999}}, algo=Algo.HMAC_SHA256,
                        guessed_key=GUESSED_KEY)
    assert "Bản ghi số 150 đã bị sửa" in verify_fails()


def test_an_edit_with_every_later_hash_recomputed_the_old_way_is_found(chain):
    tamper.lift_triggers()
    tamper.rewrite_from(150, {"after": {"n": 999}}, algo=Algo.SHA256, guessed_key=None)
    assert "Bản ghi số 150 băm kiểu cũ không khoá sau các bản ghi có khoá" in verify_fails()


def test_a_whole_chain_rewritten_the_old_way_is_found_by_the_checkpoints(chain):
    # every row verifies on its own as a pre-upgrade row would; only the checkpoints know better
    tamper.lift_triggers()
    tamper.rewrite_from(1, {}, algo=Algo.SHA256, guessed_key=None)
    assert "Bản ghi số 1 khác với mốc kiểm tra" in verify_fails()


@pytest.mark.parametrize(("algo", "key"), [(Algo.HMAC_SHA256, GUESSED_KEY), (Algo.SHA256, None)])
def test_a_forged_insert_is_found(chain, algo, key):
    # INSERT needs no lifted trigger: the append-only rule cannot refuse it
    seq = tamper.insert_after_head(algo=algo, guessed_key=key)
    assert AuditEntry.objects.filter(seq=seq, action="person.delete").exists()
    assert f"Bản ghi số {seq}" in verify_fails()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_is_refused_and_found_once_the_trigger_is_dropped(chain):
    # inside the test's transaction: deferred foreign-key checks would block TRUNCATE otherwise
    tamper.sql("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper.sql(f"TRUNCATE {tamper.TABLE}")
    assert AuditEntry.objects.count() == ENTRIES
    tamper.lift_triggers()
    tamper.sql(f"TRUNCATE {tamper.TABLE}")
    assert "toàn bộ nhật ký đã bị xoá" in verify_fails()


def test_an_intact_chain_passes_and_is_checkpointed(chain, audit_checkpoints_apart, capsys):
    lines = (audit_checkpoints_apart / "checkpoints.jsonl").read_text().splitlines()
    assert len(lines) == ENTRIES  # THIDUA_AUDIT_CHECKPOINT_SECONDS = 0 in the test settings
    call_command("verify_audit")
    assert f"Đã kiểm tra {ENTRIES} bản ghi" in capsys.readouterr().out
    after = (audit_checkpoints_apart / "checkpoints.jsonl").read_text().splitlines()
    assert len(after) == len(lines) + 1


def test_a_tampered_chain_is_not_checkpointed(chain, audit_checkpoints_apart):
    path = audit_checkpoints_apart / "checkpoints.jsonl"
    tamper.lift_triggers()
    tamper.sql(f"DELETE FROM {tamper.TABLE} WHERE seq > %s", [ENTRIES - 5])
    before = path.read_bytes()
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert path.read_bytes() == before
