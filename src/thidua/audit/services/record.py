"""Appending to the audit trail: O(1) per entry (the head's seq and hash, one insert)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from thidua.audit.models import Algo, AuditEntry
from thidua.audit.services.chain import GENESIS, audit_key, entry_digest
from thidua.audit.services.checkpoints import throttle
from thidua.platform.actor import Actor

# Any constant: serialises audit appends on PostgreSQL so the chain never forks.
_PG_AUDIT_LOCK = 727_001


def _canonical(value: Any) -> Any:
    """JSON-safe form of a value (dates as ISO text), the same before storage and after reading."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


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
    """Append one audit entry. Must run inside the transaction of the change it records; once
    that commits, the new head is checkpointed outside the database (throttled)."""
    key = audit_key()
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
            algo=Algo.HMAC_SHA256,
        )
        entry.hash = entry_digest(entry, key)
        entry.save(force_insert=True)
        transaction.on_commit(partial(throttle.committed, seq, entry.hash))
        return entry
