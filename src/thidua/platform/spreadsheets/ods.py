"""The .ods reader (LibreOffice, OpenOffice): content.xml streamed with expat, one row at a time.

A row or cell repeated N times (how LibreOffice writes runs of empty rows and cells, down to
row 1.048.576) costs nothing when blank; a repeated row with something in it is given N times.
Cells come as the .xlsx reader gives them: str, float, bool, date or datetime, "" for a blank
inside a row; columns start at A."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import deque
from collections.abc import Iterator
from typing import Any

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.limits import (
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    MAX_CELL_CHARS,
    NOT_SPREADSHEET,
    ZIP_MAX_MEMBERS,
    ZIP_RATIO_LIMIT,
    ZIP_RATIO_MIN_BYTES,
    cell_too_long,
    sheet_limit,
    sheet_too_big,
    unpacked_limit,
    zip_bomb,
)
from thidua.platform.spreadsheets.xmlstream import Refused, feed, local, make_parser

Rows = Iterator[tuple[int, list[Any]]]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_NUMERIC = {"float", "percentage", "currency"}


def is_ods(zf: zipfile.ZipFile) -> bool:
    try:
        names = set(zf.namelist())
        if "mimetype" in names:
            with zf.open("mimetype") as f:
                return f.read(100).strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return False
    return False


def _repeat(attrs: dict[str, str], name: str) -> int:
    raw = next((v for k, v in attrs.items() if local(k) == name), "1")
    return max(1, int(raw)) if raw.isdigit() and len(raw) < 9 else 1


def _attr(attrs: dict[str, str], name: str) -> str | None:
    return next((v for k, v in attrs.items() if local(k) == name), None)


class _Content:
    """Parse state: tables in document order, finished rows of the current one in `done`."""

    def __init__(self) -> None:
        # (first row, last row, cells): a repeated row stays one entry until it is given out
        self.done: list[tuple[int, int, list[Any]]] = []
        self.table = 0  # tables begun: each starts its rows at 1
        self.depth = 0  # nesting of table:table (a table inside a cell is read as text)
        self.row_no = 0
        self.row_repeat = 1
        self.cells: dict[int, Any] = {}
        self.col = 0
        self.cell_repeat = 1
        self.cell_type: str | None = None
        self.cell_value: str | None = None
        self.parts: list[str] = []
        self.length = 0
        self.paragraphs = 0
        self.in_cell = False
        self.skip = 0  # inside an annotation: not the cell's text

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        t = local(tag)
        if t == "table":
            self.depth += 1
            if self.depth == 1:
                self.table += 1
                self.row_no = 0
                self.done.append((-1, -1, []))  # a marker: a new sheet starts here
            return
        if self.depth != 1:
            return
        if t == "table-row" and not self.in_cell:
            self.row_repeat = _repeat(attrs, "number-rows-repeated")
            self.cells = {}
            self.col = 0
        elif t in {"table-cell", "covered-table-cell"} and not self.in_cell:
            self.in_cell = True
            self.cell_repeat = _repeat(attrs, "number-columns-repeated")
            self.cell_type = _attr(attrs, "value-type")
            self.cell_value = (_attr(attrs, "value") or _attr(attrs, "date-value")
                               or _attr(attrs, "boolean-value"))
            self.parts, self.length, self.paragraphs = [], 0, 0
        elif self.in_cell:
            if t == "annotation":
                self.skip += 1
            elif self.skip:
                return
            elif t == "p" or t == "h":
                if self.paragraphs:
                    self._text("\n")
                self.paragraphs += 1
            elif t == "s":
                self._text(" " * min(_repeat(attrs, "c"), MAX_CELL_CHARS + 1))
            elif t == "tab":
                self._text("\t")
            elif t == "line-break":
                self._text("\n")

    def text(self, data: str) -> None:
        if self.in_cell and not self.skip and self.depth == 1:
            self._text(data)

    def _text(self, data: str) -> None:
        self.length += len(data)
        if self.length <= MAX_CELL_CHARS:
            self.parts.append(data)

    def end(self, tag: str) -> None:
        t = local(tag)
        if t == "table":
            self.depth -= 1
            return
        if self.depth != 1:
            return
        if t == "annotation" and self.in_cell:
            self.skip -= 1
        elif t in {"table-cell", "covered-table-cell"} and self.in_cell:
            self.in_cell = False
            self._cell()
        elif t == "table-row" and not self.in_cell:
            first = self.row_no + 1
            self.row_no = min(self.row_no + self.row_repeat, EXCEL_ROWS)
            if self.cells:
                width = max(self.cells)
                cells = [self.cells.get(i, "") for i in range(1, width + 1)]
                self.done.append((first, self.row_no, cells))

    def _cell(self) -> None:
        first = self.col + 1
        self.col = min(self.col + self.cell_repeat, EXCEL_COLUMNS)
        if self.length > MAX_CELL_CHARS:
            raise Refused(cell_too_long(first, self.row_no + 1, self.length))
        value = self._value()
        if value is None or (value.__class__ is str and not value.strip()):
            return
        for c in range(first, self.col + 1):
            self.cells[c] = value

    def _value(self) -> Any:
        kind, raw = self.cell_type, self.cell_value
        text = "".join(self.parts)
        if raw is not None and len(raw) > MAX_CELL_CHARS:
            raise Refused(cell_too_long(self.col, self.row_no + 1, len(raw)))
        if kind in _NUMERIC and raw is not None:
            try:
                return float(raw)
            except ValueError:
                return text
        if kind == "date" and raw is not None:
            try:
                moment = dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                return text
            return moment.date() if moment.time() == dt.time() and "T" not in raw else moment
        if kind == "boolean" and raw is not None:
            return raw.strip().lower() == "true"
        return text


def ods_sheets(zf: zipfile.ZipFile) -> Iterator[Rows]:
    """The tables of the document in order, each an iterator of (row, cells) of the rows that
    hold something. content.xml holds them all, so they are read in one pass."""
    try:
        infos = zf.infolist()
        if len(infos) > ZIP_MAX_MEMBERS or sum(i.file_size for i in infos) > unpacked_limit():
            raise zip_bomb()
        for info in infos:
            if (info.filename != "content.xml" and info.file_size > ZIP_RATIO_MIN_BYTES
                    and info.file_size > ZIP_RATIO_LIMIT * max(info.compress_size, 1)):
                raise zip_bomb()
        info = zf.getinfo("content.xml")
    except KeyError:
        raise ApplicationError(NOT_SPREADSHEET) from None
    if info.file_size > sheet_limit():
        raise sheet_too_big("content.xml", info.file_size)
    try:
        stream = zf.open(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        raise ApplicationError(NOT_SPREADSHEET) from None
    state = _Content()
    parser = make_parser(state.start, state.end, state.text, NOT_SPREADSHEET)
    chunks = feed(stream, parser, NOT_SPREADSHEET, budget=sheet_limit(),
                  too_big=lambda: sheet_too_big("content.xml", stream.tell()))
    pending: deque[tuple[int, int, list[Any]]] = deque()

    def next_rows() -> bool:
        """Parse one more chunk into `pending`; False at the end of the file."""
        try:
            next(chunks)
        except StopIteration:
            return False
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            raise ApplicationError(NOT_SPREADSHEET) from None
        pending.extend(state.done)
        state.done = []
        return True

    def table_rows() -> Rows:
        while True:
            while pending:
                first, last, cells = pending[0]
                if first < 0:
                    return  # the next table begins
                pending.popleft()
                for number in range(first, last + 1):
                    yield number, cells
            if not next_rows():
                return

    try:
        while True:
            while not pending and next_rows():
                pass
            if not pending:
                return
            first, _, _ = pending.popleft()
            if first >= 0:
                continue  # rows outside any table: none in a valid file
            yield table_rows()
            # the caller may leave a table unread: skip to the next one
            while True:
                while pending and pending[0][0] >= 0:
                    pending.popleft()
                if pending or not next_rows():
                    break
    finally:
        stream.close()
