"""Reading an exchange file: the quick conversion gives what the careful one gives, and a
problem anywhere is reported with its line."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from thidua.people.exchange_format import TABLES, Problems, _parse, col, read_rows

SPEC = [col("id", "int", True), col("name", max_length=10), col("kind", "choice", True, ("a", "b")),
        col("points", "decimal", limits=(0, 100), places=2), col("on", "date"),
        col("at", "datetime"), col("ok", "bool", True), col("reasons", "json"),
        col("n", "int", limits=(0, 5))]
HEADER = [c.name for c in SPEC]


def good(i: int) -> list[str]:
    return [str(i), f"tên {i}", "ab"[i % 2], "12.50" if i % 3 else "", "2024-12-31",
            "2024-06-01 08:00:00+07:00" if i % 2 else "2024-06-01 08:00:00", "true",
            '["Xếp loại", 1]' if i % 2 else "", str(i % 6)]


def read(tmp_path: Path, rows: list[list[str]], monkeypatch: pytest.MonkeyPatch
         ) -> tuple[list[list[object]], Problems]:
    monkeypatch.setitem(TABLES, "probe", SPEC)
    with (tmp_path / "probe.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    problems = Problems()
    return list(read_rows(tmp_path, {"name": "probe", "file": "probe.csv"}, problems)), problems


def test_good_rows_read_quickly_are_what_the_careful_parser_makes(tmp_path, monkeypatch):
    rows = [good(i) for i in range(1, 8)]
    out, problems = read(tmp_path, rows, monkeypatch)

    assert not problems.count
    careful = Problems()
    expected = [[_parse(c, v, "", careful) for c, v in zip(SPEC, row, strict=True)]
                for row in rows]
    assert not careful.count
    assert len(out) == 7
    for got, want in zip(out, expected, strict=True):
        # the JSON is kept as written where the careful parser writes it again; same list
        assert got[:7] == want[:7] and got[8] == want[8]
        assert (got[7] is None) == (want[7] is None)
    assert out[0][3] == Decimal("12.50") and out[0][5] == dt.datetime(
        2024, 6, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert out[1][5] == dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC)  # no offset: UTC


def test_a_problem_is_reported_with_its_line_and_the_other_rows_are_read(
        tmp_path, monkeypatch):
    rows = [good(i) for i in range(1, 10)]
    rows[4][8] = "7"  # line 6 (the header is line 1): out of 0–5
    rows[7] = rows[7][:3]  # line 9: too few columns
    rows[8][7] = "[NaN]"  # line 10: not JSON that PostgreSQL takes
    out, problems = read(tmp_path, rows, monkeypatch)

    assert problems.items == [
        "probe.csv, dòng 6: cột «n» phải từ 0 đến 5, có 7.",
        "probe.csv, dòng 9: có 3 cột, cần 9.",
        "probe.csv, dòng 10: cột «reasons» không phải JSON hợp lệ."]
    assert [r[0] for r in out] == [1, 2, 3, 4, 5, 6, 7, 9]


@pytest.mark.parametrize("text", ['{"a": 1}', "[Infinity]", "[" * 100_000, "[1,"])
def test_json_that_is_not_a_plain_list_is_refused_not_a_crash(tmp_path, monkeypatch, text):
    row = good(1)
    row[7] = text
    out, problems = read(tmp_path, [row], monkeypatch)

    assert problems.count == 1 and "cột «reasons»" in problems.items[0]
    assert out[0][7] is None
