"""Hostile files are refused, or read, without hanging or exhausting memory: a 200 MB upload, zip
bombs, sheets whose grid would be huge (a million empty rows, one far-away cell), a lying
shared-string count, and files that are not spreadsheets at all. Every file is built here.

python-calamine holds a sheet as a dense grid and aborts the process when an allocation fails,
so the cases that would crash it run in a child process, which also measures peak memory."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.urls import reverse

import thidua
from thidua.people.imports import NOT_SPREADSHEET, OLD_XLS, read_roster, roster_import_file
from thidua.people.models import ImportJob, Person
from thidua.people.tests.test_imports import DAY, person_row, write_csv, write_xlsx
from thidua.platform.errors import ApplicationError

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Đoàn viên", "Ngày vào Công đoàn",
          "Dân tộc", "Chức vụ", "Tổ công đoàn", "Ghi chú"]


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(n: int, values: list[str]) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(values) if v)
    return f'<row r="{n}">{cells}</row>'


def good_rows(count: int = 3) -> list[list[str]]:
    out = []
    for i in range(1, count + 1):
        r = person_row(i)
        out.append([r["full_name"], "Nữ", "08/03/1990", r["cccd"], "Có", "01/06/2015", "Kinh",
                    "Chuyên viên", "", ""])
    return out


def build_xlsx(path: Path, tail_rows: Iterable[str] = (), *, data: list[list[str]] | None = None,
               shared_strings: str | None = None, sheet_head: str = "",
               extra: dict[str, bytes] | None = None) -> Path:
    """A minimal workbook: the header on row 1, `data` below, then the raw `tail_rows` XML."""
    data = good_rows() if data is None else data
    sst = shared_strings or (f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}" '
                             'count="0" uniqueCount="0"></sst>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/sharedStrings.xml", sst)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{NS}">'
                      f'{sheet_head}<sheetData>'.encode())
            out.write(_row(1, HEADER).encode())
            for i, values in enumerate(data, 2):
                out.write(_row(i, values).encode())
            buffer: list[str] = []
            for xml in tail_rows:
                buffer.append(xml)
                if len(buffer) >= 50_000:
                    out.write("".join(buffer).encode())
                    buffer.clear()
            out.write("".join(buffer).encode())
            out.write(b"</sheetData></worksheet>")
        for name, payload in (extra or {}).items():
            zf.writestr(name, payload)
    return path


def read_in_child(path: Path, env: dict[str, str] | None = None) -> tuple[int, str, int]:
    """Read the roster in a fresh process: (exit code, output, peak memory growth in MB)."""
    code = textwrap.dedent("""
        import os, resource, sys
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings.test")
        import django
        django.setup()
        from thidua.platform.errors import ApplicationError
        from thidua.people.imports import read_roster
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            table, rows = read_roster(sys.argv[1])
            result = f"rows={len(rows)} last={rows[-1]['_row'] if rows else 0}"
        except ApplicationError as exc:
            result = "refused: " + exc.message
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024
        print(result)
        print(grown)
    """)
    src = str(Path(thidua.__file__).resolve().parent.parent)
    child_env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
                 **(env or {})}
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=120, env=child_env)
    lines = proc.stdout.strip().splitlines()
    grown = int(lines[-1]) if lines and lines[-1].isdigit() else -1
    return proc.returncode, "\n".join(lines[:-1]) if lines else proc.stderr[-2000:], grown


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
# (b) zip bombs


def test_zip_bomb_by_compression_ratio_is_refused(world, tmp_path):
    path = build_xlsx(tmp_path / "bom.xlsx", extra={"xl/media/image1.bin": b"\0" * 40_000_000})
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/media/image1.bin")
        assert info.file_size / info.compress_size > 200
    started = time.monotonic()
    with pytest.raises(ApplicationError, match="giải nén ra quá lớn"):
        import_file(world, path)
    assert time.monotonic() - started < 2


def test_zip_bomb_by_total_size_is_refused(world, tmp_path, settings):
    settings.THIDUA_MAX_UNPACKED_BYTES = 2_000_000
    noise = os.urandom(1_500_000)  # incompressible: no ratio alarm, only the total
    path = build_xlsx(tmp_path / "bom.xlsx", extra={"xl/media/a.bin": noise,
                                                    "xl/media/b.bin": noise})
    with pytest.raises(ApplicationError, match=r"quá lớn \(trên 1 MB\)"):
        import_file(world, path)


def _understate_size(path: Path, member: str, claimed: int) -> None:
    """Rewrite the uncompressed size a zip claims for `member`, in the local header and in the
    central directory, the way a crafted bomb hides its real size."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        offset = zf.getinfo(member).header_offset
    assert data[offset:offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, offset + 22, claimed)
    name = member.encode()
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len] == name:
            struct.pack_into("<I", data, pos + 24, claimed)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


def test_zip_bomb_that_lies_about_its_size_is_refused(world, tmp_path):
    path = build_xlsx(tmp_path / "bom.xlsx", extra={"xl/media/image1.bin": b"\0" * 30_000_000})
    _understate_size(path, "xl/media/image1.bin", 100_000)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/media/image1.bin").file_size == 100_000  # the lie is believed
    with pytest.raises(ApplicationError, match=NOT_SPREADSHEET.replace(".", r"\.")
                       .replace("(", r"\(").replace(")", r"\)")):
        import_file(world, path)


def test_a_lying_shared_string_count_is_refused_not_allocated(tmp_path):
    """<sst uniqueCount="2000000000"> makes calamine reserve 48 GB and abort the process."""
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}" count="2000000000" '
           'uniqueCount="2000000000"><si><t>x</t></si></sst>')
    path = build_xlsx(tmp_path / "sst.xlsx", shared_strings=sst)
    code, out, grown = read_in_child(path)
    assert code == 0, out
    assert out == "refused: " + NOT_SPREADSHEET
    assert grown < 50


def test_a_far_away_cell_does_not_blow_up_the_grid(world, tmp_path):
    """One value at XFD1048000 in a 5 KB file: calamine alone would ask for 500 GB."""
    path = build_xlsx(tmp_path / "xa.xlsx", ['<row r="1048000"><c r="XFD1048000" t="inlineStr">'
                                             "<is><t>x</t></is></c></row>"])
    assert path.stat().st_size < 10_000
    code, out, grown = read_in_child(path)
    assert code == 0, out
    assert out == "rows=3 last=4"  # the stray cell is past 1.000 empty rows: not read
    assert grown < 100
    result = import_file(world, path)
    assert result.created == 3 and result.errors == []


# --------------------------------------------------------------------------------------------
# (c) a million empty rows


def _blank_rows(first: int, count: int) -> Iterable[str]:
    # cells holding one space: calamine keeps them, so its grid would be 1.000.000 x 10
    for n in range(first, first + count):
        yield f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>'


def test_a_million_empty_rows_are_read_in_bounded_memory(world, tmp_path):
    data = good_rows(3)
    path = build_xlsx(tmp_path / "trieu-dong.xlsx", _blank_rows(5, 1_000_000), data=data)
    assert path.stat().st_size < 20_000_000
    started = time.monotonic()
    code, out, grown = read_in_child(path)
    elapsed = time.monotonic() - started
    assert code == 0, out
    assert out == "rows=3 last=4"
    assert grown < 100, f"reading grew the process by {grown} MB"
    assert elapsed < 20
    result = import_file(world, path)
    assert (result.created, result.errors) == (3, [])


def test_a_million_styled_empty_rows_and_a_row_after_a_long_gap(world, tmp_path):
    rows = (f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>'
            for n in range(5, 1_000_005))
    path = build_xlsx(tmp_path / "dinh-dang.xlsx", rows)
    table, read = read_roster(path)
    assert [r["_row"] for r in read] == [2, 3, 4]


def test_a_csv_with_a_million_empty_lines_stops_after_a_thousand(world, tmp_path):
    path = write_csv(tmp_path / "trong.csv", [person_row(1), person_row(2)])
    with open(path, "a", encoding="utf-8") as f:
        f.write(",,,,,,,,\n" * 1_000_000)
        f.write("Người Sau Cùng,Nam,01/01/1980,001080000001,Có,01/01/2010,,,\n")
    started = time.monotonic()
    table, rows = read_roster(path)
    assert time.monotonic() - started < 2
    assert len(rows) == 2


def test_more_rows_than_the_cap_are_refused(world, tmp_path, settings):
    settings.THIDUA_MAX_IMPORT_ROWS = 50
    path = write_xlsx(tmp_path / "nhieu.xlsx", [person_row(i) for i in range(1, 61)])
    with pytest.raises(ApplicationError, match="Tệp có hơn 50 dòng dữ liệu"):
        import_file(world, path)
    assert not Person.objects.filter(cccd=person_row(1)["cccd"]).exists()


def test_data_far_beyond_the_cap_is_refused_without_loading_the_grid(tmp_path):
    """Values on every row down to 300.000 (past THIDUA_MAX_IMPORT_ROWS + 1.000)."""
    rows = (_row(n, ["x"]) for n in range(5, 300_000))
    path = build_xlsx(tmp_path / "dai.xlsx", rows)
    code, out, grown = read_in_child(path)
    assert code == 0, out
    assert out.startswith("refused: Bảng tính có dữ liệu đến dòng 251.001")
    assert grown < 100


# --------------------------------------------------------------------------------------------
# (d) files that are not spreadsheets


NOT_SHEETS = {
    "ngau-nhien.xlsx": os.urandom(4096),
    "chuong-trinh.exe": b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(2048),
    "van-ban.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    "tai-lieu.xlsx": b"",
    "nen.xlsx": None,  # a zip, but not a workbook
    "utf16.csv": "Họ và tên,Số CCCD\n".encode("utf-16"),
    "windows-1258.csv": b"H\xf2 v\xe0 t\xean,S\xf4 CCCD\nNguy\xean,001\n",
    "anh.png": b"\x89PNG\r\n\x1a\n" + os.urandom(512),
}


@pytest.mark.parametrize("name", sorted(NOT_SHEETS))
def test_files_that_are_not_spreadsheets_get_a_clear_message(world, tmp_path, name):
    path = tmp_path / name
    payload = NOT_SHEETS[name]
    if payload is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(payload)
    with pytest.raises(ApplicationError) as exc:
        import_file(world, path)
    assert exc.value.message.startswith(NOT_SPREADSHEET)


def test_an_old_xls_file_is_named_as_such(world, tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    with pytest.raises(ApplicationError) as exc:
        import_file(world, path)
    assert exc.value.message == OLD_XLS


def test_a_csv_with_one_enormous_line_does_not_hang(world, tmp_path):
    path = tmp_path / "dai.csv"
    path.write_bytes(b"Ho va ten,So CCCD\n" + b"a" * 5_000_000)
    started = time.monotonic()
    with pytest.raises(ApplicationError):
        import_file(world, path)
    assert time.monotonic() - started < 2


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
