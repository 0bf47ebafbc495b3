"""Verifying the audit trail: every link and keyed hash, then every checkpoint kept outside the
database must still be a prefix of the chain."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from thidua.audit.models import Algo, AuditEntry
from thidua.audit.services.chain import GENESIS, audit_key, entry_digest
from thidua.audit.services.checkpoints import Checkpoint, checkpoint_write, checkpoints_read
from thidua.platform.errors import ApplicationError


@dataclass(frozen=True)
class Verdict:
    ok: bool
    #: rows that verified before the first break (all of them when ok)
    count: int
    #: Vietnamese: what is wrong, or that all is well
    message: str
    checkpoints: int = 0


def _walk(by_seq: dict[int, Checkpoint]) -> tuple[str | None, int, int, str]:
    """(first break or None, rows checked, head seq, head hash)."""
    key = audit_key()
    prev, expected_seq, count, keyed = GENESIS, 1, 0, False
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return f"Thiếu bản ghi nhật ký số {expected_seq} (gặp số {entry.seq}).", count, 0, ""
        if entry.algo not in Algo.values:
            return f"Bản ghi số {entry.seq} có kiểu băm lạ ({entry.algo}).", count, 0, ""
        if entry.algo == Algo.SHA256 and keyed:
            return (f"Bản ghi số {entry.seq} băm kiểu cũ không khoá sau các bản ghi có khoá: "
                    "bị chèn giả hoặc bị viết lại."), count, 0, ""
        keyed = keyed or entry.algo == Algo.HMAC_SHA256
        if entry.prev_hash != prev:
            return f"Bản ghi số {entry.seq} không nối tiếp bản ghi trước (bị xoá/sửa).", count, 0, ""
        if not hmac.compare_digest(entry_digest(entry, key), entry.hash):
            return (f"Bản ghi số {entry.seq} đã bị sửa sau khi ghi, hoặc bị chèn giả "
                    "(mã khoá không khớp)."), count, 0, ""
        cp = by_seq.get(entry.seq)
        if cp is not None and cp.hash != entry.hash:
            return (f"Bản ghi số {entry.seq} khác với mốc kiểm tra lúc {cp.at}: nhật ký đã bị "
                    "viết lại đến bản ghi này."), count, 0, ""
        prev = entry.hash
        expected_seq += 1
        count += 1
    return None, count, expected_seq - 1, prev


def audit_verify(*, checkpoint: bool = False) -> Verdict:
    """Walk the chain and hold it against the checkpoints. With `checkpoint`, an intact chain's
    head is checkpointed afterwards (the `verify_audit` command). The first problem found is
    reported, the most telling first: a wrong key explains every keyed row failing."""
    stored = checkpoints_read()
    n = len(stored.checkpoints)
    by_seq: dict[int, Checkpoint] = {}
    conflict = ""
    for cp in stored.checkpoints:
        other = by_seq.setdefault(cp.seq, cp)
        if other.hash != cp.hash and not conflict:
            conflict = (f"Hai mốc kiểm tra cho cùng bản ghi số {cp.seq} (lúc {other.at} và "
                        f"{cp.at}) khác nhau: nhật ký đã bị viết lại giữa hai lần.")
    broken, count, head_seq, head_hash = _walk(by_seq)
    for problem in (*stored.foreign, broken, conflict, *stored.problems):
        if problem:
            return Verdict(False, count, problem, n)
    furthest = max(stored.checkpoints, key=lambda c: c.seq, default=None)
    if furthest is not None and furthest.seq > count:
        lost = furthest.seq - count
        what = ("toàn bộ nhật ký đã bị xoá" if count == 0
                else f"{lost} bản ghi cuối (từ số {count + 1}) đã bị xoá")
        return Verdict(False, count, (
            f"Nhật ký chỉ còn {count} bản ghi nhưng mốc kiểm tra lúc {furthest.at} đã ghi nhận "
            f"{furthest.seq} bản ghi: {what}."), n)
    if checkpoint and count:
        checkpoint_write(seq=head_seq, hash_=head_hash, count=count)
    note = f" Bỏ qua {stored.torn} dòng mốc kiểm tra ghi dở." if stored.torn else ""
    return Verdict(True, count, f"Nhật ký toàn vẹn.{note}", n)


def audit_checkpoint() -> tuple[int, str] | None:
    """Checkpoint the current head now, in O(1) (cron, after a burst of writes). The head's own
    hash is checked first so a forged last row is not vouched for; `verify_audit` checks the
    rest. None when the trail is empty."""
    head = AuditEntry.objects.order_by("-seq").first()
    if head is None:
        return None
    if not hmac.compare_digest(entry_digest(head, audit_key()), head.hash):
        raise ApplicationError(f"Bản ghi cuối (số {head.seq}) không khớp mã khoá: chạy verify_audit.")
    checkpoint_write(seq=head.seq, hash_=head.hash, count=head.seq)
    return head.seq, head.hash
