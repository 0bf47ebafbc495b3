"""What a council's pass leads to: the recognition at a level with its certificate (once per
level), and the uses of a recognised initiative in award dossiers (Công văn 5007/BNV-TĐKT: at
most one commendation; a further use for a title is recorded with a warning)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.councils.models import Level
from thidua.initiatives.figures import initiative_figures
from thidua.initiatives.models import (
    Initiative,
    InitiativeUse,
    Outcome,
    Recognition,
    Status,
    UseKind,
)
from thidua.initiatives.permissions import require_officer_at
from thidua.initiatives.services._common import plain
from thidua.initiatives.services.workflow import initiative_transition
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date
from thidua.platform.years import check_year


@transaction.atomic
def recognition_create(
    *, actor: Actor, initiative: Initiative, level: str, decided_on: dt.date, decision_no: str,
    issuer: str, year: int | None = None, certificate_no: str = "", scope_note: str = "",
) -> Recognition:
    """Record a recognition with its certificate. For an initiative under review, the council
    must have passed it and `level` is the council's; an initiative already recognised may be
    recognised at further levels (a district, the city's «Sáng kiến Thủ đô», a ministry…).
    Once per level."""
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    require_officer_at(actor, ini.unit)
    if level not in Level.values:
        raise ApplicationError("Hãy chọn cấp công nhận.", field="level")
    decision_no = plain(decision_no, limit=80)
    issuer = plain(issuer, limit=255)
    if not decision_no:
        raise ApplicationError("Hãy ghi số quyết định công nhận.", field="decision_no")
    if not issuer:
        raise ApplicationError("Hãy ghi cơ quan, người ký quyết định công nhận.", field="issuer")
    if not isinstance(decided_on, dt.date):
        raise ApplicationError("Hãy ghi ngày quyết định.", field="decided_on")
    if decided_on > timezone.localdate():
        raise ApplicationError("Ngày quyết định không thể ở tương lai.", field="decided_on")
    year = check_year(year if year is not None else decided_on.year)
    existing = ini.recognitions.filter(level=level).first()
    if existing is not None:
        raise ApplicationError(
            f"Sáng kiến đã được công nhận {Level(level).label.lower()} (quyết định số "
            f"{existing.decision_no} ngày {vn_date(existing.decided_on)}). Mỗi sáng kiến chỉ "
            "được công nhận một lần ở mỗi cấp.", field="level")
    review = None
    if ini.status == Status.UNDER_REVIEW:
        review = ini.reviews.select_related("council").order_by("-opened_at", "-id").first()
        if review is None or review.outcome != Outcome.PASSED:
            raise ApplicationError("Chỉ công nhận sáng kiến khi Hội đồng sáng kiến đã biểu quyết "
                                   "thông qua.", field="level")
        if review.council.level != level:
            raise ApplicationError(
                f"«{review.council.name}» xét công nhận "
                f"{Level(review.council.level).label.lower()}; hãy chọn đúng cấp đó.",
                field="level")
    elif ini.status != Status.RECOGNIZED:
        raise ApplicationError("Chỉ ghi công nhận cho sáng kiến đã được Hội đồng sáng kiến thông "
                               "qua.", field="level")
    try:
        with transaction.atomic(), initiative_figures([ini.unit_id]):  # ADR 0036
            rec = Recognition.objects.create(
                initiative=ini, level=level, year=year, decided_on=decided_on,
                decision_no=decision_no, issuer=issuer,
                certificate_no=plain(certificate_no, limit=80),
                scope_note=plain(scope_note, multiline=True), review=review,
                created_by=actor)
    except IntegrityError:
        raise ApplicationError("Sáng kiến đã được công nhận ở cấp này. Mỗi sáng kiến chỉ được "
                               "công nhận một lần ở mỗi cấp.", field="level") from None
    if not rec.certificate_no:
        rec.certificate_no = f"{rec.pk:05d}/GCN-SK"
        rec.save(update_fields=["certificate_no"])
    audit_record(actor=actor, action="initiative.recognize", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id,
                 after={"recognition": rec.pk, "level": level, "year": year,
                        "decision": decision_no, "decided_on": decided_on, "issuer": issuer,
                        "certificate": rec.certificate_no})
    if ini.status == Status.UNDER_REVIEW:
        initiative_transition(actor=actor, initiative=ini, to=Status.RECOGNIZED)
    initiative.status = ini.status
    return rec



@dataclass
class UseResult:
    use: InitiativeUse
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def initiative_use_record(*, actor: Actor, initiative: Initiative, kind: str, reference: str,
                          year: int, person: Person | None = None) -> UseResult:
    """Put a recognised initiative forward as the basis of an award. Công văn 5007/BNV-TĐKT
    (2023): an initiative is used once as a criterion for an award. A second commendation is
    refused; any other reuse (a title after anything, a commendation after a title) is recorded
    with a warning, because the rule's reach there is not settled (domain.md, design note 6)."""
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    require_officer_at(actor, ini.unit)
    if kind not in UseKind.values:
        raise ApplicationError("Hãy chọn sáng kiến dùng cho danh hiệu hay hình thức khen thưởng.",
                               field="kind")
    if ini.status != Status.RECOGNIZED:
        raise ApplicationError("Chỉ sáng kiến đã được công nhận mới làm căn cứ đề nghị khen "
                               "thưởng.", field="kind")
    reference = plain(reference, limit=255)
    if not reference:
        raise ApplicationError("Hãy ghi hồ sơ, hình thức khen thưởng sử dụng sáng kiến.",
                               field="reference")
    year = check_year(year)
    if person is not None and not ini.authors.filter(person=person).exists():
        raise ApplicationError(f"{person.full_name} không phải tác giả của sáng kiến này.",
                               field="person")
    previous = list(ini.uses.order_by("year", "id"))
    warnings: list[str] = []
    if kind == UseKind.COMMENDATION:
        first = next((u for u in previous if u.kind == UseKind.COMMENDATION), None)
        if first is not None:
            raise ApplicationError(
                f"Sáng kiến này đã làm căn cứ cho «{first.reference}» (năm {first.year}). Một "
                "sáng kiến chỉ được dùng một lần khi đề nghị khen thưởng (Công văn "
                "5007/BNV-TĐKT năm 2023).", field="kind", extra={"used_for": first.pk})
    for u in previous:
        warnings.append(
            f"Sáng kiến này đã được dùng cho «{u.reference}» (năm {u.year}). Công văn "
            "5007/BNV-TĐKT: một sáng kiến chỉ được sử dụng một lần khi làm tiêu chuẩn đề nghị "
            "khen thưởng — hãy kiểm tra trước khi gửi hồ sơ.")
    try:
        with transaction.atomic(), initiative_figures([ini.unit_id]):  # ADR 0036
            use = InitiativeUse.objects.create(
                initiative=ini, kind=kind, reference=reference, year=year, person=person,
                warning="\n".join(warnings), created_by=actor)
    except IntegrityError:
        raise ApplicationError("Sáng kiến này đã làm căn cứ cho một hình thức khen thưởng khác.",
                               field="kind") from None
    audit_record(actor=actor, action="initiative.use", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id,
                 after={"use": use.pk, "kind": kind, "reference": reference, "year": year,
                        "person": person.pk if person else None, "warnings": warnings})
    return UseResult(use, warnings)
