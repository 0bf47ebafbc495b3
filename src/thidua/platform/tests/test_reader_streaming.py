"""The streaming reader (issue 10 §3): blank rows never end the data, two columns for one field
are refused with both named, an over-long cell is named as such, sheets too large are refused
from what the file declares, and .xlsx/.ods cells come out as python-calamine gave them."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.importer import Columns, data_rows, open_table
from thidua.platform.spreadsheets.reader import NOT_SPREADSHEET, open_sheets, row_limit
from thidua.platform.tests.test_reader import HEADER, blank_rows, build_xlsx, read_rows, xml_row

ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        return (f'<table:table-cell office:value-type="boolean" office:boolean-value='
                f'"{str(value).lower()}"><text:p>x</text:p></table:table-cell>')
    if isinstance(value, float | int):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value='
                f'"{value.isoformat()}"><text:p>x</text:p></table:table-cell>')
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


def build_ods(path: Path, rows: list[str], *, name: str = "Danh sách") -> Path:
    """An OpenDocument spreadsheet whose one table holds the raw `rows` XML."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODS_NS}>'
               f'<office:body><office:spreadsheet><table:table table:name="{name}">'
               + "".join(rows) + "</table:table></office:spreadsheet></office:body>"
               "</office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
    return path


def ods_row(values: list[object], repeat: int = 1) -> str:
    attr = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{attr}>" + "".join(ods_cell(v) for v in values) + "</table:table-row>"


def people(first: int, count: int) -> list[list[str]]:
    return [[f"Người {i}", "Nữ", "08/03/1990", f"0011900{i:05d}", ""]
            for i in range(first, first + count)]


# --------------------------------------------------------------------------------------------
# blank rows are skipped, never the end of the data


def test_csv_five_rows_a_thousand_and_one_blank_lines_five_rows(tmp_path):
    path = tmp_path / "ds.csv"
    lines = [",".join(HEADER)] + [",".join(r) for r in people(1, 5)]
    lines += [""] * 500 + [",,,,"] * 501 + [",".join(r) for r in people(6, 5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = read_rows(path)
    assert len(rows) == 10
    assert rows[-1][0] == 1 + 5 + 1001 + 5


def test_xlsx_five_rows_a_thousand_and_one_blank_rows_five_rows(tmp_path):
    tail = [*blank_rows(7, 1001), *(xml_row(1008 + i, r) for i, r in enumerate(people(6, 5)))]
    path = build_xlsx(tmp_path / "ds.xlsx", tail, data=people(1, 5))
    rows = read_rows(path)
    assert [n for n, _ in rows] == [2, 3, 4, 5, 6, 1008, 1009, 1010, 1011, 1012]


def test_ods_five_rows_a_million_repeated_blank_rows_five_rows(tmp_path):
    """LibreOffice writes runs of empty rows as one repeated row: free to skip."""
    rows = [ods_row(HEADER), *(ods_row(r) for r in people(1, 5)),
            ods_row(["", ""], repeat=1_000_000), *(ods_row(r) for r in people(6, 5))]
    path = build_ods(tmp_path / "ds.ods", rows)
    read = read_rows(path)
    assert [n for n, _ in read] == [2, 3, 4, 5, 6, 1_000_007, 1_000_008, 1_000_009, 1_000_010,
                                    1_000_011]


def test_ods_repeated_rows_and_cells_are_given_as_many_times(tmp_path):
    rows = [ods_row(HEADER), ods_row(["Cùng Tên", "Nam", "", "001", ""], repeat=3),
            '<table:table-row><table:table-cell office:value-type="string" '
            'table:number-columns-repeated="2"><text:p>Hai</text:p></table:table-cell>'
            "<table:table-cell/><table:table-cell table:number-columns-repeated=\"1000\"/>"
            '<table:table-cell office:value-type="float" office:value="7"/></table:table-row>']
    path = build_ods(tmp_path / "lap.ods", rows)
    with open_sheets(path, "lap.ods") as (kind, sheets):
        got = list(next(iter(sheets)))
    assert kind == "ods"
    assert got[1:4] == [(n, ["Cùng Tên", "Nam", "", "001"]) for n in (2, 3, 4)]
    assert got[4][0] == 5 and got[4][1][:3] == ["Hai", "Hai", ""] and got[4][1][-1] == 7.0
    assert len(got[4][1]) == 1004


# --------------------------------------------------------------------------------------------
# duplicate headers

COLUMNS = Columns({"full_name": "Họ và tên", "cccd": "Số CCCD"},
                  {"cccd": ("cccd cmnd", "so cccd")})


def open_people(path: Path) -> list[tuple[int, list[object]]]:
    with open_table(path, None, columns=COLUMNS, accept=lambda k: {"full_name", "cccd"} <= k,
                    not_found="không có tiêu đề") as (_, rows):
        return list(data_rows(rows, limit=row_limit()))


def test_two_columns_with_the_same_header_are_refused_naming_both(tmp_path):
    path = tmp_path / "trung.csv"
    path.write_text("STT,Họ và tên,Giới tính,Số CCCD,Đơn vị,Ghi chú,HỌ VÀ TÊN\n1,An,Nữ,001,,,Bình\n",
                    encoding="utf-8")
    with pytest.raises(ApplicationError) as exc:
        open_people(path)
    assert exc.value.message.startswith(
        "Dòng tiêu đề (dòng 1): cột B và cột G cùng tiêu đề «Họ và tên», nên không biết lấy dữ "
        "liệu ở cột nào.")


def test_two_headers_read_as_one_field_are_refused_naming_both(tmp_path):
    path = build_xlsx(tmp_path / "trung.xlsx", header=["Họ và tên", "Số CCCD", "Ghi chú",
                                                        "CCCD/CMND"])
    with pytest.raises(ApplicationError) as exc:
        open_people(path)
    assert exc.value.message.startswith(
        "Dòng tiêu đề (dòng 1): cột B và cột D («Số CCCD» và «CCCD/CMND») cùng được hiểu là "
        "cột «Số CCCD»")


def test_numbered_columns_of_one_field_may_repeat(tmp_path):
    columns = Columns({"full_name": "Họ và tên", "jobs": "Việc làm"}, {},
                      patterns=((__import__("re").compile(r"^viec lam( \d+)?$"), "jobs"),))
    path = tmp_path / "viec.csv"
    path.write_text("Họ và tên,Việc làm,Việc làm,Việc làm 3\nAn,a,b,c\n", encoding="utf-8")
    with open_table(path, None, columns=columns, accept=lambda k: "full_name" in k,
                    not_found="") as (table, rows):
        read = table.reader(many=["jobs"])
        assert [read(n, c) for n, c in rows][0]["jobs"] == ["a", "b", "c"]


# --------------------------------------------------------------------------------------------
# over-long cells: the true reason, the cell named

TEN_MB = 10 * 1024 * 1024


def test_a_10_mb_csv_cell_is_named_with_its_length(tmp_path):
    path = tmp_path / "dai.csv"
    path.write_text("Họ và tên,Giới tính,Ghi chú,Số CCCD\n" + "An,Nữ,x,001\n" * 3
                    + "Bình,Nam," + "a" * TEN_MB + ",002\n", encoding="utf-8")
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message.startswith(
        "Ô C5 dài 10.485.760 ký tự, vượt giới hạn 32.767 ký tự của một ô Excel.")


def test_a_10_mb_xlsx_cell_is_not_called_a_zip_bomb(tmp_path):
    path = build_xlsx(tmp_path / "dai.xlsx", [xml_row(5, ["Bình", "Nam", "", "002", "a" * TEN_MB])])
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message.startswith("Ô E5 dài 10.485.760 ký tự, vượt giới hạn 32.767 ký tự")


def test_an_over_long_shared_string_is_named_by_the_cell_using_it(tmp_path):
    sst = ('<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org'
           '/spreadsheetml/2006/main"><si><t>ngắn</t></si><si><r><t>' + "b" * 40_000
           + "</t></r></si></sst>")
    path = build_xlsx(tmp_path / "sst.xlsx", ['<row r="7"><c r="C7" t="s"><v>1</v></c></row>'],
                      shared_strings=sst)
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message.startswith("Ô C7 dài 40.000 ký tự")


def test_an_over_long_ods_cell_is_named(tmp_path):
    path = build_ods(tmp_path / "dai.ods", [ods_row(HEADER), ods_row(["An", "", "", "1", "c" * 33_000])])
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message.startswith("Ô E2 dài 33.000 ký tự")


# --------------------------------------------------------------------------------------------
# sheets too large: refused from what the file declares, or as soon as it shows


def test_a_sheet_claiming_more_than_the_limit_is_refused_before_any_row(tmp_path, settings):
    settings.THIDUA_MAX_SHEET_BYTES = 1024 * 1024
    path = build_xlsx(tmp_path / "to.xlsx", blank_rows(5, 30_000))
    with pytest.raises(ApplicationError) as exc, open_sheets(path) as (_, sheets):
        next(iter(sheets))  # the sheet, not yet a row
        pytest.fail("the sheet should be refused")
    assert exc.value.message.startswith("Trang tính «Danh sách» giải nén ra 3 MB, vượt giới hạn 1 MB")


def test_a_sheet_lying_about_its_size_is_cut_at_the_limit(tmp_path, settings):
    from thidua.platform.tests.test_reader import understate_size

    settings.THIDUA_MAX_SHEET_BYTES = 1024 * 1024
    path = build_xlsx(tmp_path / "to.xlsx", blank_rows(5, 30_000))
    understate_size(path, "xl/worksheets/sheet1.xml", 1000)
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message == NOT_SPREADSHEET  # stops at the claimed size: the checksum fails


def test_an_xlsb_is_named_as_such(tmp_path):
    path = tmp_path / "nhi-phan.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with pytest.raises(ApplicationError, match=r"dạng nhị phân \(\.xlsb\)"):
        read_rows(path)


def test_a_document_type_declaration_is_refused(tmp_path):
    """No DTD, so no entity expansion («billion laughs»), in any part."""
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            '"&lol;&lol;&lol;&lol;">]><sst xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    path = build_xlsx(tmp_path / "dtd.xlsx", shared_strings=bomb)
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message == NOT_SPREADSHEET


# --------------------------------------------------------------------------------------------
# cells as python-calamine gave them


def trimmed(cells: list[object]) -> list[object]:
    while cells and cells[-1] == "":
        cells = cells[:-1]
    return cells


def test_cells_come_out_as_calamine_read_them(tmp_path):
    path = tmp_path / "kieu.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Một")
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    custom = wb.add_format({"num_format": '[$-vi-VN]d "tháng" m yyyy'})
    money = wb.add_format({"num_format": "#,##0.00 [$₫-vi-VN]"})
    ws.write_row(0, 0, ["Họ và tên", "Số", "Ngày", "Giờ", "Có", "Tiền", "Ngày 2", "Công thức"])
    ws.write_string(1, 0, "  Nguyễn   Văn A ")
    ws.write_number(1, 1, 85012345)
    ws.write_datetime(1, 2, dt.datetime(1990, 3, 8), day)
    ws.write_datetime(1, 3, dt.datetime(2020, 1, 2, 3, 4), day)
    ws.write_boolean(1, 4, True)
    ws.write_number(1, 5, 1234.5, money)
    ws.write_datetime(1, 6, dt.datetime(2001, 9, 2), custom)
    ws.write_formula(1, 7, '="A"&"B"', None, "AB")
    ws.write_string(2, 0, "Dòng 3")
    ws.write_rich_string(3, 0, "Trần ", wb.add_format({"bold": True}), "Thị B")
    wb.add_worksheet("Hai").write_string(4, 2, "ở C5")
    wb.close()
    calamine = CalamineWorkbook.from_path(str(path))
    expected = [[trimmed(r) for r in calamine.get_sheet_by_index(i).iter_rows() if any(r)]
                for i in range(2)]
    with open_sheets(path) as (_, sheets):
        got = [[trimmed(cells) for _, cells in rows] for rows in sheets]
    assert got[0] == expected[0]
    assert got[0][1][:5] == ["  Nguyễn   Văn A ", 85012345.0, dt.date(1990, 3, 8),
                             dt.datetime(2020, 1, 2, 3, 4), True]
    assert got[0][1][5:] == [1234.5, dt.date(2001, 9, 2), "AB"]
    assert expected[1] == [["ở C5"]]
    assert got[1] == [["", "", "ở C5"]]  # from column A: calamine started at the first cell


def test_dates_of_a_1904_workbook(tmp_path):
    path = tmp_path / "mac.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"date_1904": True})
    ws = wb.add_worksheet()
    ws.write_datetime(0, 0, dt.datetime(2024, 2, 29), wb.add_format({"num_format": "d/m/yyyy"}))
    wb.close()
    with open_sheets(path) as (_, sheets):
        assert list(next(iter(sheets))) == [(1, [dt.date(2024, 2, 29)])]


def test_ods_values(tmp_path):
    rows = [ods_row(HEADER),
            '<table:table-row><table:table-cell office:value-type="string"><text:p>Lê</text:p>'
            '<text:p>Văn<text:s text:c="2"/>C</text:p><office:annotation><text:p>ghi chú'
            "</text:p></office:annotation></table:table-cell>"
            + ods_cell(3.5) + ods_cell(dt.date(1990, 3, 8)) + ods_cell(True)
            + '<table:table-cell office:value-type="date" office:date-value="2020-01-02T03:04:00">'
            "<text:p>x</text:p></table:table-cell></table:table-row>"]
    path = build_ods(tmp_path / "kieu.ods", rows)
    with open_sheets(path) as (_, sheets):
        got = list(next(iter(sheets)))
    assert got[1] == (2, ["Lê\nVăn  C", 3.5, dt.date(1990, 3, 8), True,
                          dt.datetime(2020, 1, 2, 3, 4)])


def test_rows_of_empty_cells_keep_the_numbering_of_rows_without_a_reference(tmp_path):
    """Empty rows are squeezed before parsing; rows that give no r="" still count them."""
    rows = ['<row><c s="1"/><c s="1"/></row>', "<row>\n  <c/>\n</row>",
            '<row><c t="inlineStr"><is><t>Sau</t></is></c><c/><c/><c/><c t="inlineStr"><is><t>9'
            "</t></is></c></row>"]
    path = build_xlsx(tmp_path / "khong-r.xlsx", rows)
    assert read_rows(path)[-1] == (7, ["Sau", "", "", "", "9"])
