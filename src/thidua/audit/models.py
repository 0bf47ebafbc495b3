"""The hash-chained, append-only audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Algo(models.IntegerChoices):
    """How a row's hash is made. Rows written before the keyed chain keep SHA256 and are
    verified as before; once a row is keyed, every later row must be (ADR 0015)."""

    SHA256 = 1, "SHA-256 (không khoá, bản ghi cũ)"
    HMAC_SHA256 = 2, "HMAC-SHA256 (có khoá)"


class AuditEntry(models.Model):
    """One change. Rows are only appended (database triggers refuse UPDATE, DELETE and, on
    PostgreSQL, TRUNCATE); each row's keyed hash covers the previous row's hash, and checkpoints
    of the head kept outside the database let `verify_audit` find a removed tail."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    # No constraint and no cascade: deleting a user must not UPDATE (SET_NULL) or block on its
    # entries; they keep the id and the name they were written with.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    algo = models.PositiveSmallIntegerField(choices=Algo.choices)

    class Meta:
        # the table kept its name when the model moved here from accounts (no data was copied)
        db_table = "accounts_auditentry"
        ordering = ["-seq"]
        indexes = [
            # the history of one object: WHERE object_type=? AND object_id=? ORDER BY seq
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"
