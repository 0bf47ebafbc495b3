"""The pledge and the scoring sheets: the issuer writes the pledge, each member signs it; a
member fills its sheet (figures with the known values beside them, evidence), sends it to the
head unit, which checks it (correcting points with a reason) or returns it. One transaction
and one audit entry per change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.clusters import scoring
from thidua.clusters.models import (
    Cluster,
    Criterion,
    CriterionKind,
    Membership,
    Score,
    SheetStatus,
)
from thidua.clusters.permissions import require_fill, require_manage, require_run
from thidua.clusters.prefill import known_values
from thidua.clusters.selectors import target_for, targets_of
from thidua.clusters.services.common import locked_membership, parse_amount, user_or_none
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.files import FileRules, remove_stored, store_upload
from thidua.platform.text import clean_spaces, vn_number

EVIDENCE = FileRules(folder="clusters", kinds=("pdf", "docx", "xlsx", "jpg", "png"))
MAX_NOTE = 2000
MAX_PLEDGE = 20000
EDITABLE = (SheetStatus.DRAFT, SheetStatus.RETURNED)


@transaction.atomic
def pledge_set(*, actor: Actor, cluster: Cluster, text: str, place: str = "",
               signed_on: dt.date | None = None) -> Cluster:
    """The pledge's commitments (one per line) and where and when it is signed. Refused once a
    member has signed: the text they signed stays as it was."""
    require_manage(actor, cluster)
    text = "\n".join(clean_spaces(line) for line in text.splitlines() if line.strip())
    if not text:
        raise ApplicationError("Hãy ghi nội dung giao ước thi đua.", field="text")
    if len(text) > MAX_PLEDGE:
        raise ApplicationError(f"Nội dung giao ước tối đa {vn_number(MAX_PLEDGE)} ký tự.",
                               field="text")
    if cluster.memberships.filter(signed_on__isnull=False).exists() and (
            text != cluster.pledge_text):
        raise ApplicationError("Đã có đơn vị ký giao ước: không sửa nội dung được nữa.",
                               field="text")
    if signed_on is not None and signed_on.year not in (cluster.year - 1, cluster.year):
        raise ApplicationError(f"Giao ước năm {cluster.year} ký trong năm {cluster.year} hoặc "
                               "cuối năm trước.", field="signed_on")
    before = {"text": cluster.pledge_text, "place": cluster.pledge_place,
              "date": cluster.pledge_date.isoformat() if cluster.pledge_date else None}
    cluster.pledge_text, cluster.pledge_place = text, clean_spaces(place)[:120]
    cluster.pledge_date = signed_on
    cluster.save(update_fields=["pledge_text", "pledge_place", "pledge_date"])
    audit_record(actor=actor, action="cluster.pledge_set", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id, before=before,
                 after={"text": text, "place": cluster.pledge_place,
                        "date": signed_on.isoformat() if signed_on else None})
    return cluster


@transaction.atomic
def pledge_sign(*, actor: Actor, membership: Membership, signer_name: str, signer_title: str,
                signed_on: dt.date) -> Membership:
    """The member unit signs the pledge: who signed for it and when."""
    membership = locked_membership(membership)
    require_fill(actor, membership)
    cluster = membership.cluster
    if not cluster.pledge_text:
        raise ApplicationError("Giao ước chưa có nội dung để ký.", field="text")
    name, title = clean_spaces(signer_name)[:150], clean_spaces(signer_title)[:150]
    if not name or not title:
        raise ApplicationError("Hãy ghi họ tên và chức vụ người ký.", field="signer_name")
    if signed_on.year not in (cluster.year - 1, cluster.year):
        raise ApplicationError(f"Giao ước năm {cluster.year} ký trong năm {cluster.year} hoặc "
                               "cuối năm trước.", field="signed_on")
    before = {"name": membership.signer_name, "title": membership.signer_title,
              "on": membership.signed_on.isoformat() if membership.signed_on else None}
    membership.signer_name, membership.signer_title = name, title
    membership.signed_on = signed_on
    membership.save(update_fields=["signer_name", "signer_title", "signed_on"])
    audit_record(actor=actor, action="cluster.pledge_sign", object_type="cluster",
                 object_id=cluster.pk, unit_id=membership.unit_id, before=before,
                 after={"name": name, "title": title, "on": signed_on.isoformat()})
    return membership


@dataclass(frozen=True)
class Entry:
    """What a member enters on one criterion: `value` a figure (or 1/0, or points), as typed."""

    criterion_id: int
    value: object
    note: str = ""


def _points(c: Criterion, value: Decimal | None, target: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if c.kind == CriterionKind.YES_NO and value not in (0, 1):
        raise ApplicationError(f"Tiêu chí {c.code}: chọn Có hoặc Không.", field=f"c{c.pk}")
    if c.kind in (CriterionKind.POINTS, CriterionKind.BONUS, CriterionKind.PENALTY) and not (
            0 <= value <= c.max_points):
        raise ApplicationError(f"Tiêu chí {c.code}: điểm phải từ 0 đến "
                               f"{vn_number(float(c.max_points), 2).rstrip('0').rstrip(',')}.",
                               field=f"c{c.pk}")
    if c.kind == CriterionKind.TARGET and value < 0:
        raise ApplicationError(f"Tiêu chí {c.code}: số liệu không được âm.", field=f"c{c.pk}")
    return scoring.points_for(c.kind, c.max_points, value, target)


@transaction.atomic
def sheet_save(*, actor: Actor, membership: Membership, entries: Sequence[Entry],
               known: Mapping[str, Decimal | None] | None = None) -> int:
    """Save the member's entries (all or none: one bad figure refuses the whole save and the
    page keeps what was typed). `known`: the system's values (read when not given). Returns the
    number of criteria changed."""
    membership = locked_membership(membership)
    require_fill(actor, membership)
    if membership.sheet_status not in EDITABLE:
        raise ApplicationError(f"Bảng điểm đang ở bước «{membership.get_sheet_status_display()}»:"
                               " không sửa được.", field="status")
    cluster = membership.cluster
    criteria = {c.pk: c for c in cluster.criteria.all()}
    own = targets_of(cluster)
    if known is None:
        known = known_values(membership.unit, cluster.year)
    existing = {s.criterion_id: s for s in membership.scores.all()}
    changed: list[dict[str, Any]] = []
    for e in entries:
        c = criteria.get(e.criterion_id)
        if c is None or c.kind == CriterionKind.GROUP:
            raise ApplicationError("Tiêu chí không có trong bảng điểm của cụm.", field="criterion")
        value = parse_amount(e.value, field=f"c{c.pk}", what=f"Tiêu chí {c.code}")
        note = (e.note or "").strip()
        if len(note) > MAX_NOTE:
            raise ApplicationError(f"Tiêu chí {c.code}: giải trình tối đa "
                                   f"{vn_number(MAX_NOTE)} ký tự.", field=f"n{c.pk}")
        points = _points(c, value, target_for(c, membership.unit_id, own))
        k = known.get(c.source) if c.source else None
        s = existing.get(c.pk) or Score(membership=membership, criterion=c)
        if s.pk and (s.value, s.note, s.points, s.known) == (value, note, points, k):
            continue
        s.value, s.note, s.points, s.known = value, note, points, k
        s.save()
        changed.append({"criterion": c.pk, "value": str(value) if value is not None else None,
                        "points": str(points) if points is not None else None})
    if changed:
        audit_record(actor=actor, action="cluster.sheet_save", object_type="cluster_sheet",
                     object_id=membership.pk, unit_id=membership.unit_id,
                     after={"changes": changed})
    return len(changed)


@transaction.atomic
def evidence_attach(*, actor: Actor, membership: Membership, criterion: Criterion,
                    upload: Any) -> Score:
    """Attach (or replace) the evidence file of one criterion; the bytes are checked first."""
    membership = locked_membership(membership)
    require_fill(actor, membership)
    if membership.sheet_status not in EDITABLE:
        raise ApplicationError("Bảng điểm đã gửi: không thêm minh chứng được.", field="status")
    if criterion.cluster_id != membership.cluster_id or criterion.kind == CriterionKind.GROUP:
        raise ApplicationError("Tiêu chí không có trong bảng điểm của cụm.", field="criterion")
    stored = store_upload(upload, EVIDENCE)
    s, _ = Score.objects.get_or_create(membership=membership, criterion=criterion)
    old = s.file.name if s.file else ""
    s.file = stored.name
    s.original_name, s.file_kind = stored.original_name, stored.kind
    s.size, s.sha256 = stored.size, stored.sha256
    try:
        s.save()
    except Exception:
        remove_stored(stored.name)
        raise
    if old:
        transaction.on_commit(lambda: remove_stored(old))
    audit_record(actor=actor, action="cluster.evidence_attach", object_type="cluster_sheet",
                 object_id=membership.pk, unit_id=membership.unit_id,
                 after={"criterion": criterion.pk, "name": s.original_name, "sha256": s.sha256})
    return s


@transaction.atomic
def sheet_submit(*, actor: Actor, membership: Membership) -> Membership:
    """Send the sheet to the head unit. Refused while a criterion has no entry."""
    membership = locked_membership(membership)
    require_fill(actor, membership)
    if membership.sheet_status not in EDITABLE:
        raise ApplicationError("Bảng điểm đã gửi.", field="status")
    scored = membership.cluster.criteria.exclude(kind=CriterionKind.GROUP)
    missing = scored.exclude(scores__membership=membership, scores__points__isnull=False)
    first = missing.order_by("order", "id").first()
    if first is not None:
        raise ApplicationError(f"Còn {missing.count()} tiêu chí chưa chấm (đầu tiên: tiêu chí "
                               f"{first.code}).", field="status")
    membership.sheet_status = SheetStatus.SUBMITTED
    membership.submitted_at = timezone.now()
    membership.save(update_fields=["sheet_status", "submitted_at"])
    audit_record(actor=actor, action="cluster.sheet_submit", object_type="cluster_sheet",
                 object_id=membership.pk, unit_id=membership.unit_id)
    return membership


@dataclass(frozen=True)
class Correction:
    criterion_id: int
    points: object  # blank: keep the unit's own points
    note: str = ""


@transaction.atomic
def sheet_check(*, actor: Actor, membership: Membership, corrections: Sequence[Correction] = (),
                note: str = "", accept: bool = True) -> Membership:
    """The head unit checks a sent sheet: corrects points where the evidence does not bear them
    out (a reason required) and accepts it, or returns it to the unit with its note."""
    membership = locked_membership(membership)
    cluster = membership.cluster
    require_run(actor, cluster)
    if membership.sheet_status != SheetStatus.SUBMITTED:
        raise ApplicationError("Chỉ kiểm tra được bảng điểm đơn vị đã gửi.", field="status")
    note = note.strip()[:MAX_NOTE]
    if not accept and not note:
        raise ApplicationError("Hãy ghi lý do trả lại bảng điểm.", field="note")
    scores = {s.criterion_id: s for s in membership.scores.select_related("criterion")}
    changed = []
    for corr in corrections:
        s = scores.get(corr.criterion_id)
        if s is None:
            raise ApplicationError("Tiêu chí không có trong bảng điểm.", field="criterion")
        c = s.criterion
        pts = parse_amount(corr.points, field=f"k{c.pk}", what=f"Tiêu chí {c.code}")
        if pts is not None:
            limit = c.max_points
            if c.kind == CriterionKind.PENALTY:
                if not -limit <= pts <= 0:
                    pts = -abs(pts)
                if not -limit <= pts <= 0:
                    raise ApplicationError(f"Tiêu chí {c.code}: điểm trừ từ 0 đến "
                                           f"{limit.normalize():f}.", field=f"k{c.pk}")
            elif not 0 <= pts <= limit:
                raise ApplicationError(f"Tiêu chí {c.code}: điểm từ 0 đến "
                                       f"{limit.normalize():f}.", field=f"k{c.pk}")
            if pts != s.points and not corr.note.strip():
                raise ApplicationError(f"Tiêu chí {c.code}: hãy ghi lý do chấm lại.",
                                       field=f"k{c.pk}")
        reason = clean_spaces(corr.note)[:500] if pts is not None else ""
        if (s.checked_points, s.check_note) != (pts, reason):
            s.checked_points, s.check_note = pts, reason
            s.save(update_fields=["checked_points", "check_note"])
            changed.append({"criterion": c.pk, "points": str(pts) if pts is not None else None})
    membership.sheet_status = SheetStatus.CHECKED if accept else SheetStatus.RETURNED
    membership.check_note = note
    membership.checked_at = timezone.now()
    membership.checked_by = user_or_none(actor)
    membership.save(update_fields=["sheet_status", "check_note", "checked_at", "checked_by"])
    audit_record(actor=actor, action="cluster.sheet_check" if accept else "cluster.sheet_return",
                 object_type="cluster_sheet", object_id=membership.pk,
                 unit_id=cluster.issuer_id, after={"corrections": changed, "note": note})
    return membership
