"""The row importer: header mapping (any order, header below titles, extra and numbered
columns), per-row errors with row, column, value and message, all-or-nothing unless valid-only,
dry run, refusals found while planning. A toy import of book loans stands in for an app's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.cells import parse_date, parse_int, text
from thidua.platform.spreadsheets.importer import (
    Columns,
    RawRow,
    RawRows,
    RowError,
    RowImporter,
    data_rows,
    open_table,
    repeats,
)
from thidua.platform.spreadsheets.spool import Spool

COLUMNS = Columns(
    {"name": "Họ và tên", "copies": "Số bản", "due": "Hạn trả", "notes": "Ghi chú"},
    {"name": ("ho ten", "nguoi muon"), "copies": ("so luong",)},
    patterns=((re.compile(r"^ghi chu( \d+)?$"), "notes"),),
)


@dataclass
class Loan:
    row: int
    name: str
    copies: int


@dataclass
class Shelf:
    """The stored loans, as the 'database' of the toy import."""

    stock: int = 10
    loans: list[Loan] = field(default_factory=list)


class LoanImporter(RowImporter[Loan, list[Loan]]):
    columns = COLUMNS

    def __init__(self, shelf: Shelf, headers: dict[str, str] | None = None) -> None:
        super().__init__(headers=headers)
        self.shelf = shelf
        self.seen: dict[str, list[int]] = {}

    def parse_row(self, raw: RawRow) -> Loan | None:
        n = len(self.errors)
        number = raw["_row"]
        name = text(raw.get("name"))
        if not name:
            self.cell_error(raw, "name", "Họ và tên không được để trống.")
        try:
            copies = parse_int(raw.get("copies")) or 1
        except ValueError:
            self.cell_error(raw, "copies", "Số bản phải là số nguyên.")
            copies = 0
        try:
            parse_date(raw.get("due"))
        except ValueError:
            self.cell_error(raw, "due", "Hạn trả ghi ngày/tháng/năm.")
        self.seen.setdefault(name, []).append(number)
        return Loan(number, name, copies) if len(self.errors) == n else None

    def check_together(self, parsed: Iterable[Loan], rows: RawRows) -> Iterable[Loan]:
        for n, others in repeats(self.seen):
            self.error(n, "name", "", f"Trùng với dòng {others}.")
        twice = {name for name, rows in self.seen.items() if len(rows) > 1}
        return (loan for loan in parsed if loan.name not in twice)

    def plan(self, parsed: Iterable[Loan]) -> list[Loan]:
        left = self.shelf.stock
        planned = []
        for loan in parsed:
            if loan.copies > left:
                self.refuse(loan.row, "copies", loan.copies, f"Chỉ còn {left} bản.")
                continue
            left -= loan.copies
            planned.append(loan)
        return planned

    def write(self, plan: list[Loan]) -> None:
        self.shelf.loans += plan
        self.shelf.stock -= sum(loan.copies for loan in plan)


def raw(n: int, name: str = "An", copies: object = 2, due: object = "01/02/2025") -> RawRow:
    return {"_row": n, "name": name, "copies": copies, "due": due}


# --- header mapping -----------------------------------------------------------------------------


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> tuple[Any, list[RawRow]]:
    with open_table(path, None, columns=COLUMNS, accept=lambda keys: "name" in keys,
                    not_found="Không tìm thấy dòng tiêu đề.", required=("name", "copies")
                    ) as (table, rows):
        reader = table.reader(many=["notes"])
        return table, [reader(n, cells) for n, cells in data_rows(rows, limit=100)]


def test_the_header_is_found_below_titles_in_any_column_order(tmp_path):
    path = write_csv(tmp_path / "muon.csv", [
        "DANH SÁCH MƯỢN SÁCH,,,,",
        ",,,,",
        "STT,Số lượng,NGƯỜI MƯỢN,Ghi chú 1,Ghi chú 2",
        "1,3,Bình,sách mới,",
        ",,,,",
        "2,1,Chi,,trả sớm",
    ])
    table, rows = read(path)
    assert table.header_row == 3
    assert table.columns == {"copies": [1], "name": [2], "notes": [3, 4]}
    assert table.names() == {"copies": "Số lượng", "name": "NGƯỜI MƯỢN", "notes": "Ghi chú 1"}
    assert rows == [
        {"_row": 4, "copies": "3", "name": "Bình", "notes": ["sách mới"]},
        {"_row": 6, "copies": "1", "name": "Chi", "notes": ["trả sớm"]},
    ]


def test_a_missing_required_column_names_the_header_row(tmp_path):
    path = write_csv(tmp_path / "thieu.csv", ["Tiêu đề", "Họ và tên,Hạn trả", "An,01/02/2025"])
    with pytest.raises(ApplicationError) as exc:
        read(path)
    assert exc.value.message == ("Dòng tiêu đề (dòng 2) thiếu cột bắt buộc: «Số bản». Hãy dùng "
                                 "tệp mẫu để xem tên các cột.")


def test_no_header_among_the_first_rows(tmp_path):
    path = write_csv(tmp_path / "khac.csv", [f"dòng {i},{i}" for i in range(30)] + ["Họ và tên,x"])
    with pytest.raises(ApplicationError, match="Không tìm thấy dòng tiêu đề."):
        read(path)


# --- the run ------------------------------------------------------------------------------------


def test_each_error_names_row_column_value_and_fix_and_nothing_is_written():
    shelf = Shelf()
    imp = LoanImporter(shelf, headers={"copies": "Số lượng"})
    checked = imp.run([raw(2), raw(3, name="Bình", copies="hai"), raw(4, name="", due="mai")])
    assert checked.errors == [
        RowError(3, "Số lượng", "hai", "Số bản phải là số nguyên."),
        RowError(4, "Họ và tên", "", "Họ và tên không được để trống."),
        RowError(4, "Hạn trả", "mai", "Hạn trả ghi ngày/tháng/năm."),
    ]
    assert str(checked.errors[0]) == ("Dòng 3, cột «Số lượng», giá trị «hai»: Số bản phải là "
                                      "số nguyên.")
    assert checked.bad_rows == {3, 4} and checked.total == 3
    assert not checked.written and shelf.loans == [] and shelf.stock == 10
    assert [loan.row for loan in checked.plan] == [2]  # what the good rows would do


def test_valid_only_writes_the_good_rows():
    shelf = Shelf()
    checked = LoanImporter(shelf).run([raw(2), raw(3, name="Chi", copies=1.5), raw(4, name="Bình")],
                                      valid_only=True)
    assert checked.written and [loan.row for loan in shelf.loans] == [2, 4]
    assert checked.bad_rows == {3} and shelf.stock == 6


def test_a_dry_run_counts_without_writing():
    shelf = Shelf()
    checked = LoanImporter(shelf).run([raw(2), raw(3, name="Bình")], dry_run=True)
    assert checked.errors == [] and len(checked.plan) == 2
    assert not checked.written and shelf.loans == []


def test_rows_checked_together_and_refused_while_planning():
    shelf = Shelf(stock=5)
    rows = [raw(2, copies=4), raw(3, name="Bình", copies=6), raw(4, name="Chi", copies=1), raw(5)]
    checked = LoanImporter(shelf).run(rows, valid_only=True)
    assert [(e.row, e.column, e.message) for e in checked.errors] == [
        (2, "Họ và tên", "Trùng với dòng 5."),
        (3, "Số bản", "Chỉ còn 5 bản."),
        (5, "Họ và tên", "Trùng với dòng 2."),
    ]
    assert checked.bad_rows == {2, 3, 5}
    assert [loan.name for loan in shelf.loans] == ["Chi"] and shelf.stock == 4


def test_everything_right_is_written_once_with_progress():
    shelf = Shelf(stock=2000)
    seen: list[tuple[int, int]] = []
    rows = [raw(i + 2, name=f"Người {i}", copies=1) for i in range(1200)]
    checked = LoanImporter(shelf).run(rows, progress=lambda done, total: seen.append((done,
                                                                                      total)))
    assert checked.written and len(shelf.loans) == 1200 and checked.bad_rows == set()
    assert seen == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]


class SpyImporter(LoanImporter):
    """Notes what `check_together` and `plan` were handed."""

    def check_together(self, parsed: Iterable[Loan], rows: RawRows) -> Iterable[Loan]:
        self.handed = parsed
        self.batches_on_disk = parsed.written if isinstance(parsed, Spool) else 0
        self.first_pass = sum(1 for _ in parsed)
        return super().check_together(parsed, rows)


def test_the_parsed_rows_wait_on_disk_and_can_be_read_twice():
    """A file of 2.500 good rows: what `check_together` gets is a spool that wrote the rows
    to its file (memory does not grow with the file), read once to count and again to plan."""
    shelf = Shelf(stock=10_000)
    imp = SpyImporter(shelf)
    rows = [raw(n, name=f"Người {n}", copies=1) for n in range(2, 2502)]
    checked = imp.run(rows)
    assert imp.first_pass == 2500
    assert isinstance(imp.handed, Spool)
    assert imp.batches_on_disk == 2  # two batches of 1.000; the last 500 wait in memory
    assert checked.written and len(shelf.loans) == 2500
    assert [loan.row for loan in shelf.loans] == list(range(2, 2502))
