"""The chain's key and hashes: HMAC-SHA256 under a key kept outside the database (ADR 0015)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder

from thidua.audit.models import Algo, AuditEntry

GENESIS = "0" * 64
MIN_KEY_CHARS = 32
_keys: dict[str, bytes] = {}


def _key_file() -> Path:
    return Path(settings.THIDUA_AUDIT_KEY_FILE)


def _create_key_file(path: Path) -> None:
    """Write a new random key with mode 0600. Linked into place so that two processes starting
    at once agree on one key and neither reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def audit_key() -> bytes:
    """THIDUA_AUDIT_KEY, else the file THIDUA_AUDIT_KEY_FILE (<THIDUA_HOME>/audit.key), created
    on first use. Read once per process."""
    env = os.environ.get("THIDUA_AUDIT_KEY", "")
    source = f"env:{env}" if env else f"file:{_key_file()}"
    if (key := _keys.get(source)) is not None:
        return key
    if env:
        text = env.strip()
    else:
        path = _key_file()
        if not path.exists():
            _create_key_file(path)
        text = path.read_text().strip()
    if len(text) < MIN_KEY_CHARS:
        where = "THIDUA_AUDIT_KEY" if env else str(_key_file())
        raise ImproperlyConfigured(
            f"Khoá nhật ký ({where}) quá ngắn: cần ít nhất {MIN_KEY_CHARS} ký tự ngẫu nhiên.")
    key = _keys[source] = text.encode()
    return key


def key_id(key: bytes) -> str:
    """A public fingerprint of the key, written into checkpoints: a verifier holding another
    key says so instead of calling every row forged."""
    return hmac.new(key, b"thidua-audit-key-id", hashlib.sha256).hexdigest()[:16]


def _fields(entry: AuditEntry) -> list[Any]:
    return [
        entry.seq,
        entry.at.isoformat(),
        entry.actor_id,
        entry.actor_name,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.unit_id,
        entry.before,
        entry.after,
        entry.prev_hash,
    ]


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder).encode()


def entry_digest(entry: AuditEntry, key: bytes) -> str:
    """The row's hash by its own algorithm: plain SHA-256 for rows written before the keyed
    chain (byte for byte the old payload), HMAC-SHA256 with the algorithm inside for the rest."""
    if entry.algo == Algo.SHA256:
        return hashlib.sha256(_dumps(_fields(entry))).hexdigest()
    return hmac.new(key, _dumps([entry.algo, *_fields(entry)]), hashlib.sha256).hexdigest()


def checkpoint_mac(key: bytes, fields: dict[str, Any]) -> str:
    payload = _dumps(["checkpoint", fields])
    return hmac.new(key, payload, hashlib.sha256).hexdigest()
