"""The rules engine over HTTP (`/api/rules/…`): evaluate facts sent in the body, list and show
rule sets. It lives here because `rules` imports nothing of the project.

A thin adapter: it reads no data of the organisation, so any logged-in user (session or bearer
token, the API's global auth) may call it; there is nothing to scope."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from thidua.platform.api import InSchema, Year
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.rules.cli import ruleset_dict
from thidua.rules.engine import evaluate
from thidua.rules.facts import FactsError
from thidua.rules.ruleset import RuleSetError, get_ruleset, list_rulesets

router = Router(tags=["Quy tắc danh hiệu"])


class FactsIn(InSchema):
    """A person-year (FACTS.json) or, with `"kind": "unit"`, a unit-year; see the rules
    package's README for every key."""

    kind: str | None = Field(None, description="person (mặc định) hoặc unit")
    year: Year = Field(..., description="Năm cần xét")
    rule_set: str | None = Field(
        None, description="Mã bộ quy tắc; mặc định bộ có hiệu lực ngày 31/12 của năm xét")
    person: dict[str, Any] | None = Field(None, description='{"gender": "nam|nu", '
                                          '"birth_date": "YYYY-MM-DD", "member": true}')
    ratings: dict[str, str] | None = Field(None, description="năm → HTXSNV|HTTNV|HTNV|KHTNV")
    registered: dict[str, list[str]] | None = Field(None, description="năm → mã danh hiệu")
    titles: dict[str, list[str]] | None = Field(None, description="năm trước → mã danh hiệu")
    initiatives: list[dict[str, Any]] | None = Field(
        None, description='[{"year": 2024, "level": "co_so|tinh|toan_quoc"}]')
    discipline: list[dict[str, Any]] | None = Field(
        None, description='[{"form": "khien_trach", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}]')
    absence_days: dict[str, float] | None = None
    maternity_days: dict[str, float] | None = None
    service_months: dict[str, float] | None = None
    unit: dict[str, Any] | None = Field(None, description='{"code", "type", "operating_months", '
                                        '"reorganised"} (đơn vị)')
    roster: dict[str, Any] | None = Field(None, description='{"members", "ldtt", "cstdcs", '
                                          '"completed_tasks", "disciplined": {hình thức: số người}}')
    grading: dict[str, float] | None = Field(None, description="mã tiêu chí → điểm")


class RuleReasonOut(Schema):
    rule_id: str
    text: str
    source: str
    confidence: str
    passed: bool
    note: str = Field("", description="Ghi chú làm việc (cách đọc điều khoản, giả định); "
                      "không in vào biên bản, quyết định")


class RuleOutcomeOut(Schema):
    name: str
    eligible: bool
    grade: str | None = None
    reasons: list[str]
    missing: list[str]
    details: list[RuleReasonOut]


class EvaluationOut(Schema):
    year: int
    rule_set: str
    titles: dict[str, RuleOutcomeOut]


class RuleSetOut(Schema):
    id: str
    title: str
    family: str
    effective_from: dt.date
    effective_to: dt.date | None
    period: str
    auto: bool
    titles: list[str]
    documents: list[str]


def _facts(payload: FactsIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_none=True)
    data.pop("rule_set", None)
    return data


@router.post("/evaluate", response=EvaluationOut,
             summary="Xét danh hiệu cho một người hoặc một đơn vị trong một năm")
def evaluate_facts(request: HttpRequest, payload: FactsIn) -> dict[str, Any]:
    try:
        return evaluate(_facts(payload), payload.rule_set or None).to_dict(details=True)
    except (FactsError, RuleSetError) as exc:
        raise ApplicationError(exc.message) from None


@router.get("/sets", response=list[RuleSetOut], summary="Các bộ quy tắc và thời gian hiệu lực")
def rule_sets(request: HttpRequest) -> list[dict[str, Any]]:
    return [rs.summary() for rs in list_rulesets()]


@router.get("/sets/{rule_set_id}", response=dict[str, Any],
            summary="Toàn bộ một bộ quy tắc (văn bản, tham số, danh hiệu, quy tắc)")
def rule_set_detail(request: HttpRequest, rule_set_id: str) -> dict[str, Any]:
    try:
        return ruleset_dict(get_ruleset(rule_set_id))
    except RuleSetError:
        raise NotFoundError("Không có bộ quy tắc này.") from None
