"""Decisions: issuing one records an award per recipient; forwarding a voted proposal opens the
receiving level's own proposal to the level above; a decision taken above the union is recorded
when it comes back; revoking and correcting decisions amend awards without deleting them.

Numbers: `Số: 123/QĐ-LĐLĐ` — one gapless sequence per issuer and year. The sequence row is taken
under a row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers) inside the
decision's own transaction, so two officers issuing at once get consecutive numbers and a failed
issue gives its number back. The golden book (số sổ vàng) is the issuer's sequence that never
restarts."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.evaluation.documents import union_symbol
from thidua.evaluation.selectors import person_home_unit
from thidua.honours import catalogue
from thidua.honours.figures import award_figures, award_figures_add
from thidua.honours.models import (
    Award,
    AwardChange,
    Candidate,
    Certificate,
    Decision,
    DecisionKind,
    NumberSequence,
    Proposal,
)
from thidua.honours.permissions import require_issuer
from thidua.honours.services.proposals import proposal_create
from thidua.honours.services.workflow import WORKFLOW
from thidua.org.models import Unit
from thidua.org.selectors import award_issuers, parent_of
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_number

GOLDEN_BOOK = "SV"
DECISION = "QĐ"
#: 20 characters of a 32-letter alphabet: 100 bits, printed in groups of 4 ("K7QM-…").
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def next_number(issuer: Unit, year: int, symbol: str) -> int:
    """The next number of the issuer's sequence; call inside the transaction that uses it."""
    NumberSequence.objects.get_or_create(issuer=issuer, year=year, symbol=symbol)
    row = NumberSequence.objects.select_for_update(of=("self",)).get(issuer=issuer, year=year, symbol=symbol)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def take_numbers(issuer: Unit, year: int, symbol: str, count: int) -> range:
    """`count` consecutive numbers of the sequence in one step (a decision's golden-book
    numbers for hundreds of recipients)."""
    NumberSequence.objects.get_or_create(issuer=issuer, year=year, symbol=symbol)
    row = NumberSequence.objects.select_for_update(of=("self",)).get(issuer=issuer, year=year, symbol=symbol)
    first = row.last + 1
    row.last += count
    row.save(update_fields=["last"])
    return range(first, first + count)


def decision_number(issuer: Unit, seq: int) -> str:
    """"123/QĐ-LĐLĐ": the union's pattern (QĐ 933/QĐ-TLĐ), the issuer's abbreviation after QĐ."""
    return f"{seq}/{DECISION}-{union_symbol(issuer)}"


@dataclass(frozen=True)
class Signed:
    """Who signs, where and when (the decision's foot and header)."""

    date: dt.date
    signer_name: str
    signer_title: str
    place: str = ""


def _signed(signed: Signed) -> Signed:
    name, title = clean_spaces(signed.signer_name)[:150], clean_spaces(signed.signer_title)[:150]
    if not name:
        raise ApplicationError("Hãy ghi họ tên người ký quyết định.", field="signer_name")
    if not title:
        raise ApplicationError("Hãy ghi chức vụ người ký (TM. Ban Thường vụ, Chủ tịch…).",
                               field="signer_title")
    if signed.date > dt.date.today():
        raise ApplicationError("Ngày ký không thể sau hôm nay.", field="date")
    return Signed(signed.date, name, title, clean_spaces(signed.place)[:100])


def _home(candidate: Candidate, year: int) -> Unit:
    if candidate.subject_unit is not None:
        return candidate.subject_unit
    home = person_home_unit(candidate.person, year) if candidate.person else None
    return home or candidate.proposal.unit


def _quota_at_decision(form_code: str, year: int, topic: str, adding: int) -> None:
    """QĐ 1689/QĐ-TLĐ Điều 15: at most 300 topical Bằng khen of TLĐ per topic a year."""
    for q in catalogue.quota(form_code):
        if q.value is None or q.scope != "toan_quoc":
            continue
        given = Award.objects.filter(form=form_code, year=year, revoked=False,
                                     candidate__proposal__topic=topic).count()
        if given + adding > q.value:
            raise ApplicationError(
                f"Vượt chỉ tiêu: {q.text} Đã tặng {vn_number(given)}, quyết định này thêm "
                f"{vn_number(adding)} ({q.cited.source}).", field="proposals")


def _awards_for(decision: Decision, candidates: list[Candidate], *, day: dt.date) -> list[Award]:
    numbers = iter(take_numbers(decision.issuer, 0, GOLDEN_BOOK, len(candidates)))
    out = []
    for c in candidates:
        recipient = "ca_nhan" if c.person_id else "tap_the"
        out.append(Award(
            decision=decision, candidate=c, issuer=decision.issuer, form=decision.form,
            person=c.person, subject_unit=c.subject_unit, home_unit=_home(c, decision.year),
            recipient_name=c.display_name, position=c.position, achievement=c.achievement,
            year=decision.year, golden_book_no=next(numbers),
            cash_amount=catalogue.cash_amount(decision.form, day, recipient=recipient)))
    return out


def _certificates(awards: list[Award]) -> None:
    Certificate.objects.bulk_create([Certificate(award=a, code=new_certificate_code())
                                     for a in awards], batch_size=500)


@transaction.atomic
def decision_issue(*, actor: Actor, issuer: Unit, proposals: Sequence[Proposal],
                   signed: Signed, title: str = "", basis: str = "") -> Decision:
    """Issue the decision on voted proposals of one form sent to `issuer`: a number from the
    issuer's sequence, one award (with its golden-book number, cash amount and certificate code)
    per candidate the council passed, and each proposal moved to «Đã có quyết định»."""
    require_issuer(actor, issuer)
    signed = _signed(signed)
    if not proposals:
        raise ApplicationError("Hãy chọn hồ sơ đã được Hội đồng biểu quyết.", field="proposals")
    locked = list(Proposal.objects.select_for_update(of=("self",)).select_related("unit", "recipient")
                  .filter(pk__in=[p.pk for p in proposals]).order_by("pk"))
    forms = {p.form for p in locked}
    years = {p.year for p in locked}
    if len(forms) != 1 or len(years) != 1:
        raise ApplicationError("Một quyết định chỉ gồm hồ sơ cùng một hình thức, cùng năm.",
                               field="proposals")
    if any(p.recipient_id != issuer.pk for p in locked):
        raise ApplicationError("Chỉ quyết định hồ sơ gửi đến đơn vị mình.", field="proposals")
    form_code, year = forms.pop(), years.pop()
    f = catalogue.form(form_code)
    if not f.in_force(signed.date):
        raise ApplicationError(f"«{f.name}» không áp dụng vào ngày ký.", field="date")
    if signed.date.year < year:
        raise ApplicationError("Ngày ký không thể trước năm khen thưởng.", field="date")
    for p in locked:
        WORKFLOW.apply(p, "decide", actor=actor)
    candidates = list(Candidate.objects.filter(proposal__in=locked, passed=True)
                      .select_related("person", "subject_unit", "proposal__unit")
                      .order_by("proposal_id", "order", "pk"))
    topics = {p.topic for p in locked}
    _quota_at_decision(form_code, year, topics.pop() if len(topics) == 1 else "",
                       len(candidates))
    seq = next_number(issuer, signed.date.year, DECISION)
    decision = Decision.objects.create(
        issuer=issuer, kind=DecisionKind.KHEN_THUONG, year=year, seq=seq,
        seq_year=signed.date.year,
        number=decision_number(issuer, seq), date=signed.date, form=form_code,
        title=clean_spaces(title)[:500] or f"Về việc tặng {f.name} năm {year}",
        signer_name=signed.signer_name, signer_title=signed.signer_title, place=signed.place,
        basis=basis.strip(), created_by=actor if getattr(actor, "pk", None) else None)
    awards = Award.objects.bulk_create(_awards_for(decision, candidates, day=signed.date),
                                       batch_size=500)
    award_figures_add([decision.pk])
    _certificates(awards)
    audit_record(actor=actor, action="decision.issue", object_type="decision",
                 object_id=decision.pk, unit_id=issuer.pk,
                 after={"number": decision.number, "form": form_code, "year": year,
                        "proposals": [p.pk for p in locked], "awards": len(awards)})
    return decision


def forward_target(unit: Unit, form_code: str, day: dt.date) -> Unit | None:
    """Where a level carries a form it does not decide: the issuer on its award line when that
    issuer decides the form, else the level above."""
    f = catalogue.form(form_code)
    for issuer in award_issuers(unit, day):
        if issuer.type in f.issuer_types and issuer.pk != unit.pk and not unit.path.startswith(
                issuer.path):
            return issuer
    return parent_of(unit)


@transaction.atomic
def proposal_forward(*, actor: Actor, proposal: Proposal, recipient: Unit | None = None,
                     title: str = "") -> Proposal:
    """Carry the candidates the council passed to the level above in the receiving unit's own
    proposal (a draft, for its tờ trình); the voted proposal becomes «Đã trình cấp trên»."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("unit", "recipient").get(
        pk=proposal.pk)
    require_issuer(actor, proposal.recipient)
    WORKFLOW.apply(proposal, "forward", actor=actor)
    target = recipient or forward_target(proposal.recipient, proposal.form, dt.date.today())
    if target is None:
        raise ApplicationError("Không có cấp trên để trình.", field="recipient")
    upper = proposal_create(actor=actor, unit=proposal.recipient, recipient=target,
                            year=proposal.year, kind=proposal.kind, form=proposal.form,
                            topic=proposal.topic, title=title, forwarded_from=proposal)
    passed = list(proposal.candidates.filter(passed=True).order_by("order", "pk"))
    Candidate.objects.bulk_create([
        Candidate(proposal=upper, person_id=c.person_id, subject_unit_id=c.subject_unit_id,
                  display_name=c.display_name, position=c.position, achievement=c.achievement,
                  basis_title=c.basis_title, checks=c.checks, initiative_id=c.initiative_id,
                  origin=c, order=n) for n, c in enumerate(passed, 1)], batch_size=500)
    return upper


@transaction.atomic
def outcome_record(*, actor: Actor, proposal: Proposal, external_issuer: str, number: str,
                   signed: Signed, passed_ids: Sequence[int], title: str = "") -> Decision:
    """A decision taken above the union (Chủ tịch nước, Thủ tướng…) on a proposal sent out:
    recorded with its own number; the candidates it names get their awards."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("unit", "recipient").get(
        pk=proposal.pk)
    require_issuer(actor, proposal.recipient)
    signed = Signed(signed.date, signed.signer_name or "—", signed.signer_title or "—",
                    signed.place)
    external_issuer, number = clean_spaces(external_issuer)[:255], clean_spaces(number)[:60]
    if not external_issuer or not number:
        raise ApplicationError("Hãy ghi cấp quyết định và số quyết định.", field="number")
    WORKFLOW.apply(proposal, "record_outcome", actor=actor)
    chosen = list(proposal.candidates.filter(pk__in=list(passed_ids), passed=True)
                  .select_related("person", "subject_unit", "proposal__unit"))
    if not chosen:
        raise ApplicationError("Hãy chọn người, tập thể có tên trong quyết định.",
                               field="passed")
    f = catalogue.form(proposal.form)
    decision = Decision.objects.create(
        issuer=proposal.recipient, external_issuer=external_issuer, year=proposal.year,
        number=number, date=signed.date, form=f.code,
        title=clean_spaces(title)[:500] or f"Về việc tặng {f.name}",
        signer_name=signed.signer_name, signer_title=signed.signer_title, place=signed.place,
        created_by=actor if getattr(actor, "pk", None) else None)
    awards = []
    for c in chosen:
        awards.append(Award(decision=decision, candidate=c, issuer=proposal.recipient,
                            form=f.code, person=c.person, subject_unit=c.subject_unit,
                            home_unit=_home(c, proposal.year), recipient_name=c.display_name,
                            position=c.position, achievement=c.achievement, year=proposal.year))
    Award.objects.bulk_create(awards)
    award_figures_add([decision.pk])
    audit_record(actor=actor, action="decision.record_external", object_type="decision",
                 object_id=decision.pk, unit_id=proposal.recipient_id,
                 after={"number": number, "issuer": external_issuer, "awards": len(awards)})
    return decision


def _amending(actor: Actor, awards: Sequence[Award], signed: Signed, reason: str
              ) -> tuple[Unit, Decision, str]:
    if not awards:
        raise ApplicationError("Hãy chọn khen thưởng cần thu hồi, đính chính.", field="awards")
    issuers = {a.issuer_id for a in awards}
    targets = {a.decision_id for a in awards}
    if len(issuers) != 1 or len(targets) != 1:
        raise ApplicationError("Chọn khen thưởng của cùng một quyết định.", field="awards")
    issuer = awards[0].issuer
    require_issuer(actor, issuer)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ApplicationError("Hãy ghi lý do (ít nhất 5 ký tự).", field="reason")
    return issuer, awards[0].decision, reason


@transaction.atomic
def decision_revoke(*, actor: Actor, awards: Sequence[Award], signed: Signed, reason: str,
                    title: str = "") -> Decision:
    """A revoking decision (hủy bỏ, thu hồi): the awards stay in the register, marked revoked,
    and their certificates answer «đã bị thu hồi» on the verification page."""
    locked = list(Award.objects.select_for_update(of=("self",)).select_related("issuer", "decision")
                  .filter(pk__in=[a.pk for a in awards]))
    signed = _signed(signed)
    issuer, target, reason = _amending(actor, locked, signed, reason)
    if any(a.revoked for a in locked):
        raise ApplicationError("Có khen thưởng đã bị thu hồi trước đó.", field="awards")
    seq = next_number(issuer, signed.date.year, DECISION)
    decision = Decision.objects.create(
        issuer=issuer, kind=DecisionKind.THU_HOI, year=target.year, seq=seq,
        seq_year=signed.date.year,
        number=decision_number(issuer, seq), date=signed.date, form=target.form,
        title=clean_spaces(title)[:500] or
        f"Về việc hủy bỏ, thu hồi khen thưởng tại Quyết định số {target.number}",
        signer_name=signed.signer_name, signer_title=signed.signer_title, place=signed.place,
        reason=reason, target=target,
        created_by=actor if getattr(actor, "pk", None) else None)
    for a in locked:
        a.revoked, a.revoked_by, a.revoked_reason = True, decision, reason
    with award_figures([target.pk]):
        Award.objects.bulk_update(locked, ["revoked", "revoked_by", "revoked_reason"])
    audit_record(actor=actor, action="decision.revoke", object_type="decision",
                 object_id=decision.pk, unit_id=issuer.pk,
                 after={"number": decision.number, "target": target.number,
                        "awards": [a.pk for a in locked], "reason": reason})
    return decision


CORRECTABLE = {"recipient_name": "tên", "position": "chức vụ, đơn vị công tác",
               "achievement": "thành tích"}


@transaction.atomic
def decision_correct(*, actor: Actor, award: Award, changes: dict[str, str], signed: Signed,
                     reason: str, title: str = "") -> Decision:
    """A correcting decision (đính chính): the award's printed text changes, the change is kept
    with the decision that made it."""
    locked = Award.objects.select_for_update(of=("self",)).select_related("issuer", "decision").get(
        pk=award.pk)
    signed = _signed(signed)
    issuer, target, reason = _amending(actor, [locked], signed, reason)
    if locked.revoked:
        raise ApplicationError("Khen thưởng đã bị thu hồi, không đính chính được.", field="award")
    clean: dict[str, str] = {}
    for field, value in changes.items():
        if field not in CORRECTABLE:
            raise ApplicationError("Chỉ đính chính được tên, chức vụ và thành tích.",
                                   field=field)
        value = clean_spaces(value) if field != "achievement" else value.strip()
        if not value:
            raise ApplicationError(f"Hãy ghi {CORRECTABLE[field]} mới.", field=field)
        if value != getattr(locked, field):
            clean[field] = value
    if not clean:
        raise ApplicationError("Nội dung đính chính giống nội dung đang có.", field="changes")
    seq = next_number(issuer, signed.date.year, DECISION)
    decision = Decision.objects.create(
        issuer=issuer, kind=DecisionKind.DINH_CHINH, year=target.year, seq=seq,
        seq_year=signed.date.year,
        number=decision_number(issuer, seq), date=signed.date, form=target.form,
        title=clean_spaces(title)[:500] or f"Về việc đính chính Quyết định số {target.number}",
        signer_name=signed.signer_name, signer_title=signed.signer_title, place=signed.place,
        reason=reason, target=target,
        created_by=actor if getattr(actor, "pk", None) else None)
    before: dict[str, Any] = {}
    for field, value in clean.items():
        before[field] = getattr(locked, field)
        AwardChange.objects.create(award=locked, decision=decision, field=field,
                                   before=before[field], after=value)
        setattr(locked, field, value)
    locked.save(update_fields=list(clean))
    audit_record(actor=actor, action="decision.correct", object_type="decision",
                 object_id=decision.pk, unit_id=issuer.pk, before=before,
                 after={"number": decision.number, **clean, "reason": reason})
    return decision


def is_gapless(issuer: Unit, year: int) -> bool:
    """Numbers 1..n each used once (a check for tests and the register page)."""
    seqs = sorted(s for s in Decision.objects.filter(issuer=issuer, seq_year=year)
                  .values_list("seq", flat=True) if s is not None)
    return seqs == list(range(1, len(seqs) + 1))

