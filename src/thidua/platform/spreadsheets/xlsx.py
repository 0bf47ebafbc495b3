"""The .xlsx reader: the sheet XML streamed with expat, one row at a time.

Nothing is held but the shared-string table (compact: UTF-8 bytes and offsets), the date
styles and the rows of the chunk being parsed, so memory does not grow with the sheet. The
package is checked first from what it claims (member count, sizes, compression ratio of the
parts that are not parsed), a sheet from its claimed size and its <dimension>, then every
byte unpacked and every cell's length is counted as it is read.

Cells come as python-calamine gave them: str, float, bool, date or datetime, "" for a blank
inside a row; columns start at A."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from array import array
from collections.abc import Iterator
from typing import Any

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.limits import (
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    HEADER_SCAN_ROWS,
    MAX_CELL_CHARS,
    MAX_SHARED_STRINGS,
    MAX_SHARED_TEXT_BYTES,
    NOT_SPREADSHEET,
    ROW_SLACK,
    XLSB,
    ZIP_MAX_MEMBERS,
    ZIP_RATIO_LIMIT,
    ZIP_RATIO_MIN_BYTES,
    cell_too_long,
    row_limit,
    shared_strings_too_big,
    sheet_limit,
    sheet_too_big,
    sheet_too_tall,
    unpacked_limit,
    zip_bomb,
)
from thidua.platform.spreadsheets.xlsx_rows import PlainRows, sheet_stream
from thidua.platform.spreadsheets.xmlstream import (
    LOCAL_NAMES,
    Refused,
    feed,
    local,
    make_parser,
    parse_small,
)

Rows = Iterator[tuple[int, list[Any]]]
_REF = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d{0,7})$")
# built-in number formats that show a date or a time (ECMA-376 18.8.30, and the East Asian ones)
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_REL_WORKSHEET = "/worksheet"
# A row whose cells are all empty elements (<c r="A5" s="2"/>: formatting, no value) holds
# nothing; as a self-closing row it costs expat 2 calls instead of 2 per cell. Millions of such
# rows are how a sheet is padded to hundreds of MB.
_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_EMPTY_ROW = re.compile(rb"(<" + _NAME + rb"row\b[^>]*?)\s*>(?:\s*<" + _NAME + rb"c\b[^>]*?/>)*\s*</"
                        + _NAME + rb"row>")


def squeeze_empty_rows(xml: bytes) -> bytes:
    return _EMPTY_ROW.sub(rb"\1/>", xml)
_MAX_SHEETS = 1000


_COLUMNS: dict[str, int] = {}


def column_of(ref: str) -> int:
    """The column of a cell reference ("C5" -> 3), cached by its letters: every row repeats them."""
    letters = ref.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None:
        col = split_ref(ref)[0]
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = col
    return col


def split_ref(ref: str) -> tuple[int, int]:
    """(column, row) of a cell reference, 0 for a part it lacks: "C5" -> (3, 5), "7" -> (0, 7)."""
    m = _REF.match(ref)
    if m is None:
        raise ApplicationError(NOT_SPREADSHEET)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return col, int(m.group(2)) if m.group(2) else 0


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or time ("dd/mm/yyyy", "[$-vi-VN]d mmmm yyyy")."""
    bare = _FORMAT_NOISE.sub("", code.split(";", 1)[0]).lower()
    return any(ch in bare for ch in "dmyhs") and "general" not in bare


class SharedStrings:
    """The shared-string table as UTF-8 in one buffer; a string longer than a cell may hold is
    kept only as its length, to be refused with the reference of the cell that uses it."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.offsets = array("I", [0])
        self.too_long: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def add(self, text: str, length: int) -> None:
        if len(self) >= MAX_SHARED_STRINGS:
            raise Refused(shared_strings_too_big())
        if length > MAX_CELL_CHARS:
            self.too_long[len(self)] = length
        else:
            self.data += text.encode("utf-8", "surrogatepass")
            if len(self.data) > MAX_SHARED_TEXT_BYTES:
                raise Refused(shared_strings_too_big())
        self.offsets.append(len(self.data))

    def get(self, index: int, col: int, row: int) -> str:
        if not 0 <= index < len(self):
            raise ApplicationError(NOT_SPREADSHEET)
        if index in self.too_long:
            raise cell_too_long(col, row, self.too_long[index])
        return self.data[self.offsets[index]:self.offsets[index + 1]].decode("utf-8", "replace")


class _Text:
    """Character data of the element being read, counted past the cell limit but not kept."""

    __slots__ = ("length", "on", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.on = False

    def start(self) -> None:
        self.on = True

    def add(self, data: str) -> None:
        if self.on:
            self.length += len(data)
            if self.length <= MAX_CELL_CHARS:
                self.parts.append(data)

    def take(self) -> tuple[str, int]:
        text, length = "".join(self.parts), self.length
        self.parts, self.length, self.on = [], 0, False
        return text, length


def _shared_strings(zf: zipfile.ZipFile, name: str | None, budget: list[int]) -> SharedStrings:
    table = SharedStrings()
    if name is None:
        return table
    buf = _Text()
    depth_rph = 0
    in_si = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth_rph, in_si
        t = local(tag)
        if t == "si":
            in_si = True
        elif t == "rPh":
            depth_rph += 1
        elif t == "t" and in_si and not depth_rph:
            buf.on = True

    def end(tag: str) -> None:
        nonlocal depth_rph, in_si
        t = local(tag)
        if t == "t":
            buf.on = False
        elif t == "rPh":
            depth_rph -= 1
        elif t == "si":
            in_si = False
            text, length = buf.take()
            table.add(text, length)

    parser = make_parser(start, end, buf.add, NOT_SPREADSHEET)
    with zf.open(name) as stream:
        for _ in feed(stream, parser, NOT_SPREADSHEET, budget=budget[0], too_big=zip_bomb):
            pass
        budget[0] -= stream.tell() if hasattr(stream, "tell") else 0
    return table


def _date_styles(zf: zipfile.ZipFile, name: str | None) -> set[int]:
    if name is None:
        return set()
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    in_cell_xfs = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal in_cell_xfs
        t = local(tag)
        if t == "numFmt":
            fid = attrs.get("numFmtId", "")
            if fid.isdigit():
                custom[int(fid)] = attrs.get("formatCode", "")
        elif t == "cellXfs":
            in_cell_xfs = True
        elif t == "xf" and in_cell_xfs:
            fid = attrs.get("numFmtId", "0")
            xf_formats.append(int(fid) if fid.isdigit() else 0)

    def end(tag: str) -> None:
        nonlocal in_cell_xfs
        if local(tag) == "cellXfs":
            in_cell_xfs = False

    with zf.open(name) as stream:
        parse_small(stream, start, NOT_SPREADSHEET, end)
    dates = set()
    for index, fid in enumerate(xf_formats):
        code = custom.get(fid)
        if (is_date_format(code) if code is not None else fid in _DATE_FORMAT_IDS):
            dates.add(index)
    return dates


def _workbook(zf: zipfile.ZipFile, names: dict[str, str]) -> tuple[list[tuple[str, str]], bool]:
    """[(sheet name, member)] in workbook order, and whether dates count from 1904."""
    sheets: list[tuple[str, str]] = []
    date1904 = False

    def on_workbook(tag: str, attrs: dict[str, str]) -> None:
        nonlocal date1904
        t = local(tag)
        if t == "sheet" and len(sheets) < _MAX_SHEETS:
            rid = next((v for k, v in attrs.items() if local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))
        elif t == "workbookPr":
            date1904 = attrs.get("date1904", "").lower() in {"1", "true"}

    rels: dict[str, str] = {}

    def on_rels(tag: str, attrs: dict[str, str]) -> None:
        if local(tag) == "Relationship" and attrs.get("Type", "").endswith(_REL_WORKSHEET):
            rels[attrs.get("Id", "")] = attrs.get("Target", "")

    with zf.open(names["xl/workbook.xml"]) as stream:
        parse_small(stream, on_workbook, NOT_SPREADSHEET)
    rels_name = names.get("xl/_rels/workbook.xml.rels")
    if rels_name is not None:
        with zf.open(rels_name) as stream:
            parse_small(stream, on_rels, NOT_SPREADSHEET)
    out: list[tuple[str, str]] = []
    for sheet_name, rid in sheets:
        target = rels.get(rid)
        if not target:
            continue  # a chart sheet, a dialog sheet: no rows
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        member = names.get(posixpath.normpath(path).lower())
        if member is not None:
            out.append((sheet_name or member, member))
    return out, date1904


def _check_package(zf: zipfile.ZipFile) -> dict[str, str]:
    """Members by lower-case name, once the package's claims are found reasonable."""
    infos = zf.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise ApplicationError(NOT_SPREADSHEET)
    names = {i.filename.lower(): i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise ApplicationError(XLSB if "xl/workbook.bin" in names else NOT_SPREADSHEET)
    if sum(i.file_size for i in infos) > unpacked_limit():
        raise zip_bomb()
    for info in infos:
        # the parts parsed here are streamed and bounded on their own; the others (images…) are
        # never unpacked, but one that claims to expand 200-fold is no spreadsheet's
        lower = info.filename.lower()
        if lower.endswith(".xml") and lower.startswith("xl/"):
            continue
        if (info.file_size > ZIP_RATIO_MIN_BYTES
                and info.file_size > ZIP_RATIO_LIMIT * max(info.compress_size, 1)):
            raise zip_bomb()
    return names


class _Sheet:
    """The parse state of one worksheet: expat calls in, finished rows pile up in `done`."""

    def __init__(self, name: str, strings: SharedStrings, dates: set[int], date1904: bool
                 ) -> None:
        self.name = name
        self.strings = strings
        self.dates = dates
        self.epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
        self.done: list[tuple[int, list[Any]]] = []
        # character data of the <v> or <t> being read (counted past a cell's limit, not kept)
        self.capture = False
        self.parts: list[str] = []
        self.length = 0
        self.row_no = 0
        self.cells: dict[int, Any] = {}
        self.col = 0
        self.kind = "n"
        self.style = -1
        self.in_is = False
        self.rph = 0
        self.inline_parts: list[str] = []
        self.inline_length = 0
        self.have_value = False
        self.value = ""
        self.value_length = 0
        self.tall = row_limit() + HEADER_SCAN_ROWS + ROW_SLACK

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        t = LOCAL_NAMES.get(tag) or local(tag)
        if t == "c":
            ref = attrs.get("r")
            col = (_COLUMNS.get(ref.rstrip("0123456789")) or column_of(ref)) if ref else 0
            self.col = col or self.col + 1
            if self.col > EXCEL_COLUMNS:
                raise Refused(ApplicationError(NOT_SPREADSHEET))
            self.kind = attrs.get("t", "n")
            s = attrs.get("s", "")
            self.style = int(s) if s.isdigit() and len(s) < 9 else -1
            self.inline_parts, self.inline_length = [], 0
            self.have_value = False
        elif t == "v":
            self.capture = True
        elif t == "row":
            r = attrs.get("r", "")
            self.row_no = int(r) if r.isdigit() and len(r) < 9 else self.row_no + 1
            if self.row_no > EXCEL_ROWS:
                raise Refused(ApplicationError(NOT_SPREADSHEET))
            self.cells = {}
            self.col = 0
        elif t == "is":
            self.in_is = True
        elif t == "rPh":
            self.rph += 1
        elif t == "t" and self.in_is and not self.rph:
            self.capture = True
        elif t == "dimension":
            self._check_dimension(attrs.get("ref", ""))

    def end(self, tag: str) -> None:
        t = LOCAL_NAMES.get(tag) or local(tag)
        if t == "c":
            self._cell()
        elif t == "v":
            self.have_value = True
            parts = self.parts
            self.value = parts[0] if len(parts) == 1 else "".join(parts)
            self.value_length = self.length
            self.capture, self.parts, self.length = False, [], 0
        elif t == "t" and self.capture:
            self.inline_parts.append("".join(self.parts))
            self.inline_length += self.length
            self.capture, self.parts, self.length = False, [], 0
        elif t == "is":
            self.in_is = False
        elif t == "rPh":
            self.rph -= 1
        elif t == "row":
            self.finish_row(self.cells)

    def text(self, data: str) -> None:
        if self.capture:
            self.length += len(data)
            if self.length <= MAX_CELL_CHARS:
                self.parts.append(data)

    def _check_dimension(self, ref: str) -> None:
        last = ref.rpartition(":")[2]
        try:
            row = split_ref(last)[1]
        except ApplicationError:
            return  # an unreadable dimension is only a hint: the rows still get counted
        if row > self.tall:
            raise Refused(sheet_too_tall(self.name, ref, row))

    def _cell(self) -> None:
        kind = self.kind
        if kind == "inlineStr":
            length = self.inline_length
            if length > MAX_CELL_CHARS:
                raise Refused(cell_too_long(self.col, self.row_no, length))
            text = "".join(self.inline_parts)
            if text.strip():
                self.cells[self.col] = text
            return
        if not self.have_value:
            return
        raw, length = self.value, self.value_length
        if length > MAX_CELL_CHARS:
            raise Refused(cell_too_long(self.col, self.row_no, length))
        value = self.typed(kind, raw, self.col, self.row_no, self.style)
        if value.__class__ is str and not value.strip():
            return
        self.cells[self.col] = value

    def typed(self, kind: str, raw: str, col: int, row: int, style: int) -> Any:
        """The value of a cell of type `kind` (the t attribute) whose <v> holds `raw`."""
        if kind == "s":
            try:
                return self.strings.get(int(raw), col, row)
            except ApplicationError as exc:
                raise Refused(exc) from None
            except ValueError:
                raise Refused(ApplicationError(NOT_SPREADSHEET)) from None
        if kind in {"str", "e"}:
            return raw
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        return self._number(raw, style)

    def finish_row(self, cells: dict[int, Any]) -> None:
        if cells:
            width = max(cells)
            self.done.append((self.row_no, [cells.get(i, "") for i in range(1, width + 1)]))

    def _number(self, raw: str, style: int) -> Any:
        try:
            number = float(raw)
        except ValueError:
            raise Refused(ApplicationError(NOT_SPREADSHEET)) from None
        if style in self.dates and 0 <= number < 2958466:
            moment = self.epoch + dt.timedelta(days=number)
            return moment.date() if number.is_integer() else moment
        return number


def _sheet_rows(zf: zipfile.ZipFile, name: str, member: str, strings: SharedStrings,
                dates: set[int], date1904: bool, budget: list[int]) -> Rows:
    state = _Sheet(name, strings, dates, date1904)
    parser = make_parser(state.start, state.end, state.text, NOT_SPREADSHEET)
    limit = min(sheet_limit(), budget[0])
    with zf.open(member) as stream:
        def too_big() -> ApplicationError:
            return sheet_too_big(name, stream.tell()) if limit == sheet_limit() else zip_bomb()

        for _ in sheet_stream(stream, parser, PlainRows(state), NOT_SPREADSHEET, budget=limit,
                              too_big=too_big, squeeze=squeeze_empty_rows):
            if state.done:
                rows, state.done = state.done, []
                yield from rows
        budget[0] -= stream.tell()


def xlsx_sheets(zf: zipfile.ZipFile) -> Iterator[Rows]:
    """The workbook's worksheets in order, each an iterator of (Excel row, cells) of the rows
    that hold something."""
    try:
        names = _check_package(zf)
        sheets, date1904 = _workbook(zf, names)
        if not sheets:
            raise ApplicationError(NOT_SPREADSHEET)
        budget = [unpacked_limit()]
        dates = _date_styles(zf, names.get("xl/styles.xml"))
        strings = _shared_strings(zf, names.get("xl/sharedstrings.xml"), budget)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, RuntimeError,
            NotImplementedError):
        raise ApplicationError(NOT_SPREADSHEET) from None
    for name, member in sheets:
        size = zf.getinfo(member).file_size
        if size > sheet_limit():
            raise sheet_too_big(name, size)
        yield _guarded(_sheet_rows(zf, name, member, strings, dates, date1904, budget))


def _guarded(rows: Rows) -> Rows:
    try:
        yield from rows
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, RuntimeError,
            NotImplementedError):
        raise ApplicationError(NOT_SPREADSHEET) from None
