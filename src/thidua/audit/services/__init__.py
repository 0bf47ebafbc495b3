"""The audit trail: its writer, its verifier and its checkpoints outside the database."""

from thidua.audit.services.chain import GENESIS, audit_key, entry_digest, key_id
from thidua.audit.services.checkpoints import audit_checkpoint_dir, checkpoint_write
from thidua.audit.services.record import audit_record
from thidua.audit.services.verify import Verdict, audit_checkpoint, audit_verify

__all__ = [
    "GENESIS",
    "Verdict",
    "audit_checkpoint",
    "audit_checkpoint_dir",
    "audit_key",
    "audit_record",
    "audit_verify",
    "checkpoint_write",
    "entry_digest",
    "key_id",
]
