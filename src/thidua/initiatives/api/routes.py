"""Initiatives, the novelty check, council votes and counts, mounted at /api/initiatives.

Scoping is the UI's: `initiatives_for`/`councils_for` for lists and details (404 for missing
and out-of-scope alike), `access_unit`/`access_person` for the units and people named in a
request; the role checks and every refusal live in the services."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query
from ninja.responses import Status as HttpStatus

from thidua.councils.models import Level, Role
from thidua.initiatives import novelty, services
from thidua.initiatives.api.schemas import (
    CouncilOut,
    CountsOut,
    InitiativeDetail,
    InitiativeIn,
    InitiativeRow,
    LevelCode,
    SimilarIn,
    SimilarOut,
    StatusCode,
    TransitionIn,
    UseIn,
    UseResultOut,
    VotesIn,
    VotesOut,
)
from thidua.initiatives.models import Initiative, InitiativeUse, Review, Status
from thidua.initiatives.permissions import can_see_confidential
from thidua.initiatives.selectors import (
    ListFilter,
    access_council,
    access_initiative,
    access_review,
    attachments,
    authors,
    council_criteria,
    council_members,
    initiative_counts,
    initiative_list,
    latest_review,
    recognitions,
    reviews_in_order,
    uses,
    votes_cast,
)
from thidua.initiatives.services import AuthorInput, ParticipantInput
from thidua.org.selectors import access_unit
from thidua.people.selectors import access_person
from thidua.platform.actor import Actor
from thidua.platform.api import Pages, RowId, RowPage, Year, caller
from thidua.platform.errors import ApplicationError
from thidua.platform.years import is_valid_year

router = Router(tags=["Sáng kiến"])

PAGE_SIZE = 50


def _row(ini: Initiative) -> dict[str, Any]:
    return {
        "id": ini.pk, "unit": ini.unit.code, "unit_name": ini.unit.name, "year": ini.year,
        "title": ini.title, "kind": ini.kind, "status": ini.status,
        "status_label": Status(ini.status).label,
        "authors": [a.full_name for a in ini.authors.all()],
        "levels": [r.level for r in ini.recognitions.all()],
    }


def _detail(user: Actor, ini: Initiative) -> dict[str, Any]:
    review = latest_review(ini)
    return {
        **_row(ini),
        "addressee": ini.addressee, "investor": ini.investor, "field": ini.field,
        "first_applied_on": ini.first_applied_on, "description": ini.description,
        "confidential": ini.confidential if can_see_confidential(user, ini) else None,
        "conditions": ini.conditions, "benefit_author": ini.benefit_author,
        "benefit_others": ini.benefit_others,
        "benefit_expected_vnd": _int(ini.benefit_expected_vnd),
        "benefit_measured_vnd": _int(ini.benefit_measured_vnd),
        "submitted_at": ini.submitted_at, "version": ini.version,
        "author_details": [
            {"person_id": a.person_id, "full_name": a.full_name, "birth_date": a.birth_date,
             "workplace": a.workplace, "job_title": a.job_title,
             "qualification": a.qualification, "contribution": a.contribution}
            for a in authors(ini)],
        "recognitions": [
            {"id": r.pk, "level": r.level, "level_label": Level(r.level).label, "year": r.year,
             "decided_on": r.decided_on, "decision_no": r.decision_no, "issuer": r.issuer,
             "certificate_no": r.certificate_no}
            for r in recognitions(ini)],
        "uses": [_use(u) for u in uses(ini)],
        "review_id": review.pk if review else None,
        "attachments": [a.original_name for a in attachments(ini)],
    }


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _use(u: InitiativeUse) -> dict[str, Any]:
    return {"id": u.pk, "kind": u.kind, "reference": u.reference, "year": u.year,
            "person_id": u.person_id, "warning": u.warning}


@router.get("", response=list[InitiativeRow],
            summary="Danh sách sáng kiến (lọc theo năm, cấp công nhận, trạng thái, đơn vị)",
            description="Những sáng kiến trong phạm vi bạn được xem, và sáng kiến của chính bạn. "
            "`unit`: cả cây trực thuộc đơn vị. `q`: tên sáng kiến (không phân biệt dấu) hoặc "
            "tên tác giả. 50 sáng kiến mỗi trang.")
@paginate(Pages, page_size=PAGE_SIZE)
def initiatives(
    request: HttpRequest,
    year: Year | None = Query(None, description="Năm"),  # noqa: B008
    level: LevelCode | None = Query(None, description="Cấp công nhận"),  # noqa: B008
    status: StatusCode | None = Query(None, description="Trạng thái đơn"),  # noqa: B008
    unit: str | None = Query(None, description="Mã đơn vị"),  # noqa: B008
    q: str = Query("", description="Từ khoá"),  # noqa: B008
) -> RowPage:
    user: Actor = caller(request)
    path = access_unit(user, unit).path if unit else ""
    return RowPage(initiative_list(user, ListFilter(year=year, level=level or "",
                                                    status=status or "", unit_path=path,
                                                    query=q[:100])),
                   lambda items: [_row(i) for i in items])


@router.get("/{int:initiative_id}", response=InitiativeDetail, summary="Một sáng kiến")
def initiative(request: HttpRequest, initiative_id: RowId) -> dict[str, Any]:
    user: Actor = caller(request)
    return _detail(user, access_initiative(user, initiative_id))


@router.post("", response={201: InitiativeDetail},
             summary="Lập đơn yêu cầu công nhận sáng kiến (và nộp ngay nếu submit=true)",
             description="Tổng tỷ lệ đóng góp của các tác giả phải đúng 100. Đoàn viên nộp cho "
             "sáng kiến của chính mình; cán bộ nộp thay cho đoàn viên trong phạm vi của mình.")
def initiative_new(request: HttpRequest, payload: InitiativeIn) -> HttpStatus[dict[str, Any]]:
    user: Actor = caller(request)
    unit = access_unit(user, payload.unit)
    data = payload.model_dump(exclude={"unit", "year", "authors", "participants", "submit"})
    with transaction.atomic():  # a refused submission leaves no draft behind
        ini = services.initiative_create(
            actor=user, unit=unit, year=payload.year,
            authors=[AuthorInput(**a.model_dump()) for a in payload.authors],
            participants=[ParticipantInput(**p.model_dump()) for p in payload.participants],
            **data)
        if payload.submit:
            services.initiative_transition(actor=user, initiative=ini, to=Status.SUBMITTED)
    return HttpStatus(201, _detail(user, access_initiative(user, ini.pk)))


@router.post("/{int:initiative_id}/transitions", response=InitiativeDetail,
             summary="Chuyển bước: nộp, trả lại để bổ sung, không công nhận",
             description="Chuyển sang `under_review` bằng cách giao Hội đồng (trên giao diện); "
             "`recognized` bằng quyết định công nhận.")
def initiative_move(request: HttpRequest, initiative_id: RowId, payload: TransitionIn
                    ) -> dict[str, Any]:
    user: Actor = caller(request)
    ini = access_initiative(user, initiative_id)
    if payload.to in (Status.UNDER_REVIEW, Status.RECOGNIZED):
        raise ApplicationError("Bước này thực hiện qua Hội đồng sáng kiến và quyết định công "
                               "nhận.", field="to")
    services.initiative_transition(actor=user, initiative=ini, to=payload.to,
                                   reason=payload.reason)
    return _detail(user, access_initiative(user, ini.pk))


@router.post("/similar", response=SimilarOut,
             summary="Sáng kiến tương tự đã có (kiểm tra tính mới, chỉ để tham khảo)",
             description="Các sáng kiến đã nộp ở mọi đơn vị, mọi năm, gần giống nhất với tên và "
             "mô tả gửi lên: chi tiết những sáng kiến bạn được xem, và số lượng những sáng kiến "
             "còn lại. Không bao giờ từ chối đơn.")
def similar(request: HttpRequest, payload: SimilarIn) -> dict[str, Any]:
    user: Actor = caller(request)
    result = novelty.similar_initiatives(
        user=user, title=payload.title, text=payload.text,
        exclude_ids=[payload.exclude_id] if payload.exclude_id else [])
    return {
        "matches": [{"id": m.id, "title": m.title, "unit_name": m.unit_name, "year": m.year,
                     "status": m.status, "percent": m.percent, "levels": m.levels,
                     "title_spans": m.title_spans, "text_spans": m.text_spans}
                    for m in result.visible],
        "hidden_count": result.hidden_count, "searched": result.searched,
        "available": result.available,
    }


@router.post("/{int:initiative_id}/uses", response={201: UseResultOut},
             summary="Dùng sáng kiến làm căn cứ đề nghị khen thưởng",
             description="Một sáng kiến chỉ làm căn cứ cho một hình thức khen thưởng (lần thứ "
             "hai bị từ chối); dùng lại cho danh hiệu thi đua được ghi kèm cảnh báo.")
def initiative_use(request: HttpRequest, initiative_id: RowId, payload: UseIn) -> HttpStatus[dict[str, Any]]:
    user: Actor = caller(request)
    ini = access_initiative(user, initiative_id)
    person = access_person(user, payload.person_id) if payload.person_id else None
    result = services.initiative_use_record(actor=user, initiative=ini, kind=payload.kind,
                                            reference=payload.reference, year=payload.year,
                                            person=person)
    return HttpStatus(201, {"use": _use(result.use), "warnings": result.warnings})


@router.get("/councils/{int:council_id}", response=CouncilOut,
            summary="Một Hội đồng sáng kiến: thành viên, phiếu chấm, các sáng kiến đang xét")
def council(request: HttpRequest, council_id: RowId) -> dict[str, Any]:
    c = access_council(caller(request), council_id)
    return {
        "id": c.pk, "unit": c.unit.code, "year": c.year, "name": c.name, "level": c.level,
        "decision_no": c.decision_no, "threshold": f"{c.threshold_num}/{c.threshold_den}",
        "threshold_source": c.threshold_source,
        "members": [{"id": m.pk, "person_id": m.person_id, "full_name": m.full_name,
                     "position": m.position, "role": m.role,
                     "role_label": Role(m.role).label}
                    for m in council_members(c)],
        "criteria": [(x.name, x.max_points) for x in council_criteria(c)],
        "reviews": [{"id": r.pk, "initiative_id": r.initiative_id,
                     "initiative_title": r.initiative.title, "open": r.is_open,
                     "outcome": r.outcome}
                    for r in reviews_in_order(c)],
    }


def _votes(review: Review) -> dict[str, Any]:
    decision = services.tally(review)
    t = decision.tally
    votes = votes_cast(review)
    return {
        "review_id": review.pk, "open": review.is_open, "outcome": review.outcome,
        "members": t.members, "votes_for": t.votes_for, "votes_against": t.votes_against,
        "not_voted": t.not_voted, "needed": decision.needed,
        "threshold": decision.threshold.fraction, "passed": decision.passed,
        "votes": [{"member_id": v.member_id, "member_name": v.member.full_name,
                   "choice": v.choice, "in_writing": v.in_writing} for v in votes],
    }


@router.get("/reviews/{int:review_id}/votes", response=VotesOut,
            summary="Biểu quyết của Hội đồng về một sáng kiến",
            description="Tỷ lệ tính trên tổng số thành viên Hội đồng; mặc định cần ít nhất 2/3 "
            "(Thông tư 18/2013/TT-BKHCN, Điều 8).")
def review_votes(request: HttpRequest, review_id: RowId) -> dict[str, Any]:
    return _votes(access_review(caller(request), review_id))


@router.post("/reviews/{int:review_id}/votes", response=VotesOut,
             summary="Ghi phiếu biểu quyết của thành viên Hội đồng",
             description="`choice` rỗng xoá phiếu. Sau khi Hội đồng kết thúc biểu quyết, không "
             "sửa phiếu được nữa.")
def review_votes_save(request: HttpRequest, review_id: RowId, payload: VotesIn) -> dict[str, Any]:
    user: Actor = caller(request)
    review = access_review(user, review_id)
    services.votes_record(actor=user, review=review,
                          votes={v.member_id: v.choice for v in payload.votes},
                          in_writing=[v.member_id for v in payload.votes if v.in_writing])
    return _votes(access_review(user, review_id))


@router.get("/counts", response=CountsOut,
            summary="Số sáng kiến theo cấp công nhận, năm và đơn vị trực thuộc",
            description="Cả cây trực thuộc `unit`. Mặc định năm trước và năm nay.")
def counts(
    request: HttpRequest,
    unit: str = Query(..., description="Mã đơn vị"),  # noqa: B008
    year_from: Year | None = Query(None, description="Từ năm"),  # noqa: B008
    year_to: Year | None = Query(None, description="Đến năm"),  # noqa: B008
) -> dict[str, Any]:
    user: Actor = caller(request)
    u = access_unit(user, unit)
    this_year = timezone.localdate().year
    end = year_to or this_year
    start = year_from or end - 1
    if not (is_valid_year(start) and is_valid_year(end) and start <= end) or end - start > 50:
        raise ApplicationError("Khoảng năm không hợp lệ.", field="year_from")
    f = initiative_counts(unit=u, years=range(start, end + 1))
    return {
        "unit": u.code, "unit_name": u.name, "years": f.years, "applications": f.applications,
        "by_status": f.by_status, "recognized": f.recognized, "by_level": f.by_level,
        "by_year": f.by_year, "city_and_district": f.at_levels([Level.HUYEN, Level.TINH]),
        "used_for_commendation": f.used_for_commendation, "used_for_title": f.used_for_title,
        "children": [{"unit": c.unit.code, "unit_name": c.unit.name,
                      "applications": c.applications, "recognized": c.recognized,
                      "by_level": c.by_level} for c in f.children],
    }



