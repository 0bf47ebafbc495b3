"""What an attacker with write access to the database can do: lift the append-only triggers,
then delete, rewrite or insert rows with plain SQL. The test's transaction puts it all back."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils.dateparse import parse_datetime

TABLE = "accounts_auditentry"


def lift_triggers() -> None:
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}")
            c.execute(f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}")
        else:
            c.execute("DROP TRIGGER IF EXISTS audit_no_update")
            c.execute("DROP TRIGGER IF EXISTS audit_no_delete")


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as c:
        c.execute(statement, params or [])


def rows() -> list[dict[str, Any]]:
    with connection.cursor() as c:
        c.execute(f"SELECT seq, at, actor_id, actor_name, action, object_type, object_id, unit_id, "
                  f"before, after, prev_hash, hash, algo FROM {TABLE} ORDER BY seq")
        names = [d[0] for d in c.description]
        out = [dict(zip(names, r, strict=True)) for r in c.fetchall()]
    for r in out:
        for k in ("before", "after"):
            if isinstance(r[k], str):
                r[k] = json.loads(r[k])
        if isinstance(r["at"], str):  # SQLite returns text through a raw cursor
            r["at"] = parse_datetime(r["at"])
        if r["at"].tzinfo is None:
            r["at"] = r["at"].replace(tzinfo=dt.UTC)
    return out


def payload(r: dict[str, Any], *, with_algo: bool) -> bytes:
    """The documented payload (ADR 0003/0015): an attacker knows it."""
    fields = [r["seq"], r["at"].isoformat(), r["actor_id"], r["actor_name"], r["action"],
              r["object_type"], r["object_id"], r["unit_id"], r["before"], r["after"],
              r["prev_hash"]]
    if with_algo:
        fields = [r["algo"], *fields]
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder).encode()


def forge_hash(r: dict[str, Any], guessed_key: bytes | None) -> str:
    """Plain SHA-256 (the old algorithm) without a key; HMAC under a guessed key otherwise."""
    if guessed_key is None:
        return hashlib.sha256(payload(r, with_algo=False)).hexdigest()
    return hmac.new(guessed_key, payload(r, with_algo=True), hashlib.sha256).hexdigest()


def rewrite_from(seq: int, change: dict[str, Any], *, algo: int, guessed_key: bytes | None) -> None:
    """Change row `seq`, then recompute the hash of it and of every later row, relinking them."""
    all_rows = rows()
    prev = next((r["hash"] for r in all_rows if r["seq"] == seq - 1), "0" * 64)
    for r in all_rows:
        if r["seq"] < seq:
            continue
        if r["seq"] == seq:
            r.update(change)
        r["prev_hash"], r["algo"] = prev, algo
        r["hash"] = forge_hash(r, guessed_key)
        sql(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s, algo = %s, after = %s WHERE seq = %s",
            [r["prev_hash"], r["hash"], algo, json.dumps(r["after"]), r["seq"]])
        prev = r["hash"]


def insert_after_head(*, algo: int, guessed_key: bytes | None) -> int:
    """A plain SQL INSERT of a made-up entry that links to the current head."""
    head = rows()[-1]
    r = {**head, "seq": head["seq"] + 1, "actor_id": None, "actor_name": "quantri",
         "action": "person.delete", "object_type": "person", "object_id": "1", "unit_id": None,
         "before": None, "after": None, "prev_hash": head["hash"], "algo": algo}
    r["hash"] = forge_hash(r, guessed_key)
    sql(f"INSERT INTO {TABLE} (seq, at, actor_id, actor_name, action, object_type, object_id, "
        "unit_id, before, after, prev_hash, hash, algo) "
        "VALUES (%s, %s, NULL, %s, %s, %s, %s, NULL, NULL, NULL, %s, %s, %s)",
        [r["seq"], connection.ops.adapt_datetimefield_value(r["at"]), r["actor_name"], r["action"], r["object_type"], r["object_id"],
         r["prev_hash"], r["hash"], algo])
    return int(r["seq"])
