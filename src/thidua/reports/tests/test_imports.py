"""Imports of Party candidates and welfare beneficiaries from Excel: a good file, a dry run, and
bad rows refused with the row, the column and a Vietnamese reason, nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.reports import selectors
from thidua.reports.imports import (
    amount_of,
    import_template,
    occasion_of,
    party_import_file,
    welfare_import_file,
)
from thidua.reports.models import Beneficiary, PartyCandidate, WelfareActivity
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db


def _xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_string(0, 0, "DANH SÁCH")
    ws.write_row(2, 0, header)
    for i, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(3 + i, c, dt.datetime.combine(v, dt.time()),
                                  wb.add_format({"num_format": "dd/mm/yyyy"}))
            elif v is not None:
                ws.write(3 + i, c, v)
    wb.close()
    return path


PARTY = ["STT", "Họ và tên", "Số CCCD", "Ngày giới thiệu", "Ngày kết nạp", "Ghi chú"]


def test_party_file_good_then_dry_run_then_again(world: World, tmp_path: Path):
    b = make_person(world.cdcs_a, "Lê Văn Bình", birth=dt.date(1988, 2, 2), actor=world.admin)
    m = world.member
    path = _xlsx(tmp_path / "dang.xlsx", PARTY, [
        [1, m.full_name, m.cccd, dt.date(2017, 3, 1), dt.date(2017, 11, 7), ""],
        [2, "Lê Văn Bình", b.cccd, "05/05/2017", None, "chờ kết nạp"],
    ])
    dry = party_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path, dry_run=True)
    assert not dry.written and dry.created == 2 and not dry.errors
    assert not PartyCandidate.objects.exists()
    done = party_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    assert done.written and done.summary() == ("Đã nhập 2 dòng: thêm mới 2, cập nhật 0, "
                                               "không đổi 0.")
    counts = selectors.party_counts(world.cdvc, 2017, 2017)
    assert (counts.introduced, counts.admitted) == (2, 1)
    again = party_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    assert (again.created, again.unchanged) == (0, 2)
    assert PartyCandidate.objects.count() == 2


def test_party_file_bad_rows_in_vietnamese(world: World, tmp_path: Path):
    c_person = make_person(world.cdcs_c, "Ngô Văn Cờ", actor=world.admin)
    m = world.member
    path = _xlsx(tmp_path / "dang.xlsx", PARTY, [
        [1, m.full_name, m.cccd, "31/02/2017", None, ""],
        [2, "Ngô Văn Cờ", c_person.cccd, dt.date(2017, 3, 1), None, ""],
        [3, "Tên Khác", m.cccd, dt.date(2017, 3, 1), None, ""],
        [4, m.full_name, m.cccd, dt.date(2017, 3, 1), dt.date(2017, 1, 1), ""],
        [5, m.full_name, "", dt.date(2017, 3, 1), None, ""],
    ])
    result = party_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    assert not result.written and not PartyCandidate.objects.exists()
    by_row = {e.row: str(e) for e in result.errors}
    assert "Dòng 4, cột «Ngày giới thiệu», giá trị «31/02/2017»" in by_row[4]
    assert "không đọc được" in by_row[4]
    assert "không có trong danh sách của «Công đoàn Sở Tư pháp»" in by_row[5]
    assert "Họ và tên không khớp" in by_row[6]
    assert "trước ngày giới thiệu" in by_row[7]
    assert "Cần Số CCCD hoặc Mã đoàn viên" in by_row[8]
    assert "chưa ghi dòng nào" in result.summary()


def test_party_file_refusals(world: World, tmp_path: Path):
    path = _xlsx(tmp_path / "x.xlsx", ["Họ và tên", "Ngày sinh"], [["A", "01/01/1990"]])
    with pytest.raises(ApplicationError, match="Không tìm thấy dòng tiêu đề"):
        party_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    with pytest.raises(NotFoundError):
        party_import_file(actor=world.outsider, unit=world.cdcs_a, path=path)


WELFARE = ["Ngày", "Dịp", "Nguồn kinh phí", "Họ và tên", "Số CCCD", "Số tiền (đồng)",
           "Hình thức", "Ghi chú"]


def test_welfare_file_makes_one_activity_per_day_and_occasion(world: World, tmp_path: Path):
    m = world.member
    path = _xlsx(tmp_path / "chamlo.xlsx", WELFARE, [
        [dt.date(2023, 3, 8), "8/3", "", m.full_name, m.cccd, "500.000", "", ""],
        [dt.date(2023, 3, 8), "Quốc tế Phụ nữ 8/3", "", "Nguyễn Thị Hưu", "", 300000, "Hiện vật",
         "đã nghỉ hưu"],
        ["20/10/2023", "20-10", "Cơ quan, đơn vị", m.full_name, m.cccd, "200.000 đ", "", ""],
        [dt.date(2023, 6, 1), "Khám sức khỏe", "", "Lê Thị Khám", None, 150000, "tiền mặt", ""],
    ])
    dry = welfare_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path,
                              dry_run=True)
    assert not dry.errors and not dry.written and not WelfareActivity.objects.exists()
    done = welfare_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    assert done.written and done.created == 4
    assert WelfareActivity.objects.count() == 3
    women = WelfareActivity.objects.get(occasion="8_3")
    assert [(b.name, b.amount, b.gift) for b in women.beneficiaries.order_by("pk")] == [
        ("Trần Thị Ánh", 500_000, "tien_mat"), ("Nguyễn Thị Hưu", 300_000, "hien_vat")]
    assert WelfareActivity.objects.get(occasion="20_10").funding == "co_quan_dv"
    counts = selectors.welfare_counts(world.cdvc, 2023, 2023)
    assert [c for c, _, _ in counts.occasions()] == ["8_3", "20_10", "KHAM_SK"]
    assert counts.total.amount == 1_150_000


def test_welfare_file_bad_rows(world: World, tmp_path: Path):
    m = world.member
    path = _xlsx(tmp_path / "chamlo.xlsx", WELFARE, [
        [dt.date(2023, 3, 8), "1/5", "", m.full_name, m.cccd, 100, "", ""],
        [dt.date(2023, 3, 8), "8/3", "Quỹ đen", m.full_name, m.cccd, "năm trăm", "Vé xem phim", ""],
        [None, "8/3", "", "Ai Đó", "", 100, "", ""],
        [dt.date(2023, 3, 8), "8/3", "", m.full_name, m.cccd, 100, "", ""],
        [dt.date(2023, 3, 8), "8/3", "", m.full_name, m.cccd, 100, "", ""],
    ])
    result = welfare_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    assert not result.written and not Beneficiary.objects.exists()
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "Dịp ghi 8/3" in messages[(4, "Dịp")]
    assert "Nguồn kinh phí ghi" in messages[(5, "Nguồn kinh phí")]
    assert "Số tiền phải là số đồng" in messages[(5, "Số tiền (đồng)")]
    assert "Hình thức ghi" in messages[(5, "Hình thức")]
    assert "Hãy ghi ngày chăm lo." in messages[(6, "Ngày")]
    assert "đã có ở dòng 8" in messages[(7, "Số CCCD")]
    in_2022 = welfare_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, year=2022,
                                  path=_xlsx(tmp_path / "y.xlsx", WELFARE, [
                                      [dt.date(2023, 3, 8), "8/3", "", "Ai Đó", "", 100, "", ""]]))
    assert "Ngày phải thuộc năm 2022" in str(in_2022.errors[0])


def test_cells_as_officials_write_them(tmp_path: Path):
    assert [occasion_of(v) for v in ("8/3", "08/03", "Tết", "tet nguyen dan", "ốm đau", "28-6",
                                     "1/5", "")] == ["8_3", "8_3", "TET", "TET", "OM_DAU",
                                                     "28_6", "", ""]
    assert [amount_of(v) for v in ("1.200.000", "500000 đ", 300000.0, "1.200.000 đồng", "")] == [
        1_200_000, 500_000, 300_000, 1_200_000, None]
    with pytest.raises(ValueError):
        amount_of("1,5 triệu")
    import_template(kind="party", target=tmp_path / "a.xlsx")
    import_template(kind="welfare", target=tmp_path / "b.xlsx")
    assert (tmp_path / "b.xlsx").stat().st_size > 1000


@pytest.mark.parametrize("kind", ["party", "welfare", "family"])
def test_the_templates_read_back_empty(world: World, tmp_path: Path, kind: str):
    from thidua.reports.imports import family_import_file

    path = tmp_path / f"{kind}.xlsx"
    import_template(kind=kind, target=path)
    if kind == "party":
        result = party_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    elif kind == "welfare":
        result = welfare_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path)
    else:
        result = family_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, year=2023,
                                    path=path)
    assert (result.total, result.errors) == (0, [])
