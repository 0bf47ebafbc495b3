"""Evaluation: ratings of a unit's people for a year (list, bulk set), a person's evaluation
(facts and the rules engine's answer with reasons), the review's state and the titles decided.

Scoping is the UI's: a unit through `access_unit`, a person through `access_person` (404 for
missing and out-of-scope alike); the role checks live in the services."""

# No `from __future__ import annotations`: ninja resolves string annotations in the globals of
# the outermost wrapper, which for a paginated route is ninja's module (`Year` would be unknown).

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from thidua.councils.models import Role
from thidua.evaluation import selectors, services
from thidua.evaluation.api.schemas import (
    PersonEvaluationOut,
    RatingRowOut,
    RatingsIn,
    RatingsResultOut,
    TitleResultOut,
    UnitYearOut,
)
from thidua.evaluation.engine import title_labels
from thidua.evaluation.models import RatingCode, Review, ReviewStatus, TitleResult
from thidua.org.models import Unit
from thidua.people.models import Employment
from thidua.platform.actor import Actor
from thidua.platform.api import Pages, RowId, RowPage, Year, caller
from thidua.platform.years import check_year

router = Router(tags=["Đánh giá, bình xét"])

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Actor:
    user: Actor = caller(request)
    return user


def _unit(request: HttpRequest, code: str, year: int) -> Unit:
    return selectors.access_unit_year(_actor(request), code, year)


@router.get("/units/{code}/{int:year}", response=UnitYearOut,
            summary="Năm thi đua của một đơn vị: xếp loại, bình xét, kết quả")
def unit_year(request: HttpRequest, code: str, year: Year) -> dict[str, Any]:
    unit = _unit(request, code, year)
    lock = selectors.year_lock_for(unit, year)
    counts = selectors.rating_counts(unit, year)
    review = selectors.review_of(unit, year)
    return {
        "unit": unit.code, "year": year, "locked": lock is not None,
        "locked_at": lock.at if lock else None,
        "roster": counts["total"], "rated": counts["rated"], "ratings": counts["by_code"],
        "results": selectors.results_counts(unit, year),
        "review": _review(review) if review else None,
    }


def _review(review: Review) -> dict[str, Any]:
    titles = [{
        "title": row["code"], "title_label": row["label"],
        **{k: row[k] for k in ("engine", "added", "removed", "included", "passed")},
        "threshold": {**row["threshold"].as_dict(), "title": row["code"]},
    } for row in selectors.title_summary(review)]
    return {
        "id": review.pk, "status": review.status,
        "status_label": ReviewStatus(review.status).label, "rule_set": review.rule_set,
        "meeting_date": review.council.meeting_date,
        "proposed_at": review.proposed_at, "closed_at": review.closed_at,
        "council": [{"id": m.pk, "name": m.full_name, "position": m.position, "role": m.role,
                     "role_label": Role(m.role).label, "present": m.present}
                    for m in selectors.council_of(review)],
        "titles": titles,
    }


@router.get("/units/{code}/{int:year}/ratings", response=list[RatingRowOut],
            summary="Xếp loại của những người trong danh sách đơn vị ngày 31/12",
            description="Mọi người có trong danh sách của đơn vị (cả đơn vị trực thuộc) ngày "
            "31/12 của năm, kèm xếp loại và số ngày nghỉ đã ghi. 50 người mỗi trang.")
@paginate(Pages, page_size=PAGE_SIZE)
def ratings_list(request: HttpRequest, code: str, year: Year) -> RowPage:
    unit = _unit(request, code, year)
    qs = selectors.year_roster(unit, year)

    def rows(employments: list[Employment]) -> list[dict[str, Any]]:
        ratings = selectors.ratings_of(year, [e.person_id for e in employments])
        out = []
        for e in employments:
            r = ratings.get(e.person_id)
            code_ = r.code if r else ""
            out.append({
                "person_id": e.person_id, "full_name": e.person.full_name, "unit": e.unit.code,
                "code": code_, "code_label": RatingCode(code_).label if code_ else "",
                "absence_days": r.absence_days if r else None,
                "maternity_days": r.maternity_days if r else None,
                "service_months": r.service_months if r else None,
                "note": r.note if r else "",
            })
        return out

    return RowPage(qs, rows)


@router.put("/units/{code}/{int:year}/ratings", response=RatingsResultOut,
            summary="Ghi xếp loại nhiều người một lần",
            description="Cả danh sách trong một giao dịch: người không có trong danh sách của "
            "đơn vị ngày 31/12, năm đã khóa hay một giá trị sai làm cả lần ghi bị từ chối (400).")
def ratings_set(request: HttpRequest, code: str, year: Year, payload: RatingsIn
                ) -> dict[str, Any]:
    unit = _unit(request, code, year)
    rows = [services.RatingRow(person_id=r.person_id, code=r.code,
                               absence_days=r.absence_days, maternity_days=r.maternity_days,
                               service_months=r.service_months, note=r.note)
            for r in payload.rows]
    result = services.ratings_save(actor=_actor(request), unit=unit, year=year, rows=rows,
                                   source="api")
    return {"created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "message": result.summary()}


def result_out(r: TitleResult, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": r.pk, "year": r.year, "title": r.title, "title_label": labels.get(r.title, r.title),
        "person_id": r.person_id, "person_name": r.person.full_name if r.person else None,
        "unit": r.subject_unit.code if r.subject_unit else None,
        "decided_by_unit": r.unit.code, "how": r.how, "how_label": r.get_how_display(),
        "revoked": r.revoked, "votes": r.votes or {}, "reasons": r.reasons or [],
    }


@router.get("/units/{code}/{int:year}/results", response=list[TitleResultOut],
            summary="Danh hiệu đơn vị đã quyết định trong năm (cả danh hiệu đã hủy)")
@paginate(Pages, page_size=PAGE_SIZE)
def results_list(request: HttpRequest, code: str, year: Year) -> RowPage:
    unit = _unit(request, code, year)
    labels = title_labels()
    qs = selectors.results_of(unit, year).select_related("unit")
    return RowPage(qs, lambda items: [result_out(r, labels) for r in items])


@router.get("/people/{int:person_id}/{int:year}", response=PersonEvaluationOut,
            summary="Đánh giá một người trong một năm: dữ liệu, kết quả theo quy tắc, lý do")
def person_evaluation(request: HttpRequest, person_id: RowId, year: Year) -> dict[str, Any]:
    person = selectors.access_person_for(_actor(request), person_id)
    check_year(year, what=selectors.YEAR)
    facts, outcome = selectors.person_evaluation(person, year)
    labels = title_labels()
    decided = selectors.person_results(person, year)
    return {
        "person_id": person.pk, "full_name": person.full_name, "year": year,
        "rule_set": outcome["rule_set"], "facts": facts,
        "titles": {code: {"name": labels.get(code, code), **o}
                   for code, o in outcome["titles"].items()},
        "decided": [result_out(r, labels) for r in decided],
    }
