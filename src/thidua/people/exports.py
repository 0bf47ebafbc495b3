"""Roster workbooks: the export of a subtree (in the import's own layout, so it re-imports
unchanged), the empty template with its instructions, and the error report of an import (the
platform report over the roster's own reading of the file).

Every text cell goes through `write_string`: a name such as =HYPERLINK(...) stays text and never
becomes a live formula (xlsxwriter's `write` would turn it into one)."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Mapping
from typing import IO, Any

import xlsxwriter
from django.db import transaction
from django.db.models import OuterRef, Subquery

from thidua.accounts.models import Role
from thidua.audit.services import audit_record
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import require
from thidua.org.selectors import version_at
from thidua.people.imports import HEADERS, open_table
from thidua.people.models import Membership, MembershipStatus
from thidua.people.selectors import roster
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.importer import RowError
from thidua.platform.spreadsheets.report import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from thidua.platform.spreadsheets.report import error_report
from thidua.platform.text import vn_date

# (header, width, kind); kind: text, date, number
EXPORT_COLUMNS: list[tuple[str, int, str]] = [
    ("STT", 6, "number"),
    (HEADERS["member_code"], 15, "text"),
    (HEADERS["full_name"], 28, "text"),
    (HEADERS["gender"], 9, "text"),
    (HEADERS["birth_date"], 12, "date"),
    (HEADERS["cccd"], 15, "text"),
    (HEADERS["ethnicity"], 10, "text"),
    (HEADERS["position"], 22, "text"),
    (HEADERS["is_member"], 10, "text"),
    (HEADERS["join_date"], 13, "date"),
    ("Trạng thái sinh hoạt", 18, "text"),
    (HEADERS["group"], 18, "text"),
    ("Tên đơn vị", 36, "text"),
    (HEADERS["phone"], 14, "text"),
    (HEADERS["email"], 26, "text"),
]
TEMPLATE_COLUMNS: list[tuple[str, int, str]] = [
    ("STT", 6, "number"),
    (HEADERS["full_name"], 28, "text"),
    (HEADERS["gender"], 9, "text"),
    (HEADERS["birth_date"], 12, "date"),
    (HEADERS["cccd"], 15, "text"),
    (HEADERS["ethnicity"], 10, "text"),
    (HEADERS["position"], 22, "text"),
    (HEADERS["is_member"], 10, "text"),
    (HEADERS["join_date"], 13, "date"),
    (HEADERS["group"], 18, "text"),
    (HEADERS["phone"], 14, "text"),
    (HEADERS["email"], 26, "text"),
    ("Ghi chú", 24, "text"),
]
STATUS_LABELS = {MembershipStatus.ACTIVE: "Đang sinh hoạt",
                 MembershipStatus.SUSPENDED: "Tạm dừng sinh hoạt"}
GENDER_LABELS = {"nam": "Nam", "nu": "Nữ"}

INSTRUCTIONS: list[str] = [
    "HƯỚNG DẪN GHI DANH SÁCH NGƯỜI LAO ĐỘNG, ĐOÀN VIÊN",
    "",
    "1. Mỗi người ghi một dòng ở trang «Danh sách». Không đổi tên các cột; có thể đổi thứ tự "
    "cột, thêm cột khác (STT, Ghi chú…) — hệ thống bỏ qua các cột không có trong bảng dưới.",
    "2. Dòng tiêu đề phải nằm trong 20 dòng đầu của trang; phía trên có thể ghi tên đơn vị, "
    "tiêu đề danh sách.",
    "3. Ngày ghi theo dạng ngày/tháng/năm (ví dụ 17/05/1985) hoặc định dạng ngày của Excel.",
    "4. Số CCCD gồm đúng 12 chữ số; nên để ô ở dạng Văn bản (Text) để giữ số 0 ở đầu. Số CCCD "
    "được đối chiếu với năm sinh và giới tính.",
    "5. Cột «Đoàn viên» ghi «Có» hoặc «Không». Nếu để trống: có «Ngày vào Công đoàn» thì hiểu "
    "là «Có», không có thì hiểu là «Không». Đoàn viên phải có «Ngày vào Công đoàn».",
    "6. Cột «Tổ công đoàn» (không bắt buộc) ghi mã hoặc tên một đơn vị trực thuộc đơn vị được "
    "chọn khi nhập (tổ công đoàn, công đoàn bộ phận…). Để trống: người mới thuộc thẳng đơn vị "
    "được chọn; người đã có trong đơn vị giữ nguyên nơi sinh hoạt.",
    "7. Người đã có trong hệ thống (cùng số CCCD) được cập nhật các thông tin thay đổi; ô để "
    "trống ở các cột không bắt buộc thì giữ nguyên thông tin đã lưu. Ghi một tổ khác thì người "
    "đó được chuyển sang tổ mới từ ngày hiệu lực của lần nhập. Người đang do đơn vị khác quản "
    "lý không nhập được: đề nghị đơn vị đó làm thủ tục chuyển sinh hoạt.",
    "8. Nhập danh sách không chấm dứt tư cách đoàn viên của ai: người đang là đoàn viên mà ghi "
    "«Không» chỉ được nhắc lại để kiểm tra. Việc ra khỏi tổ chức Công đoàn ghi trên trang hồ sơ.",
    "9. Mã đoàn viên do hệ thống cấp; cột «Mã đoàn viên» trong tệp (nếu có) không được dùng.",
    "10. Có dòng sai thì không dòng nào được ghi, trừ khi chọn «Chỉ nhập các dòng hợp lệ». "
    "Báo cáo lỗi tải về là chính danh sách đã gửi, thêm cột «Lỗi», các dòng sai tô đỏ.",
    "11. Nhập lại cùng một tệp không làm thay đổi gì. Mỗi người chỉ ghi một lần: hai dòng "
    "trùng số CCCD đều bị báo lỗi.",
    "12. Bảng tính dừng đọc sau 1.000 dòng trống liên tiếp. Tệp tối đa 20 MB; .xlsx hoặc CSV "
    "(bảng mã UTF-8, dấu phân cách phẩy hoặc chấm phẩy).",
]
COLUMN_HELP: list[tuple[str, str, str, str]] = [
    (HEADERS["full_name"], "Bắt buộc", "Họ, chữ đệm và tên, có dấu", "Nguyễn Thị Hương"),
    (HEADERS["gender"], "Bắt buộc", "Nam hoặc Nữ", "Nữ"),
    (HEADERS["birth_date"], "Nên có", "ngày/tháng/năm", "08/03/1990"),
    (HEADERS["cccd"], "Bắt buộc", "12 chữ số, ô dạng văn bản", "001190012345"),
    (HEADERS["ethnicity"], "Không", "Tên dân tộc", "Kinh"),
    (HEADERS["position"], "Không", "Chức vụ, chức danh", "Chuyên viên"),
    (HEADERS["is_member"], "Không", "Có hoặc Không (xem mục 5)", "Có"),
    (HEADERS["join_date"], "Bắt buộc với đoàn viên", "ngày/tháng/năm, không sau ngày hiệu lực",
     "01/06/2015"),
    (HEADERS["group"], "Không", "Mã hoặc tên đơn vị trực thuộc (xem mục 6)", "Tổ Văn phòng"),
    (HEADERS["phone"], "Không", "Số điện thoại", "0912345678"),
    (HEADERS["email"], "Không", "Địa chỉ thư điện tử", "huong@example.vn"),
]


class _Formats:
    def __init__(self, wb: Any) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.subtitle = wb.add_format({"italic": True})
        self.header = wb.add_format({
            "bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1,
            "align": "center", "valign": "vcenter", "text_wrap": True})
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "dd/mm/yyyy", "align": "center"})
        self.number = wb.add_format({"align": "center"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})


def _columns(ws: Any, f: _Formats, columns: list[tuple[str, int, str]], first: int = 0) -> None:
    for i, (_, width, kind) in enumerate(columns, first):
        fmt = {"text": f.text, "date": f.date, "number": f.number}[kind]
        ws.set_column(i, i, width, fmt)


def _header(ws: Any, f: _Formats, row: int, labels: Iterable[str]) -> None:
    for c, label in enumerate(labels):
        ws.write_string(row, c, label, f.header)
    ws.set_row(row, 30)


def _name_of(target: str | os.PathLike[str] | IO[bytes]) -> str:
    return os.path.basename(os.fspath(target)) if isinstance(target, str | os.PathLike) else ""


def roster_export(*, actor: Actor, unit: Unit, day: dt.date,
                  path_or_buffer: str | os.PathLike[str] | IO[bytes]) -> int:
    """Write the roster of `unit`'s subtree as of `day` (the tree as it stood then) to .xlsx, in
    the import layout with a title above the header. Returns the number of people written.
    Personal data (CCCD in full): officers only, and every export is audited."""
    require(actor, unit.path, Role.OFFICER)
    version = version_at(unit, day)
    if version is None:
        raise ApplicationError(f"Đơn vị «{unit.name}» không hoạt động vào ngày {vn_date(day)}.")
    names = dict(UnitVersion.objects.at(day).subtree(version.path).values_list("unit_id", "name"))
    first_join = Subquery(
        Membership.objects.filter(person=OuterRef("person_id"), valid_from__lte=day)
        .order_by("valid_from").values("valid_from")[:1]
    )
    qs = roster(user=actor, unit_path=version.path, day=day).annotate(first_join=first_join)

    target = os.fspath(path_or_buffer) if isinstance(path_or_buffer, str | os.PathLike) \
        else path_or_buffer
    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False})
    f = _Formats(wb)
    ws = wb.add_worksheet("Danh sách")
    _columns(ws, f, EXPORT_COLUMNS)
    ws.write_string(0, 0, "DANH SÁCH NGƯỜI LAO ĐỘNG, ĐOÀN VIÊN CÔNG ĐOÀN", f.title)
    ws.write_string(1, 0, f"{version.name} — tính đến ngày {vn_date(day)}", f.subtitle)
    head = 3
    _header(ws, f, head, [c[0] for c in EXPORT_COLUMNS])
    ws.freeze_panes(head + 1, 0)
    count = 0
    for emp in qs.iterator(chunk_size=2000):
        p = emp.person
        count += 1
        r = head + count
        status = getattr(emp, "member_status", None)  # annotated by the roster selector
        member = status is not None
        in_group = emp.unit_id != unit.pk
        cells: list[Any] = [
            count, p.member_code or "", p.full_name, GENDER_LABELS.get(p.gender, p.gender),
            p.birth_date, p.cccd or "", p.ethnicity, p.position, "Có" if member else "Không",
            (p.union_joined_on or emp.first_join) if member else None,
            STATUS_LABELS.get(status, "") if status is not None else "",
            emp.unit.code if in_group else "", names.get(emp.unit_id, emp.unit.name),
            p.phone, p.email,
        ]
        for c, value in enumerate(cells):
            if value is None or value == "":
                continue
            kind = EXPORT_COLUMNS[c][2]
            if kind == "number":
                ws.write_number(r, c, value, f.number)
            elif kind == "date":
                ws.write_datetime(r, c, value, f.date)
            else:
                ws.write_string(r, c, str(value), f.text)
    ws.autofilter(head, 0, head + max(count, 1), len(EXPORT_COLUMNS) - 1)
    wb.close()
    with transaction.atomic():
        audit_record(actor=actor, action="person.export", object_type="unit",
                     object_id=unit.code, unit_id=unit.pk,
                     after={"date": day, "rows": count, "file": _name_of(path_or_buffer),
                            "format": "xlsx"})
    return count


def roster_template(path_or_buffer: str | os.PathLike[str] | IO[bytes]) -> None:
    """The empty roster: the header row (text cells for CCCD and phone, date cells for dates,
    drop-downs for Giới tính and Đoàn viên) and the instructions sheet «Hướng dẫn»."""
    target = os.fspath(path_or_buffer) if isinstance(path_or_buffer, str | os.PathLike) \
        else path_or_buffer
    wb = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    f = _Formats(wb)
    ws = wb.add_worksheet("Danh sách")
    _columns(ws, f, TEMPLATE_COLUMNS)
    _header(ws, f, 0, [c[0] for c in TEMPLATE_COLUMNS])
    ws.freeze_panes(1, 0)
    labels = [c[0] for c in TEMPLATE_COLUMNS]
    for label, choices in ((HEADERS["gender"], ["Nam", "Nữ"]),
                           (HEADERS["is_member"], ["Có", "Không"])):
        col = labels.index(label)
        ws.data_validation(1, col, 20000, col, {
            "validate": "list", "source": choices, "error_title": label,
            "error_message": f"Chỉ ghi {' hoặc '.join(choices)}."})
    guide = wb.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 26)
    guide.set_column(1, 1, 22)
    guide.set_column(2, 2, 48)
    guide.set_column(3, 3, 22)
    row = 0
    for i, line in enumerate(INSTRUCTIONS):
        guide.write_string(row, 0, line, f.title if i == 0 else None)
        row += 1
    row += 1
    _header(guide, f, row, ["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for cells in COLUMN_HELP:
        row += 1
        for c, text in enumerate(cells):
            guide.write_string(row, c, text, f.text if c == 3 else f.wrap)
    wb.close()


def roster_error_report(*, path: str | os.PathLike[str] | None, file_name: str,
                        errors: Iterable[RowError | Mapping[str, Any]],
                        path_or_buffer: str | os.PathLike[str] | IO[bytes]) -> None:
    """The uploaded rows as they were, with a «Lỗi» column and the bad rows in red, then the list
    of errors. When the file itself cannot be read again, only the list."""
    reopen = functools.partial(open_table, path, file_name) if path is not None else None
    error_report(path_or_buffer, errors, reopen)
