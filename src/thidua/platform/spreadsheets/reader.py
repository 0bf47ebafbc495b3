"""The hardened spreadsheet reader: .xlsx, .ods and UTF-8 .csv, nothing else, one row at a time.

The kind of a file is judged from its bytes (an extension proves nothing); an Excel 97–2003 .xls
is named as such. Workbooks are streamed (xlsx.py, ods.py): memory stays flat whatever the size
of a sheet, and what would pass a limit is refused with the limit named — before any row is read
where the file says enough (sizes in the archive, a sheet's <dimension>), as soon as it shows
otherwise (bytes really unpacked, a cell longer than Excel allows). Blank rows are skipped, never
taken for the end of the data.

`open_sheets(path, name)` yields the kind and the sheets, each an iterator of (row number as
Excel shows it, cells from column A)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.cells import header_key
from thidua.platform.spreadsheets.limits import (
    CSV_FIELD_LIMIT,
    HEADER_HINTS,
    HEADER_SCAN_ROWS,
    MAX_CELL_CHARS,
    NOT_SPREADSHEET,
    NOT_UTF8,
    OLD_XLS,
    cell_too_long,
    col_letters,
    row_limit,
    unpacked_limit,
)
from thidua.platform.spreadsheets.ods import is_ods, ods_sheets
from thidua.platform.spreadsheets.xlsx import xlsx_sheets

__all__ = ["HEADER_HINTS", "HEADER_SCAN_ROWS", "NOT_SPREADSHEET", "NOT_UTF8", "OLD_XLS", "Rows",
           "col_letters", "csv_rows", "file_kind", "file_sha256", "open_sheets", "row_limit",
           "unpacked_limit"]

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
    """'xlsx' (any zip: a workbook or an OpenDocument spreadsheet, told apart when opened) or
    'csv', judged from the bytes (an extension proves nothing)."""
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
        # The limit is process-wide; it is only ever raised, to measure a long cell rather than
        # fail on it (the default, 131.072, would fail). A longer field is refused unmeasured.
        if csv.field_size_limit() < CSV_FIELD_LIMIT:
            csv.field_size_limit(CSV_FIELD_LIMIT)
        reader = csv.reader(text, delimiter=delimiter)
        number = 0
        try:
            for number, cells in enumerate(reader, 1):  # noqa: B007 (read in the handler)
                if cells and max(map(len, cells)) > MAX_CELL_CHARS:
                    column = next(i for i, c in enumerate(cells, 1) if len(c) > MAX_CELL_CHARS)
                    raise cell_too_long(column, number, len(cells[column - 1]))
                yield number, cells
        except UnicodeDecodeError:
            raise ApplicationError(NOT_UTF8) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise cell_too_long(0, number + 1, CSV_FIELD_LIMIT, at_least=True) from None
            raise ApplicationError(f"{NOT_SPREADSHEET} Dòng {number + 1} không đọc được.") from None


@contextlib.contextmanager
def open_sheets(path: str | os.PathLike[str], file_name: str | None = None,
                header_hints: Sequence[str] = HEADER_HINTS
                ) -> Iterator[tuple[str, Iterable[Rows]]]:
    """("xlsx", "ods" or "csv", the sheets): those of a workbook in order, or the one sheet of a
    .csv, each an iterator of (Excel row number, cells). ApplicationError with the reason for any
    other file."""
    path = Path(path)
    if file_kind(path, file_name or path.name) == "csv":
        yield "csv", [csv_rows(path, header_hints)]
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ApplicationError(NOT_SPREADSHEET) from None
    with zf:
        if is_ods(zf):
            yield "ods", ods_sheets(zf)
        else:
            yield "xlsx", xlsx_sheets(zf)
