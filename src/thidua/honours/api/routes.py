"""Proposals, decisions and the awards register, mounted at /api/honours; the public
verification of a certificate's code at /api/xac-minh.

Scoping is the pages': `restrict_*` for lists, `access_*` for one record (the same 404 for a
missing and an out-of-scope one), `access_unit`/`access_person` for what a request names; the
role checks and every refusal live in the services. A step taken on a proposal that someone
else has moved meanwhile answers 409 with the workflow's message, and nothing is written."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query
from ninja.responses import Status as HttpStatus

from thidua.honours import catalogue, services
from thidua.honours.api.schemas import (
    AwardDetail,
    AwardRow,
    CandidateIn,
    DecisionDetail,
    DecisionIn,
    DecisionRow,
    ForwardIn,
    ProposalDetail,
    ProposalIn,
    ProposalRow,
    ProposalStatusCode,
    StepIn,
    VerificationOut,
)
from thidua.honours.models import Award, Decision, Proposal, ProposalStatus
from thidua.honours.permissions import may_receive
from thidua.honours.ratelimit import over_limit
from thidua.honours.selectors import (
    RegisterFilter,
    access_award,
    access_decision,
    access_proposal,
    awards_register,
    candidates_of,
    certificate_by_code,
    proposal_is_staff_visible,
)
from thidua.honours.selectors_lists import (
    FormNames,
    ProposalFilter,
    decision_list,
    decision_recipient_count,
    decision_recipients,
    form_name,
    proposal_list,
)
from thidua.honours.services.decisions import forward_target
from thidua.honours.services.proposals import recipient_choices
from thidua.honours.services.workflow import WORKFLOW
from thidua.initiatives.selectors import access_initiative
from thidua.org.models import Unit
from thidua.org.selectors import access_unit
from thidua.people.selectors import access_person
from thidua.platform.actor import Actor
from thidua.platform.api import (
    ErrorOut,
    NotFoundOut,
    Pages,
    RowId,
    RowPage,
    UnauthorizedOut,
    ValidationOut,
    Year,
    caller,
)
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.workflow import CONFLICT

router = Router(tags=["Khen thưởng"])
public_router = Router(tags=["Xác minh giấy khen, bằng khen"])

PAGE_SIZE = 50
T = TypeVar("T")

#: What a refused call answers (the project's exception handlers), for the OpenAPI document.
READ = {401: UnauthorizedOut, 404: NotFoundOut, 422: ValidationOut}
WRITE = {**READ, 400: ErrorOut, 403: ErrorOut}
STEP = {**WRITE, 409: ErrorOut}
UNKNOWN_CODE = "Không có giấy chứng nhận nào mang mã này."


def _conflict_409(call: Callable[[], T]) -> T | HttpStatus[dict[str, Any]]:
    """The workflow's conflict (someone moved the proposal first) as 409, not 400."""
    try:
        return call()
    except ApplicationError as exc:
        if exc.message != CONFLICT:
            raise
        return HttpStatus(409, {"detail": exc.message, "field": exc.field})


def _receiver(user: Actor, proposals: list[Proposal]) -> None:
    """The sender sees its proposal but does not act for the receiving level: 403, not the 404
    the receiving unit's own check would give for a unit out of the caller's sight."""
    if not all(may_receive(user, p) for p in proposals):
        raise PermissionDeniedError("Chỉ cán bộ đơn vị nhận hồ sơ mới trình cấp trên, ban hành "
                                    "quyết định.")


def _seen(proposals: list[Proposal], seen_status: str | None) -> None:
    if seen_status and any(p.status != seen_status for p in proposals):
        raise ApplicationError(CONFLICT, field="status")


# --- proposals ----------------------------------------------------------------------------------

def _proposal_row(p: Proposal, names: FormNames | None = None) -> dict[str, Any]:
    return {
        "id": p.pk, "unit": p.unit.code, "unit_name": p.unit.name,
        "recipient": p.recipient.code, "recipient_name": p.recipient.name, "year": p.year,
        "kind": p.kind, "form": p.form, "form_name": (names or form_name)(p.form),
        "topic": p.topic,
        "title": p.title, "status": p.status, "status_label": ProposalStatus(p.status).label,
        "submitted_on": p.submitted_on,
        "candidates": p.candidate_count if hasattr(p, "candidate_count")
        else p.candidates.count(),
    }


def _proposal_detail(user: Actor, p: Proposal) -> dict[str, Any]:
    staff = proposal_is_staff_visible(user, p)
    rows = [c for c in candidates_of(p)
            if staff or (c.person is not None and c.person.user_id == user.pk)]
    return {
        **_proposal_row(p),
        "candidates": len(rows) if not staff else p.candidates.count(),
        "forwarded_from": p.forwarded_from_id, "council_id": p.council_id,
        "signer_name": p.signer_name, "signer_title": p.signer_title,
        "candidate_list": [
            {"id": c.pk, "kind": "person" if c.person_id else "unit", "person_id": c.person_id,
             "unit": c.subject_unit.code if c.subject_unit else None, "name": c.display_name,
             "position": c.position, "achievement": c.achievement,
             "basis_title": c.basis_title, "initiative_id": c.initiative_id,
             "checks": c.checks or [], "passed": c.passed, "votes": c.votes or {},
             "award_id": getattr(getattr(c, "award", None), "pk", None)}
            for c in rows],
        "steps": [{"action": t.action, "label": t.label, "to": t.target,
                   "reason_required": t.reason_required}
                  for t in WORKFLOW.allowed(p, user)],
        "history": [{"action": e.action, "from_state": e.from_state, "to_state": e.to_state,
                     "reason": e.reason,
                     "actor": (e.actor.get_full_name() or e.actor.username) if e.actor
                     else "hệ thống", "at": e.at}
                    for e in WORKFLOW.history(p)],
    }


def _fresh(user: Actor, proposal_id: int) -> dict[str, Any]:
    return _proposal_detail(user, access_proposal(user, proposal_id))


@router.get("/proposals", response={200: list[ProposalRow], **READ},
            summary="Danh sách hồ sơ đề nghị khen thưởng",
            description="Hồ sơ đơn vị trong phạm vi của bạn gửi đi hoặc nhận, và hồ sơ có tên "
            "bạn. `unit`: đơn vị gửi hoặc nhận thuộc cây của đơn vị này. `inbox=true`: chỉ hồ sơ "
            "đang chờ bạn xử lý ở đơn vị nhận. 50 hồ sơ mỗi trang.")
@paginate(Pages, page_size=PAGE_SIZE)
def proposals(
    request: HttpRequest,
    year: Year | None = Query(None, description="Năm khen thưởng"),  # noqa: B008
    status: ProposalStatusCode | None = Query(None, description="Trạng thái"),  # noqa: B008
    unit: str | None = Query(None, description="Mã đơn vị"),  # noqa: B008
    inbox: bool = Query(False, description="Chỉ hồ sơ chờ tôi xử lý"),  # noqa: B008
) -> RowPage:
    user: Actor = caller(request)
    path = access_unit(user, unit).path if unit else ""
    names = FormNames()
    qs = proposal_list(user, ProposalFilter(year=year, status=status or "", unit_path=path,
                                            inbox=inbox))
    return RowPage(qs, lambda items: [_proposal_row(p, names) for p in items])


@router.get("/proposals/{int:proposal_id}", response={200: ProposalDetail, **READ},
            summary="Một hồ sơ: người, tập thể được đề nghị, kết quả kiểm tra và biểu quyết, "
            "các bước bạn được làm, lịch sử",
            description="Người có tên trong hồ sơ (không phải cán bộ của đơn vị gửi, nhận) chỉ "
            "thấy dòng của chính mình.")
def proposal(request: HttpRequest, proposal_id: RowId) -> dict[str, Any]:
    return _fresh(caller(request), proposal_id)


def _recipient(unit: Unit, code: str, extra: Unit | None = None) -> Unit:
    choices = recipient_choices(unit, timezone.localdate())
    if extra is not None:
        choices.append(extra)
    found = next((u for u in choices if u.code == code.strip().upper()), None)
    if found is None:
        raise ApplicationError(f"{unit.name} không gửi hồ sơ khen thưởng đến đơn vị mã "
                               f"«{code}».", field="recipient")
    return found


@router.post("/proposals", response={201: ProposalDetail, **WRITE},
             summary="Lập hồ sơ đề nghị (dự thảo)",
             description="Cán bộ đơn vị đề nghị. Đơn vị nhận: cấp trên trực tiếp, đơn vị khen "
             "thưởng trên tuyến của đơn vị, hoặc chính đơn vị với hình thức mình quyết định.")
def proposal_new(request: HttpRequest, payload: ProposalIn) -> HttpStatus[dict[str, Any]]:
    user: Actor = caller(request)
    unit = access_unit(user, payload.unit)
    p = services.proposal_create(
        actor=user, unit=unit, recipient=_recipient(unit, payload.recipient), year=payload.year,
        kind=payload.kind, form=payload.form, topic=payload.topic, title=payload.title,
        signer_name=payload.signer_name, signer_title=payload.signer_title)
    return HttpStatus(201, _fresh(user, p.pk))


@router.post("/proposals/{int:proposal_id}/candidates", response={201: ProposalDetail, **WRITE},
             summary="Thêm một người hoặc một tập thể vào hồ sơ dự thảo",
             description="Kèm kết quả kiểm tra lúc thêm (danh hiệu làm căn cứ, đăng ký thi đua, "
             "một thành tích chỉ khen một lần).")
def candidate_new(request: HttpRequest, proposal_id: RowId, payload: CandidateIn
                  ) -> HttpStatus[dict[str, Any]]:
    user: Actor = caller(request)
    p = access_proposal(user, proposal_id)
    if (payload.person_id is None) == (payload.subject_unit is None):
        raise ApplicationError("Hãy chọn một người (person_id) hoặc một tập thể (subject_unit).",
                               field="person_id")
    services.candidate_add(
        actor=user, proposal=p,
        person=access_person(user, payload.person_id) if payload.person_id else None,
        subject_unit=access_unit(user, payload.subject_unit) if payload.subject_unit else None,
        achievement=payload.achievement, basis_title=payload.basis_title,
        position=payload.position,
        initiative=access_initiative(user, payload.initiative_id) if payload.initiative_id
        else None)
    return HttpStatus(201, _fresh(user, p.pk))


@router.post("/proposals/{int:proposal_id}/steps", response={200: ProposalDetail, **STEP},
             summary="Chuyển bước hồ sơ: gửi, tiếp nhận, trả lại, đưa ra Hội đồng, kết thúc "
             "biểu quyết, sửa lại, gửi lại, trình ra ngoài Công đoàn, không khen thưởng",
             description="Gửi `seen_status` (bước bạn đã thấy): nếu người khác đã chuyển hồ sơ "
             "sang bước khác, trả về 409 và không ghi gì. Bước không hợp lệ, thiếu lý do hay "
             "điều kiện chưa đủ: 400 kèm lý do. Quyết định và trình cấp trên có đường riêng.")
def proposal_move(request: HttpRequest, proposal_id: RowId, payload: StepIn
                  ) -> dict[str, Any] | HttpStatus[dict[str, Any]]:
    user: Actor = caller(request)
    p = access_proposal(user, proposal_id)
    moved = _conflict_409(lambda: services.proposal_step(
        actor=user, proposal=p, action=payload.action, reason=payload.reason,
        seen_status=payload.seen_status))
    if isinstance(moved, HttpStatus):
        return moved
    return _fresh(user, p.pk)


@router.post("/proposals/{int:proposal_id}/forward", response={201: ProposalDetail, **STEP},
             summary="Trình cấp trên: hồ sơ mới của đơn vị nhận, gồm những người, tập thể được "
             "Hội đồng thông qua",
             description="Trả về hồ sơ mới (dự thảo) để bổ sung tờ trình rồi gửi đi.")
def proposal_forward(request: HttpRequest, proposal_id: RowId, payload: ForwardIn
                     ) -> HttpStatus[dict[str, Any]]:
    user: Actor = caller(request)
    p = access_proposal(user, proposal_id)

    _receiver(user, [p])

    def forward() -> Proposal:
        _seen([p], payload.seen_status)
        target = None
        if payload.recipient:
            default = forward_target(p.recipient, p.form, timezone.localdate())
            target = _recipient(p.recipient, payload.recipient, default)
        return services.proposal_forward(actor=user, proposal=p, recipient=target,
                                         title=payload.title)

    upper = _conflict_409(forward)
    if isinstance(upper, HttpStatus):
        return upper
    return HttpStatus(201, _fresh(user, upper.pk))


# --- decisions ----------------------------------------------------------------------------------

def _decision_row(d: Decision, names: FormNames | None = None) -> dict[str, Any]:
    return {
        "id": d.pk, "number": d.number, "date": d.date, "issuer": d.issuer.code,
        "issuer_name": d.issuer.name, "external_issuer": d.external_issuer, "kind": d.kind,
        "form": d.form, "form_name": (names or form_name)(d.form) if d.form else "",
        "year": d.year,
        "title": d.title,
        "recipients": d.recipient_count if hasattr(d, "recipient_count")
        else decision_recipient_count(d),
    }


def _decision_detail(user: Actor, d: Decision) -> dict[str, Any]:
    return {
        **_decision_row(d),
        "signer_name": d.signer_name, "signer_title": d.signer_title, "place": d.place,
        "basis": d.basis, "reason": d.reason,
        "target": d.target.number if d.target_id and d.target else None,
        "recipient_list": [
            {"award_id": a.pk, "kind": "person" if a.person_id else "unit",
             "name": a.recipient_name, "unit": a.home_unit.code, "position": a.position,
             "golden_book_no": a.golden_book_no, "cash_amount": a.cash_amount,
             "revoked": a.revoked, "revoked_by": a.revoked_by.number if a.revoked_by else None}
            for a in decision_recipients(user, d)],
    }


@router.get("/decisions", response={200: list[DecisionRow], **READ},
            summary="Danh sách quyết định khen thưởng, thu hồi, đính chính",
            description="Quyết định do đơn vị trong phạm vi của bạn ban hành, hoặc có tên người, "
            "tập thể thuộc phạm vi đó. 50 quyết định mỗi trang.")
@paginate(Pages, page_size=PAGE_SIZE)
def decisions(
    request: HttpRequest,
    year: Year | None = Query(None, description="Năm khen thưởng"),  # noqa: B008
    issuer: str | None = Query(None, description="Mã đơn vị ban hành"),  # noqa: B008
) -> RowPage:
    qs, names = decision_list(caller(request), year=year, issuer=issuer or ""), FormNames()
    return RowPage(qs, lambda items: [_decision_row(d, names) for d in items])


@router.get("/decisions/{int:decision_id}", response={200: DecisionDetail, **READ},
            summary="Một quyết định và danh sách người, tập thể được khen",
            description="Danh sách gồm những người, tập thể trong phạm vi bạn được xem (cán bộ "
            "đơn vị ban hành thấy đủ); `recipients` là tổng số.")
def decision(request: HttpRequest, decision_id: RowId) -> dict[str, Any]:
    user: Actor = caller(request)
    return _decision_detail(user, access_decision(user, decision_id))


@router.post("/decisions", response={201: DecisionDetail, **STEP},
             summary="Ban hành quyết định khen thưởng trên các hồ sơ đã biểu quyết",
             description="Cán bộ đơn vị nhận hồ sơ, khi đơn vị có thẩm quyền với hình thức này. "
             "Số quyết định lấy liền mạch theo đơn vị và năm ký; mỗi người, tập thể được Hội "
             "đồng thông qua có một khen thưởng, số sổ vàng, tiền thưởng và mã xác minh.")
def decision_new(request: HttpRequest, payload: DecisionIn) -> HttpStatus[dict[str, Any]]:
    user: Actor = caller(request)
    if not payload.proposals:
        raise ApplicationError("Hãy chọn hồ sơ đã được Hội đồng biểu quyết.", field="proposals")
    chosen = [access_proposal(user, pk) for pk in dict.fromkeys(payload.proposals)]
    _receiver(user, chosen)

    def issue() -> Decision:
        _seen(chosen, payload.seen_status)
        return services.decision_issue(
            actor=user, issuer=chosen[0].recipient, proposals=chosen,
            signed=services.Signed(payload.date, payload.signer_name, payload.signer_title,
                                   payload.place),
            title=payload.title, basis=payload.basis)

    d = _conflict_409(issue)
    if isinstance(d, HttpStatus):
        return d
    return HttpStatus(201, _decision_detail(user, access_decision(user, d.pk)))


# --- the awards register ------------------------------------------------------------------------

def _award_row(a: Award, names: FormNames | None = None) -> dict[str, Any]:
    return {
        "id": a.pk, "issuer": a.issuer.code, "issuer_name": a.issuer.name, "form": a.form,
        "form_name": (names or form_name)(a.form),
        "recipient_kind": "person" if a.person_id else "unit",
        "recipient": a.recipient_name,
        "recipient_code": a.subject_unit.code if a.subject_unit else None,
        "home_unit": a.home_unit.code, "decision": a.decision.number,
        "decision_id": a.decision_id, "decision_date": a.decision.date, "year": a.year,
        "golden_book_no": a.golden_book_no, "cash_amount": a.cash_amount, "revoked": a.revoked,
    }


@router.get("/awards", response={200: list[AwardRow], **READ},
            summary="Sổ khen thưởng (lọc theo đơn vị ban hành, hình thức, cấp, năm, đơn vị, cá "
            "nhân hay tập thể, đã thu hồi)",
            description="Khen thưởng của người, tập thể thuộc phạm vi của bạn và khen thưởng do "
            "đơn vị trong phạm vi đó ban hành; đoàn viên thấy khen thưởng của mình. Khen thưởng "
            "đã thu hồi vẫn ở trong sổ, có đánh dấu. 50 dòng mỗi trang.")
@paginate(Pages, page_size=PAGE_SIZE)
def awards(
    request: HttpRequest,
    issuer: str = Query("", description="Mã đơn vị ban hành"),  # noqa: B008
    form: str = Query("", description="Mã hình thức khen thưởng"),  # noqa: B008
    level: str = Query("", description="Loại đơn vị ban hành, ví dụ ldld_tinh"),  # noqa: B008
    year: Year | None = Query(None, description="Năm"),  # noqa: B008
    under: str = Query("", description="Mã đơn vị: người, tập thể thuộc cây của đơn vị "
                       "này"),  # noqa: B008
    recipient_kind: str = Query("", description="person: cá nhân; unit: tập thể",  # noqa: B008
                                pattern="^(|person|unit)$"),
    revoked: bool | None = Query(None, description="Đã thu hồi"),  # noqa: B008
) -> RowPage:
    user: Actor = caller(request)
    # a subtree named must be one the caller sees (404 otherwise); an issuer may lie above it
    unit = access_unit(user, under.strip()).code if under.strip() else ""
    f = RegisterFilter(issuer=issuer.strip().upper(), form=form.strip(), level=level.strip(),
                       year=year, under=unit, recipient_kind=recipient_kind, revoked=revoked)
    names = FormNames()
    return RowPage(awards_register(user, f), lambda items: [_award_row(a, names) for a in items])


@router.get("/awards/{int:award_id}", response={200: AwardDetail, **READ},
            summary="Một khen thưởng")
def award(request: HttpRequest, award_id: RowId) -> dict[str, Any]:
    a = access_award(caller(request), award_id)
    return {**_award_row(a), "position": a.position, "achievement": a.achievement,
            "person_id": a.person_id,
            "revoked_by": a.revoked_by.number if a.revoked_by_id and a.revoked_by else None,
            "revoked_reason": a.revoked_reason}


# --- public verification ------------------------------------------------------------------------

@public_router.get("/{code}", auth=None,
                   response={200: VerificationOut, 404: NotFoundOut, 429: ErrorOut},
                   summary="Xác minh giấy khen, bằng khen theo mã in trên giấy (công khai)",
                   description="Không cần đăng nhập, chỉ đọc. Trả lời đúng những gì trang xác "
                   "minh công khai hiển thị: còn hiệu lực hay đã thu hồi, hình thức, đơn vị "
                   "khen thưởng, tên người (tập thể) được khen, số và ngày quyết định, số sổ "
                   "vàng. Mã sai dạng hay không có: cùng một câu trả lời 404. Chung giới hạn "
                   "số lần tra cứu với trang công khai: quá giới hạn trả lời 429.")
def verify(request: HttpRequest, code: str) -> Any:
    if over_limit(request):
        return HttpStatus(429, {"detail": "Tra cứu quá nhiều lần; hãy thử lại sau ít phút.",
                                "field": ""})
    cert = certificate_by_code(code[:64])
    if cert is None:
        raise NotFoundError(UNKNOWN_CODE)
    a = cert.award
    revoking = a.revoked_by if a.revoked else None
    return {
        "status": "revoked" if a.revoked else "valid",
        "status_label": "Đã bị thu hồi" if a.revoked else "Còn hiệu lực",
        "form_name": catalogue.printed_name(a.form, "" if a.decision.external_issuer
                                            else a.issuer.name, a.decision.date),
        "issuer_name": a.decision.external_issuer or a.issuer.name,
        "recipient_name": a.recipient_name,
        "decision_number": a.decision.number, "decision_date": a.decision.date,
        "golden_book_no": a.golden_book_no,
        "revoked_by_number": revoking.number if revoking else None,
        "revoked_on": revoking.date if revoking else None,
    }
