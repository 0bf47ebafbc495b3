"""The proposal's transition table: the only way a proposal changes step, who may take each step
(the sender's or the receiving unit's officers), what must hold first, and what each step does.

    draft ──submit──▶ submitted ──receive──▶ received ──review──▶ reviewing ──close_vote──▶ voted
      ▲                  │ return               │ return             │ return                │
      └──reopen── returned ◀────────────────────┴────────────────────┘                       │
                   └──resubmit──▶ submitted                                                   │
    voted ──decide──▶ decided (a decision of the receiving unit: services.decisions)          │
    voted ──forward──▶ forwarded (a new draft of the receiving unit to the level above)       │
    voted ──send_out──▶ sent out (decided above the union) ──record_outcome──▶ decided        │
    voted | received ──refuse──▶ refused;  sent out ──record_refusal──▶ refused ◀────────────┘

Decided, refused and forwarded are final: nothing on the proposal changes after them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.councils import services as councils
from thidua.councils.models import Role
from thidua.councils.tally import decide
from thidua.evaluation.thresholds import threshold_for
from thidua.honours import catalogue
from thidua.honours.checks import blocking, candidate_checks
from thidua.honours.models import Candidate, Deadline, Proposal, ProposalKind, ProposalStatus
from thidua.honours.permissions import may_view_proposal, step_allowed
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.text import vn_date, vn_number
from thidua.platform.workflow import CONFLICT, Transition, Workflow

S = ProposalStatus
SENDER, RECIPIENT = "sender", "recipient"
MIN_REASON = 5


def _today() -> dt.date:
    return timezone.localdate()


def deadline_for(proposal: Proposal) -> Deadline | None:
    return Deadline.objects.filter(recipient_id=proposal.recipient_id, year=proposal.year,
                                   kind=proposal.kind).first()


def _deadline_refusal(proposal: Proposal) -> str | None:
    if proposal.kind == ProposalKind.DOT_XUAT:
        return None  # extraordinary achievements are proposed when they happen
    deadline = deadline_for(proposal)
    if deadline is not None and _today() > deadline.last_day:
        return (f"Đã quá hạn nộp hồ sơ ({vn_date(deadline.last_day)}) của "
                f"{proposal.recipient.name}. Hãy liên hệ đơn vị nhận để được gia hạn.")
    return None


def _quota_refusal(proposal: Proposal) -> str | None:
    """Quotas counted on what a level sends up: QĐ 1689/QĐ-TLĐ Điều 15 — at most 4 proposals for
    the topical Bằng khen of TLĐ per federation (LĐLĐ tỉnh, CĐ ngành TW) a year."""
    for q in catalogue.quota(proposal.form):
        if q.value is None or q.scope != "moi_ldld_cd_nganh":
            continue
        if proposal.unit.type not in ("ldld_tinh", "cd_nganh_tw"):
            continue
        sent = Candidate.objects.filter(
            proposal__unit_id=proposal.unit_id, proposal__form=proposal.form,
            proposal__year=proposal.year).exclude(
            proposal__status__in=(S.DRAFT, S.RETURNED, S.REFUSED)).count()
        mine = proposal.candidates.count()
        if sent + mine > q.value:
            return (f"Vượt chỉ tiêu: {q.text} ({q.cited.source}). Đơn vị đã gửi "
                    f"{vn_number(sent)}, hồ sơ này thêm {vn_number(mine)}.")
    return None


def _submit_refusal(proposal: Proposal, actor: Actor) -> str | None:
    candidates = list(proposal.candidates.all())
    if not candidates:
        return "Hồ sơ chưa có người, tập thể nào được đề nghị."
    if proposal.kind != ProposalKind.NAM:
        missing = [c.display_name for c in candidates if not c.achievement]
        if missing:
            return ("Khen chuyên đề, đột xuất: hãy ghi tóm tắt thành tích của "
                    + ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "") + ".")
    for c in candidates:
        checks = candidate_checks(proposal=proposal, person_id=c.person_id,
                                  unit_id=c.subject_unit_id, basis_title=c.basis_title,
                                  exclude_candidate=c.pk)
        refusal = blocking(checks)
        if refusal:
            return f"{c.display_name}: {refusal}."
    return _deadline_refusal(proposal) or _quota_refusal(proposal)


def _on_submit(proposal: Proposal, actor: Actor, reason: str) -> dict[str, Any]:
    proposal.submitted_on = _today()
    return {"candidates": proposal.candidates.count()}


def _review_refusal(proposal: Proposal, actor: Actor) -> str | None:
    council = proposal.council
    if council is None:
        return "Hãy chọn Hội đồng xét khen thưởng cho hồ sơ trước khi đưa ra họp."
    roles = set(council.members.values_list("role", flat=True))
    if Role.CHU_TICH not in roles or Role.THU_KY not in roles:
        return "Hội đồng cần có Chủ tịch và Thư ký trước khi họp."
    return None


def _on_review(proposal: Proposal, actor: Actor, reason: str) -> dict[str, Any]:
    """Every candidate becomes a subject of the council's vote."""
    assert proposal.council is not None
    waiting = list(proposal.candidates.filter(subject__isnull=True).order_by("order", "pk"))
    subjects = councils.subjects_create(council=proposal.council,
                                        labels=[c.display_name for c in waiting])
    for c, s in zip(waiting, subjects, strict=True):
        c.subject = s
    Candidate.objects.bulk_update(waiting, ["subject"], batch_size=500)
    return {"council": proposal.council.pk, "subjects": len(waiting)}


def _vote_refusal(proposal: Proposal, actor: Actor) -> str | None:
    council = proposal.council
    if council is None:
        return "Hồ sơ chưa có Hội đồng."
    if council.ballot == "open":
        size = council.members.count()
        short = [c.display_name for c in proposal.candidates.select_related("subject")
                 .prefetch_related("subject__votes") if c.subject is not None
                 and c.subject.votes.count() < size]
        if short:
            return ("Chưa đủ phiếu của mọi thành viên cho: " + ", ".join(short[:5])
                    + (" …" if len(short) > 5 else "") + " (thành viên vắng: ghi «Vắng»).")
    else:
        short = [c.display_name for c in proposal.candidates.select_related("subject")
                 if c.subject is not None and c.subject.count_for + c.subject.count_against
                 + c.subject.count_absent == 0]
        if short:
            return "Chưa ghi kết quả kiểm phiếu cho: " + ", ".join(short[:5]) + "."
    return None


def _on_close_vote(proposal: Proposal, actor: Actor, reason: str) -> dict[str, Any]:
    """Each candidate's tally against the share the rule set in force that year asks of an
    honours council (`evaluation.thresholds`; the issuer's own setting where the rule set leaves
    it to each body)."""
    council = proposal.council
    assert council is not None
    size = council.members.count()
    threshold = threshold_for(proposal.form, proposal.year, proposal.recipient)
    passed = 0
    rows = list(proposal.candidates.select_related("subject").prefetch_related("subject__votes"))
    for c in rows:
        if c.subject is None:
            c.passed = False
            continue
        result = decide(councils.subject_tally(c.subject, members=size, ballot=council.ballot),
                        threshold)
        c.passed = result.passed
        c.votes = {**result.tally.as_counts(), "members": size,
                   "threshold": threshold.as_dict(), "text": result.explanation}
        passed += int(result.passed)
    Candidate.objects.bulk_update(rows, ["passed", "votes"], batch_size=500)
    return {"passed": passed, "of": len(rows), "threshold": threshold.as_dict()}


def issues_form(unit: Unit, form_code: str, day: dt.date) -> bool:
    f = catalogue.form(form_code)
    return f.decider == "cong_doan" and unit.type in f.issuer_types and f.in_force(day)


def _decide_refusal(proposal: Proposal, actor: Actor) -> str | None:
    f = catalogue.form(proposal.form)
    if not issues_form(proposal.recipient, proposal.form, _today()):
        return (f"{proposal.recipient.name} không có thẩm quyền quyết định «{f.name}» "
                f"({f.decider_label}). Hãy trình cấp trên.")
    if not proposal.candidates.filter(passed=True).exists():
        return "Không có ai được Hội đồng thông qua: hãy ghi «Không khen thưởng» kèm lý do."
    return None


def _forward_refusal(proposal: Proposal, actor: Actor) -> str | None:
    f = catalogue.form(proposal.form)
    if issues_form(proposal.recipient, proposal.form, _today()):
        return f"{proposal.recipient.name} quyết định «{f.name}»: hãy ban hành quyết định."
    if f.decider != "cong_doan":
        return f"«{f.name}» do cấp ngoài Công đoàn quyết định: hãy trình ra ngoài hệ thống."
    if not proposal.candidates.filter(passed=True).exists():
        return "Không có ai được Hội đồng thông qua để trình cấp trên."
    return None


def _send_out_refusal(proposal: Proposal, actor: Actor) -> str | None:
    f = catalogue.form(proposal.form)
    if f.decider == "cong_doan":
        return f"«{f.name}» do Công đoàn quyết định, không trình ra ngoài hệ thống."
    if not proposal.candidates.filter(passed=True).exists():
        return "Không có ai được Hội đồng thông qua để trình."
    return None


def _all(*guards: Callable[[Proposal, Any], str | None]) -> Callable[[Proposal, Any], str | None]:
    def guard(proposal: Proposal, actor: Actor) -> str | None:
        return next((r for r in (g(proposal, actor) for g in guards) if r), None)
    return guard


def _deny(actor: Actor, proposal: Proposal, transition: Transition[Proposal]) -> None:
    """Someone who may not even see the proposal gets the same answer as for a missing one."""
    if not may_view_proposal(actor, proposal):
        raise NotFoundError("Không tìm thấy hồ sơ.")
    raise PermissionDeniedError("Bạn không có quyền thực hiện bước này của hồ sơ.")


def _t(source: str, target: str, action: str, label: str, role: str, **kw: Any
       ) -> Transition[Proposal]:
    return Transition(source, target, action, label, role=role, **kw)


_RETURN = {"reason_required": True, "reason_hint": "lý do trả lại (điều cần bổ sung, sửa)"}
_REFUSE = {"reason_required": True, "reason_hint": "lý do không khen thưởng"}

WORKFLOW: Workflow[Proposal] = Workflow(
    name="proposal", model=Proposal, labels=dict(ProposalStatus.choices), object_type="proposal",
    transitions=[
        _t(S.DRAFT, S.SUBMITTED, "submit", "Gửi hồ sơ", SENDER, guard=_submit_refusal,
           effect=_on_submit, saves=("submitted_on",)),
        _t(S.SUBMITTED, S.RECEIVED, "receive", "Tiếp nhận hồ sơ", RECIPIENT),
        _t(S.SUBMITTED, S.RETURNED, "return", "Trả lại hồ sơ", RECIPIENT, **_RETURN),
        _t(S.RECEIVED, S.RETURNED, "return", "Trả lại hồ sơ", RECIPIENT, **_RETURN),
        _t(S.RECEIVED, S.REVIEWING, "review", "Đưa ra Hội đồng xét", RECIPIENT,
           guard=_review_refusal, effect=_on_review),
        _t(S.RECEIVED, S.REFUSED, "refuse", "Không khen thưởng", RECIPIENT, **_REFUSE),
        _t(S.REVIEWING, S.RETURNED, "return", "Trả lại hồ sơ", RECIPIENT, **_RETURN),
        _t(S.REVIEWING, S.VOTED, "close_vote", "Kết thúc biểu quyết", RECIPIENT,
           guard=_vote_refusal, effect=_on_close_vote),
        _t(S.RETURNED, S.DRAFT, "reopen", "Sửa lại hồ sơ", SENDER),
        _t(S.RETURNED, S.SUBMITTED, "resubmit", "Gửi lại hồ sơ", SENDER,
           guard=_submit_refusal, effect=_on_submit, saves=("submitted_on",)),
        _t(S.VOTED, S.DECIDED, "decide", "Ban hành quyết định", RECIPIENT,
           guard=_decide_refusal),
        _t(S.VOTED, S.FORWARDED, "forward", "Trình cấp trên", RECIPIENT,
           guard=_forward_refusal),
        _t(S.VOTED, S.SENT_OUT, "send_out", "Trình cấp ngoài Công đoàn", RECIPIENT,
           guard=_send_out_refusal),
        _t(S.VOTED, S.REFUSED, "refuse", "Không khen thưởng", RECIPIENT, **_REFUSE),
        _t(S.SENT_OUT, S.DECIDED, "record_outcome", "Ghi kết quả cấp trên", RECIPIENT),
        _t(S.SENT_OUT, S.REFUSED, "record_refusal", "Cấp trên không khen", RECIPIENT,
           **_REFUSE),
    ],
    can=step_allowed, deny=_deny, audit=audit_record, audit_action="proposal.transition",
    unit_id=lambda p: p.unit_id, min_reason=MIN_REASON,
)

#: Steps a page offers as plain buttons (the others need their own form: a decision, a
#: forward, an outcome).
SIMPLE_STEPS = ("submit", "receive", "return", "review", "close_vote", "reopen", "resubmit",
                "send_out", "refuse", "record_refusal")


def proposal_step(*, actor: Actor, proposal: Proposal, action: str, reason: str = "",
                  seen_status: str | None = None) -> Proposal:
    """Take one of the simple steps. `seen_status`: the step the actor's page showed; when the
    proposal has moved since, the workflow's conflict message answers."""
    if action not in SIMPLE_STEPS:
        raise ApplicationError("Bước này cần biểu mẫu riêng.", field="action")
    fresh = Proposal.objects.select_related("unit", "recipient", "council").get(pk=proposal.pk)
    if seen_status and seen_status != fresh.status:
        raise ApplicationError(CONFLICT, field="status")
    if seen_status:
        fresh.status = seen_status
    WORKFLOW.apply(fresh, action, actor=actor, reason=reason)
    return fresh


def allowed_steps(proposal: Proposal, actor: Actor) -> list[Transition[Proposal]]:
    return WORKFLOW.allowed(proposal, actor)

