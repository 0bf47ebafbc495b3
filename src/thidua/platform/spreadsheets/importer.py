"""The row importer every bulk import is built on (roster, registrations, ratings).

reader → header mapping → per-row parse and validate → plan → one bulk write:
- `Columns` names what an import reads: the header each key has in the template, the other
  spellings met in officials' files (folded), and patterns for numbered columns;
- `open_table` finds the header row among the first rows of any sheet (any column order, titles
  above it, extra columns ignored; two columns for one field refused, both named) and
  `data_rows` streams the rows below it to the end of the data, skipping blank rows and
  refusing more rows than the import takes;
- `RowImporter` runs the checks: `parse_row` for each row, `check_together` across rows, `plan`
  against the database, then `write` in bulk — only when no row is wrong, or when only the
  valid rows were asked for, and never in a dry run. The rows that parsed wait in a `Spool`
  (a temporary file past a thousand rows), so an import that plans batch by batch (the
  roster) holds a batch in memory, not the file. Every problem is a `RowError` with the row
  number Excel shows, the column as headed in the file, the value and what to fix.
The bulk write stays the app's own (the roster uses COPY on PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.cells import display, header_key, is_blank
from thidua.platform.spreadsheets.reader import (
    HEADER_HINTS,
    HEADER_SCAN_ROWS,
    Rows,
    col_letters,
    open_sheets,
)
from thidua.platform.spreadsheets.spool import Spool
from thidua.platform.text import clean_spaces, vn_number

RowT = TypeVar("RowT")
PlanT = TypeVar("PlanT")
RawRow = dict[str, Any]  # cells by column key, plus "_row": the row number Excel shows
RawRows = Sequence[RawRow] | Spool[RawRow]  # a file's rows as read, in memory or spooled


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


@dataclass(frozen=True)
class Columns:
    """What an import reads. `headers`: key -> header as the template writes it; `aliases`: key
    -> other spellings, compared after `header_key` folding; `patterns`: folded regexes for
    numbered columns ("Việc làm cụ thể 1", "… 2") that all belong to one key."""

    headers: Mapping[str, str]
    aliases: Mapping[str, tuple[str, ...]]
    patterns: tuple[tuple[re.Pattern[str], str], ...] = ()
    by_alias: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_alias = {header_key(h): k for k, h in self.headers.items()}
        by_alias |= {alias: k for k, aliases in self.aliases.items() for alias in aliases}
        object.__setattr__(self, "by_alias", by_alias)

    def key_of(self, text: object) -> str | None:
        key = header_key(text)
        if not key:
            return None
        for pattern, found in self.patterns:
            if pattern.match(key):
                return found
        return self.by_alias.get(key)


@dataclass
class Table:
    """The header row found in a sheet: where it is, what it says, which columns hold what."""

    header_row: int
    headers: list[str]  # as written in the file, by column index ("" for an empty cell)
    columns: dict[str, list[int]]  # key -> the columns headed so, in file order
    kind: str  # "xlsx", "ods" or "csv"

    def header_of(self, key: str, default: str = "") -> str:
        idxs = self.columns.get(key)
        if idxs and self.headers[idxs[0]]:
            return self.headers[idxs[0]]
        return default

    def names(self) -> dict[str, str]:
        """key -> header text in the file, for the messages."""
        return {k: self.headers[idxs[0]] for k, idxs in self.columns.items()
                if self.headers[idxs[0]]}

    def reader(self, keys: Iterable[str] | None = None, many: Iterable[str] = ()
               ) -> Callable[[int, list[Any]], RawRow]:
        """A function turning (row number, cells) into a RawRow of `keys` (all mapped keys by
        default): the cell of the first column headed so, or for a key in `many` the list of
        the non-blank cells of all its columns."""
        wanted = set(self.columns if keys is None else keys) & set(self.columns)
        multi = set(many) & wanted
        single = [(k, self.columns[k][0]) for k in wanted if k not in multi]
        lists = [(k, self.columns[k]) for k in multi]

        def read(number: int, cells: list[Any]) -> RawRow:
            n = len(cells)
            row: RawRow = {k: cells[i] for k, i in single if i < n}
            for k, idxs in lists:
                row[k] = [cells[i] for i in idxs if i < n and not is_blank(cells[i])]
            row["_row"] = number
            return row

        return read


@contextlib.contextmanager
def open_table(
    path: str | os.PathLike[str], file_name: str | None, *, columns: Columns,
    accept: Callable[[set[str]], bool], not_found: str, required: Sequence[str] = (),
    header_hints: Sequence[str] = HEADER_HINTS,
) -> Iterator[tuple[Table, Rows]]:
    """Open a spreadsheet and yield (table, rows below the header). The header row is the first
    row, among the first HEADER_SCAN_ROWS of a sheet, whose recognised keys `accept` takes;
    `not_found` is the message when no sheet has one. A `required` key missing from it is
    refused with the header's row number."""
    with open_sheets(path, file_name, header_hints) as (kind, sheets):
        for rows in sheets:
            header = _find_header(rows, columns, accept)
            if header is None:
                continue
            number, cells = header
            table = _table(number, cells, columns, kind)
            missing = [columns.headers[k] for k in required if k not in table.columns]
            if missing:
                raise ApplicationError(
                    f"Dòng tiêu đề (dòng {number}) thiếu cột bắt buộc: "
                    + ", ".join(f"«{m}»" for m in missing)
                    + ". Hãy dùng tệp mẫu để xem tên các cột."
                )
            yield table, rows
            return
        raise ApplicationError(not_found)


def _find_header(rows: Rows, columns: Columns, accept: Callable[[set[str]], bool]
                 ) -> tuple[int, list[Any]] | None:
    count = 0
    for number, cells in rows:
        if all(is_blank(c) for c in cells):
            continue  # blank lines above a title do not use up the header's rows
        count += 1
        if count > HEADER_SCAN_ROWS:
            return None
        keys = {k for c in cells if isinstance(c, str) and (k := columns.key_of(c))}
        if accept(keys):
            return number, cells
    return None


def _table(number: int, cells: list[Any], columns: Columns, kind: str) -> Table:
    headers = [clean_spaces(str(c)) if not is_blank(c) else "" for c in cells]
    found: dict[str, list[int]] = {}
    for idx, text in enumerate(headers):
        key = columns.key_of(text)
        if key:
            found.setdefault(key, []).append(idx)
    _refuse_duplicates(number, headers, found, columns)
    return Table(number, headers, found, kind)


def _refuse_duplicates(number: int, headers: list[str], found: dict[str, list[int]],
                       columns: Columns) -> None:
    """Two columns the import would read as one field: reading either would drop the other's
    values without a word. Numbered columns ("Việc làm cụ thể 1", "… 2") are meant to repeat:
    all of them are read."""
    numbered = {key for _, key in columns.patterns}
    for key, idxs in found.items():
        if len(idxs) > 1 and key not in numbered:
            _duplicate(number, headers, key, idxs[0], idxs[1], columns)


def _duplicate(number: int, headers: list[str], key: str, first: int, second: int,
               columns: Columns) -> None:
    a, b = col_letters(first + 1), col_letters(second + 1)
    if header_key(headers[first]) == header_key(headers[second]):
        what = f"cùng tiêu đề «{headers[first]}»"
    else:
        field_name = columns.headers.get(key, headers[first])
        what = (f"(«{headers[first]}» và «{headers[second]}») cùng được hiểu là cột "
                f"«{field_name}»")
    raise ApplicationError(
        f"Dòng tiêu đề (dòng {number}): cột {a} và cột {b} {what}, nên không biết lấy dữ liệu "
        "ở cột nào. Hãy xoá hoặc đổi tên một trong hai cột rồi nhập lại."
    )


def data_rows(rows: Rows, *, limit: int, watch: Sequence[int] | None = None) -> Rows:
    """The non-empty rows of `rows`, to the end of the data: blank rows, however many, are
    skipped, never taken for the end. A row is empty when the `watch` columns (every column when
    None) are blank; the first watched column is looked at first (the name, which most rows
    have). More than `limit` rows is refused."""
    first = watch[0] if watch else None
    count = 0
    for number, cells in rows:
        n = len(cells)
        value = cells[first] if first is not None and first < n else None
        if (value.__class__ is not str or not value or value.isspace()) and (
                all(i >= n or is_blank(cells[i]) for i in watch) if watch is not None
                else all(is_blank(c) for c in cells)):
            continue
        count += 1
        if count > limit:
            raise ApplicationError(
                f"Tệp có hơn {vn_number(limit)} dòng dữ liệu; mỗi lần chỉ nhập được tối đa "
                f"{vn_number(limit)} dòng. Hãy chia thành nhiều tệp."
            )
        yield number, cells


def repeats(seen: Mapping[Any, list[int]]) -> Iterator[tuple[int, str]]:
    """(row, the other rows as "5, 9") for every row whose key appears on several rows."""
    for nums in seen.values():
        if len(nums) > 1:
            for n in nums:
                yield n, ", ".join(str(o) for o in nums if o != n)


@dataclass
class Checked(Generic[PlanT]):
    """What a run found and did: `bad_rows` are the rows refused (skipped when only valid rows
    were written); `written` says whether the plan was written."""

    total: int
    errors: list[RowError]
    warnings: list[RowError]
    bad_rows: set[int]
    plan: PlanT
    written: bool


class RowImporter(ABC, Generic[RowT, PlanT]):
    """One import of rows already read into RawRows. Subclasses declare `columns` and
    implement `parse_row` (report problems with `error`/`cell_error`, return None for a row
    that is wrong or has nothing to import), `plan` (decide against the database; may refuse
    more rows with `refuse`) and `write` (the bulk write, in the app's own transaction).
    An import whose bulk service checks and writes in one call overrides `finish` instead.
    `check_together` and `plan` get the parsed rows as an iterable that can be read more than
    once, and only while they run: a plan that keeps rows keeps its own copy."""

    columns: ClassVar[Columns]

    def __init__(self, *, headers: Mapping[str, str] | None = None) -> None:
        self.names = dict(headers or {})
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.refused: set[int] = set()
        self.valid_only = False

    def head(self, key: str) -> str:
        """The column as headed in the file (or in the template)."""
        return self.names.get(key) or self.columns.headers.get(key, key)

    def error(self, row: int, key: str, value: object, message: str) -> None:
        self.errors.append(RowError(row, self.head(key), display(value), message))

    def cell_error(self, raw: RawRow, key: str, message: str) -> None:
        """A problem with the cell `key` of `raw`, its value as typed."""
        self.errors.append(RowError(int(raw.get("_row") or 0), self.head(key),
                                    display(raw.get(key)), message))

    def warn(self, row: int, key: str, value: object, message: str) -> None:
        self.warnings.append(RowError(row, self.head(key), display(value), message))

    def refuse(self, row: int, key: str, value: object, message: str) -> None:
        """Refuse a row that parsed but cannot be imported (found out while planning)."""
        self.error(row, key, value, message)
        self.refused.add(row)

    def prepare(self, rows: RawRows) -> None:
        """Bulk look-ups the row checks need, before the first row is parsed."""

    @abstractmethod
    def parse_row(self, raw: RawRow) -> RowT | None:
        """The row as it will be written, or None (wrong, or nothing to import)."""

    def check_together(self, parsed: Iterable[RowT], rows: RawRows
                       ) -> Iterable[RowT]:
        """Checks across rows (the same person twice…); returns the rows still good. `rows`,
        the file's rows as read, is there to quote a cell as typed."""
        return parsed

    @abstractmethod
    def plan(self, parsed: Iterable[RowT]) -> PlanT:
        """What the write will do, decided against the database."""

    @abstractmethod
    def write(self, plan: PlanT) -> None:
        """The bulk write of `plan`."""

    def finish(self, plan: PlanT, *, write: bool) -> bool:
        """Write when the run allows it; returns whether anything was written."""
        if write:
            self.write(plan)
        return write

    def release(self, plan: PlanT) -> None:
        """Free what the plan holds outside memory (its temporary files), written or not."""

    def run(self, rows: RawRows, *, valid_only: bool = False,
            dry_run: bool = False, progress: Callable[[int, int], None] | None = None
            ) -> Checked[PlanT]:
        """Check every row, plan, and write unless refused: any wrong row refuses the whole
        file unless `valid_only`; `dry_run` never writes."""
        self.valid_only = valid_only
        total = len(rows)
        if progress is not None:
            progress(0, total)
        self.prepare(rows)
        with Spool[RowT]() as good:
            for i, raw in enumerate(rows):
                row = self.parse_row(raw)
                if row is not None:
                    good.append(row)
                if progress is not None and i % 500 == 499:
                    progress(i + 1, total)
            plan = self.plan(self.check_together(good, rows))
        try:
            if progress is not None:
                progress(total, total)
            write = not dry_run and (valid_only or not self.errors)
            written = self.finish(plan, write=write)
        finally:
            self.release(plan)
        self.errors.sort(key=lambda e: e.row)
        self.warnings.sort(key=lambda e: e.row)
        bad = {e.row for e in self.errors} | self.refused
        return Checked(total, self.errors, self.warnings, bad, plan, written)
