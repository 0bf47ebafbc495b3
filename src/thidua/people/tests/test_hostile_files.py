"""Hostile files at the roster level: uploads too large for the import page, and what the roster
import makes of files the platform reader refuses or trims (the reader's own hostile-file tests
are in platform/tests/test_reader.py, whose workbook builder these use)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from thidua.people.imports import NOT_SPREADSHEET, OLD_XLS, roster_import_file
from thidua.people.models import ImportJob, Person
from thidua.people.tests.test_imports import DAY, person_row, write_xlsx
from thidua.platform.errors import ApplicationError
from thidua.platform.tests.test_reader import blank_rows, build_xlsx, read_in_child

HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Đoàn viên", "Ngày vào Công đoàn",
          "Dân tộc", "Chức vụ", "Tổ công đoàn", "Ghi chú"]
READ_ROSTER = """
    from thidua.people.imports import read_roster
    table, rows = read_roster(sys.argv[1])
    result = f"rows={len(rows)} last={rows[-1]['_row'] if rows else 0}"
"""


def good_rows(count: int = 3) -> list[list[str]]:
    out = []
    for i in range(1, count + 1):
        r = person_row(i)
        out.append([r["full_name"], "Nữ", "08/03/1990", r["cccd"], "Có", "01/06/2015", "Kinh",
                    "Chuyên viên", "", ""])
    return out


def roster_xlsx(path: Path, tail_rows=()) -> Path:
    return build_xlsx(path, tail_rows, header=HEADER, data=good_rows())


def import_file(world, path: Path, **kwargs):
    return roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path,
                              effective_date=DAY, **kwargs)


# --------------------------------------------------------------------------------------------
# (a) a 200 MB upload


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _post(client, path: Path, **extra):
    with open(path, "rb") as f:
        return client.post(reverse("people:import"),
                           {"unit": "CDCS-A", "effective_date": "01/01/2024", "file": f}, **extra)


def test_a_200_mb_upload_is_refused_from_its_content_length(client, world, tmp_path, media):
    client.force_login(world.officer_cdcs)
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1)])
    # The header announces 200 MB; the view answers before reading any of it (reading would
    # fail here: the test body is far shorter than announced).
    r = _post(client, path, CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert r.status_code == 413
    assert "Tệp quá lớn: mỗi lần chỉ nhận tệp tối đa 20 MB." in r.content.decode()
    assert not ImportJob.objects.exists() and not (media / "imports").exists()


def test_an_upload_over_the_limit_is_refused(client, world, tmp_path, media):
    client.force_login(world.officer_cdcs)
    big = tmp_path / "lon.xlsx"
    big.write_bytes(b"\0" * (21 * 1024 * 1024))
    r = _post(client, big)
    assert r.status_code == 413 and not ImportJob.objects.exists()


def test_an_upload_stops_being_read_once_past_the_limit(client, world, tmp_path, media,
                                                         settings):
    """Content-Length within the allowance, the file itself over the limit: the upload handler
    stops the stream at the limit."""
    settings.THIDUA_MAX_UPLOAD_BYTES = 40_000
    client.force_login(world.officer_cdcs)
    path = tmp_path / "ds.csv"
    path.write_bytes(b"x" * 90_000)
    r = _post(client, path)
    assert r.status_code == 413 and "tối đa 39 KB" in r.content.decode()
    assert not ImportJob.objects.exists()


# --------------------------------------------------------------------------------------------
# (b) files the reader trims or refuses, through the roster import


def test_a_far_away_cell_is_left_out_of_the_roster(world, tmp_path):
    path = roster_xlsx(tmp_path / "xa.xlsx", ['<row r="1048000"><c r="XFD1048000" '
                                              't="inlineStr"><is><t>x</t></is></c></row>'])
    result = import_file(world, path)
    assert result.created == 3 and result.errors == []


def test_a_million_empty_rows_then_the_roster_imports(world, tmp_path):
    path = roster_xlsx(tmp_path / "trieu-dong.xlsx", blank_rows(5, 1_000_000))
    code, out, grown = read_in_child(path, READ_ROSTER)
    assert code == 0, out
    assert out == "rows=3 last=4"
    assert grown < 100, f"reading grew the process by {grown} MB"
    result = import_file(world, path)
    assert (result.created, result.errors) == (3, [])


def test_more_rows_than_the_cap_are_refused(world, tmp_path, settings):
    settings.THIDUA_MAX_IMPORT_ROWS = 50
    path = write_xlsx(tmp_path / "nhieu.xlsx", [person_row(i) for i in range(1, 61)])
    with pytest.raises(ApplicationError, match="Tệp có hơn 50 dòng dữ liệu"):
        import_file(world, path)
    assert not Person.objects.filter(cccd=person_row(1)["cccd"]).exists()


def test_a_zip_bomb_is_refused_before_any_row_is_checked(world, tmp_path):
    path = roster_xlsx(tmp_path / "bom.xlsx")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/media/image1.bin", b"\0" * 40_000_000, zipfile.ZIP_DEFLATED)
    started = time.monotonic()
    with pytest.raises(ApplicationError, match="giải nén ra quá lớn"):
        import_file(world, path)
    assert time.monotonic() - started < 2
    assert not Person.objects.filter(cccd=person_row(1)["cccd"]).exists()


@pytest.mark.parametrize("name, payload, message", [
    ("chuong-trinh.xlsx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 2048, NOT_SPREADSHEET),
    ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, OLD_XLS),
])
def test_files_that_are_not_spreadsheets_are_refused_with_the_reason(world, tmp_path, name,
                                                                     payload, message):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(ApplicationError) as exc:
        import_file(world, path)
    assert exc.value.message == message


def test_a_real_spreadsheet_without_the_header_row(world, tmp_path):
    import xlsxwriter

    other = tmp_path / "bang-khac.xlsx"
    wb = xlsxwriter.Workbook(str(other))
    ws = wb.add_worksheet()
    for r in range(30):
        ws.write_string(r, 0, f"Hàng hoá {r}")
        ws.write_number(r, 1, r)
    wb.close()
    with pytest.raises(ApplicationError, match="Không tìm thấy dòng tiêu đề"):
        import_file(world, other)
