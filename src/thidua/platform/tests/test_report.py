"""The error report: the rows as uploaded with a «Lỗi» column, bad rows filled red, then the
list; formulas stay text."""

from __future__ import annotations

import contextlib
import functools
import re
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from thidua.platform.spreadsheets.importer import Columns, RowError, data_rows, open_table
from thidua.platform.spreadsheets.report import error_report

COLUMNS = Columns({"name": "Họ và tên", "copies": "Số bản"}, {})


def sheet(path: Path, index: int) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(index).to_python(
        skip_empty_area=False)


def red_rows(path: Path) -> set[int]:
    """Row numbers (1-based, as in the sheet XML) of the first sheet whose cells are red."""
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("xl/styles.xml").decode()
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    fills = re.findall(r"<fill>(.*?)</fill>", styles, re.S)
    red_fill = {i for i, f in enumerate(fills) if "FFFFC7CE" in f}
    xfs = re.findall(r"<xf [^>]*?/?>", re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles,
                                                 re.S).group(1))
    red_styles = {i for i, xf in enumerate(xfs)
                  if (m := re.search(r'fillId="(\d+)"', xf)) and int(m.group(1)) in red_fill}
    return {int(m.group(1)) for m in re.finditer(r'<c r="[A-Z]+(\d+)" s="(\d+)"', xml)
            if int(m.group(2)) in red_styles}


@contextlib.contextmanager
def reopen(path: Path):
    with open_table(path, None, columns=COLUMNS, accept=lambda k: "name" in k,
                    not_found="") as (table, rows):
        yield table, data_rows(rows, limit=100)


def test_bad_rows_are_red_with_what_to_fix(tmp_path):
    src = tmp_path / "muon.csv"
    src.write_text("Họ và tên,Số bản\nAn,2\n=HYPERLINK(\"x\"),hai\nChi,1\n", encoding="utf-8")
    out = tmp_path / "loi.xlsx"
    errors = [RowError(3, "Số bản", "hai", "Số bản phải là số nguyên.")]
    error_report(out, errors, functools.partial(reopen, src))
    data = sheet(out, 0)
    assert data[0] == ["Dòng", "Họ và tên", "Số bản", "Lỗi"]
    assert data[1:] == [[2, "An", "2", ""],
                        [3, '=HYPERLINK("x")', "hai", "Số bản: Số bản phải là số nguyên."],
                        [4, "Chi", "1", ""]]
    assert red_rows(out) == {3}  # the sheet's row 3 holds file row 3
    assert sheet(out, 1) == [["Dòng", "Cột", "Giá trị", "Lỗi"],
                             [3, "Số bản", "hai", "Số bản phải là số nguyên."]]
    with zipfile.ZipFile(out) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()


def test_without_the_file_only_the_list(tmp_path):
    out = tmp_path / "loi.xlsx"
    error_report(out, [{"row": 0, "column": "", "value": "", "message": "Tệp hỏng."}])
    assert CalamineWorkbook.from_path(str(out)).sheet_names == ["Danh sách lỗi"]
    assert sheet(out, 0)[1] == ["", "", "", "Tệp hỏng."]
