"""API shapes of movements, plans with their coverage, and registrations."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from thidua.platform.api import InSchema, Year


class MovementRow(Schema):
    id: int
    code: str
    name: str
    issuer: str = Field(description="Mã đơn vị phát động")
    issuer_name: str
    catalogue_code: str = Field(description="Mã phong trào chuẩn trong danh mục; rỗng nếu là "
                                            "phong trào riêng của đơn vị")
    year: int
    start_date: dt.date
    end_date: dt.date
    audience: str
    audience_label: str


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    url: str


class CoverageLineOut(Schema):
    unit_type: str
    noun: str = Field(description="Tên loại đơn vị, như «tổ công đoàn»")
    total: int
    acknowledged: int
    launched: int
    phrase: str = Field(description="Như báo cáo viết: «19/19 tổ công đoàn»")
    percent_phrase: str = Field(description="«100% công đoàn cơ sở»")


class PlanRow(Schema):
    id: int
    number: str
    title: str
    date: dt.date
    year: int
    deadline: dt.date | None
    issuer: str
    issuer_name: str
    coverage: list[CoverageLineOut]


class MovementDetail(MovementRow):
    content: str
    attachments: list[AttachmentOut]
    plans: list[PlanRow]


class PendingUnit(Schema):
    unit: str
    unit_name: str


class PlanCoverageOut(PlanRow):
    phrase: str = Field(description="Các dòng độ phủ nối bằng dấu phẩy")
    total: int
    acknowledged: int
    launched: int
    not_acknowledged: list[PendingUnit]
    not_launched: list[PendingUnit]


class RegistrationOut(Schema):
    id: int
    year: int
    subject: str = Field(description="person hoặc unit")
    person_id: int | None
    person_name: str | None
    unit: str | None = Field(description="Mã đơn vị (đăng ký của tập thể)")
    home_unit: str = Field(description="Mã đơn vị có danh sách chứa người đăng ký")
    titles: list[str] = Field(description="Mã danh hiệu: LDTT, CSTDCS, …")
    title_names: list[str]
    commitments: list[str]
    pledges: list[str]
    registered_on: dt.date
    late: bool
    late_reason: str
    source: str


class RegistrationIn(InSchema):
    year: Year
    unit: str = Field(description="Mã đơn vị: đơn vị đăng ký (tập thể) hoặc đơn vị có danh sách "
                                  "chứa người đăng ký")
    person_id: int | None = Field(None, description="Bỏ trống khi đăng ký cho tập thể đơn vị")
    titles: list[str] = Field(default_factory=list, description="Mã danh hiệu")
    commitments: list[str] = Field(default_factory=list, description="Việc làm cụ thể")
    pledges: list[str] = Field(default_factory=list, description="Nội dung cam kết")
    late_reason: str = Field("", description="Lý do nhận đăng ký muộn (chỉ lãnh đạo)")


class SelfRegistrationIn(InSchema):
    year: Year
    titles: list[str] = Field(default_factory=list)
    commitments: list[str] = Field(default_factory=list)
    pledges: list[str] = Field(default_factory=list)


class SelfRegistrationOut(Schema):
    year: int
    year_label: str
    unit: str | None
    unit_name: str | None
    deadline: dt.date | None
    closed: bool
    min_commitments: int
    pledges_asked: list[str]
    registration: RegistrationOut | None


class ChildProgressOut(Schema):
    unit: str
    name: str
    members: int
    members_registered: int
    members_missing: int
    unit_registered: bool
    unit_commitments: int


class RegistrationStatusOut(Schema):
    unit: str
    year: int
    year_label: str
    day: dt.date
    deadline: dt.date | None
    rule_issuer: str | None
    min_commitments_unit: int
    min_commitments_member: int
    members: int
    members_registered: int
    members_missing: int
    members_enough: int
    workers: int
    workers_registered: int
    unit_registered: bool
    banner: str = Field(description="«Còn 12 đoàn viên chưa đăng ký, hạn 25/01/2018.»")
    units: list[CoverageLineOut]
    children: list[ChildProgressOut]
