"""API shapes of people, their periods in units and import jobs. CCCD is masked unless the caller
is an officer over the person's unit (or the person themself)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from thidua.platform.api import InSchema

GenderCode = Literal["nam", "nu"]
StatusFilter = Literal["member", "non_member", "active", "suspended"]


class PersonRow(Schema):
    id: int
    full_name: str
    gender: str
    gender_label: str
    birth_date: dt.date | None
    cccd: str = Field(description="Số CCCD; che một phần nếu bạn không phải cán bộ của đơn vị")
    member_code: str | None
    position: str
    unit: str | None = Field(description="Mã đơn vị đang làm việc tại ngày được hỏi")
    unit_name: str | None
    member_status: str | None = Field(
        description="active / suspended tại ngày được hỏi; null nếu không là đoàn viên"
    )


class EmploymentOut(Schema):
    unit: str
    unit_name: str
    valid_from: dt.date
    valid_to: dt.date | None


class MembershipOut(Schema):
    unit: str
    unit_name: str
    status: str
    status_label: str
    opened_by: str
    opened_by_label: str
    closed_by: str
    closed_by_label: str
    valid_from: dt.date
    valid_to: dt.date | None
    note: str


class PersonDetail(Schema):
    id: int
    full_name: str
    gender: str
    gender_label: str
    birth_date: dt.date | None
    cccd: str
    ethnicity: str
    position: str
    phone: str
    email: str
    member_code: str | None
    union_joined_on: dt.date | None = Field(None, description="Ngày vào Công đoàn")
    unit: str | None = Field(description="Mã đơn vị đang làm việc hôm nay")
    member_status: str | None
    version: int = Field(description="Gửi lại giá trị này khi sửa (PATCH) để tránh ghi đè")
    employments: list[EmploymentOut]
    memberships: list[MembershipOut]


class PersonCreateIn(InSchema):
    unit: str = Field(description="Mã đơn vị")
    full_name: str
    gender: GenderCode
    birth_date: dt.date | None = None
    cccd: str | None = Field(None, description="12 chữ số, giữ số 0 ở đầu")
    ethnicity: str = "Kinh"
    position: str = ""
    phone: str = ""
    email: str = ""
    is_member: bool = False
    join_date: dt.date | None = Field(None, description="Ngày vào Công đoàn; mặc định start_date")
    start_date: dt.date | None = Field(None, description="Ngày vào đơn vị; mặc định hôm nay")


class PersonPatchIn(InSchema):
    version: int = Field(description="Giá trị version đọc được lần cuối")
    full_name: str | None = None
    gender: GenderCode | None = None
    birth_date: dt.date | None = None
    cccd: str | None = None
    ethnicity: str | None = None
    position: str | None = None
    phone: str | None = None
    email: str | None = None


class ImportJobOut(Schema):
    id: int
    unit: str
    file_name: str
    status: str
    status_label: str
    total: int
    processed: int
    percent: int
    created: int
    updated: int
    unchanged: int
    error_count: int
    errors: list[Any] = Field(description="Tối đa 200 lỗi đầu tiên, theo dòng trong tệp")
    message: str
    dry_run: bool
    valid_only: bool
    created_at: dt.datetime
    finished_at: dt.datetime | None
