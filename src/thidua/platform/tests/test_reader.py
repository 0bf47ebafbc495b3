"""The hardened reader: hostile files are refused, or read, without hanging or exhausting memory
(zip bombs, sheets of a million empty rows, one far-away cell, a lying shared-string count,
files that are not spreadsheets at all). Every file is built here.

Cases that once took a process down (python-calamine held a sheet as a dense grid) run in a
child process, which also measures peak memory.
Helpers (`build_xlsx`, `read_in_child`) serve the roster-level tests in people too."""

from __future__ import annotations

import itertools
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

import thidua
from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.importer import Columns, data_rows, open_table
from thidua.platform.spreadsheets.reader import (
    NOT_SPREADSHEET,
    NOT_UTF8,
    OLD_XLS,
    file_kind,
    open_sheets,
    row_limit,
)

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
HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Ghi chú"]
COLUMNS = Columns({"full_name": "Họ và tên", "cccd": "Số CCCD"}, {})


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xml_row(n: int, values: list[str]) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(values) if v)
    return f'<row r="{n}">{cells}</row>'


def plain_rows(count: int = 3) -> list[list[str]]:
    return [[f"Người {i}", "Nữ", "08/03/1990", f"00119000000{i}", ""] for i in range(1, count + 1)]


def build_xlsx(path: Path, tail_rows: Iterable[str] = (), *, header: list[str] | None = None,
               data: list[list[str]] | None = None, shared_strings: str | None = None,
               sheet_head: str = "", extra: dict[str, bytes] | None = None) -> Path:
    """A minimal workbook: `header` on row 1, `data` below, then the raw `tail_rows` XML."""
    data = plain_rows() if data is None else data
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
            out.write(xml_row(1, header or HEADER).encode())
            for i, values in enumerate(data, 2):
                out.write(xml_row(i, values).encode())
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


def read_rows(path: Path, name: str | None = None) -> list[tuple[int, list]]:
    """The data rows of a file with a «Họ và tên» / «Số CCCD» header, as an import reads them."""
    with open_table(path, name, columns=COLUMNS, accept=lambda k: {"full_name", "cccd"} <= k,
                    not_found="không có tiêu đề") as (table, rows):
        watch = [idxs[0] for idxs in table.columns.values()]
        return list(data_rows(rows, limit=row_limit(), watch=watch))


CHILD_READERS = {
    "table": """
        from pathlib import Path
        from thidua.platform.tests.test_reader import read_rows
        rows = read_rows(Path(sys.argv[1]))
        result = f"rows={len(rows)} last={rows[-1][0] if rows else 0}"
    """,
}


def read_in_child(path: Path, reader: str = CHILD_READERS["table"],
                  env: dict[str, str] | None = None) -> tuple[int, str, int]:
    """Run `reader` (code that sets `result` from sys.argv[1]) in a fresh process:
    (exit code, output, peak memory growth in MB)."""
    code = textwrap.dedent("""
        import os, resource, sys
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings.test")
        import django
        django.setup()
        from thidua.platform.errors import ApplicationError
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
    """) + textwrap.indent(textwrap.dedent(reader), "    ") + textwrap.dedent("""
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


# --------------------------------------------------------------------------------------------
# zip bombs


def test_zip_bomb_by_compression_ratio_is_refused(tmp_path):
    path = build_xlsx(tmp_path / "bom.xlsx", extra={"xl/media/image1.bin": b"\0" * 40_000_000})
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/media/image1.bin")
        assert info.file_size / info.compress_size > 200
    started = time.monotonic()
    with pytest.raises(ApplicationError, match="giải nén ra quá lớn"):
        read_rows(path)
    assert time.monotonic() - started < 2


def test_zip_bomb_by_total_size_is_refused(tmp_path, settings):
    settings.THIDUA_MAX_UNPACKED_BYTES = 2_000_000
    noise = os.urandom(1_500_000)  # incompressible: no ratio alarm, only the total
    path = build_xlsx(tmp_path / "bom.xlsx", extra={"xl/media/a.bin": noise,
                                                    "xl/media/b.bin": noise})
    with pytest.raises(ApplicationError, match=r"quá lớn \(trên 1 MB\)"):
        read_rows(path)


def understate_size(path: Path, member: str, claimed: int) -> None:
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


def test_zip_bomb_that_lies_about_its_size_is_refused(tmp_path):
    """A sheet claiming 100 KB that unpacks to 40 MB: reading stops at the claimed size (the
    checksum then fails). A lying part that is not read (an image) is never unpacked at all."""
    path = build_xlsx(tmp_path / "bom.xlsx", blank_rows(5, 300_000))
    understate_size(path, "xl/worksheets/sheet1.xml", 100_000)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size == 100_000  # the lie is believed
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message == NOT_SPREADSHEET


def test_a_lying_shared_string_count_is_not_allocated(tmp_path):
    """<sst uniqueCount="2000000000"> made calamine reserve 48 GB and abort the process; the
    streaming reader takes the count for what it is, a claim, and reads the strings there are."""
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}" count="2000000000" '
           'uniqueCount="2000000000"><si><t>x</t></si></sst>')
    path = build_xlsx(tmp_path / "sst.xlsx", shared_strings=sst)
    code, out, grown = read_in_child(path)
    assert code == 0, out
    assert out == "rows=3 last=4"
    assert grown < 50


def test_a_far_away_cell_does_not_blow_up_the_grid(tmp_path):
    """One value at XFD1048000 in a 5 KB file: calamine alone would ask for 500 GB."""
    path = build_xlsx(tmp_path / "xa.xlsx", ['<row r="1048000"><c r="XFD1048000" t="inlineStr">'
                                             "<is><t>x</t></is></c></row>"])
    assert path.stat().st_size < 10_000
    code, out, grown = read_in_child(path)
    assert code == 0, out
    assert out == "rows=3 last=4"  # the stray cell is under no header: not a person
    assert grown < 100


# --------------------------------------------------------------------------------------------
# a million empty rows


def blank_rows(first: int, count: int) -> Iterable[str]:
    # cells holding one space: calamine keeps them, so its grid would be 1.000.000 x 5
    for n in range(first, first + count):
        yield f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>'


def test_a_million_empty_rows_declared_in_the_dimension_are_refused_before_reading(tmp_path):
    """What Excel writes for a sheet formatted down to row 1.000.004: <dimension> says so, and
    the file is refused at once, naming the area (the full read is in bench/)."""
    path = build_xlsx(tmp_path / "trieu-dong.xlsx", blank_rows(5, 1_000_000),
                      sheet_head='<dimension ref="A1:E1000004"/>')
    started = time.monotonic()
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert time.monotonic() - started < 2
    assert exc.value.message.startswith(
        "Trang tính «Danh sách» khai báo vùng dữ liệu A1:E1000004, tới dòng 1.000.004; mỗi lần "
        "chỉ nhập được tối đa 250.000 dòng.")


def test_empty_rows_are_skipped_to_the_real_end_of_the_data_in_bounded_memory(tmp_path):
    rows = itertools.chain(blank_rows(5, 100_000), [xml_row(100_005, ["Người Sau Cùng", "", "",
                                                                      "001080000001"])])
    path = build_xlsx(tmp_path / "trong.xlsx", rows)
    code, out, grown = read_in_child(path)
    assert code == 0, out
    assert out == "rows=4 last=100005"
    assert grown < 60, f"reading grew the process by {grown} MB"


def test_styled_empty_rows_and_a_row_after_a_long_gap(tmp_path):
    rows = itertools.chain((f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>'
                            for n in range(5, 100_005)), [xml_row(200_000, ["Sau", "", "", "1"])])
    path = build_xlsx(tmp_path / "dinh-dang.xlsx", rows)
    assert [n for n, _ in read_rows(path)] == [2, 3, 4, 200_000]


def test_a_csv_with_many_empty_lines_is_read_to_its_last_row(tmp_path):
    path = tmp_path / "trong.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("Họ và tên,Số CCCD,Ghi chú\nAn,001190000001,\nBình,001190000002,\n")
        f.write(",,\n" * 200_000)
        f.write("\n" * 1001)
        f.write("Người Sau Cùng,001080000001,\n")
    rows = read_rows(path)
    assert [n for n, _ in rows] == [2, 3, 201_005]


def test_data_beyond_the_cap_is_refused_in_bounded_memory(tmp_path):
    """Values on every row down to 300.000 (past THIDUA_MAX_IMPORT_ROWS)."""
    rows = (xml_row(n, ["x"]) for n in range(5, 300_000))
    path = build_xlsx(tmp_path / "dai.xlsx", rows)
    code, out, grown = read_in_child(path)
    assert code == 0, out
    assert out.startswith("refused: Tệp có hơn 250.000 dòng dữ liệu")
    assert grown < 60


def test_more_rows_than_the_limit_are_refused(tmp_path):
    path = tmp_path / "nhieu.csv"
    path.write_text("Họ và tên,Số CCCD\n" + "".join(f"Người {i},{i}\n" for i in range(60)),
                    encoding="utf-8")
    with open_table(path, None, columns=COLUMNS, accept=lambda k: "cccd" in k,
                    not_found="") as (_, rows), pytest.raises(
            ApplicationError, match="Tệp có hơn 50 dòng dữ liệu; mỗi lần chỉ nhập được tối đa 50"):
        list(data_rows(rows, limit=50))


# --------------------------------------------------------------------------------------------
# files that are not spreadsheets


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
def test_files_that_are_not_spreadsheets_get_a_clear_message(tmp_path, name):
    path = tmp_path / name
    payload = NOT_SHEETS[name]
    if payload is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(payload)
    with pytest.raises(ApplicationError) as exc:
        read_rows(path, name)
    assert exc.value.message.startswith(NOT_SPREADSHEET)


def test_a_csv_in_another_encoding_is_told_to_use_utf8(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_bytes(b"H\xf2 v\xe0 t\xean,S\xf4 CCCD\n")
    with pytest.raises(ApplicationError) as exc:
        file_kind(path, path.name)
    assert exc.value.message == NOT_UTF8


def test_an_old_xls_file_is_named_as_such(tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    with pytest.raises(ApplicationError) as exc:
        read_rows(path)
    assert exc.value.message == OLD_XLS


def test_a_csv_with_one_enormous_line_does_not_hang(tmp_path):
    path = tmp_path / "dai.csv"
    path.write_bytes(b"Ho va ten,So CCCD\n" + b"a" * 5_000_000)
    started = time.monotonic()
    with pytest.raises(ApplicationError):
        read_rows(path)
    assert time.monotonic() - started < 2


# --------------------------------------------------------------------------------------------
# ordinary files


def test_the_kind_is_judged_from_the_bytes_not_the_name(tmp_path):
    csv_named_xlsx = tmp_path / "ds.txt"
    csv_named_xlsx.write_text("Họ và tên;Số CCCD\nAn;001190000001\n", encoding="utf-8")
    assert file_kind(csv_named_xlsx, "ds.txt") == "csv"
    workbook = build_xlsx(tmp_path / "ds.bin")
    with open_sheets(workbook, "ds.bin") as (kind, sheets):
        first = next(iter(sheets))
        assert kind == "xlsx" and next(first) == (1, HEADER)


def test_the_csv_separator_is_the_one_the_header_uses(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("\ufeffHọ và tên;Số CCCD;Ghi chú\nAn, Bình;001190000001;x,y\n",
                    encoding="utf-8")
    assert [(n, c) for n, c in read_rows(path)] == [(2, ["An, Bình", "001190000001", "x,y"])]
