"""The audit trail writer and its verifier."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from thidua.audit.models import AuditEntry
from thidua.platform.actor import Actor

GENESIS = "0" * 64
# Any constant: serialises audit appends on PostgreSQL so the chain never forks.
_PG_AUDIT_LOCK = 727_001


def _canonical(value: Any) -> Any:
    """JSON-safe form of a value (dates as ISO text), the same before storage and after reading."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit_hash(entry: AuditEntry) -> str:
    payload = json.dumps(
        [
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
        ],
        ensure_ascii=False,
        sort_keys=True,
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: object = "",
    unit_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one audit entry. Must run inside the transaction of the change it records."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        user = actor if getattr(actor, "is_authenticated", False) else None
        entry = AuditEntry(
            seq=seq,
            at=timezone.now().replace(microsecond=0),
            actor=user,
            actor_name=(user.get_username() if user else str(actor or "hệ thống"))[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            unit_id=unit_id,
            before=_canonical(before),
            after=_canonical(after),
            prev_hash=prev,
        )
        entry.hash = audit_hash(entry)
        entry.save(force_insert=True)
        return entry


def audit_verify() -> tuple[bool, int, str]:
    """Walk the chain. Returns (ok, entries checked, Vietnamese description of the first break)."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return False, count, f"Thiếu bản ghi nhật ký số {expected_seq} (gặp số {entry.seq})."
        if entry.prev_hash != prev:
            return False, count, f"Bản ghi số {entry.seq} không nối tiếp bản ghi trước (bị xoá/sửa)."
        if audit_hash(entry) != entry.hash:
            return False, count, f"Bản ghi số {entry.seq} đã bị sửa sau khi ghi."
        prev = entry.hash
        expected_seq += 1
        count += 1
    return True, count, "Nhật ký toàn vẹn."
