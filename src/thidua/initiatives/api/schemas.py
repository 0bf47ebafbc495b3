"""API shapes of initiatives, councils, votes, the novelty check and the counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from thidua.platform.api import InSchema, Year

LevelCode = Literal["co_so", "huyen", "tinh", "bo_nganh", "toan_quoc"]
StatusCode = Literal["draft", "submitted", "under_review", "recognized", "not_recognized"]
KindCode = Literal["ky_thuat", "quan_ly", "tac_nghiep", "ung_dung"]


class AuthorIn(InSchema):
    person_id: int | None = Field(None, description="Người trong danh sách (nếu có)")
    full_name: str = Field("", description="Họ và tên; để trống nếu chọn person_id")
    birth_date: dt.date | None = None
    workplace: str = ""
    job_title: str = ""
    qualification: str = ""
    contribution: Decimal = Field(description="Tỷ lệ đóng góp (%); tổng các tác giả đúng 100")


class ParticipantIn(InSchema):
    full_name: str
    birth_date: dt.date | None = None
    workplace: str = ""
    job_title: str = ""
    qualification: str = ""
    task: str = ""


class InitiativeIn(InSchema):
    unit: str = Field(description="Mã đơn vị nộp đơn")
    year: Year
    title: str
    field: str = Field(description="Lĩnh vực áp dụng")
    kind: KindCode
    description: str = Field(description="Mô tả bản chất của sáng kiến")
    authors: list[AuthorIn]
    participants: list[ParticipantIn] = []
    addressee: str = ""
    investor: str = ""
    first_applied_on: dt.date | None = None
    confidential: str = ""
    conditions: str = ""
    benefit_author: str = ""
    benefit_others: str = ""
    benefit_expected_vnd: int | None = None
    benefit_measured_vnd: int | None = None
    submit: bool = Field(False, description="Nộp đơn ngay (không chỉ lưu bản nháp)")


class AuthorOut(Schema):
    person_id: int | None
    full_name: str
    birth_date: dt.date | None
    workplace: str
    job_title: str
    qualification: str
    contribution: Decimal


class RecognitionOut(Schema):
    id: int
    level: str
    level_label: str
    year: int
    decided_on: dt.date
    decision_no: str
    issuer: str
    certificate_no: str


class InitiativeRow(Schema):
    id: int
    unit: str
    unit_name: str
    year: int
    title: str
    kind: str
    status: str
    status_label: str
    authors: list[str]
    levels: list[str] = Field(description="Các cấp đã công nhận")


class UseOut(Schema):
    id: int
    kind: str
    reference: str
    year: int
    person_id: int | None
    warning: str


class InitiativeDetail(InitiativeRow):
    addressee: str
    investor: str
    field: str
    first_applied_on: dt.date | None
    description: str
    confidential: str | None = Field(description="null nếu bạn không được xem phần bảo mật")
    conditions: str
    benefit_author: str
    benefit_others: str
    benefit_expected_vnd: int | None
    benefit_measured_vnd: int | None
    submitted_at: dt.datetime | None
    version: int
    author_details: list[AuthorOut]
    recognitions: list[RecognitionOut]
    uses: list[UseOut]
    review_id: int | None
    attachments: list[str]


class TransitionIn(InSchema):
    to: StatusCode
    reason: str = ""


class SimilarIn(InSchema):
    title: str = Field(max_length=300)
    text: str = Field("", max_length=20000, description="Mô tả bản chất")
    exclude_id: int | None = Field(None, description="Bỏ qua chính sáng kiến này (khi sửa đơn)")


class SimilarMatch(Schema):
    id: int
    title: str
    unit_name: str
    year: int
    status: str
    percent: int = Field(description="Mức giống nhau 0–100")
    levels: list[str]
    title_spans: list[tuple[int, int]] = Field(description="Đoạn trùng trong tên (vị trí ký tự)")
    text_spans: list[tuple[int, int]] = Field(description="Đoạn trùng trong mô tả")


class SimilarOut(Schema):
    matches: list[SimilarMatch]
    hidden_count: int = Field(description="Số sáng kiến gần giống ở đơn vị bạn không được xem")
    searched: bool
    available: bool


class MemberOut(Schema):
    id: int
    person_id: int | None
    full_name: str
    position: str
    role: str
    role_label: str


class ReviewRow(Schema):
    id: int
    initiative_id: int
    initiative_title: str
    open: bool
    outcome: str


class CouncilOut(Schema):
    id: int
    unit: str
    year: int
    name: str
    level: str
    decision_no: str
    threshold: str
    threshold_source: str
    members: list[MemberOut]
    criteria: list[tuple[str, int]]
    reviews: list[ReviewRow]


class VoteIn(InSchema):
    member_id: int
    choice: Literal["dong_y", "khong_dong_y", "vang", ""]
    in_writing: bool = False


class VotesIn(InSchema):
    votes: list[VoteIn]


class VoteOut(Schema):
    member_id: int
    member_name: str
    choice: str
    in_writing: bool


class VotesOut(Schema):
    review_id: int
    open: bool
    outcome: str
    members: int
    votes_for: int
    votes_against: int
    not_voted: int
    needed: int
    threshold: str
    passed: bool
    votes: list[VoteOut]


class UseIn(InSchema):
    kind: Literal["commendation", "title"]
    reference: str
    year: Year
    person_id: int | None = None


class UseResultOut(Schema):
    use: UseOut
    warnings: list[str]


class UnitCountsOut(Schema):
    unit: str
    unit_name: str
    applications: int
    recognized: int
    by_level: dict[str, int]


class CountsOut(Schema):
    unit: str
    unit_name: str
    years: list[int]
    applications: int
    by_status: dict[str, int]
    recognized: int
    by_level: dict[str, int]
    by_year: dict[int, dict[str, int]]
    city_and_district: int = Field(description="Sáng kiến được công nhận cấp quận/huyện hoặc "
                                               "tỉnh/thành phố (mỗi sáng kiến tính một lần)")
    used_for_commendation: int
    used_for_title: int
    children: list[UnitCountsOut]
