"""Roster export (same layout as the import, re-imports unchanged, no live formulas, audited),
the empty template and the error report."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from thidua.audit.models import AuditEntry
from thidua.people.exports import (
    EXPORT_COLUMNS,
    TEMPLATE_COLUMNS,
    roster_error_report,
    roster_export,
    roster_template,
)
from thidua.people.imports import roster_import_file
from thidua.people.models import Person
from thidua.people.services import person_create
from thidua.people.tests.test_imports import DAY, person_row, write_xlsx
from thidua.platform.errors import NotFoundError, PermissionDeniedError
from thidua.testing import cccd_for


def sheet_rows(path_or_bytes, index: int = 0) -> list[list]:
    if isinstance(path_or_bytes, bytes):
        wb = CalamineWorkbook.from_filelike(io.BytesIO(path_or_bytes))
    else:
        wb = CalamineWorkbook.from_path(str(path_or_bytes))
    return wb.get_sheet_by_index(index).to_python(skip_empty_area=False)


def sheet_xml(path: Path, name: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode()


def fills_by_style(path: Path) -> dict[int, str]:
    """Style index -> fill colour (ARGB) of an .xlsx, from styles.xml."""
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("xl/styles.xml").decode()
    fills = re.findall(r"<fill>(.*?)</fill>", styles, re.S)
    colours = [(re.search(r'fgColor rgb="(\w+)"', f) or [None, ""])[1] for f in fills]
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    out = {}
    for i, xf in enumerate(re.findall(r"<xf [^>]*?/?>", xfs)):
        m = re.search(r'fillId="(\d+)"', xf)
        out[i] = colours[int(m.group(1))] if m else ""
    return out


def cell_styles(xml: str, row: int) -> dict[str, int]:
    """Column letters -> style index of the cells of one row."""
    block = re.search(rf'<row r="{row}"[^>]*>(.*?)</row>', xml, re.S).group(1)
    return {m.group(1): int(m.group(2) or 0)
            for m in re.finditer(r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?', block)}


@pytest.fixture
def imported(world, tmp_path):
    rows = [person_row(1, group="TO-A1"), person_row(2, gender="Nam"),
            person_row(3, member=False, phone="0912345678", email="a@example.vn"),
            person_row(4, group="TO-A1", position="Tổ trưởng")]
    path = write_xlsx(tmp_path / "nhap.xlsx", rows,
                      columns=["full_name", "gender", "birth_date", "cccd", "ethnicity",
                               "position", "join_date", "is_member", "group", "phone", "email"])
    result = roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path,
                                effective_date=DAY)
    assert result.created == 4
    return rows


def test_export_layout_values_and_types(world, tmp_path, imported):
    out = tmp_path / "xuat.xlsx"
    n = roster_export(actor=world.officer_cdcs, unit=world.cdcs_a, day=DAY, path_or_buffer=out)
    assert n == 5  # four imported + the fixture's member in TO-A1
    rows = sheet_rows(out)
    assert rows[0][0] == "DANH SÁCH NGƯỜI LAO ĐỘNG, ĐOÀN VIÊN CÔNG ĐOÀN"
    assert "Công đoàn Sở Tư pháp — tính đến ngày 01/01/2024" in rows[1][0]
    header = rows[3]
    assert header == [c[0] for c in EXPORT_COLUMNS]
    data = {r[header.index("Số CCCD")]: dict(zip(header, r, strict=True)) for r in rows[4:]}
    first = data[imported[0]["cccd"]]
    assert first["STT"] in (1.0, 1)
    assert first["Họ và tên"] == "Nguyễn Thị Hương 1"
    assert first["Ngày sinh"] == dt.date(1990, 3, 8)  # a real date cell, not text
    assert first["Ngày vào Công đoàn"] == dt.date(2015, 6, 1)
    assert first["Số CCCD"].startswith("001") and isinstance(first["Số CCCD"], str)
    assert first["Đoàn viên"] == "Có" and first["Trạng thái sinh hoạt"] == "Đang sinh hoạt"
    assert first["Tổ công đoàn"] == "TO-A1" and first["Tên đơn vị"] == "Tổ công đoàn Văn phòng"
    assert first["Mã đoàn viên"].startswith("DV")
    third = data[imported[2]["cccd"]]
    assert (third["Đoàn viên"], third["Ngày vào Công đoàn"], third["Tổ công đoàn"]) == (
        "Không", "", "")
    assert (third["Điện thoại"], third["Email"]) == ("0912345678", "a@example.vn")
    # dates are formatted dd/mm/yyyy, the header is styled
    with zipfile.ZipFile(out) as zf:
        styles = zf.read("xl/styles.xml").decode()
    assert 'formatCode="dd/mm/yyyy"' in styles and "FF1F4E79" in styles
    header_styles = set(cell_styles(sheet_xml(out), 4).values())
    assert {fills_by_style(out)[s] for s in header_styles} == {"FF1F4E79"}


def test_export_reimports_unchanged(world, tmp_path, imported):
    out = tmp_path / "xuat.xlsx"
    roster_export(actor=world.officer_cdcs, unit=world.cdcs_a, day=DAY, path_or_buffer=out)
    before = sorted(Person.objects.values_list("pk", "version", "updated_at"))
    result = roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=out,
                                effective_date=DAY)
    assert result.errors == [] and result.warnings == []
    assert (result.total, result.created, result.updated, result.unchanged) == (5, 0, 0, 5)
    assert sorted(Person.objects.values_list("pk", "version", "updated_at")) == before


def test_export_of_a_level_above_reimports_unchanged_there(world, tmp_path, imported):
    out = tmp_path / "xuat.xlsx"
    n = roster_export(actor=world.officer_above, unit=world.cdvc, day=DAY, path_or_buffer=out)
    assert n == 5
    codes = {r[11] for r in sheet_rows(out)[4:]}
    assert codes == {"CDCS-A", "TO-A1"}
    result = roster_import_file(actor=world.officer_above, unit=world.cdvc, path=out,
                                effective_date=DAY)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5), result.errors


def test_export_as_of_a_past_date(world, tmp_path, imported):
    out = tmp_path / "xuat.xlsx"
    # on 01/01/2012 only the fixture's member (since 2010) and people who joined earlier
    n = roster_export(actor=world.officer_cdcs, unit=world.cdcs_a, day=dt.date(2012, 1, 1),
                      path_or_buffer=out)
    assert n == 1
    assert sheet_rows(out)[4][2] == "Trần Thị Ánh"


def test_export_never_writes_a_live_formula(world, tmp_path):
    hostile = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]
    for i, name in enumerate(hostile):
        birth = dt.date(1980, 1, 1 + i)
        person_create(actor=world.officer_cdcs, unit=world.cdcs_a, full_name=name, gender="nam",
                      start_date=DAY, birth_date=birth, cccd=cccd_for(birth, "nam", 800 + i),
                      position="=1+1", email="")
    out = tmp_path / "xuat.xlsx"
    roster_export(actor=world.officer_cdcs, unit=world.cdcs_a, day=DAY, path_or_buffer=out)
    xml = sheet_xml(out)
    assert "<f>" not in xml and "<f " not in xml
    names = [r[2] for r in sheet_rows(out)[4:]]
    for name in hostile:
        assert name in names
    assert "=1+1" in [r[7] for r in sheet_rows(out)[4:]]


def test_export_is_audited_and_needs_officer_role(world, tmp_path, imported):
    buffer = io.BytesIO()
    before = AuditEntry.objects.filter(action="person.export").count()
    roster_export(actor=world.officer_cdcs, unit=world.cdcs_a, day=DAY, path_or_buffer=buffer)
    assert sheet_rows(buffer.getvalue())[3][2] == "Họ và tên"
    entries = list(AuditEntry.objects.filter(action="person.export").order_by("seq"))
    assert len(entries) == before + 1
    assert entries[-1].actor_id == world.officer_cdcs.pk
    assert entries[-1].after["rows"] == 5 and entries[-1].after["date"] == "2024-01-01"
    with pytest.raises(PermissionDeniedError):
        roster_export(actor=world.viewer, unit=world.cdcs_a, day=DAY, path_or_buffer=buffer)
    with pytest.raises(NotFoundError):
        roster_export(actor=world.outsider, unit=world.cdcs_a, day=DAY, path_or_buffer=buffer)
    assert AuditEntry.objects.filter(action="person.export").count() == before + 1


def test_template_has_the_header_and_vietnamese_instructions(world, tmp_path):
    path = tmp_path / "mau.xlsx"
    roster_template(path)
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["Danh sách", "Hướng dẫn"]
    rows = wb.get_sheet_by_index(0).to_python()
    assert rows == [[c[0] for c in TEMPLATE_COLUMNS]]
    guide = [" ".join(str(c) for c in r) for r in wb.get_sheet_by_index(1).to_python()]
    text = "\n".join(guide)
    assert "HƯỚNG DẪN" in text and "«Đoàn viên» ghi «Có» hoặc «Không»" in text
    assert "Nếu để trống: có «Ngày vào Công đoàn» thì hiểu là «Có»" in text
    # the empty template is a valid file with no rows
    result = roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path,
                                effective_date=DAY)
    assert (result.total, result.errors) == (0, [])


def test_filled_template_imports(world, tmp_path):
    import xlsxwriter

    path = tmp_path / "mau.xlsx"
    roster_template(path)
    header = [c[0] for c in TEMPLATE_COLUMNS]
    row = person_row(1)
    filled = tmp_path / "da-dien.xlsx"
    wb = xlsxwriter.Workbook(str(filled))
    ws = wb.add_worksheet()
    values = {"STT": "1", "Họ và tên": row["full_name"], "Giới tính": "Nữ",
              "Ngày sinh": "08/03/1990", "Số CCCD": row["cccd"], "Đoàn viên": "Có",
              "Ngày vào Công đoàn": "01/06/2015", "Tổ công đoàn": "TO-A1"}
    for c, label in enumerate(header):
        ws.write_string(0, c, label)
        ws.write_string(1, c, values.get(label, ""))
    wb.close()
    result = roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=filled,
                                effective_date=DAY)
    assert result.errors == [] and result.created == 1


def test_error_report_marks_bad_rows_in_red_with_a_loi_column(world, tmp_path):
    rows = [person_row(1), person_row(2, cccd="12345"), person_row(3, gender="?")]
    path = write_xlsx(tmp_path / "loi.xlsx", rows, title_rows=1,
                      extra_columns={"STT": "STT"})
    result = roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path,
                                effective_date=DAY)
    assert [e.row for e in result.errors] == [4, 5]
    out = tmp_path / "bao-loi.xlsx"
    roster_error_report(path=path, file_name="loi.xlsx", errors=result.errors,
                        path_or_buffer=out)
    data = sheet_rows(out, 0)
    assert data[0][0] == "Dòng" and data[0][-1] == "Lỗi" and data[0][2] == "Họ và tên"
    assert [r[0] for r in data[1:]] == [3, 4, 5]
    assert data[1][-1] == ""
    assert data[2][-1] == "Số CCCD: Số CCCD phải gồm đúng 12 chữ số."
    assert data[3][-1].startswith("Giới tính: Giới tính phải ghi Nam hoặc Nữ.")
    assert data[2][5] == "12345"
    fills = fills_by_style(out)
    xml = sheet_xml(out)
    assert {fills[s] for s in cell_styles(xml, 3).values()} == {"FFFFC7CE"}  # row of line 4
    assert "FFFFC7CE" not in {fills[s] for s in cell_styles(xml, 2).values()}
    listing = sheet_rows(out, 1)
    assert listing[0] == ["Dòng", "Cột", "Giá trị", "Lỗi"]
    assert listing[1][:3] == [4, "Số CCCD", "12345"]


def test_error_report_of_an_unreadable_file_lists_the_errors(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a spreadsheet at all")
    out = tmp_path / "bao-loi.xlsx"
    roster_error_report(path=junk, file_name="junk.xlsx",
                        errors=[{"row": 0, "column": "", "value": "", "message": "Hỏng."}],
                        path_or_buffer=out)
    assert sheet_rows(out, 0)[0][0] == "Tệp không phải bảng tính Excel (.xlsx) hay CSV hợp lệ."
    assert sheet_rows(out, 1)[1] == ["", "", "", "Hỏng."]
