"""The dashboard's table of children as .xlsx: every child the filter keeps, in the order the
officer chose on the page (the page shows fifty at a time), with the same columns and the same
green and red cells against the targets. Counts are numbers with a thousands separator and the
shares real percentages, so the officer can sum and sort them in Excel; every text goes through
`write_string`, so a unit named =HYPERLINK(...) stays text."""

from __future__ import annotations

import datetime as dt
import os
from typing import IO

import xlsxwriter

from thidua.org.models import Unit
from thidua.platform.spreadsheets.report import HEADER_FORMAT
from thidua.platform.text import vn_date
from thidua.reports.dashboard import ChildRow
from thidua.reports.dashboard_page import COLUMNS, SHARES, ChildOrder, ordered_children
from thidua.reports.statistics_xlsx import fit_height

Target = str | os.PathLike[str] | IO[bytes]
NAME_CHARS = 44  # characters of a unit's name on one line of its column (width 42)
_MET = {"bg_color": "#E2F0D9", "font_color": "#1E5631", "bold": True}
_UNMET = {"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True}


def children_xlsx(rows: list[ChildRow], unit: Unit, year: int, order: ChildOrder,
                  target: Target, *, made_on: dt.date) -> int:
    """Write the workbook; returns the number of children written."""
    shown = ordered_children(rows, order)
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                   "in_memory": True})
    header = wb.add_format(HEADER_FORMAT)
    text = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    formats = {}
    for state, extra in (("", {}), ("met", _MET), ("unmet", _UNMET)):
        formats[state, False] = wb.add_format({"border": 1, "num_format": "#,##0", "valign": "top",
                                             **extra})
        formats[state, True] = wb.add_format({"border": 1, "num_format": "0.0%", "valign": "top",
                                            **extra})
    ws = wb.add_worksheet("Đơn vị trực thuộc")
    ws.write_string(0, 0, f"Đơn vị trực thuộc năm {year} – {unit.name}",
                    wb.add_format({"bold": True, "font_size": 14}))
    note = f"Cây tổ chức tính theo ngày 31/12/{year} · Lập ngày {vn_date(made_on)}"
    if order.query:
        note += f" · Lọc: «{order.query}» ({len(shown)}/{len(rows)} đơn vị)"
    ws.write_string(1, 0, note)
    ws.write_string(2, 0, "Ô xanh: đạt chỉ tiêu; ô đỏ: chưa đạt; ô trống: chưa tính được.")
    r = 4
    for c, label in enumerate(("STT", "Mã đơn vị", "Đơn vị",
                               *(label for _, label, _ in COLUMNS))):
        ws.write_string(r, c, label, header)
    ws.set_row(r, 45)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 42)
    ws.set_column(3, 2 + len(COLUMNS), 13)
    ws.freeze_panes(r + 1, 3)
    for i, row in enumerate(shown, 1):
        r += 1
        ws.write_number(r, 0, i, formats["", False])
        ws.write_string(r, 1, row.code, text)
        ws.write_string(r, 2, row.name, text)
        fit_height(ws, r, row.name, NAME_CHARS)
        for c, (key, _, flag) in enumerate(COLUMNS, 3):
            met = row.met.get(flag) if flag and flag in row.met else None
            state = "" if met is None else "met" if met else "unmet"
            is_share = key in SHARES
            value = row.share(SHARES[key]) if is_share else int(getattr(row, key))
            if value is None:
                ws.write_blank(r, c, None, formats[state, is_share])
            else:
                ws.write_number(r, c, value / 100 if is_share else value,
                                formats[state, is_share])
    if shown:
        ws.autofilter(4, 0, r, 2 + len(COLUMNS))
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(4)
    wb.close()
    return len(shown)
