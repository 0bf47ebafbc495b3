"""API shapes of the union tree. Names, parents and depths are those valid at the requested date."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class UnitNode(Schema):
    code: str = Field(description="Mã đơn vị (không đổi theo thời gian)")
    name: str = Field(description="Tên đơn vị tại ngày được hỏi")
    short_name: str
    type: str = Field(description="Mã loại đơn vị: tld, ldld_tinh, …, cdcs, to_cd")
    type_label: str
    parent: str | None = Field(
        description="Mã đơn vị cấp trên tại ngày được hỏi; null nếu không có hoặc ngoài phạm vi "
        "được xem"
    )
    depth: int = Field(description="Cấp trong cây (1 = gốc)")
    valid_from: dt.date = Field(description="Ngày bắt đầu theo dõi đơn vị trên hệ thống")
    founded_on: dt.date | None = Field(description="Ngày thành lập; null khi chưa rõ")
    valid_to: dt.date | None = Field(description="Ngày chấm dứt (không còn hiệu lực từ ngày này)")
    children: list[UnitNode] | None = Field(
        None, description="Đơn vị trực thuộc; chỉ có khi gọi với nested=true"
    )


class UnitRef(Schema):
    code: str
    name: str
    type: str


class UnitStats(Schema):
    workers: int = Field(description="Số CBCCVCLĐ")
    members: int = Field(description="Số đoàn viên")
    women: int
    women_members: int
    members_active: int
    members_suspended: int
    units: dict[str, int] = Field(
        description="Số đơn vị theo loại, tính các đơn vị ở dưới đơn vị này"
    )


class UnitDetail(Schema):
    code: str
    name: str
    short_name: str
    type: str
    type_label: str
    parent: str | None
    depth: int
    valid_from: dt.date
    founded_on: dt.date | None
    valid_to: dt.date | None
    date: dt.date = Field(description="Ngày mà tên, vị trí và số liệu được tính")
    stats: UnitStats
    issuers: list[UnitRef] = Field(
        description="Các đơn vị có thể khen thưởng đơn vị này: cấp trên và tuyến khen thưởng"
    )


class UnitEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: dt.date
    decision: str
    note: str
    units_before: list[str]
    units_after: list[str]


UnitNode.model_rebuild()
