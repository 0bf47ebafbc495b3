"""Checkpoints of the chain's head kept outside the database: one MACed JSON line per checkpoint,
appended to <THIDUA_AUDIT_DIR>/checkpoints.jsonl. A checkpoint is a prefix the chain must still
have: a cut tail, an emptied table or a rewritten chain no longer matches it."""

from __future__ import annotations

import atexit
import hmac
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from thidua.audit.services.chain import audit_key, checkpoint_mac, key_id

try:
    import fcntl
except ImportError:  # Windows: one app server there, O_APPEND alone keeps lines whole
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

FILE_NAME = "checkpoints.jsonl"
VERSION = 1


def audit_checkpoint_dir() -> Path:
    """The folder holding everything the verifier needs besides the database and the key: back
    it up and restore it with the database."""
    return Path(settings.THIDUA_AUDIT_DIR)


@dataclass(frozen=True)
class Checkpoint:
    line: int
    seq: int
    hash: str
    count: int
    at: str
    kid: str


@dataclass
class CheckpointFile:
    checkpoints: list[Checkpoint]
    #: Vietnamese descriptions of lines signed under another key (a wrong key configured)
    foreign: list[str]
    #: Vietnamese descriptions of lines that fail their MAC (tampered)
    problems: list[str]
    #: lines that are not JSON at all: a write cut short by a crash
    torn: int


def _line(seq: int, hash_: str, count: int) -> bytes:
    key = audit_key()
    fields: dict[str, Any] = {
        "v": VERSION, "seq": seq, "hash": hash_, "count": count,
        "at": timezone.now().isoformat(timespec="seconds"), "kid": key_id(key),
    }
    fields["mac"] = checkpoint_mac(key, fields)
    return (json.dumps(fields, sort_keys=True) + "\n").encode()


def checkpoint_write(*, seq: int, hash_: str, count: int) -> Path:
    """Append one checkpoint. Safe with several processes: one write() under O_APPEND and an
    exclusive flock (documented: THIDUA_AUDIT_DIR on storage every app server shares)."""
    folder = audit_checkpoint_dir()
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / FILE_NAME
    data = _line(seq, hash_, count)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        # a line cut short by a crash must not swallow this one (O_APPEND writes at the end
        # whatever the offset read here)
        if size:
            os.lseek(fd, size - 1, os.SEEK_SET)
            if os.read(fd, 1) != b"\n":
                data = b"\n" + data
        os.write(fd, data)
    finally:
        os.close(fd)  # releases the lock
    return path


def checkpoints_read() -> CheckpointFile:
    path = audit_checkpoint_dir() / FILE_NAME
    result = CheckpointFile([], [], [], 0)
    if not path.exists():
        return result
    key = audit_key()
    kid = key_id(key)
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                fields = json.loads(raw)
                mac = fields.pop("mac")
                cp = Checkpoint(number, int(fields["seq"]), str(fields["hash"]),
                                int(fields["count"]), str(fields["at"]), str(fields["kid"]))
            except (ValueError, KeyError, TypeError, AttributeError):
                result.torn += 1
                continue
            if cp.kid != kid:
                result.foreign.append(
                    f"Mốc kiểm tra ở dòng {number} của {path} được ký bằng một khoá khác: "
                    "THIDUA_AUDIT_KEY (hoặc tệp audit.key) không phải khoá đã ghi nhật ký này.")
            elif not hmac.compare_digest(str(mac), checkpoint_mac(key, fields)):
                result.problems.append(
                    f"Mốc kiểm tra ở dòng {number} của {path} đã bị sửa (sai mã khoá).")
            else:
                result.checkpoints.append(cp)
    return result


class _Throttle:
    """Checkpoints after commits, at most one per THIDUA_AUDIT_CHECKPOINT_SECONDS per process:
    the latest committed head waits for a timer (or the process's exit) instead of being lost."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last = float("-inf")
        self.pending: tuple[int, str] | None = None
        self.timer: threading.Timer | None = None
        self.registered = False

    def committed(self, seq: int, hash_: str) -> None:
        with self.lock:
            if self.pending is None or seq > self.pending[0]:
                self.pending = (seq, hash_)
            wait = self.last + float(settings.THIDUA_AUDIT_CHECKPOINT_SECONDS) - time.monotonic()
            if wait <= 0:
                self._flush_locked()
            elif self.timer is None:
                if not self.registered:
                    atexit.register(self.flush)
                    self.registered = True
                self.timer = threading.Timer(wait, self.flush)
                self.timer.daemon = True
                self.timer.start()

    def flush(self) -> None:
        with self.lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.pending is None:
            return
        seq, hash_ = self.pending
        self.pending = None
        self.last = time.monotonic()
        try:
            checkpoint_write(seq=seq, hash_=hash_, count=seq)
        except OSError:
            # the change is committed already; the next checkpoint covers this head
            log.exception("audit checkpoint not written to %s", audit_checkpoint_dir())


throttle = _Throttle()
