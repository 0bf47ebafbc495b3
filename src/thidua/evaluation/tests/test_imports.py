"""Ratings from Excel: people found by CCCD or member code, every problem reported with the row
number Excel shows, nothing written unless every row is right; the template round-trips."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from thidua.audit.models import AuditEntry
from thidua.evaluation import services
from thidua.evaluation.imports import ratings_import_file, ratings_template
from thidua.evaluation.models import Rating
from thidua.evaluation.tests.conftest import YEAR, Roster
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

HEAD = ["STT", "Họ và tên", "Số CCCD", "Mã đoàn viên", "Xếp loại", "Số ngày nghỉ",
        "Số ngày nghỉ thai sản", "Số tháng công tác"]


def xlsx(path: Path, rows: list[list[object]], title_rows: int = 2) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Xếp loại")
    for r in range(title_rows):
        ws.write_string(r, 0, "CÔNG ĐOÀN SỞ TƯ PHÁP — XẾP LOẠI NĂM 2024" if r == 0 else "")
    ws.write_row(title_rows, 0, HEAD)
    for n, row in enumerate(rows, start=title_rows + 1):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                ws.write_number(n, c, value)
            elif value is not None:
                ws.write_string(n, c, str(value))
    wb.close()
    return path


def good_rows(roster: Roster) -> list[list[object]]:
    p = roster.people
    return [
        [1, p[0].full_name, p[0].cccd, "", "HTXSNV", 2, 0, None],
        [2, p[1].full_name, "", p[1].member_code, "Hoàn thành tốt nhiệm vụ", 0, 0, 12],
        [3, "", p[2].cccd, "", "htt", None, 150, None],  # name left out: fine
        [4, p[3].full_name, int(p[3].cccd), "", "Hoàn thành", 45, 0, 10],  # CCCD as a number
    ]


def test_a_good_file_is_imported_whole(roster, tmp_path):
    path = xlsx(tmp_path / "xep-loai.xlsx", good_rows(roster))
    result = ratings_import_file(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a,
                                 year=YEAR, path=path)
    assert result.written and not result.errors
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    got = {r.person_id: (r.code, r.absence_days, r.maternity_days, r.service_months)
           for r in Rating.objects.filter(year=YEAR)}
    p = roster.people
    assert got == {p[0].pk: ("HTXSNV", 2, 0, None), p[1].pk: ("HTTNV", 0, 0, 12),
                   p[2].pk: ("HTTNV", 0, 150, None), p[3].pk: ("HTNV", 45, 0, 10)}
    again = ratings_import_file(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a,
                                year=YEAR, path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_csv_file_works_too(roster, tmp_path):
    p = roster.people
    path = tmp_path / "xep-loai.csv"
    path.write_text("Họ và tên;Số CCCD;Xếp loại;Số ngày nghỉ\n"
                    f"{p[0].full_name};{p[0].cccd};HTTNV;3\n", encoding="utf-8-sig")
    result = ratings_import_file(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a,
                                 year=YEAR, path=path)
    assert result.written
    assert Rating.objects.get(person=p[0]).absence_days == 3


def test_a_bad_file_reports_every_row_and_writes_nothing(roster, tmp_path):
    w = roster.world
    stranger = make_person(w.cdcs_c, "Lý Văn Ngoài", actor=w.admin)
    p = roster.people
    rows = good_rows(roster) + [
        [5, stranger.full_name, stranger.cccd, "", "HTTNV", 0, 0, None],  # row 8: off the roster
        [6, "Nguyễn Văn Sai", p[4].cccd, "", "HTTNV", 0, 0, None],  # row 9: wrong name
        [7, p[5].full_name, p[5].cccd, "", "Giỏi", 0, 0, None],  # row 10: unknown rating
        [8, p[5].full_name, "", "", "HTTNV", -1, 0, 13],  # row 11: nobody, bad numbers
        [9, p[0].full_name, p[0].cccd, "", "HTTNV", 0, 0, None],  # row 12: twice (row 4)
        [10, p[1].full_name, p[2].cccd, p[1].member_code, "HTTNV", 0, 0, None],  # row 13
    ]
    path = xlsx(tmp_path / "sai.xlsx", rows)
    result = ratings_import_file(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, path=path)
    assert not result.written and not Rating.objects.exists()
    found = {(e.row, e.column) for e in result.errors}
    assert (8, "Số CCCD") in found
    assert (9, "Họ và tên") in found
    assert (10, "Xếp loại") in found
    assert (11, "Số CCCD") in found
    assert {(4, "Số CCCD"), (12, "Số CCCD")} <= found
    assert (13, "Mã đoàn viên") in found
    assert not {e.row for e in result.errors} & {5, 6, 7}  # the good rows are not blamed
    off = next(e for e in result.errors if e.row == 8)
    assert "không có trong danh sách" in off.message
    # a number of someone outside the officer's scope: not a word on whether it exists
    assert "có trong hệ thống" not in off.message
    assert "Dòng 8, cột «Số CCCD»" in str(off)
    assert "dòng có lỗi" in result.summary()


def test_numbers_are_checked_once_the_person_is_known(roster, tmp_path):
    p = roster.people
    path = xlsx(tmp_path / "so.xlsx", [[1, p[0].full_name, p[0].cccd, "", "HTTNV", "ba", 200, 13]])
    result = ratings_import_file(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a,
                                 year=YEAR, path=path)
    assert {e.column for e in result.errors} == {"Số ngày nghỉ"}
    path = xlsx(tmp_path / "so2.xlsx", [[1, p[0].full_name, p[0].cccd, "", "HTTNV", 0, 200, 13]])
    result = ratings_import_file(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a,
                                 year=YEAR, path=path)
    assert [e.column for e in result.errors] == ["Số tháng công tác"]


def test_a_dry_run_counts_without_writing(roster, tmp_path):
    path = xlsx(tmp_path / "thu.xlsx", good_rows(roster))
    result = ratings_import_file(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a,
                                 year=YEAR, path=path, dry_run=True)
    assert (result.written, result.created) == (False, 4)
    assert not Rating.objects.exists()


def test_refused_files_and_callers(roster, tmp_path):
    w = roster.world
    path = xlsx(tmp_path / "xep-loai.xlsx", good_rows(roster))
    with pytest.raises(NotFoundError):
        ratings_import_file(actor=w.outsider, unit=w.cdcs_a, year=YEAR, path=path)
    services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR)
    with pytest.raises(ApplicationError, match="đã khóa"):
        ratings_import_file(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, path=path)
    headless = tmp_path / "khong-tieu-de.xlsx"
    wb = xlsxwriter.Workbook(str(headless))
    wb.add_worksheet().write_row(0, 0, ["Họ và tên", "Ngày sinh"])
    wb.close()
    with pytest.raises(ApplicationError, match="dòng tiêu đề"):
        ratings_import_file(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR + 1, path=headless)
    fake = tmp_path / "virus.xlsx"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ApplicationError, match="không phải bảng tính"):
        ratings_import_file(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR + 1, path=fake)


def test_the_template_lists_the_roster_and_imports_back(roster, tmp_path):
    w = roster.world
    services.ratings_save(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR,
                          rows=[services.RatingRow(roster.people[0].pk, "HTXSNV", 1, 0)])
    buffer = io.BytesIO()
    assert ratings_template(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, target=buffer) == 6
    path = tmp_path / "mau.xlsx"
    path.write_bytes(buffer.getvalue())
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = sheet[3]
    assert header[:6] == ["STT", "Họ và tên", "Số CCCD", "Mã đoàn viên", "Đơn vị", "Xếp loại"]
    rows = {r[1]: r for r in sheet[4:]}
    assert rows["Trần Thị Ánh"][2] == roster.people[0].cccd  # text, leading zeros kept
    assert rows["Trần Thị Ánh"][5] == "HTXSNV"
    result = ratings_import_file(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, path=path)
    # rows left as the template gave them (nothing filled in) are skipped, not written blank
    assert (result.written, result.unchanged, result.created, result.skipped) == (True, 1, 0, 5)


def test_downloading_the_template_with_whole_cccd_numbers_is_audited(roster, client):
    w = roster.world
    client.force_login(w.officer_cdcs)
    response = client.get(reverse("evaluation:template", args=["CDCS-A", YEAR]))
    assert response.status_code == 200
    [entry] = AuditEntry.objects.filter(action="person.cccd_view", actor=w.officer_cdcs)
    assert entry.after == {"where": "evaluation:ratings-template", "rows": 6}
    assert entry.unit_id == w.cdcs_a.pk
