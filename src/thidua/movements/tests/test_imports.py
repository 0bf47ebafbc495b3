"""Registration import from Excel and CSV: headers found by folded text, Excel row numbers in the
errors, all-or-nothing unless only valid rows are asked for, and the template round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from thidua.movements.imports import registration_import_file, registration_template
from thidua.movements.models import Registration
from thidua.movements.tests.helpers import YEAR, rule
from thidua.people.services import person_leave_unit
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

HEAD = ["STT", "Họ và tên", "Số CCCD", "Danh hiệu đăng ký", "Việc làm cụ thể 1",
        "Việc làm cụ thể 2"]


def write_xlsx(path: Path, rows: list[list[Any]], *, head: list[str] = HEAD,
               title_rows: int = 2) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Đăng ký")
    for r in range(title_rows):
        ws.write_string(r, 0, f"BẢNG ĐĂNG KÝ THI ĐUA — dòng {r + 1}")
    for c, text in enumerate(head):
        ws.write_string(title_rows, c, text)
    for i, row in enumerate(rows, title_rows + 1):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                ws.write_number(i, c, value)
            elif value:
                ws.write_string(i, c, str(value))
    wb.close()
    return path


@pytest.fixture
def people(world):
    return [make_person(world.to_a1, f"Nguyễn Văn Số {i}", actor=world.admin) for i in range(3)]


def _import(world, path, **kw):
    return registration_import_file(actor=kw.pop("actor", world.officer_cdcs),
                                    unit=kw.pop("unit", world.cdcs_a), year=YEAR, path=path, **kw)


def test_good_file_registers_everyone_in_one_go(world, people, tmp_path):
    rows = [[i, p.full_name, p.cccd, "LDTT, Chiến sĩ thi đua cơ sở" if i == 1 else "ldtt",
             "Không đi muộn", "- Tiết kiệm điện\n- Tự học tiếng Anh" if i == 1 else ""]
            for i, p in enumerate(people, 1)]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows))
    assert result.written and result.created == 3 and not result.errors, result.errors
    first = Registration.objects.get(person=people[0])
    assert {t.code for t in first.titles.all()} == {"LDTT", "CSTDCS"}
    assert [c.text for c in first.commitments.all()] == [
        "Không đi muộn", "Tiết kiệm điện", "Tự học tiếng Anh"]
    assert first.source == "import"
    # the same file again: nothing to do
    again = _import(world, write_xlsx(tmp_path / "dk2.xlsx", rows))
    assert again.written and again.unchanged == 3 and again.created == again.updated == 0


def test_member_codes_and_unit_rows_and_a_csv_file(world, people, tmp_path):
    path = tmp_path / "dk.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Họ và tên", "Mã đoàn viên", "Mã đơn vị", "Danh hiệu", "Việc làm cụ thể"])
        w.writerow([people[0].full_name, people[0].member_code.lower(), "", "LĐTT", "Việc A"])
        w.writerow(["Tổ công đoàn Văn phòng", "", "to-a1", "Tổ công đoàn vững mạnh",
                    "Việc 1\nViệc 2"])
    result = _import(world, path)
    assert result.written and result.created == 2, result.errors
    unit_reg = Registration.objects.get(unit=world.to_a1)
    assert unit_reg.commitment_count == 2


def test_every_problem_is_reported_with_the_excel_row_and_nothing_written(world, people,
                                                                          tmp_path):
    stranger = make_person(world.cdcs_c, "Người Ngoài", actor=world.admin)
    other_branch = make_person(world.cdcs_a, "Lê Thị Mai", gender="nu", actor=world.admin)
    person_leave_unit(actor=world.admin, person=other_branch, date=dt.date(YEAR - 1, 6, 1))
    rows = [
        [1, people[0].full_name, people[0].cccd, "LDTT", "Việc A", ""],  # good: row 4
        [2, people[1].full_name, people[1].cccd, "Anh hùng lao động", "Việc A", ""],  # row 5
        [3, people[2].full_name, people[2].cccd, "TTLDXS", "Việc A", ""],  # row 6
        [4, stranger.full_name, stranger.cccd, "LDTT", "Việc A", ""],  # row 7
        [5, other_branch.full_name, other_branch.cccd, "LDTT", "Việc A", ""],  # row 8
        [6, "Tên Khác Hẳn", people[0].cccd, "LDTT", "", ""],  # row 9: name, and twice
        [7, "", "", "LDTT", "", ""],  # row 10
        [8, people[1].full_name, people[1].cccd, "GVNDVN", "Việc", ""],  # row 11: twice, man
    ]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows))
    assert not result.written
    assert not Registration.objects.exists()
    by_row: dict[int, list[str]] = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(e.message)
    assert set(by_row) == {5, 6, 7, 8, 9, 10, 11}
    assert "Không có danh hiệu «Anh hùng lao động»" in by_row[5][0]
    assert "là danh hiệu tập thể" in by_row[6][0]
    assert "Không tìm thấy người có số CCCD này" in by_row[7][0]  # out of scope: not found
    assert "không có trong danh sách của «Công đoàn Sở Tư pháp»" in by_row[8][0]
    assert "Họ và tên không khớp" in by_row[9][0]
    assert "không có số CCCD, mã đoàn viên hay mã đơn vị" in by_row[10][0]
    assert any("nhiều lần" in m or "dành cho nữ" in m for m in by_row[11])
    assert result.errors[0].column in {"Danh hiệu đăng ký", "Số CCCD", "Họ và tên"}
    assert "Dòng 5" in str(result.errors[0])


def test_valid_only_writes_the_good_rows(world, people, tmp_path):
    rows = [[1, people[0].full_name, people[0].cccd, "LDTT", "Việc A", ""],
            [2, people[1].full_name, people[1].cccd, "XYZ", "Việc A", ""]]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows), valid_only=True)
    assert result.written and result.created == 1 and result.skipped == 1
    assert list(Registration.objects.values_list("person_id", flat=True)) == [people[0].pk]


def test_dry_run_writes_nothing(world, people, tmp_path):
    rows = [[1, people[0].full_name, people[0].cccd, "LDTT", "Việc A", ""]]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows), dry_run=True)
    assert not result.written and result.created == 1
    assert not Registration.objects.exists()


def test_after_the_deadline_every_row_is_refused(world, people, tmp_path):
    rule(world)  # deadline 25/01 of last year: passed today
    rows = [[1, people[0].full_name, people[0].cccd, "LDTT", "Việc A", ""]]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows))
    assert not result.written and "Đã hết hạn đăng ký" in result.errors[0].message


def test_a_member_below_the_minimum(world, people, tmp_path):
    rule(world, deadline=None)
    rows = [[1, people[0].full_name, people[0].cccd, "LDTT", "", ""]]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows))
    assert "ít nhất 1 việc làm cụ thể" in result.errors[0].message
    assert result.errors[0].column == "Việc làm cụ thể 1"


def test_files_that_are_not_registration_tables(world, tmp_path):
    with pytest.raises(ApplicationError, match="Không tìm thấy dòng tiêu đề"):
        _import(world, write_xlsx(tmp_path / "x.xlsx", [], head=["Họ và tên", "Ghi chú"]))
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"MZ\x90\x00 not a spreadsheet")
    with pytest.raises(ApplicationError, match="không phải bảng tính"):
        _import(world, bad)


def test_import_needs_an_officer_inside_the_scope(world, tmp_path):
    path = write_xlsx(tmp_path / "dk.xlsx", [])
    with pytest.raises(NotFoundError):
        _import(world, path, actor=world.outsider)


def test_the_template_holds_the_roster_and_reimports_unchanged(world, people, tmp_path):
    rule(world, deadline=None, pledges=["Quy tắc ứng xử"])
    _import(world, write_xlsx(tmp_path / "dk.xlsx", [
        [1, people[0].full_name, people[0].cccd, "LDTT", "Không đi muộn", "Tự học"]]))
    buffer = io.BytesIO()
    registration_template(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                          path_or_buffer=buffer)
    path = tmp_path / "mau.xlsx"
    path.write_bytes(buffer.getvalue())
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Đăng ký").to_python()
    header = sheet[3]
    assert header[:7] == ["STT", "Mã đơn vị", "Họ và tên", "Số CCCD", "Mã đoàn viên",
                          "Thuộc đơn vị", "Danh hiệu đăng ký"]
    body = {row[2]: row for row in sheet[4:]}
    assert body[people[0].full_name][3] == people[0].cccd  # leading zeros kept
    assert body[people[0].full_name][6] == "Lao động tiên tiến"
    assert body[people[0].full_name][7:9] == ["Không đi muộn", "Tự học"]
    assert body["Tổ công đoàn Văn phòng"][1] == "TO-A1"
    result = _import(world, path)
    assert result.written and result.created == 0 and result.updated == 0, result.errors
    assert result.unchanged == 1 and result.blank == 5  # 2 units, 3 other people
    assert "bỏ trống 5" in result.summary()


def test_excel_row_numbers_follow_title_rows(world, people, tmp_path):
    rows = [[1, people[0].full_name, people[0].cccd, "??", "Việc", ""]]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows, title_rows=5))
    assert result.errors[0].row == 7


def test_cccd_written_as_a_number_is_found(world, tmp_path):
    person = make_person(world.to_a1, "Phạm Thị Hà", gender="nu", actor=world.admin,
                         birth=dt.date(1990, 1, 1))
    assert person.cccd.startswith("00")
    rows = [[1, person.full_name, int(person.cccd), "GVNDVN", "Việc", ""]]
    result = _import(world, write_xlsx(tmp_path / "dk.xlsx", rows))
    assert result.written and result.created == 1, result.errors
