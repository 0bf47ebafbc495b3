"""Issue 10 §3, end to end through `thidua import members`: blank lines in a roster are skipped
to the real end of the data, never read as its end, and two columns for one field are refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.people.models import Person
from thidua.people.tests.test_imports import person_row, write_csv


def run(path: str) -> str:
    out = io.StringIO()
    call_command("import_members", path, "--unit", "CDCS-A", "--date", "2024-01-01", stdout=out,
                 stderr=io.StringIO())
    return out.getvalue()


def test_five_rows_a_thousand_and_one_blank_lines_five_rows_imports_ten(world, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [person_row(n) for n in range(1, 6)])
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write(",,,,,,,,,\r\n" * 501 + "\r\n" * 500)
    more = write_csv(tmp_path / "them.csv", [person_row(n) for n in range(6, 11)])
    with open(path, "a", encoding="utf-8") as f:
        f.write(more.read_text(encoding="utf-8").split("\n", 1)[1])  # without its header
    before = Person.objects.count()
    assert run(str(path)) == "Đã nhập 10 dòng: thêm mới 10, cập nhật 0, không đổi 0.\n"
    assert Person.objects.count() == before + 10


def test_a_million_blank_lines_then_one_row_imports_that_row(world, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [])
    row = write_csv(tmp_path / "mot.csv", [person_row(1)]).read_text(encoding="utf-8")
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n" * 1_000_000 + row.split("\n", 1)[1])
    assert run(str(path)) == "Đã nhập 1 dòng: thêm mới 1, cập nhật 0, không đổi 0.\n"


def test_two_name_columns_are_refused_naming_both(world, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [person_row(1)])
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text(f"{text[0]},Họ tên\n{text[1]},Người Khác\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(str(path))
    assert "cùng được hiểu là cột «Họ và tên»" in str(exc.value)
    assert "(«Họ và tên» và «Họ tên»)" in str(exc.value)
