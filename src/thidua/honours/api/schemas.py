"""API shapes of proposals, decisions, the awards register and the public verification (the
error shapes are the platform's, re-exported for the routes)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from thidua.platform.api import InSchema, Year

ProposalStatusCode = Literal["du_thao", "da_gui", "da_nhan", "dang_xet", "tra_lai",
                             "da_bieu_quyet", "da_chuyen", "da_trinh_ngoai", "da_quyet_dinh",
                             "khong_khen"]
ProposalKindCode = Literal["nam", "chuyen_de", "dot_xuat"]
StepCode = Literal["submit", "receive", "return", "review", "close_vote", "reopen", "resubmit",
                   "send_out", "refuse", "record_refusal"]


# --- proposals --------------------------------------------------------------------------------

class ProposalIn(InSchema):
    unit: str = Field(description="Mã đơn vị đề nghị")
    recipient: str = Field(description="Mã đơn vị nhận hồ sơ (cấp trên, hoặc chính đơn vị với "
                                       "hình thức đơn vị tự quyết định)")
    year: Year
    kind: ProposalKindCode = Field(description="nam: tổng kết năm; chuyen_de; dot_xuat")
    form: str = Field(description="Mã hình thức khen thưởng, ví dụ GK_CAP_TREN")
    topic: str = Field("", description="Chủ đề (chuyên đề) hoặc sự việc (đột xuất)")
    title: str = Field("", description="Trích yếu; để trống thì hệ thống tự đặt")
    signer_name: str = ""
    signer_title: str = ""


class CandidateIn(InSchema):
    person_id: int | None = Field(None, description="Người được đề nghị (hoặc subject_unit)")
    subject_unit: str | None = Field(None, description="Mã tập thể được đề nghị")
    achievement: str = Field("", description="Tóm tắt thành tích (tối đa 4.000 ký tự)")
    basis_title: str = Field("", description="Danh hiệu làm căn cứ, ví dụ LDTT")
    position: str = Field("", description="Chức vụ, đơn vị công tác")
    initiative_id: int | None = Field(None, description="Sáng kiến làm căn cứ (dùng một lần)")


class StepIn(InSchema):
    action: StepCode
    reason: str = Field("", description="Bắt buộc khi trả lại, không khen thưởng")
    seen_status: ProposalStatusCode | None = Field(
        None, description="Bước của hồ sơ mà bạn đã thấy; hồ sơ đã chuyển bước khác thì "
                          "trả về 409 và không ghi gì")


class ForwardIn(InSchema):
    recipient: str | None = Field(None, description="Mã cấp trên nhận; để trống: cấp có thẩm "
                                                    "quyền quyết định hình thức này")
    title: str = ""
    seen_status: ProposalStatusCode | None = None


class CheckOut(Schema):
    code: str
    ok: bool | None = Field(description="true đạt, false không đạt, null chưa rõ")
    text: str


class CandidateOut(Schema):
    id: int
    kind: Literal["person", "unit"]
    person_id: int | None
    unit: str | None = Field(description="Mã tập thể (khi đề nghị tập thể)")
    name: str
    position: str
    achievement: str
    basis_title: str
    initiative_id: int | None
    checks: list[CheckOut]
    passed: bool | None = Field(description="Hội đồng thông qua (null: chưa biểu quyết)")
    votes: dict[str, Any] = Field(description="Kết quả biểu quyết: for, against, absent, "
                                              "members, threshold, text")
    award_id: int | None


class StepOut(Schema):
    action: str
    label: str
    to: str
    reason_required: bool


class HistoryOut(Schema):
    action: str
    from_state: str
    to_state: str
    reason: str
    actor: str
    at: dt.datetime


class ProposalRow(Schema):
    id: int
    unit: str
    unit_name: str
    recipient: str
    recipient_name: str
    year: int
    kind: str
    form: str
    form_name: str
    topic: str
    title: str
    status: str
    status_label: str
    submitted_on: dt.date | None
    candidates: int


class ProposalDetail(ProposalRow):
    forwarded_from: int | None
    council_id: int | None
    signer_name: str
    signer_title: str
    candidate_list: list[CandidateOut]
    steps: list[StepOut] = Field(description="Các bước bạn được thực hiện lúc này")
    history: list[HistoryOut]


# --- decisions and awards ---------------------------------------------------------------------

class DecisionIn(InSchema):
    proposals: list[int] = Field(description="Các hồ sơ đã biểu quyết, cùng hình thức, cùng "
                                             "năm, gửi đến cùng đơn vị (đơn vị ban hành)")
    date: dt.date = Field(description="Ngày ký")
    signer_name: str
    signer_title: str
    place: str = ""
    title: str = Field("", description="Trích yếu; để trống thì hệ thống tự đặt")
    basis: str = Field("", description="Căn cứ")
    seen_status: ProposalStatusCode | None = None


class DecisionRow(Schema):
    id: int
    number: str
    date: dt.date
    issuer: str
    issuer_name: str
    external_issuer: str
    kind: str
    form: str
    form_name: str
    year: int
    title: str
    recipients: int


class RecipientOut(Schema):
    award_id: int
    kind: Literal["person", "unit"]
    name: str
    unit: str = Field(description="Mã đơn vị của người, tập thể được khen")
    position: str
    golden_book_no: int | None
    cash_amount: int | None
    revoked: bool
    revoked_by: str | None


class DecisionDetail(DecisionRow):
    signer_name: str
    signer_title: str
    place: str
    basis: str
    reason: str
    target: str | None = Field(description="Số quyết định bị thu hồi, đính chính")
    recipient_list: list[RecipientOut]


class AwardRow(Schema):
    id: int
    issuer: str
    issuer_name: str
    form: str
    form_name: str
    recipient_kind: Literal["person", "unit"]
    recipient: str
    recipient_code: str | None = Field(description="Mã tập thể (khen tập thể)")
    home_unit: str
    decision: str
    decision_id: int
    decision_date: dt.date
    year: int
    golden_book_no: int | None
    cash_amount: int | None
    revoked: bool


class AwardDetail(AwardRow):
    position: str
    achievement: str
    person_id: int | None
    revoked_by: str | None
    revoked_reason: str


# --- public verification ------------------------------------------------------------------------

class VerificationOut(Schema):
    status: Literal["valid", "revoked"] = Field(description="valid: còn hiệu lực; revoked: đã "
                                                            "bị thu hồi")
    status_label: str
    form_name: str
    issuer_name: str
    recipient_name: str
    decision_number: str
    decision_date: dt.date
    golden_book_no: int | None
    revoked_by_number: str | None = Field(description="Quyết định thu hồi")
    revoked_on: dt.date | None
