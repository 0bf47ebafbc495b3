"""The error report of an import as .xlsx: the uploaded rows as they were, with a «Lỗi» column
and the bad rows filled red, then the list of errors. Every text cell goes through
`write_string`, so a value such as =HYPERLINK(...) stays text and never becomes a formula."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import IO, Any

import xlsxwriter

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.cells import display
from thidua.platform.spreadsheets.importer import RowError, Table
from thidua.platform.spreadsheets.reader import NOT_SPREADSHEET, Rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FORMAT = {"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1,
                 "align": "center", "valign": "vcenter", "text_wrap": True}
BAD_FORMAT = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}

TableOpener = Callable[[], AbstractContextManager[tuple[Table, Rows]]]


def as_row_errors(errors: Iterable[RowError | Mapping[str, Any]]) -> list[RowError]:
    """Errors as RowErrors, whether given so or as stored dicts (`RowError.as_dict`)."""
    return [e if isinstance(e, RowError) else RowError(
        int(e.get("row") or 0), str(e.get("column") or ""), str(e.get("value") or ""),
        str(e.get("message") or "")) for e in errors]


class _Formats:
    def __init__(self, wb: Any) -> None:
        self.header = wb.add_format(HEADER_FORMAT)
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "dd/mm/yyyy", "align": "center"})
        self.bad = wb.add_format(BAD_FORMAT)
        self.bad_date = wb.add_format({**BAD_FORMAT, "num_format": "dd/mm/yyyy"})


def error_report(target: str | os.PathLike[str] | IO[bytes],
                 errors: Iterable[RowError | Mapping[str, Any]],
                 table: TableOpener | None = None) -> None:
    """Write the report to `target`. `table` reopens the uploaded file (the import's own
    `open_table`); without it, or when the file cannot be read again, only the list."""
    items = as_row_errors(errors)
    by_row: dict[int, list[str]] = defaultdict(list)
    for e in items:
        by_row[e.row].append(f"{e.column}: {e.message}" if e.column else e.message)
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    f = _Formats(wb)
    if table is not None:
        ws = wb.add_worksheet("Dữ liệu và lỗi")
        try:
            _rows(ws, f, table, by_row)
        except ApplicationError as exc:
            ws.write_string(0, 0, exc.message or NOT_SPREADSHEET)
    listing = wb.add_worksheet("Danh sách lỗi")
    for c, width in enumerate((8, 22, 22, 90)):
        listing.set_column(c, c, width)
    _header(listing, f, 0, ["Dòng", "Cột", "Giá trị", "Lỗi"])
    for r, e in enumerate(items, 1):
        if e.row:
            listing.write_number(r, 0, e.row)
        listing.write_string(r, 1, e.column)
        listing.write_string(r, 2, e.value, f.text)
        listing.write_string(r, 3, e.message)
    wb.close()


def _header(ws: Any, f: _Formats, row: int, labels: Iterable[str]) -> None:
    for c, label in enumerate(labels):
        ws.write_string(row, c, label, f.header)
    ws.set_row(row, 30)


def _rows(ws: Any, f: _Formats, opener: TableOpener, by_row: dict[int, list[str]]) -> None:
    with opener() as (table, rows):
        labels = ["Dòng", *table.headers, "Lỗi"]
        last = len(labels) - 1
        ws.set_column(0, 0, 7)
        ws.set_column(1, last - 1, 16)
        ws.set_column(last, last, 70)
        _header(ws, f, 0, labels)
        ws.freeze_panes(1, 0)
        for out, (number, cells) in enumerate(rows, 1):
            problems = by_row.get(number)
            bad = bool(problems)
            ws.write_number(out, 0, number, f.bad if bad else None)
            for c in range(len(table.headers)):
                value = cells[c] if c < len(cells) else None
                _cell(ws, out, c + 1, value, f, bad=bad)
            if problems:
                ws.write_string(out, last, "; ".join(problems), f.bad)


def _cell(ws: Any, row: int, col: int, value: Any, f: _Formats, *, bad: bool) -> None:
    """Any cell value, never as a formula."""
    if value is None or value == "":
        if bad:
            ws.write_blank(row, col, None, f.bad)
        return
    if isinstance(value, bool):
        ws.write_string(row, col, "Có" if value else "Không", f.bad if bad else None)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, f.bad if bad else None)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(row, col, value, f.bad_date if bad else f.date)
    else:
        ws.write_string(row, col, display(value) if not isinstance(value, str) else value,
                        f.bad if bad else None)
