"""API shapes of ratings, evaluations (facts and the engine's answer), reviews and results."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from thidua.platform.api import InSchema

RatingCodeIn = Literal["HTXSNV", "HTTNV", "HTNV", "KHTNV", ""]


class RatingRowOut(Schema):
    person_id: int
    full_name: str
    unit: str = Field(description="Mã đơn vị của người này ngày 31/12")
    code: str = Field(description="HTXSNV / HTTNV / HTNV / KHTNV; rỗng nếu chưa xếp loại")
    code_label: str
    absence_days: int | None = Field(description="Số ngày nghỉ, không kể nghỉ thai sản")
    maternity_days: int | None
    service_months: int | None = Field(description="null: tính từ quá trình công tác")
    note: str


class RatingIn(InSchema):
    person_id: int
    code: RatingCodeIn = ""
    absence_days: int = Field(0, ge=0, le=366)
    maternity_days: int = Field(0, ge=0, le=366)
    service_months: int | None = Field(None, ge=0, le=12)
    note: str = Field("", max_length=255)


class RatingsIn(InSchema):
    rows: list[RatingIn] = Field(description="Mỗi người một dòng; có một dòng sai thì không "
                                             "ghi dòng nào", max_length=50_000)


class RatingsResultOut(Schema):
    created: int
    updated: int
    unchanged: int
    message: str


class ReasonOut(Schema):
    rule_id: str
    text: str
    source: str
    confidence: str = Field(description="C đã đối chiếu văn bản, L nhiều khả năng, G giả định")
    passed: bool
    note: str = Field("", description="Ghi chú làm việc (cách đọc điều khoản, giả định); "
                      "không in vào biên bản, quyết định")


class OutcomeOut(Schema):
    name: str
    eligible: bool
    grade: str | None = None
    reasons: list[ReasonOut]
    missing: list[str]


class TitleResultOut(Schema):
    id: int
    year: int
    title: str
    title_label: str
    person_id: int | None
    person_name: str | None
    unit: str | None = Field(description="Mã tập thể (danh hiệu tập thể)")
    decided_by_unit: str
    how: str
    how_label: str
    revoked: bool
    votes: dict[str, Any]
    reasons: list[ReasonOut]


class PersonEvaluationOut(Schema):
    person_id: int
    full_name: str
    year: int
    rule_set: str
    facts: dict[str, Any] = Field(description="Dữ liệu dạng FACTS.json mà bộ quy tắc đọc")
    titles: dict[str, OutcomeOut]
    decided: list[TitleResultOut]


class ThresholdOut(Schema):
    title: str
    share: str
    strict: bool
    text: str
    source: str
    confidence: str


class TitleSummaryOut(Schema):
    title: str
    title_label: str
    engine: int
    added: int
    removed: int
    included: int
    passed: int
    threshold: ThresholdOut


class CouncilMemberOut(Schema):
    id: int
    name: str
    position: str
    role: str
    role_label: str
    present: bool


class ReviewOut(Schema):
    id: int
    status: str
    status_label: str
    rule_set: str
    meeting_date: dt.date | None
    proposed_at: dt.datetime | None
    closed_at: dt.datetime | None
    council: list[CouncilMemberOut]
    titles: list[TitleSummaryOut]


class UnitYearOut(Schema):
    unit: str
    year: int
    locked: bool
    locked_at: dt.datetime | None
    roster: int
    rated: int
    ratings: dict[str, int]
    results: dict[str, int]
    review: ReviewOut | None
