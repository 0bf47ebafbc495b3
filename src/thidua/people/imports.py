"""Roster import from .xlsx and .csv as officials keep them.

Three stages:
- reading (`open_table`): find the header row among the first rows, map Vietnamese headers in any
  order and spelling, and stream the data rows. Spreadsheets are checked before python-calamine
  sees them, because calamine materialises a sheet as a dense grid: a 5 KB file with one cell at
  XFD1048576, or a shared-string table announcing two billion entries, would take the process down.
- validation (`roster_import_rows`): every row, every problem, each as a `RowError` with the row
  number Excel shows, the column, the value and what to fix;
- writing: one transaction of bulk inserts/updates, an upsert by CCCD, and one audit entry.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.audit.services import audit_record
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import can, require
from thidua.org.selectors import version_at
from thidua.people.cccd import cccd_problems, normalise_cccd
from thidua.people.models import (
    Employment,
    Gender,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Person,
)
from thidua.people.services import member_codes_allocate, people_transfer
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, fold, parse_vn_date, vn_date, vn_number

# --------------------------------------------------------------------------------------------
# Columns

# canonical key -> header as written in the template and the export
HEADERS: dict[str, str] = {
    "full_name": "Họ và tên",
    "gender": "Giới tính",
    "birth_date": "Ngày sinh",
    "cccd": "Số CCCD",
    "ethnicity": "Dân tộc",
    "position": "Chức vụ",
    "join_date": "Ngày vào Công đoàn",
    "is_member": "Đoàn viên",
    "group": "Tổ công đoàn",
    "phone": "Điện thoại",
    "email": "Email",
    "member_code": "Mã đoàn viên",
}
# other spellings met in officials' files, compared after `header_key` folding
_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "ho va ten doan vien", "ho ten doan vien",
                  "ho va ten nguoi lao dong"),
    "gender": ("gioi tinh", "gioi", "nam nu", "nam hay nu"),
    "birth_date": ("ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "sinh ngay"),
    "cccd": ("so cccd", "cccd", "so can cuoc cong dan", "so can cuoc", "so cccd cmnd",
             "cccd cmnd", "so cmnd cccd", "so dinh danh", "so dinh danh ca nhan"),
    "ethnicity": ("dan toc",),
    "position": ("chuc vu", "chuc danh", "chuc vu chuc danh"),
    "join_date": ("ngay vao cong doan", "ngay vao cd", "ngay ket nap", "ngay ket nap cong doan",
                  "ngay gia nhap cong doan", "ngay ket nap doan vien"),
    "is_member": ("doan vien", "la doan vien", "doan vien cong doan", "doan vien co khong"),
    "group": ("to cong doan", "to cd", "don vi to cong doan", "to cong doan don vi",
              "ma to cong doan"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "dien thoai di dong"),
    "email": ("email", "e mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
    "member_code": ("ma doan vien", "ma dv", "so the doan vien", "ma so doan vien"),
}
REQUIRED_COLUMNS = ("full_name", "gender", "cccd")
# what is read from a row; member_code is recognised so it is not reported as unknown, then ignored
ROW_KEYS = ("full_name", "gender", "birth_date", "cccd", "ethnicity", "position", "join_date",
            "is_member", "group", "phone", "email")

NOT_SPREADSHEET = "Tệp không phải bảng tính Excel (.xlsx) hay CSV hợp lệ."
OLD_XLS = ("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ. Hãy mở tệp trong Excel và lưu lại dưới "
           "dạng «Sổ làm việc Excel (.xlsx)» hoặc CSV UTF-8.")
TOO_BIG_UNPACKED = ("Tệp Excel giải nén ra quá lớn (trên {limit} MB) hoặc có dấu hiệu là «bom "
                    "nén»; hệ thống từ chối đọc. Hãy chép dữ liệu sang một tệp mới rồi nhập lại.")
HEADER_SCAN_ROWS = 20
EMPTY_RUN_LIMIT = 1000
ZIP_RATIO_LIMIT = 200
ZIP_RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress well: a few repeated tags
ZIP_MAX_MEMBERS = 5000
# calamine holds a sheet as a dense grid of ~32-byte cells: bound rows x columns before reading
MAX_GRID_CELLS = 8_000_000
MAX_COLUMNS = 1000
MAX_SHARED_STRINGS = 10_000_000
BATCH = 2000
IN_CHUNK = 900  # SQLite's default limit of variables per statement is 999


def header_key(text: object) -> str:
    """Fold a header for matching: "  HỌ VÀ TÊN " / "Họ và tên" / "Ho va ten" -> "ho va ten";
    punctuation counts as a space ("Số CCCD/CMND" -> "so cccd cmnd")."""
    folded = fold(str(text)) if text is not None else ""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


_KEY_BY_ALIAS = {alias: key for key, aliases in _ALIASES.items() for alias in aliases}


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class RowError:
    """One problem in one cell: `row` as Excel shows it, `column` as headed in the file."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" if self.row else "Tệp"
        if self.column:
            where += f", cột «{self.column}»"
        if self.value:
            where += f", giá trị «{self.value}»"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value,
                "message": self.message, "text": str(self)}


@dataclass
class ImportResult:
    """Counts are what the import did (`written`) or would do (a dry run, or refused for errors);
    `errors` make the import refused unless only valid rows were asked for."""

    total: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    warnings: list[RowError]
    written: bool
    skipped: int = 0

    def summary(self) -> str:
        """One line in Vietnamese, e.g. "Đã nhập 393 dòng: thêm mới 393, cập nhật 0, không đổi 0."."""
        counts = (f"thêm mới {vn_number(self.created)}, cập nhật {vn_number(self.updated)}, "
                  f"không đổi {vn_number(self.unchanged)}")
        total = vn_number(self.total)
        if self.written:
            skipped = f", bỏ qua {vn_number(self.skipped)} dòng có lỗi" if self.skipped else ""
            return f"Đã nhập {total} dòng: {counts}{skipped}."
        if self.skipped:
            valid = self.created + self.updated + self.unchanged
            return (f"Kiểm tra {total} dòng: {vn_number(self.skipped)} dòng có lỗi, "
                    f"{vn_number(valid)} dòng hợp lệ ({counts}).")
        return f"Kiểm tra {total} dòng: {counts}."


# --------------------------------------------------------------------------------------------
# Reading files


@dataclass
class Table:
    """The header row found in a sheet: where it is, what it says, and which column holds what."""

    header_row: int
    headers: list[str]
    columns: dict[str, int]
    kind: str

    def header_of(self, key: str) -> str:
        idx = self.columns.get(key)
        if idx is not None and idx < len(self.headers) and self.headers[idx]:
            return self.headers[idx]
        return HEADERS[key]


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_BINARY_MAGIC = (b"%PDF", b"MZ", b"\x7fELF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b",
                 b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xca\xfe\xba\xbe", b"\x00\x00\x01\x00")


def _file_kind(path: Path, name: str) -> str:
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
        raise ApplicationError(
            NOT_SPREADSHEET + " Tệp CSV cần lưu với bảng mã UTF-8 (trong Excel: «CSV UTF-8»)."
        ) from None
    return "csv"


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    with open(path, "rb") as raw:
        sample = raw.read(65536).decode("utf-8-sig", errors="ignore")
        lines = [ln for ln in sample.splitlines()[:HEADER_SCAN_ROWS + 5] if ln.strip()]
        # the header line decides: it holds the most separators of the one in use
        header = next((ln for ln in lines if "ho va ten" in header_key(ln)
                       or "ho ten" in header_key(ln)), None)
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
            raise ApplicationError(
                NOT_SPREADSHEET + " Tệp CSV cần lưu với bảng mã UTF-8 (trong Excel: «CSV UTF-8»)."
            ) from None


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


def _col_letters(n: int) -> str:
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


def _unpacked_limit() -> int:
    return int(getattr(settings, "THIDUA_MAX_UNPACKED_BYTES", 300 * 1024 * 1024))


def _row_limit() -> int:
    return int(getattr(settings, "THIDUA_MAX_IMPORT_ROWS", 250_000))


def _zip_bomb() -> ApplicationError:
    return ApplicationError(TOO_BIG_UNPACKED.format(limit=_unpacked_limit() // (1024 * 1024)))


def _check_xlsx(path: Path) -> list[str]:
    """Refuse a zip bomb or a malformed package before calamine reads it; return the worksheets
    whose grid would be too large to load as they are (they are trimmed first)."""
    limit = _unpacked_limit()
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
        row_limit = _row_limit() + EMPTY_RUN_LIMIT
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
                            big = (max_row > row_limit or _ESCAPED_REF.search(buf) is not None
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
    row_limit = _row_limit() + EMPTY_RUN_LIMIT
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
            attrs = f'r="{_col_letters(col)}{row_no}"'
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
        if row_no > row_limit:
            raise ApplicationError(
                f"Bảng tính có dữ liệu đến dòng {vn_number(row_no)}; mỗi lần chỉ nhập được tối đa "
                f"{vn_number(_row_limit())} dòng. Hãy chia thành nhiều tệp."
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
def _xlsx_sheets(path: Path) -> Iterator[Iterator[Iterator[tuple[int, list[Any]]]]]:
    """Yields an iterator over the workbook's sheets, each an iterator of (Excel row, cells)."""
    from python_calamine import CalamineError, CalamineWorkbook

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


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _find_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[Any]] | None:
    for count, (number, cells) in enumerate(rows):
        if count >= HEADER_SCAN_ROWS:
            return None
        keys = {_KEY_BY_ALIAS.get(header_key(c)) for c in cells if isinstance(c, str)}
        if "full_name" in keys and "cccd" in keys:
            return number, cells
    return None


def _table_for(number: int, cells: list[Any], kind: str) -> Table:
    headers = [clean_spaces(str(c)) if not _is_blank(c) else "" for c in cells]
    columns: dict[str, int] = {}
    for idx, text in enumerate(headers):
        key = _KEY_BY_ALIAS.get(header_key(text))
        if key and key not in columns:
            columns[key] = idx
    missing = [HEADERS[k] for k in REQUIRED_COLUMNS if k not in columns]
    if missing:
        raise ApplicationError(
            f"Dòng tiêu đề (dòng {number}) thiếu cột bắt buộc: "
            + ", ".join(f"«{m}»" for m in missing) + ". Hãy dùng tệp mẫu để xem tên các cột."
        )
    return Table(number, headers, columns, kind)


@contextlib.contextmanager
def open_table(
    path: str | os.PathLike[str], file_name: str | None = None
) -> Iterator[tuple[Table, Iterator[tuple[int, list[Any]]]]]:
    """Open a roster file and yield (table, rows): `rows` gives (Excel row number, cells) for
    each non-empty row below the header. Reading stops after EMPTY_RUN_LIMIT empty rows in a row;
    more than THIDUA_MAX_IMPORT_ROWS rows is refused."""
    path = Path(path)
    kind = _file_kind(path, file_name or path.name)
    with contextlib.ExitStack() as stack:
        if kind == "xlsx":
            sheets: Iterable[Iterator[tuple[int, list[Any]]]] = stack.enter_context(
                _xlsx_sheets(path))
        else:
            sheets = [_csv_rows(path)]
        found = None
        for rows in sheets:
            header = _find_header(rows)
            if header is not None:
                found = (header, rows)
                break
        if found is None:
            raise ApplicationError(
                f"Không tìm thấy dòng tiêu đề: trong {HEADER_SCAN_ROWS} dòng đầu của bảng tính "
                "phải có một dòng chứa ít nhất hai cột «Họ và tên» và «Số CCCD»."
            )
        (number, cells), rows = found
        table = _table_for(number, cells, kind)
        yield table, _data_rows(table, rows)


def _data_rows(table: Table, rows: Iterator[tuple[int, list[Any]]]
               ) -> Iterator[tuple[int, list[Any]]]:
    limit = _row_limit()
    watched = [i for k, i in table.columns.items() if k in ROW_KEYS]
    name_col = table.columns["full_name"]
    empty_run = 0
    count = 0
    for number, cells in rows:
        n = len(cells)
        # most rows have a name: one look instead of a scan of every column
        name = cells[name_col] if name_col < n else None
        if (name.__class__ is not str or not name or name.isspace()) and all(
                i >= n or _is_blank(cells[i]) for i in watched):
            empty_run += 1
            if empty_run >= EMPTY_RUN_LIMIT:
                return
            continue
        empty_run = 0
        count += 1
        if count > limit:
            raise ApplicationError(
                f"Tệp có hơn {vn_number(limit)} dòng dữ liệu; mỗi lần chỉ nhập được tối đa "
                f"{vn_number(limit)} dòng. Hãy chia thành nhiều tệp."
            )
        yield number, cells


def read_roster(path: str | os.PathLike[str], file_name: str | None = None
                ) -> tuple[Table, list[dict[str, object]]]:
    """The rows of a roster file as dicts keyed by canonical names, plus "_row"."""
    out: list[dict[str, object]] = []
    with open_table(path, file_name) as (table, rows):
        items = [(k, i) for k, i in table.columns.items() if k in ROW_KEYS]
        for number, cells in rows:
            n = len(cells)
            row: dict[str, object] = {k: cells[i] for k, i in items if i < n}
            row["_row"] = number
            out.append(row)
    return table, out


# --------------------------------------------------------------------------------------------
# Validation


def display(value: object) -> str:
    """A cell as the official typed it: dates dd/mm/yyyy, 85012345.0 -> "85012345"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return vn_date(value.date())
    if isinstance(value, dt.date):
        return vn_date(value)
    return clean_spaces(str(value))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # most cells are already clean: skip the regex and the normalisation copy for them
        if (value and value.isprintable() and "  " not in value and value[0] != " "
                and value[-1] != " " and unicodedata.is_normalized("NFC", value)):
            return value
        return clean_spaces(value) if value else ""
    return display(value)


_word_folds: dict[str, str] = {}


def _fold_name(name: str) -> str:
    """fold() of a cleaned name, word by word with a memo: a roster of 100.000 people has a few
    thousand distinct words. Same result as fold(), which works character by character."""
    out = []
    for word in name.split(" "):
        folded = _word_folds.get(word)
        if folded is None:
            folded = fold(word)
            if len(_word_folds) < 200_000:
                _word_folds[word] = folded
        if not folded or " " in folded:
            return fold(name)
        out.append(folded)
    return " ".join(out)


_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date(value: object) -> dt.date | None:
    """A date cell: a real Excel date, a dd/mm/yyyy text, or an Excel serial number.
    None for blank; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        # a date cell formatted as a number; a bare year (1985) is not a date
        if value < 2200 or value > 2958465 or not float(value).is_integer():
            raise ValueError(value)
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value)
    m = _DATE_RE.match(text)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return parse_vn_date(text)


_GENDERS = {"nam": Gender.MALE.value, "nu": Gender.FEMALE.value, "male": Gender.MALE.value,
            "female": Gender.FEMALE.value}
_YES = {"co", "x", "1", "yes", "c", "dung", "la doan vien", "true", "v"}
_NO = {"khong", "0", "no", "k", "chua", "false", "ko"}
_PHONE_RE = re.compile(r"^[0-9+().\s-]{6,20}$")


@functools.lru_cache(maxsize=256)
def _small_fold(text: str) -> str:
    """fold() of the few values a column like Giới tính or Đoàn viên takes, computed once each."""
    return fold(text)


class _Row:
    """A row that passed the checks, in the form it is written."""

    __slots__ = ("row", "fields", "cccd", "birth_date", "is_member", "member_explicit",
                 "join_date", "unit", "group_given")

    def __init__(self, row: int) -> None:
        self.row = row
        self.fields: dict[str, Any] = {}
        self.cccd = ""
        self.birth_date: dt.date | None = None
        self.is_member = False
        self.member_explicit = False
        self.join_date: dt.date | None = None
        self.unit: Unit | None = None
        self.group_given = False


class _Units:
    """The units of the target's subtree alive at the effective date, found by code or name."""

    def __init__(self, actor: Any, unit: Unit, day: dt.date) -> None:
        version = version_at(unit, day)
        if version is None:
            raise ApplicationError(
                f"Đơn vị «{unit.name}» không hoạt động vào ngày {vn_date(day)}."
            )
        self.root = unit
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        self.ids: set[int] = set()
        for v in UnitVersion.objects.at(day).subtree(version.path).select_related("unit"):
            u = v.unit
            if not can(actor, u.path, Role.OFFICER):
                continue
            self.ids.add(u.pk)
            self.by_code[u.code.upper()] = u
            for name in {fold(v.name), fold(u.name), fold(u.short_name)} - {""}:
                if u not in self.by_name[name]:
                    self.by_name[name].append(u)
        self.cache: dict[str, Unit | str] = {}

    def resolve(self, text: str) -> Unit | str:
        """The unit, or a Vietnamese message saying what is wrong."""
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        unit = self.by_code.get(text.strip().upper())
        if unit is None:
            found = self.by_name.get(fold(text), [])
            if len(found) == 1:
                unit = found[0]
            elif len(found) > 1:
                codes = ", ".join(u.code for u in found[:5])
                self.cache[text] = (f"Có {len(found)} đơn vị cùng tên này ({codes}); hãy ghi mã "
                                    "đơn vị thay cho tên.")
                return self.cache[text]
        result: Unit | str = unit if unit is not None else (
            f"Không có tổ công đoàn hay đơn vị này trực thuộc «{self.root.name}»; hãy ghi đúng mã "
            "hoặc tên như trên cây tổ chức."
        )
        self.cache[text] = result
        return result


def _chunks(items: list[Any], size: int | None = None) -> Iterator[list[Any]]:
    if size is None:
        # PostgreSQL takes large IN lists (and plans each look-up once, not 100 times)
        size = 20_000 if connection.vendor == "postgresql" else IN_CHUNK
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _cccd(raw: object, birth: dt.date | None, gender: str | None) -> str:
    """The CCCD as text. A number cell has lost every leading zero: Hà Nội's 001 leaves ten
    digits. Ten digits typed as text get their zeros back only when the result checks out."""
    if isinstance(raw, float | int) and not isinstance(raw, bool) and float(raw).is_integer():
        number = int(raw)
        if 10**9 <= number < 10**12:
            return f"{number:012d}"
    if isinstance(raw, str) and len(raw) == 12 and raw.isdigit():
        return raw
    text = normalise_cccd(raw)
    if len(text) == 10 and text.isdigit():
        padded = "00" + text
        if not cccd_problems(padded, birth_date=birth, gender=gender):
            return padded
    return text


def _parse_row(raw: dict[str, object], *, day: dt.date, units: _Units, head: Callable[[str], str],
               errors: list[RowError], cccds: dict[str, list[int]]) -> _Row | None:
    number = int(raw.get("_row") or 0)  # type: ignore[call-overload]
    row = _Row(number)
    n_errors = len(errors)

    def err(key: str, message: str) -> None:
        errors.append(RowError(number, head(key), display(raw.get(key)), message))

    name = _text(raw.get("full_name"))
    if not name:
        err("full_name", "Họ và tên không được để trống.")
    elif len(name) > 150:
        err("full_name", "Họ và tên dài quá 150 ký tự.")
    row.fields["full_name"] = name

    gender_raw = raw.get("gender")
    gender = _GENDERS.get(_small_fold(gender_raw) if isinstance(gender_raw, str) else "")
    if gender is None:
        err("gender", "Giới tính không được để trống; ghi Nam hoặc Nữ." if _is_blank(gender_raw)
            else "Giới tính phải ghi Nam hoặc Nữ.")
    else:
        row.fields["gender"] = gender

    birth = None
    try:
        birth = _date(raw.get("birth_date"))
    except (ValueError, OverflowError):
        err("birth_date", "Ngày sinh không đúng dạng ngày/tháng/năm (ví dụ 17/05/1985).")
    if birth is not None:
        if birth.year < 1900:
            err("birth_date", "Năm sinh phải từ 1900 trở về sau.")
            birth = None
        elif birth > day:
            err("birth_date", f"Ngày sinh sau ngày hiệu lực của lần nhập ({vn_date(day)}).")
            birth = None
        else:
            row.fields["birth_date"] = birth
    row.birth_date = birth

    cccd = _cccd(raw.get("cccd"), birth, gender)
    if not cccd:
        err("cccd", "Số CCCD không được để trống.")
    else:
        cccds[cccd].append(number)
        for problem in cccd_problems(cccd, birth_date=birth, gender=gender):
            err("cccd", problem)
    row.cccd = cccd

    for key, limit, label in (("ethnicity", 50, "Dân tộc"), ("position", 150, "Chức vụ")):
        value = _text(raw.get(key))
        if len(value) > limit:
            err(key, f"{label} dài quá {limit} ký tự.")
        elif value:
            row.fields[key] = value

    phone_raw = raw.get("phone")
    phone = _text(phone_raw)
    if phone:
        if isinstance(phone_raw, float) and phone.isdigit() and len(phone) == 9:
            phone = "0" + phone  # a number cell drops the leading 0 of a mobile number
        if not _PHONE_RE.match(phone):
            err("phone", "Số điện thoại chỉ gồm chữ số (có thể có dấu cách, +, -, dấu chấm), "
                "từ 6 đến 20 ký tự.")
        else:
            row.fields["phone"] = phone

    email = _text(raw.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            err("email", "Địa chỉ email không hợp lệ.")
        else:
            if len(email) > 254:
                err("email", "Địa chỉ email dài quá 254 ký tự.")
            else:
                row.fields["email"] = email

    join = None
    try:
        join = _date(raw.get("join_date"))
    except (ValueError, OverflowError):
        err("join_date", "Ngày vào Công đoàn không đúng dạng ngày/tháng/năm (ví dụ 01/03/2010).")
        join = dt.date.min  # given, though unreadable: it still says "member" below
    member_raw = raw.get("is_member")
    is_member: bool | None = None
    if isinstance(member_raw, bool):
        is_member = member_raw
    elif not _is_blank(member_raw):
        flag = _small_fold(member_raw if isinstance(member_raw, str) else display(member_raw))
        if flag in _YES or flag in _NO:
            is_member = flag in _YES
        else:
            err("is_member", "Cột Đoàn viên chỉ ghi «Có» hoặc «Không».")
            is_member = False
    row.member_explicit = is_member is not None
    row.is_member = is_member if is_member is not None else join is not None
    if join == dt.date.min:
        join = None
    elif row.is_member:
        if join is None:
            err("join_date", "Đoàn viên phải có Ngày vào Công đoàn (ngày/tháng/năm).")
        elif join > day:
            err("join_date", f"Ngày vào Công đoàn sau ngày hiệu lực của lần nhập ({vn_date(day)}).")
        elif birth is not None and join <= birth:
            err("join_date", "Ngày vào Công đoàn phải sau ngày sinh.")
        elif join.year < 1900:
            err("join_date", "Ngày vào Công đoàn phải từ năm 1900 trở về sau.")
    row.join_date = join if row.is_member else None

    group = _text(raw.get("group"))
    if group:
        row.group_given = True
        found = units.resolve(group)
        if isinstance(found, str):
            err("group", found)
        else:
            row.unit = found
    if row.unit is None:
        row.unit = units.root

    return row if len(errors) == n_errors else None


# --------------------------------------------------------------------------------------------
# Import


@dataclass
class _Existing:
    pk: int
    version: int
    fields: dict[str, Any]
    member_code: str | None
    emp: tuple[int, str, dt.date] | None = None  # unit id, unit path, valid_from
    mem: tuple[int, str, dt.date] | None = None
    emp_end: dt.date | None = None  # end of the last closed employment
    mem_end: dt.date | None = None
    past_paths: list[str] = field(default_factory=list)


_COMPARED = ("full_name", "gender", "birth_date", "ethnicity", "position", "phone", "email")


def _load_existing(cccds: list[str]) -> dict[str, _Existing]:
    found: dict[str, _Existing] = {}
    for chunk in _chunks(cccds):
        for rec in Person.objects.filter(cccd__in=chunk).values(
                "pk", "cccd", "version", "member_code", *_COMPARED):
            found[rec["cccd"]] = _Existing(
                rec["pk"], rec["version"], {f: rec[f] for f in _COMPARED}, rec["member_code"])
    by_pk = {e.pk: e for e in found.values()}
    ids = list(by_pk)
    for model, attr in ((Employment, "emp"), (Membership, "mem")):
        for chunk in _chunks(ids):
            for pid, uid, path, start, end in model.objects.filter(person_id__in=chunk).values_list(
                    "person_id", "unit_id", "unit__path", "valid_from", "valid_to"):
                e = by_pk[pid]
                if end is None:
                    setattr(e, attr, (uid, path, start))
                else:
                    e.past_paths.append(path)
                    last = getattr(e, f"{attr}_end")
                    if last is None or end > last:
                        setattr(e, f"{attr}_end", end)
    return found


def _ranges(ids: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> "1-3,7,9-10": the audit entry of a 100.000-row import stays small."""
    if not ids:
        return ""
    ids = sorted(ids)
    parts = []
    start = prev = ids[0]
    for i in ids[1:] + [None]:  # type: ignore[list-item]
        if i is not None and i == prev + 1:
            prev = i
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if i is not None:
            start = prev = i
    return ",".join(parts)


@dataclass
class _Plan:
    new: list[_Row] = field(default_factory=list)
    updates: list[tuple[_Existing, dict[str, Any]]] = field(default_factory=list)
    joins: list[tuple[_Existing, _Row, int]] = field(default_factory=list)
    moves: list[tuple[_Existing, Unit]] = field(default_factory=list)
    rehires: list[tuple[_Existing, Unit, dt.date]] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    unchanged: int = 0


OUT_OF_SCOPE = ("Số CCCD này đã có trong hệ thống, thuộc một đơn vị ngoài phạm vi bạn quản lý. "
                "Hãy kiểm tra lại số CCCD; nếu đúng, đề nghị công đoàn cấp trên chuyển người này "
                "về đơn vị.")


def _plan(rows: list[_Row], existing: dict[str, _Existing], *, actor: Any, units: _Units,
          day: dt.date, head: Callable[[str], str], errors: list[RowError],
          warnings: list[RowError]) -> tuple[_Plan, set[int]]:
    """Decide what each valid row does; rows refused here are returned by row number."""
    plan = _Plan()
    refused: set[int] = set()
    officer = Role.OFFICER
    for row in rows:
        e = existing.get(row.cccd)
        if e is None:
            plan.new.append(row)
            continue
        open_paths = [p[1] for p in (e.emp, e.mem) if p is not None]
        in_scope = (all(can(actor, p, officer) for p in open_paths) if open_paths
                    else any(can(actor, p, officer) for p in e.past_paths or [""]))
        if not in_scope:
            errors.append(RowError(row.row, head("cccd"), row.cccd, OUT_OF_SCOPE))
            refused.add(row.row)
            continue
        changes = {f: v for f, v in row.fields.items() if e.fields.get(f) != v}
        target = row.unit or units.root
        move = None
        rehire = None
        if e.emp is not None:
            current = e.emp[0]
            stay = current == target.pk or (not row.group_given and current in units.ids)
            if not stay:
                starts = [p[2] for p in (e.emp, e.mem) if p is not None]
                if day < max(starts):
                    column, value = ("group", display(target.code)) if row.group_given else (
                        "cccd", row.cccd)
                    errors.append(RowError(
                        row.row, head(column), value,
                        f"Người này ở đơn vị hiện tại từ ngày {vn_date(max(starts))}, sau ngày "
                        f"hiệu lực {vn_date(day)}: không chuyển đơn vị được với ngày hiệu lực này.",
                    ))
                    refused.add(row.row)
                    continue
                move = target
        else:
            rehire = (target, max(day, e.emp_end) if e.emp_end else day)
        join = row.is_member and e.mem is None
        if not row.is_member and e.mem is not None and row.member_explicit:
            warnings.append(RowError(
                row.row, head("is_member"), "Không",
                "Người này đang là đoàn viên; nhập danh sách không chấm dứt sinh hoạt công đoàn. "
                "Nếu người này đã ra khỏi tổ chức Công đoàn, hãy ghi nhận trên trang hồ sơ.",
            ))
        if not (changes or move or rehire or join):
            plan.unchanged += 1
            continue
        plan.touched.add(e.pk)
        if changes:
            plan.updates.append((e, changes))
        if join:
            # opened where the person is now; a move below carries it along
            home = e.emp[0] if e.emp is not None and move is not None else target.pk
            plan.joins.append((e, row, home))
        if move is not None:
            plan.moves.append((e, move))
        if rehire is not None:
            plan.rehires.append((e, *rehire))
    return plan, refused


def roster_import_rows(
    *,
    actor: Any,
    unit: Unit,
    rows: list[dict[str, object]],
    effective_date: dt.date,
    valid_only: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    source_name: str = "",
    sha256: str = "",
    headers: dict[str, str] | None = None,
) -> ImportResult:
    """Check every row, then (unless `dry_run`) write them in one transaction.

    Upsert by CCCD: a new CCCD adds a person (employment from `effective_date`, or from the join
    date when earlier, and a membership from the join date); a known one, in the actor's scope,
    gets its changed fields updated, joins the union when the row says so, and is transferred at
    `effective_date` when the row names another unit. A blank optional cell keeps what is
    stored; a member listed as non-member is only warned about. Any invalid row means nothing is
    written, unless `valid_only`. `headers` (canonical key -> header in the file) names columns
    in the messages."""
    require(actor, unit.path, Role.OFFICER)
    total = len(rows)
    names = headers or {}

    def head(key: str) -> str:
        return names.get(key) or HEADERS[key]

    units = _Units(actor, unit, effective_date)
    if progress is not None:
        progress(0, total)
    errors: list[RowError] = []
    warnings: list[RowError] = []
    parsed: list[_Row] = []
    seen: dict[str, list[int]] = defaultdict(list)
    for i, raw in enumerate(rows):
        row = _parse_row(raw, day=effective_date, units=units, head=head, errors=errors,
                         cccds=seen)
        if row is not None:
            parsed.append(row)
        if progress is not None and i % 500 == 499:
            progress(i + 1, total)
    bad_rows = {e.row for e in errors}

    # the same CCCD twice in the file: both rows are wrong (which one is right is not knowable)
    duplicates = {c: nums for c, nums in seen.items() if len(nums) > 1}
    if duplicates:
        by_row = {int(r.get("_row") or 0): r for r in rows}  # type: ignore[call-overload]
        for nums in duplicates.values():
            for n in nums:
                others = ", ".join(str(o) for o in nums if o != n)
                errors.append(RowError(n, head("cccd"), display(by_row[n].get("cccd")),
                                       f"Số CCCD trùng với dòng {others} trong tệp; mỗi người "
                                       "chỉ ghi một dòng."))
                bad_rows.add(n)
        parsed = [r for r in parsed if r.cccd not in duplicates]

    existing = _load_existing([r.cccd for r in parsed])
    plan, refused = _plan(parsed, existing, actor=actor, units=units, day=effective_date,
                          head=head, errors=errors, warnings=warnings)
    if refused:
        bad_rows |= refused
        plan.new = [r for r in plan.new if r.row not in refused]
    if progress is not None:
        progress(total, total)
    errors.sort(key=lambda e: e.row)
    warnings.sort(key=lambda e: e.row)
    result = ImportResult(
        total=total, created=len(plan.new), updated=len(plan.touched), unchanged=plan.unchanged,
        errors=errors, warnings=warnings, written=False, skipped=len(bad_rows),
    )
    if dry_run or (errors and not valid_only):
        return result
    try:
        with transaction.atomic():
            audit_after = _write(plan, existing, actor=actor, unit=unit, day=effective_date)
            audit_record(
                actor=actor, action="person.import", object_type="unit", object_id=unit.code,
                unit_id=unit.pk,
                after={
                    "file": source_name, "sha256": sha256, "unit": unit.code,
                    "effective_date": effective_date, "valid_only": valid_only,
                    "total": total, "created": result.created, "updated": result.updated,
                    "unchanged": result.unchanged, "skipped_rows": len(bad_rows),
                    **audit_after,
                },
            )
    except IntegrityError:
        raise ApplicationError(
            "Dữ liệu vừa thay đổi trong lúc nhập (có thể một người cùng số CCCD vừa được thêm ở "
            "nơi khác). Chưa có gì được ghi; hãy nhập lại tệp."
        ) from None
    result.written = True
    return result


def _insert(model: type[Any], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows: COPY on PostgreSQL, one prepared statement per batch (executemany) on
    SQLite. Django's
    bulk_create splits a batch into statements of at most 999 parameters on SQLite and prepares
    every value through the field API; for 100.000 rows that is most of an import's time."""
    if not rows:
        return
    qn = connection.ops.quote_name
    fields = [model._meta.get_field(c) for c in columns]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one round trip: 3× faster than executemany there
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for batch in _chunks(rows, BATCH):
            cursor.executemany(sql, batch)


def _write(plan: _Plan, existing: dict[str, _Existing], *, actor: Any, unit: Unit,
           day: dt.date) -> dict[str, Any]:
    now = timezone.now()
    # Someone may have edited a person between the checks and this transaction.
    versions = {e.pk: e.version for e, _ in plan.updates}
    for chunk in _chunks(list(versions)):
        for pk, version in Person.objects.filter(pk__in=chunk).values_list("pk", "version"):
            if versions[pk] != version:
                raise ApplicationError(
                    "Một số hồ sơ vừa được người khác sửa trong lúc kiểm tra tệp. Chưa có gì được "
                    "ghi; hãy nhập lại tệp."
                )

    need_codes = sum(1 for r in plan.new if r.is_member) + sum(
        1 for e, _, _ in plan.joins if not e.member_code)
    codes = iter(member_codes_allocate(need_codes))

    # new people
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    day_db = ops.adapt_datefield_value(day)
    before = Person.objects.aggregate(last=Max("pk"))["last"] or 0
    _insert(Person, ["full_name", "name_folded", "birth_date", "gender", "cccd", "ethnicity",
                     "position", "phone", "email", "member_code", "version", "created_at",
                     "updated_at"], [
        (f["full_name"], _fold_name(f["full_name"]), ops.adapt_datefield_value(r.birth_date),
         f["gender"], r.cccd, f.get("ethnicity", ""), f.get("position", ""), f.get("phone", ""),
         f.get("email", ""), next(codes) if r.is_member else None, 1, stamp, stamp)
        for r in plan.new for f in (r.fields,)
    ])
    # New ids come from the sequence after `before`; rows others committed meanwhile (never
    # with these CCCDs: the column is unique) are told apart by CCCD.
    new_cccds = {r.cccd for r in plan.new}
    pk_by_cccd = {
        c: pk for pk, c in Person.objects.filter(pk__gt=before).values_list("pk", "cccd")
        if c in new_cccds
    } if plan.new else {}
    created_ids = sorted(pk_by_cccd.values())
    employments = []
    memberships = []
    for r in plan.new:
        pk = pk_by_cccd[r.cccd]
        assert r.unit is not None  # rows without a resolved unit never reach the plan
        if r.is_member and r.join_date:
            start = ops.adapt_datefield_value(min(day, r.join_date))
            memberships.append((pk, r.unit.pk, MembershipStatus.ACTIVE.value,
                                MembershipEvent.JOIN.value, "",
                                ops.adapt_datefield_value(r.join_date), ""))
        else:
            start = day_db
        employments.append((pk, r.unit.pk, start))
    _insert(Employment, ["person", "unit", "valid_from"], employments)
    _insert(Membership, ["person", "unit", "status", "opened_by", "closed_by", "valid_from",
                         "note"], memberships)

    # changed fields of known people
    changed = []
    changed_fields: set[str] = set()
    updated_log: dict[int, dict[str, Any]] = {}
    for e, changes in plan.updates:
        p = Person(pk=e.pk, **(e.fields | changes))
        p.name_folded = _fold_name(p.full_name)
        p.version = e.version + 1
        p.updated_at = now
        changed.append(p)
        changed_fields |= set(changes)
        updated_log[e.pk] = {"id": e.pk, "before": {f: e.fields[f] for f in changes},
                             "after": changes}
    if changed:
        Person.objects.bulk_update(
            changed, sorted(changed_fields | {"name_folded", "version", "updated_at"}),
            batch_size=500)

    # known people who become members, return to work, or move
    joined = []
    coded = []
    for e, r, home in plan.joins:
        joined_on = max(d for d in (r.join_date, e.mem_end) if d is not None)
        joined.append(Membership(person_id=e.pk, unit_id=home, valid_from=joined_on,
                                 opened_by=MembershipEvent.JOIN))
        if not e.member_code:
            e.member_code = next(codes)
            coded.append(Person(pk=e.pk, member_code=e.member_code))
        updated_log.setdefault(e.pk, {"id": e.pk})["joined"] = joined_on
    Membership.objects.bulk_create(joined, batch_size=BATCH)
    if coded:
        Person.objects.bulk_update(coded, ["member_code"], batch_size=500)
    Employment.objects.bulk_create(
        [Employment(person_id=e.pk, unit=u, valid_from=back) for e, u, back in plan.rehires],
        batch_size=BATCH)
    for e, u, back in plan.rehires:
        updated_log.setdefault(e.pk, {"id": e.pk})["rehired"] = {"unit": u.code, "date": back}
    by_target: dict[int, tuple[Unit, list[_Existing]]] = {}
    for e, target in plan.moves:
        by_target.setdefault(target.pk, (target, []))[1].append(e)
    codes_by_id = dict(Unit.objects.filter(
        pk__in={e.emp[0] for e, _ in plan.moves if e.emp}).values_list("pk", "code"))
    for target, group in by_target.values():
        for chunk in _chunks(group, 400):
            from_ids = sorted({p[0] for e in chunk for p in (e.emp, e.mem) if p is not None})
            people_transfer(person_ids=[e.pk for e in chunk], from_unit_ids=from_ids,
                            to_unit=target, date=day, event=MembershipEvent.TRANSFER)
            for e in chunk:
                updated_log.setdefault(e.pk, {"id": e.pk})["moved"] = {
                    "from": codes_by_id.get(e.emp[0]) if e.emp else None, "to": target.code,
                    "date": day}
    return {"created_ids": _ranges(created_ids), "updated_persons": list(updated_log.values())}


def roster_import_file(
    *,
    actor: Any,
    unit: Unit,
    path: str | os.PathLike[str],
    file_name: str | None = None,
    effective_date: dt.date,
    valid_only: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read a .xlsx or .csv roster and import it (see `roster_import_rows`). A file that cannot
    be read as a roster raises ApplicationError with the reason, before anything is checked."""
    require(actor, unit.path, Role.OFFICER)
    name = file_name or Path(path).name
    table, rows = read_roster(path, name)
    headers = {k: table.header_of(k) for k in HEADERS}
    return roster_import_rows(
        actor=actor, unit=unit, rows=rows, effective_date=effective_date, valid_only=valid_only,
        dry_run=dry_run, progress=progress, source_name=name, sha256=file_sha256(path),
        headers=headers,
    )
