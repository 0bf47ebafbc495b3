"""The statistics report and the Ministry's form 0602 as .xlsx workbooks (xlsxwriter, the
header style of `platform.spreadsheets.report`): a title, the parameters, the table with
Vietnamese headers and a totals row, numbers as numbers with a thousands separator. Every text
goes through `write_string`, so a name such as =HYPERLINK(...) stays text."""

from __future__ import annotations

import datetime as dt
import os
from itertools import groupby
from typing import IO, Any

import xlsxwriter

from thidua.platform.spreadsheets.report import HEADER_FORMAT
from thidua.platform.text import vn_date
from thidua.reports.form0602 import CIRCULAR, FORM_CODE, TITLE, Form0602
from thidua.reports.statistics import Table

Target = str | os.PathLike[str] | IO[bytes]
LABEL_CHARS = 52  # characters of a row label on one line of the form's first column (width 44)
ROW_LABEL_CHARS = 52  # the same for the statistics table's first column (width 50)


def _workbook(target: Target) -> Any:
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    return xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                     "in_memory": True})


def statistics_xlsx(table: Table, target: Target, *, title: str, unit_name: str,
                    params: list[tuple[str, str]], made_on: dt.date) -> None:
    wb = _workbook(target)
    header = wb.add_format(HEADER_FORMAT)
    bold = wb.add_format({"bold": True})
    number = wb.add_format({"num_format": "#,##0", "border": 1, "valign": "top"})
    text = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    total_text = wb.add_format({"bold": True, "border": 1, "top": 2, "bg_color": "#F2F2F2"})
    total_number = wb.add_format({"bold": True, "border": 1, "top": 2, "bg_color": "#F2F2F2",
                                  "num_format": "#,##0"})
    ws = wb.add_worksheet("Thống kê")
    ws.write_string(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, f"{unit_name} · Lập ngày {vn_date(made_on)}")
    r = 3
    for label, value in params:
        ws.write_string(r, 0, label, bold)
        ws.write_string(r, 1, value)
        r += 1
    r += 1
    two_rows = any(col for col, _ in table.headers)
    ws.set_column(0, 0, 50)
    for c, key in enumerate(table.value_keys, 1):
        ws.set_column(c, c, 18 if key == "cash" else 13)
    if two_rows:
        ws.merge_range(r, 0, r + 1, 0, table.row_header, header)
        c = 1
        for col, width in table.column_groups:
            if width > 1:
                ws.merge_range(r, c, r, c + width - 1, col, header)
            else:
                ws.write_string(r, c, col, header)
            c += width
        for c, (_, value) in enumerate(table.headers, 1):
            ws.write_string(r + 1, c, value, header)
        ws.set_row(r, 30)
        ws.set_row(r + 1, 30)
        r += 2
    else:
        ws.write_string(r, 0, table.row_header, header)
        for c, (_, value) in enumerate(table.headers, 1):
            ws.write_string(r, c, value, header)
        ws.set_row(r, 30)
        r += 1
    ws.freeze_panes(r, 1)
    for line in table.rows:
        ws.write_string(r, 0, line.label, text)
        fit_height(ws, r, line.label, ROW_LABEL_CHARS)
        for c, v in enumerate(line.cells, 1):
            ws.write_number(r, c, v, number)
        r += 1
    if not table.rows:
        ws.write_string(r, 0, "Không có khen thưởng nào khớp các điều kiện.", text)
        r += 1
    ws.write_string(r, 0, "Tổng cộng", total_text)
    for c, v in enumerate(table.totals or [0] * len(table.headers), 1):
        ws.write_number(r, c, v, total_number)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    wb.close()


def form0602_xlsx(form: Form0602, target: Target, *, made_on: dt.date) -> None:
    wb = _workbook(target)
    f = {
        "bold": wb.add_format({"bold": True}),
        "italic": wb.add_format({"italic": True}),
        "title": wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
        "center": wb.add_format({"align": "center", "italic": True}),
        "head": wb.add_format({**HEADER_FORMAT, "font_size": 9}),
        "label": wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"}),
        "label_bold": wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter",
                                     "bold": True}),
        "code": wb.add_format({"border": 1, "align": "center", "valign": "vcenter"}),
        "number": wb.add_format({"border": 1, "num_format": "#,##0", "align": "center",
                                 "valign": "vcenter"}),
        "number_bold": wb.add_format({"border": 1, "num_format": "#,##0", "align": "center",
                                      "valign": "vcenter", "bold": True}),
        "empty": wb.add_format({"border": 1, "bg_color": "#F2F2F2"}),
        "note": wb.add_format({"text_wrap": True, "valign": "top", "font_size": 9}),
    }
    ws = wb.add_worksheet("Biểu 0602")
    cols = form.columns
    last = 3 + len(cols)
    mid = max(last // 2, 4)
    ws.write_string(0, 0, f"Biểu số: {FORM_CODE}", f["bold"])
    ws.write_string(1, 0, CIRCULAR)
    ws.write_string(2, 0, "Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo")
    ws.write_string(0, mid, f"Đơn vị báo cáo: {form.unit_name}", f["bold"])
    ws.write_string(1, mid, "Đơn vị nhận báo cáo: ……………………")
    ws.merge_range(4, 0, 4, last, TITLE, f["title"])
    ws.merge_range(5, 0, 5, last, f"Năm báo cáo: {form.year} (kỳ báo cáo từ {vn_date(form.start)} đến "
                   f"{vn_date(form.end)})", f["center"])
    h = 7
    for c, label in ((0, ""), (1, "Mã số"), (2, "Đơn vị tính"), (3, "Tổng số")):
        ws.merge_range(h, c, h + 3, c, label, f["head"])
    _merge(ws, h, 4, h, last, "Chia ra", f["head"])
    c = 4
    for group, block in groupby(cols, key=lambda col: (col.group, col.group_label)):
        items = list(block)
        subs = [(label, list(b)) for label, b in groupby(items, key=lambda col: col.label)]
        has_subs = any(label for label, _ in subs)
        end = c + len(items) - 1
        if has_subs:
            _merge(ws, h + 1, c, h + 1, end, group[1], f["head"])
            s = c
            for label, b in subs:
                _merge(ws, h + 2, s, h + 2, s + len(b) - 1, label, f["head"])
                s += len(b)
        else:
            _merge(ws, h + 1, c, h + 2, end, group[1], f["head"])
        for i, col in enumerate(items):
            ws.write_string(h + 3, c + i, "Tập thể" if col.kind == "tap_the" else "Cá nhân",
                            f["head"])
        _merge(ws, h + 4, c, h + 4, end, group[0], f["head"])
        c = end + 1
    for c, label in enumerate(("A", "B", "C", "1")):
        ws.write_string(h + 4, c, label, f["head"])
    ws.set_row(h + 1, 42)
    ws.set_row(h + 2, 42)
    r = h + 5
    for row, total, cells in form.rows:
        ws.write_string(r, 0, row.label, f["label_bold"] if row.heading else f["label"])
        fit_height(ws, r, row.label, LABEL_CHARS)
        ws.write_string(r, 1, row.code, f["code"])
        ws.write_string(r, 2, row.unit, f["code"])
        num = f["number_bold"] if row.heading else f["number"]
        if total is None:
            ws.write_blank(r, 3, None, f["empty"])
        else:
            ws.write_number(r, 3, total, num)
        for i, v in enumerate(cells, 4):
            if v is None:
                ws.write_blank(r, i, None, f["empty"])
            else:
                ws.write_number(r, i, v, num)
        r += 1
    r += 1
    ws.write_string(r, 0, "Ghi chú:", f["bold"])
    for note in form.notes:
        r += 1
        ws.merge_range(r, 0, r, last, note, f["note"])
        ws.set_row(r, 30)
    r += 2
    ws.write_string(r, mid, f"……, ngày {made_on.day:02d} tháng {made_on.month:02d} năm "
                            f"{made_on.year}", f["italic"])
    ws.write_string(r + 1, 0, "Người lập biểu", f["bold"])
    ws.write_string(r + 1, mid, "Thủ trưởng đơn vị", f["bold"])
    ws.write_string(r + 2, 0, "(Ký, họ tên)", f["italic"])
    ws.write_string(r + 2, mid, "(Ký, họ tên, đóng dấu)", f["italic"])
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 6)
    ws.set_column(2, 2, 12)
    ws.set_column(3, last, 9)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    wb.close()


def fit_height(ws: Any, row: int, text: str, chars: int) -> None:
    """Give a wrapped label the lines it needs: spreadsheet programs do not always grow a row
    written with wrapped text by themselves."""
    if len(text) > chars:
        ws.set_row(row, 15 * -(-len(text) // chars))


def _merge(ws: Any, r0: int, c0: int, r1: int, c1: int, text: str, fmt: Any) -> None:
    if (r0, c0) == (r1, c1):
        ws.write_string(r0, c0, text, fmt)
    else:
        ws.merge_range(r0, c0, r1, c1, text, fmt)
