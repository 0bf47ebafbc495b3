"""API shapes of clusters, their ranking and a member's scoring sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from thidua.platform.api import MAX_ID, InSchema

RoleCode = Literal["truong", "pho", "thanh_vien"]
SheetStatusCode = Literal["nhap", "da_gui", "tra_lai", "da_kiem_tra"]
KindCode = Literal["nhom", "chi_tieu", "co_khong", "tu_cham", "thuong", "tru"]


class ClusterUnitRef(Schema):
    code: str
    name: str


class ClusterRow(Schema):
    id: int
    issuer: ClusterUnitRef
    year: int
    kind: Literal["cum", "khoi"]
    number: int
    title: str = Field(description="«Cụm thi đua số 4», kèm tên nếu có")
    head: ClusterUnitRef | None = Field(description="Cụm trưởng của năm")
    deputy: ClusterUnitRef | None = Field(description="Cụm phó của năm")
    members: int


class ClusterMemberOut(Schema):
    id: int = Field(description="Mã bảng điểm của đơn vị trong cụm (dùng cho /sheets/{id})")
    unit: ClusterUnitRef
    role: RoleCode
    signed_on: dt.date | None = Field(description="Ngày ký giao ước")
    signer_name: str
    sheet_status: SheetStatusCode
    sheet_visible: bool = Field(description="Bạn được xem chi tiết bảng điểm của đơn vị này")


class StandingOut(Schema):
    member_id: int
    unit: ClusterUnitRef
    rank: int
    total: Decimal
    bonus: Decimal
    penalty: Decimal = Field(description="Điểm trừ (số dương)")
    tied: bool = Field(description="Còn đồng hạng sau các quy tắc phụ")
    decided_by: str = Field(description="Quy tắc tách khỏi đơn vị liền kề (theo_tay: cụm "
                            "trưởng xếp khi đồng hạng)")
    tie_reason: str


class CriterionOut(Schema):
    id: int
    parent_id: int | None
    code: str
    name: str
    kind: KindCode
    max_points: Decimal
    target: Decimal | None = Field(description="Chỉ tiêu chung (tiêu chí so với chỉ tiêu)")
    unit_label: str
    source: str = Field(description="Số liệu hệ thống điền sẵn (mã), rỗng nếu đơn vị tự kê")


class ClusterDetail(ClusterRow):
    pledge: list[str] = Field(description="Các cam kết của giao ước thi đua")
    pledge_date: dt.date | None
    tie_breaks: list[str] = Field(description="Quy tắc phụ khi bằng điểm, theo thứ tự")
    rules_source: str = Field(description="Căn cứ quy định của đơn vị lập cụm; rỗng: cài đặt")
    member_list: list[ClusterMemberOut]
    ranking: list[StandingOut]
    criteria: list[CriterionOut]


class LineOut(Schema):
    criterion_id: int
    code: str
    name: str
    kind: KindCode
    depth: int
    max_points: Decimal
    target: Decimal | None = Field(description="Chỉ tiêu của chính đơn vị (hoặc chỉ tiêu chung)")
    value: Decimal | None = Field(description="Số liệu đơn vị tự chấm (1/0 cho có/không)")
    known: Decimal | None = Field(description="Số liệu hệ thống lúc đơn vị lưu")
    points: Decimal | None
    checked_points: Decimal | None = Field(description="Điểm cụm trưởng chấm lại")
    note: str
    check_note: str
    evidence: str = Field(description="Tên tệp minh chứng, nếu có")


class SheetOut(Schema):
    id: int
    cluster_id: int
    cluster: str
    year: int
    unit: ClusterUnitRef
    status: SheetStatusCode
    status_label: str
    editable: bool = Field(description="Bạn được sửa bảng điểm này lúc này")
    total: Decimal
    max_total: Decimal
    rank: int
    lines: list[LineOut]


class EntryIn(InSchema):
    criterion_id: int = Field(ge=1, le=MAX_ID)
    value: Decimal | None = Field(None, description="Số liệu, 1/0 (có/không) hoặc số điểm; "
                                  "null để xóa")
    note: str = Field("", max_length=2000, description="Giải trình, minh chứng")


class SheetIn(InSchema):
    entries: list[EntryIn] = Field(max_length=200)
    submit: bool = Field(False, description="Gửi bảng điểm cho cụm trưởng sau khi lưu")
