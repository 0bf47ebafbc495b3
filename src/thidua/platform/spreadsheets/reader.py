"""The hardened spreadsheet reader: .xlsx through python-calamine, UTF-8 .csv, nothing else.

The kind of a file is judged from its bytes (an extension proves nothing); an Excel 97–2003 .xls
is named as such. Workbooks are checked before python-calamine sees them, because calamine
materialises a sheet as a dense grid: a 5 KB file with one cell at XFD1048576, or a
shared-string table announcing two billion entries, would take the process down. So the archive
is refused when it unpacks beyond THIDUA_MAX_UNPACKED_BYTES (whatever sizes it claims), and a
sheet whose grid would be too large is rewritten without its blank cells first.

`open_sheets(path, name)` yields the kind and the sheets, each an iterator of (row number as
Excel shows it, cells)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.cells import header_key
from thidua.platform.text import vn_number

NOT_SPREADSHEET = "Tệp không phải bảng tính Excel (.xlsx) hay CSV hợp lệ."
NOT_UTF8 = NOT_SPREADSHEET + " Tệp CSV cần lưu với bảng mã UTF-8 (trong Excel: «CSV UTF-8»)."
OLD_XLS = ("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ. Hãy mở tệp trong Excel và lưu lại dưới "
           "dạng «Sổ làm việc Excel (.xlsx)» hoặc CSV UTF-8.")
TOO_BIG_UNPACKED = ("Tệp Excel giải nén ra quá lớn (trên {limit} MB) hoặc có dấu hiệu là «bom "
                    "nén»; hệ thống từ chối đọc. Hãy chép dữ liệu sang một tệp mới rồi nhập lại.")
HEADER_SCAN_ROWS = 20
# the words a CSV header line holds, folded: the line that tells the separator
HEADER_HINTS = ("ho va ten", "ho ten")
EMPTY_RUN_LIMIT = 1000
ZIP_RATIO_LIMIT = 200
ZIP_RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress well: a few repeated tags
ZIP_MAX_MEMBERS = 5000
# calamine holds a sheet as a dense grid of ~32-byte cells: bound rows x columns before reading
MAX_GRID_CELLS = 8_000_000
MAX_COLUMNS = 1000
MAX_SHARED_STRINGS = 10_000_000

Rows = Iterator[tuple[int, list[Any]]]


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_BINARY_MAGIC = (b"%PDF", b"MZ", b"\x7fELF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b",
                 b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xca\xfe\xba\xbe", b"\x00\x00\x01\x00")


def file_kind(path: Path, name: str) -> str:
    """'xlsx' or 'csv', judged from the bytes (an extension proves nothing)."""
    try:
        with open(path, "rb") as f:
            head = f.read(65536)
    except OSError:
        raise ApplicationError(NOT_SPREADSHEET) from None
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ApplicationError(OLD_XLS)
    if not head or head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise ApplicationError(NOT_SPREADSHEET)
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods", ".exe", ".pdf", ".zip", ".docx"}:
        raise ApplicationError(NOT_SPREADSHEET)
    try:  # text, as far as the first 64 KB go (the last character may be cut in two)
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise ApplicationError(NOT_UTF8) from None
    return "csv"


def csv_rows(path: Path, header_hints: Sequence[str] = HEADER_HINTS
             ) -> Iterator[tuple[int, list[Any]]]:
    """(line number, cells) of a UTF-8 CSV; the separator (comma, semicolon or tab) is the one
    the header line uses most, the header being the line holding one of `header_hints`."""
    with open(path, "rb") as raw:
        sample = raw.read(65536).decode("utf-8-sig", errors="ignore")
        lines = [ln for ln in sample.splitlines()[:HEADER_SCAN_ROWS + 5] if ln.strip()]
        # the header line decides: it holds the most separators of the one in use
        header = next((ln for ln in lines
                       if any(hint in header_key(ln) for hint in header_hints)), None)
        if header is not None:
            delimiter = max(",;\t", key=header.count)
        else:
            try:
                delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
            except csv.Error:
                delimiter = ","
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        try:
            yield from enumerate(reader, 1)
        except (UnicodeDecodeError, csv.Error):
            raise ApplicationError(NOT_UTF8) from None


# cell and row references (r="AB12", r = '100000') that reach row 100.000 or column AA, or that
# hide behind an XML escape; ordinary rosters have none, so scanning for them costs little
_TALL_REF = re.compile(rb'r\s*=\s*["\'][A-Za-z]{0,3}(\d{6,})')
_WIDE_REF = re.compile(rb'r\s*=\s*["\']([A-Za-z]{2,3})\d')
_ESCAPED_REF = re.compile(rb'r\s*=\s*["\'][^"\'<>]*&')
_SST_COUNT = re.compile(rb'(?:count|uniqueCount)\s*=\s*["\'](\d+)', re.IGNORECASE)


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _grid_extent(ref: bytes) -> tuple[int, int]:
    """(row, column) of an `r` attribute value: "AB12" -> (12, 28), "100000" -> (100000, 0)."""
    text = ref.decode("ascii", "replace").upper()
    m = re.match(r"([A-Z]*)(\d*)", text)
    letters, digits = (m.group(1), m.group(2)) if m else ("", "")
    return (int(digits) if digits else 0), (_col_number(letters) if letters else 0)


def unpacked_limit() -> int:
    return int(getattr(settings, "THIDUA_MAX_UNPACKED_BYTES", 300 * 1024 * 1024))


def row_limit() -> int:
    return int(getattr(settings, "THIDUA_MAX_IMPORT_ROWS", 250_000))


def _zip_bomb() -> ApplicationError:
    return ApplicationError(TOO_BIG_UNPACKED.format(limit=unpacked_limit() // (1024 * 1024)))


def _check_xlsx(path: Path) -> list[str]:
    """Refuse a zip bomb or a malformed package before calamine reads it; return the worksheets
    whose grid would be too large to load as they are (they are trimmed first)."""
    limit = unpacked_limit()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ApplicationError(NOT_SPREADSHEET) from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            raise ApplicationError(NOT_SPREADSHEET)
        if len(infos) > ZIP_MAX_MEMBERS:
            raise ApplicationError(NOT_SPREADSHEET)
        if sum(i.file_size for i in infos) > limit:
            raise _zip_bomb()
        for info in infos:
            if (info.file_size > ZIP_RATIO_MIN_BYTES
                    and info.file_size > ZIP_RATIO_LIMIT * max(info.compress_size, 1)):
                raise _zip_bomb()
        # The sizes above are what the archive claims. Decompress every part to count what it
        # really holds (zipfile stops at the claimed size and checks the CRC), and look at the
        # cell references of each worksheet on the way.
        unpacked = 0
        tall: list[str] = []
        last_row_allowed = row_limit() + EMPTY_RUN_LIMIT
        try:
            for info in infos:
                lower = info.filename.lower()
                is_sheet = lower.startswith("xl/worksheets/") and lower.endswith(".xml")
                is_sst = lower.endswith("sharedstrings.xml")
                max_row, max_col, tail, first, big = 0, 0, b"", True, False
                with zf.open(info) as member:
                    while chunk := member.read(1 << 20):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise _zip_bomb()
                        if first and (is_sheet or is_sst):
                            if b"\x00" in chunk[:200]:  # UTF-16 XML: not what Excel writes
                                raise ApplicationError(NOT_SPREADSHEET)
                            if is_sst:
                                _check_sst_head(chunk, info.file_size)
                        first = False
                        if is_sheet and not big:
                            buf = tail + chunk
                            if rows := _TALL_REF.findall(buf):
                                max_row = max(max_row, *map(int, rows))
                            if cols := set(_WIDE_REF.findall(buf)):
                                max_col = max(max_col, *(_col_number(c.decode()) for c in cols))
                            # calamine's grid spans the furthest cell: rows x columns
                            big = (max_row > last_row_allowed
                                   or _ESCAPED_REF.search(buf) is not None
                                   or max(max_row, 99_999) * max(max_col, 26) > MAX_GRID_CELLS)
                            tail = chunk[-64:]
                if big:
                    tall.append(info.filename)
        except ApplicationError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                RuntimeError, ValueError):
            raise ApplicationError(NOT_SPREADSHEET) from None
    return tall


def _check_sst_head(chunk: bytes, size: int) -> None:
    start = chunk.find(b"sst")
    end = chunk.find(b">", start)
    if start < 0 or end < 0:
        return
    for m in _SST_COUNT.finditer(chunk, start, end):
        announced = int(m.group(1))
        # each entry takes at least "<si/>": more entries than that is a lie (and a huge alloc)
        if announced > MAX_SHARED_STRINGS or announced > size // 5 + 100:
            raise ApplicationError(NOT_SPREADSHEET)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _blank_shared_strings(zf: zipfile.ZipFile) -> set[int]:
    name = next((n for n in zf.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if name is None:
        return set()
    blank: set[int] = set()
    index = 0
    with zf.open(name) as f:
        for _, elem in ElementTree.iterparse(f, events=("end",)):
            if _local(elem.tag) == "si":
                if not "".join(elem.itertext()).strip():
                    blank.add(index)
                index += 1
                elem.clear()
    return blank


def _trim_sheet(src: Any, dst: Any, blank_sst: set[int]) -> None:
    """Rewrite a worksheet without its blank cells and blank rows, stopping after
    EMPTY_RUN_LIMIT empty rows, so calamine's grid covers only the data. Values and styles are
    kept (dates are told from numbers by their style); formulas keep their last value."""
    last_row_allowed = row_limit() + EMPTY_RUN_LIMIT
    ns = ""
    sheet_data = None
    row_no = 0
    last_data_row = 0
    max_col = 0
    dst.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    for event, elem in ElementTree.iterparse(src, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            if not ns and elem.tag.startswith("{"):
                ns = elem.tag[1:].split("}", 1)[0]
                dst.write(f'<worksheet xmlns="{xml_escape(ns)}"><sheetData>'.encode())
            if tag == "sheetData":
                sheet_data = elem
            continue
        if tag != "row":
            continue
        r = elem.get("r", "")
        row_no = int(r) if r.isdigit() else row_no + 1
        cells: list[str] = []
        col = 0
        for c in elem:
            if _local(c.tag) != "c":
                continue
            ref = c.get("r", "")
            ref_col = _grid_extent(ref.encode())[1] if ref else 0
            col = ref_col or col + 1
            kind = c.get("t", "n")
            value = None
            text = None
            for child in c:
                name = _local(child.tag)
                if name == "v":
                    value = child.text or ""
                elif name == "is":
                    text = "".join(child.itertext())
            if kind == "inlineStr":
                if not (text or "").strip():
                    continue
                body = (f'<is><t xml:space="preserve">{xml_escape(text or "")}</t></is>')
            else:
                if value is None or not value.strip():
                    continue
                if kind == "s" and value.strip().isdigit() and int(value) in blank_sst:
                    continue
                body = f"<v>{xml_escape(value)}</v>"
            style = c.get("s")
            attrs = f'r="{col_letters(col)}{row_no}"'
            attrs += f' s="{xml_escape(style)}"' if style and style.isdigit() else ""
            attrs += f' t="{xml_escape(kind)}"' if kind != "n" else ""
            cells.append(f"<c {attrs}>{body}</c>")
            max_col = max(max_col, col)
        if sheet_data is not None:
            sheet_data.clear()  # drop processed rows: memory stays flat on a million rows
        else:
            elem.clear()
        if row_no - last_data_row > EMPTY_RUN_LIMIT:
            break
        if not cells:
            continue
        if row_no > last_row_allowed:
            raise ApplicationError(
                f"Bảng tính có dữ liệu đến dòng {vn_number(row_no)}; mỗi lần chỉ nhập được tối đa "
                f"{vn_number(row_limit())} dòng. Hãy chia thành nhiều tệp."
            )
        if max_col > MAX_COLUMNS or row_no * max_col > MAX_GRID_CELLS:
            raise ApplicationError(
                f"Bảng tính có dữ liệu ở cột thứ {vn_number(max_col)}, quá rộng để đọc. Hãy xoá "
                "các cột không dùng hoặc chép bảng sang một tệp mới."
            )
        last_data_row = row_no
        dst.write(f'<row r="{row_no}">{"".join(cells)}</row>'.encode())
    if not ns:
        raise ApplicationError(NOT_SPREADSHEET)
    dst.write(b"</sheetData></worksheet>")


def _trimmed_copy(path: Path, sheets: list[str]) -> Path:
    """A copy of the workbook whose oversized sheets are trimmed (see `_trim_sheet`)."""
    fd, name = tempfile.mkstemp(suffix=".xlsx", prefix="thidua-trim-")
    os.close(fd)
    out = Path(name)
    try:
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            blank = _blank_shared_strings(zin)
            for info in zin.infolist():
                with zin.open(info) as src, zout.open(info.filename, "w", force_zip64=True) as dst:
                    if info.filename in sheets:
                        _trim_sheet(src, dst, blank)
                    else:
                        shutil.copyfileobj(src, dst, 1 << 20)
    except ApplicationError:
        out.unlink(missing_ok=True)
        raise
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError,
            ValueError, RuntimeError):
        out.unlink(missing_ok=True)
        raise ApplicationError(NOT_SPREADSHEET) from None
    return out


@contextlib.contextmanager
def xlsx_sheets(path: Path) -> Iterator[Iterator[Iterator[tuple[int, list[Any]]]]]:
    """Yields an iterator over the workbook's sheets, each an iterator of (Excel row, cells)."""
    tall = _check_xlsx(path)
    source = _trimmed_copy(path, tall) if tall else path
    try:
        try:
            workbook = CalamineWorkbook.from_path(str(source))
        except (CalamineError, OSError, ValueError, RuntimeError):
            raise ApplicationError(NOT_SPREADSHEET) from None

        def sheets() -> Iterator[Iterator[tuple[int, list[Any]]]]:
            for index in range(len(workbook.sheet_names)):
                try:
                    sheet = workbook.get_sheet_by_index(index)
                except Exception:  # a chart sheet, a broken sheet: look at the next one
                    continue
                start = sheet.start
                if start is None:
                    continue
                first = start[0] + 1
                yield ((first + i, row) for i, row in enumerate(sheet.iter_rows()))

        try:
            yield sheets()
        finally:
            workbook.close()
    finally:
        if source != path:
            source.unlink(missing_ok=True)


@contextlib.contextmanager
def open_sheets(path: str | os.PathLike[str], file_name: str | None = None,
                header_hints: Sequence[str] = HEADER_HINTS
                ) -> Iterator[tuple[str, Iterable[Rows]]]:
    """("xlsx" or "csv", the sheets): those of a .xlsx in workbook order, or the one sheet of a
    .csv, each an iterator of (Excel row number, cells). ApplicationError with the reason for
    any other file."""
    path = Path(path)
    if file_kind(path, file_name or path.name) == "xlsx":
        with xlsx_sheets(path) as sheets:
            yield "xlsx", sheets
    else:
        yield "csv", [csv_rows(path, header_hints)]
