"""The checkpoint file and the key: modes, MACs, several writers at once, the throttle."""

from __future__ import annotations

import json
import multiprocessing
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from thidua.audit.services import audit_checkpoint_dir, audit_record, audit_verify
from thidua.audit.services import chain as chain_module
from thidua.audit.services.checkpoints import (
    FILE_NAME,
    _Throttle,
    checkpoint_write,
    checkpoints_read,
)
from thidua.audit.tests import tamper

pytestmark = pytest.mark.django_db


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def fresh_key(tmp_path, settings, monkeypatch):
    """A key file of this test's own, not yet created."""
    monkeypatch.delenv("THIDUA_AUDIT_KEY", raising=False)
    settings.THIDUA_AUDIT_KEY_FILE = tmp_path / "home" / "audit.key"
    chain_module._keys.clear()
    yield settings.THIDUA_AUDIT_KEY_FILE
    chain_module._keys.clear()


def test_the_key_file_is_created_once_with_mode_0600(fresh_key):
    key = chain_module.audit_key()
    assert _mode(fresh_key) == 0o600 and len(key) == 64
    chain_module._keys.clear()
    assert chain_module.audit_key() == key


def test_the_key_from_the_environment_wins_and_must_be_long(fresh_key, monkeypatch):
    monkeypatch.setenv("THIDUA_AUDIT_KEY", "k" * 40)
    assert chain_module.audit_key() == b"k" * 40
    assert not fresh_key.exists()
    monkeypatch.setenv("THIDUA_AUDIT_KEY", "ngắn")
    with pytest.raises(ImproperlyConfigured, match="quá ngắn"):
        chain_module.audit_key()


def test_the_checkpoint_folder_and_file_are_private():
    audit_record(actor=None, action="test.action", object_type="thing")
    path = checkpoint_write(seq=1, hash_="a" * 64, count=1)
    assert path.parent == audit_checkpoint_dir()
    assert _mode(path.parent) == 0o700 and _mode(path) == 0o600


def test_a_checkpoint_edited_in_the_file_is_refused():
    entry = audit_record(actor=None, action="test.action", object_type="thing")
    path = checkpoint_write(seq=entry.seq, hash_=entry.hash, count=entry.seq)
    line = json.loads(path.read_text())
    line["seq"] = 1000  # "the trail was longer": a forged claim
    path.write_text(json.dumps(line) + "\n")
    verdict = audit_verify()
    assert not verdict.ok and "đã bị sửa (sai mã khoá)" in verdict.message


def test_checkpoints_of_another_key_are_named_as_such(fresh_key, settings, tmp_path):
    settings.THIDUA_AUDIT_KEY_FILE = tmp_path / "other.key"
    entry = audit_record(actor=None, action="test.action", object_type="thing")
    checkpoint_write(seq=entry.seq, hash_=entry.hash, count=entry.seq)
    settings.THIDUA_AUDIT_KEY_FILE = fresh_key
    verdict = audit_verify()
    assert not verdict.ok and "được ký bằng một khoá khác" in verdict.message


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_next_one_kept():
    entry = audit_record(actor=None, action="test.action", object_type="thing")
    folder = audit_checkpoint_dir()
    folder.mkdir(parents=True)
    (folder / FILE_NAME).write_text('{"v": 1, "seq": 9')  # no newline: a torn write
    checkpoint_write(seq=entry.seq, hash_=entry.hash, count=entry.seq)
    stored = checkpoints_read()
    assert stored.torn == 1 and [c.seq for c in stored.checkpoints] == [entry.seq]
    verdict = audit_verify()
    assert verdict.ok and "ghi dở" in verdict.message


def _append_many(n: int) -> None:
    for i in range(n):
        checkpoint_write(seq=i + 1, hash_=f"{i:064x}", count=i + 1)


def test_several_processes_append_whole_lines():
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(150,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    stored = checkpoints_read()
    assert stored.torn == 0 and not stored.problems and not stored.foreign
    assert len(stored.checkpoints) == 600


def test_the_throttle_writes_at_once_then_keeps_only_the_latest_head(settings):
    settings.THIDUA_AUDIT_CHECKPOINT_SECONDS = 3600
    throttle = _Throttle()
    try:
        throttle.committed(1, "a" * 64)
        throttle.committed(2, "b" * 64)
        throttle.committed(3, "c" * 64)
        assert [c.seq for c in checkpoints_read().checkpoints] == [1]
        assert throttle.timer is not None  # the latest head waits for it, not for the next write
    finally:
        throttle.flush()  # what the timer or the process's exit does
    assert [c.seq for c in checkpoints_read().checkpoints] == [1, 3]
    assert throttle.timer is None


def test_the_checkpoint_command_writes_the_head_and_refuses_a_forged_one(capsys):
    entry = audit_record(actor=None, action="test.action", object_type="thing")
    call_command("audit_checkpoint")
    assert f"bản ghi số {entry.seq}" in capsys.readouterr().out
    assert checkpoints_read().checkpoints[-1].hash == entry.hash
    tamper.insert_after_head(algo=2, guessed_key=b"x" * 40)
    with pytest.raises(CommandError, match="không khớp mã khoá"):
        call_command("audit_checkpoint")


def test_a_commit_is_checkpointed_and_a_rollback_is_not(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = audit_record(actor=None, action="test.action", object_type="thing")
    assert [(c.seq, c.hash) for c in checkpoints_read().checkpoints] == [(entry.seq, entry.hash)]
    # a service that fails after auditing: its transaction (here a savepoint) rolls back
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        audit_record(actor=None, action="test.rolled_back", object_type="thing")
        raise RuntimeError
    assert len(checkpoints_read().checkpoints) == 1
