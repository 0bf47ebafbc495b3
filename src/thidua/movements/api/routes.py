"""Movements, plans with their coverage, and registrations, mounted at /api/movements.

Scoping is the UI's: `movements_for`/`plans_for` for lists and details (404 for missing and
out-of-scope alike), `access_unit`/`access_person` for the units and people named in a request;
the role checks and every refusal live in the services."""

# No `from __future__ import annotations` here: ninja reads the `QueryEx[...]` parameters of the
# routes as objects, not strings.
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import P, QueryEx, Router
from ninja.pagination import paginate
from ninja.responses import Status

from thidua.movements.api.schemas import (
    MovementDetail,
    MovementRow,
    PlanCoverageOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationStatusOut,
    SelfRegistrationIn,
    SelfRegistrationOut,
)
from thidua.movements.catalogue import TITLE_BY_CODE, Audience, title_name
from thidua.movements.models import Movement, Plan, Registration
from thidua.movements.selectors import (
    Coverage,
    access_movement,
    access_plan,
    attachments_of,
    current_year_of,
    movement_plans,
    movements_search,
    own_registration,
    person_of,
    plan_coverage,
    plan_pending,
    registration_detail,
    unit_registrations,
)
from thidua.movements.selectors_progress import registration_progress
from thidua.movements.services import registration_create, self_registration_save
from thidua.org.selectors import access_unit
from thidua.people.selectors import access_person
from thidua.platform.actor import Actor
from thidua.platform.api import Pages, RowId, RowPage, Year, caller
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.web import today

router = Router(tags=["Phong trào thi đua, đăng ký thi đua"])

PAGE_SIZE = 50
AUDIENCES = dict(Audience.CHOICES)


def _movement_row(m: Movement) -> dict[str, Any]:
    return {"id": m.pk, "code": m.code, "name": m.name, "issuer": m.issuer.code,
            "issuer_name": m.issuer.name, "catalogue_code": m.catalogue_code, "year": m.year,
            "start_date": m.start_date, "end_date": m.end_date, "audience": m.audience,
            "audience_label": AUDIENCES.get(m.audience, "")}


def _coverage_lines(coverage: Coverage) -> list[dict[str, Any]]:
    return [{"unit_type": line.unit_type, "noun": line.noun, "total": line.total,
             "acknowledged": line.acknowledged, "launched": line.launched,
             "phrase": line.launched_phrase, "percent_phrase": line.launched_percent_phrase}
            for line in coverage.lines]


def _plan_row(plan: Plan, coverage: Coverage) -> dict[str, Any]:
    return {"id": plan.pk, "number": plan.number, "title": plan.title, "date": plan.date,
            "year": plan.year, "deadline": plan.deadline, "issuer": plan.issuer.code,
            "issuer_name": plan.issuer.name, "coverage": _coverage_lines(coverage)}


@router.get("", response=list[MovementRow], summary="Danh sách phong trào thi đua",
            description="Phong trào do đơn vị trong phạm vi của bạn phát động, hoặc được triển "
            "khai tới đơn vị trong phạm vi của bạn. Lọc theo năm, đơn vị phát động, từ khoá.")
@paginate(Pages, page_size=PAGE_SIZE)
def movement_list(
    request: HttpRequest,
    year: QueryEx[Year | None, P(description="Năm thi đua")] = None,
    issuer: QueryEx[str | None, P(description="Mã đơn vị phát động")] = None,
    q: QueryEx[str, P(description="Tên hoặc mã phong trào")] = "",
) -> RowPage:
    user: Actor = caller(request)
    qs = movements_search(user, year=year, query=q,
                          issuer=access_unit(user, issuer) if issuer else None)
    return RowPage(qs, lambda rows: [_movement_row(m) for m in rows])


@router.get("/{int:movement_id}", response=MovementDetail,
            summary="Một phong trào: nội dung, tài liệu, các kế hoạch và độ phủ")
def movement_detail(request: HttpRequest, movement_id: RowId) -> dict[str, Any]:
    user: Actor = caller(request)
    m = access_movement(user, movement_id)
    return {
        **_movement_row(m), "content": m.content,
        "attachments": [{"id": a.pk, "name": a.original_name, "kind": a.kind, "size": a.size,
                         "url": reverse("movements:attachment", args=[a.pk])}
                        for a in attachments_of(m)],
        "plans": [_plan_row(p, plan_coverage(p, user)) for p in movement_plans(user, m)],
    }


@router.get("/plans/{int:plan_id}/coverage", response=PlanCoverageOut,
            summary="Độ phủ của một kế hoạch: «19/19 tổ công đoàn», đơn vị chưa tiếp nhận, "
            "chưa phát động")
def plan_coverage_view(request: HttpRequest, plan_id: RowId) -> dict[str, Any]:
    user: Actor = caller(request)
    plan = access_plan(user, plan_id)
    coverage = plan_coverage(plan, user)

    def units(step: str) -> list[dict[str, str]]:
        return [{"unit": d.unit.code, "unit_name": d.unit.name}
                for d in plan_pending(plan, user, step=step)]

    return {**_plan_row(plan, coverage), "phrase": coverage.phrase(), "total": coverage.total,
            "acknowledged": coverage.acknowledged, "launched": coverage.launched,
            "not_acknowledged": units("acknowledge"), "not_launched": units("launch")}


def _registration_out(r: Registration) -> dict[str, Any]:
    codes = [t.code for t in r.titles.all()]
    return {
        "id": r.pk, "year": r.year, "subject": "person" if r.person_id else "unit",
        "person_id": r.person_id, "person_name": r.person.full_name if r.person else None,
        "unit": r.unit.code if r.unit else None, "home_unit": r.home_unit.code,
        "titles": codes, "title_names": [title_name(c) for c in codes],
        "commitments": [c.text for c in r.commitments.all()],
        "pledges": [p.text for p in r.pledges.all()], "registered_on": r.registered_on,
        "late": r.late, "late_reason": r.late_reason, "source": r.source,
    }


@router.get("/registrations", response=list[RegistrationOut],
            summary="Đăng ký thi đua của một đơn vị (và các đơn vị trực thuộc) trong một năm")
@paginate(Pages, page_size=PAGE_SIZE)
def registration_list(
    request: HttpRequest,
    unit: QueryEx[str, P(description="Mã đơn vị")],
    year: QueryEx[Year, P(description="Năm thi đua")],
    subject: QueryEx[str | None, P(description="person hoặc unit")] = None,
) -> RowPage:
    user: Actor = caller(request)
    qs = unit_registrations(unit=access_unit(user, unit), year=year, subject=subject)
    return RowPage(qs, lambda rows: [_registration_out(r) for r in rows])


@router.get("/registrations/status", response=RegistrationStatusOut,
            summary="Ai chưa đăng ký: số đoàn viên, đơn vị đã/chưa đăng ký, hạn đăng ký")
def registration_status(
    request: HttpRequest,
    unit: QueryEx[str, P(description="Mã đơn vị")],
    year: QueryEx[Year, P(description="Năm thi đua")],
) -> dict[str, Any]:
    user: Actor = caller(request)
    u = access_unit(user, unit)
    p = registration_progress(unit=u, year=year, today=today())
    return {
        "unit": u.code, "year": year, "year_label": p.calendar.label(year), "day": p.day,
        "deadline": p.deadline, "rule_issuer": p.rule.issuer.code if p.rule else None,
        "min_commitments_unit": p.min_unit, "min_commitments_member": p.min_member,
        "members": p.members, "members_registered": p.members_registered,
        "members_missing": p.members_missing, "members_enough": p.members_enough,
        "workers": p.workers, "workers_registered": p.workers_registered,
        "unit_registered": p.unit_registered, "banner": p.banner(),
        "units": [{"unit_type": line.unit_type, "noun": line.noun, "total": line.total,
                   "acknowledged": line.acknowledged, "launched": line.launched,
                   "phrase": line.launched_phrase,
                   "percent_phrase": line.launched_percent_phrase}
                  for line in p.units_by_type],
        "children": [{"unit": c.code, "name": c.name, "members": c.members,
                      "members_registered": c.members_registered,
                      "members_missing": c.members_missing,
                      "unit_registered": c.unit_registered,
                      "unit_commitments": c.unit_commitments} for c in p.children],
    }


@router.post("/registrations", response={201: RegistrationOut},
             summary="Đăng ký thi đua cho một người hoặc cho tập thể đơn vị",
             description="Có `person_id`: người đó đăng ký qua đơn vị `unit` (phải có tên trong "
             "danh sách của đơn vị năm đó). Không có: tập thể đơn vị `unit` đăng ký. Đăng ký lần "
             "thứ hai trong cùng năm, sau hạn, sai loại danh hiệu đều bị từ chối (400).")
def registration_new(request: HttpRequest, payload: RegistrationIn) -> Status[dict[str, Any]]:
    user: Actor = caller(request)
    unit = access_unit(user, payload.unit)
    person = access_person(user, payload.person_id) if payload.person_id is not None else None
    reg = registration_create(
        actor=user, year=payload.year, person=person, unit=None if person else unit,
        via_unit=unit if person else None, titles=payload.titles,
        commitments=payload.commitments, pledges=payload.pledges,
        late_reason=payload.late_reason, source="api")
    return Status(201, _registration_out(registration_detail(reg.pk)))


def _me(user: Actor, year: int | None) -> dict[str, Any]:
    person = person_of(user)
    if person is None:
        raise NotFoundError("Tài khoản của bạn chưa gắn với hồ sơ người lao động nào.")
    now = today()
    own = own_registration(person, year if year is not None else current_year_of(person, now),
                           now)
    home, rule, reg = own.home, own.rule, own.registration
    return {
        "year": own.year, "year_label": own.year_label,
        "unit": home.code if home else None, "unit_name": home.name if home else None,
        "deadline": rule.deadline if rule else None, "closed": own.closed,
        "min_commitments": rule.min_commitments_member if rule else 0,
        "pledges_asked": list(rule.pledges) if rule else [],
        "registration": _registration_out(reg) if reg else None,
    }


@router.get("/registrations/me", response=SelfRegistrationOut,
            summary="Đăng ký thi đua của chính tôi (tài khoản đoàn viên)")
def my_registration(
    request: HttpRequest,
    year: QueryEx[Year | None, P(description="Năm thi đua; mặc định năm hiện tại")] = None,
) -> dict[str, Any]:
    return _me(caller(request), year)


@router.post("/registrations/me", response=SelfRegistrationOut,
             summary="Tự đăng ký (hoặc sửa, hoặc huỷ khi gửi rỗng) đăng ký thi đua của tôi")
def my_registration_save(request: HttpRequest, payload: SelfRegistrationIn) -> dict[str, Any]:
    user: Actor = caller(request)
    unknown = [c for c in payload.titles if c.upper() not in TITLE_BY_CODE]
    if unknown:
        raise ApplicationError(f"Danh hiệu «{unknown[0]}» không có trong danh mục.",
                               field="titles")
    self_registration_save(actor=user, year=payload.year, titles=payload.titles,
                           commitments=payload.commitments, pledges=payload.pledges)
    return _me(user, payload.year)
