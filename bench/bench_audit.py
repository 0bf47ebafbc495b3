"""audit_record keyed (HMAC-SHA256, checkpoints after commits) beside the old unkeyed SHA-256
writer, in the same run on the same fresh database, one transaction per entry as a request has.

    .venv/bin/python bench/bench_audit.py [--n 2000]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/bench_audit.py

Three writers, interleaved in blocks of 100 entries so that the machine's noise and the table's
growth fall on all of them alike:
- old: the writer as it was before ADR 0015 (verbatim);
- keyed: `audit_record`, checkpoints throttled to one per second (the default);
- keyed, every commit checkpointed (THIDUA_AUDIT_CHECKPOINT_SECONDS=0, the worst case).
Then the table is emptied and N keyed entries are verified with `audit_verify`.
Target: each keyed phase costs at most 1,5× the old writer per entry.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import Any

from common import database_label, fresh_database, table, timer, vn

BLOCK = 100


def old_audit_record(*, actor: Any, action: str, object_type: str, object_id: object = "",
                     after: Any = None) -> Any:
    """services.py before the keyed chain (algo 1 = its hash), inlined."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection, transaction
    from django.utils import timezone

    from thidua.audit.models import Algo, AuditEntry

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [727_001])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, "0" * 64)
        entry = AuditEntry(seq=seq, at=timezone.now().replace(microsecond=0), actor=None,
                           actor_name="hệ thống", action=action, object_type=object_type,
                           object_id=str(object_id), unit_id=None, before=None,
                           after=json.loads(json.dumps(after, cls=DjangoJSONEncoder)),
                           prev_hash=prev, algo=Algo.SHA256)
        payload = json.dumps([entry.seq, entry.at.isoformat(), entry.actor_id, entry.actor_name,
                              entry.action, entry.object_type, entry.object_id, entry.unit_id,
                              entry.before, entry.after, entry.prev_hash],
                             ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
        entry.hash = hashlib.sha256(payload.encode()).hexdigest()
        entry.save(force_insert=True)
        return entry


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    cleanup = fresh_database("audit")
    try:
        from django.conf import settings
        from django.db import connection, transaction

        from thidua.audit.services import audit_checkpoint_dir, audit_record, audit_verify
        from thidua.audit.services.checkpoints import throttle

        def block(write: Any, interval: float, first: int) -> float:
            settings.THIDUA_AUDIT_CHECKPOINT_SECONDS = interval
            with timer() as t:
                for i in range(first, first + BLOCK):
                    with transaction.atomic():
                        write(actor=None, action="bench.write", object_type="thing",
                              object_id=i, after={"n": i, "tên": "Nguyễn Văn Đức"})
            return t["seconds"]

        writers = [(old_audit_record, 1.0), (audit_record, 1.0), (audit_record, 0.0)]
        spent = [0.0, 0.0, 0.0]
        for b in range(args.n // BLOCK):
            for w, (write, interval) in enumerate(writers):
                spent[w] += block(write, interval, b * BLOCK)
        throttle.flush()
        old, keyed, keyed_every = (s / (args.n // BLOCK * BLOCK) * 1e6 for s in spent)
        # a valid chain for the verifier: emptied (triggers lifted), then N keyed entries
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute("ALTER TABLE accounts_auditentry DISABLE TRIGGER USER")
                c.execute("DELETE FROM accounts_auditentry")
                c.execute("ALTER TABLE accounts_auditentry ENABLE TRIGGER USER")
            else:
                c.execute("DROP TRIGGER audit_no_delete")
                c.execute("DELETE FROM accounts_auditentry")
        (audit_checkpoint_dir() / "checkpoints.jsonl").unlink()
        for b in range(args.n // BLOCK):
            block(audit_record, 1.0, b * BLOCK)
        throttle.flush()
        lines = len((audit_checkpoint_dir() / "checkpoints.jsonl").read_text().splitlines())
        with timer() as t:
            verdict = audit_verify()
        rows = [["writer", "µs per entry", "× old"],
                ["old, unkeyed SHA-256", vn(old), "1,00"],
                ["keyed, checkpoint ≤ 1/s", vn(keyed), vn(keyed / old, 2)],
                ["keyed, checkpoint every commit", vn(keyed_every), vn(keyed_every / old, 2)]]
        print(f"{database_label()}, {vn(args.n)} entries per writer")
        print(table(rows))
        print(f"verify_audit: {vn(verdict.count)} rows and {vn(verdict.checkpoints)} checkpoints "
              f"({vn(lines)} lines) in {vn(t['seconds'], 2)} s: {verdict.message}")
        ok = verdict.ok and max(keyed, keyed_every) <= 1.5 * old
        print("target met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
