"""`import_members` / `export_members`: what `thidua import members` and `thidua export members`
run. One-line summary and exit 0 on success; every error and exit 1, nothing written, on any
invalid row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from thidua.audit.models import AuditEntry
from thidua.people.models import Employment, Person
from thidua.people.tests.test_imports import person_row, write_csv, write_xlsx
from thidua.testing import make_unit


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_a_one_line_summary(world, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1), person_row(2, group="TO-A1")])
    out, err = run("import_members", str(path), "--unit", "cdcs-a", "--date", "2024-01-01")
    assert out == "Đã nhập 2 dòng: thêm mới 2, cập nhật 0, không đổi 0.\n"
    assert err == ""
    entry = AuditEntry.objects.filter(action="person.import").get()
    assert entry.actor_id == world.admin.pk  # the first superuser
    assert entry.after["effective_date"] == "2024-01-01" and entry.after["file"] == "ds.xlsx"
    # again: nothing changes
    out, _ = run("import_members", str(path), "--unit", "CDCS-A", "--date", "01/01/2024")
    assert out == "Đã nhập 2 dòng: thêm mới 0, cập nhật 0, không đổi 2.\n"


def test_invalid_rows_print_every_error_and_write_nothing(world, tmp_path):
    rows = [person_row(1), person_row(2, cccd="12345"), person_row(3, gender="Khác",
                                                                   join_date=None)]
    path = write_csv(tmp_path / "ds.csv", rows)
    before = (Person.objects.count(), AuditEntry.objects.count())
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_members", str(path), "--unit", "CDCS-A", "--date", "2024-01-01",
                     stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "Tệp có 3 lỗi ở 2 dòng; chưa ghi dữ liệu nào." in str(exc.value)
    assert err.getvalue().splitlines() == [
        "Dòng 3, cột «Số CCCD», giá trị «12345»: Số CCCD phải gồm đúng 12 chữ số.",
        "Dòng 4, cột «Giới tính», giá trị «Khác»: Giới tính phải ghi Nam hoặc Nữ.",
        "Dòng 4, cột «Ngày vào Công đoàn»: Đoàn viên phải có Ngày vào Công đoàn "
        "(ngày/tháng/năm).",
    ]
    assert (Person.objects.count(), AuditEntry.objects.count()) == before


def test_exit_code_through_the_command_line(world, tmp_path, capsys, monkeypatch):
    from django.db import connections

    # run_from_argv closes every connection at the end, the test's own included
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1, cccd="1")])
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_members", str(path), "--unit", "CDCS-A",
                           "--date", "2024-01-01"]).execute()
    assert exc.value.code == 1
    assert "Dòng 2, cột «Số CCCD», giá trị «1»" in capsys.readouterr().err
    assert not Person.objects.filter(full_name="Nguyễn Thị Hương 1").exists()


def test_dry_run_and_valid_only(world, tmp_path):
    rows = [person_row(1), person_row(2, gender="?")]
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    with pytest.raises(CommandError):
        run("import_members", str(path), "--unit", "CDCS-A", "--dry-run")
    good = write_xlsx(tmp_path / "tot.xlsx", rows[:1])
    out, _ = run("import_members", str(good), "--unit", "CDCS-A", "--dry-run",
                 "--date", "2024-01-01")
    assert out == "Kiểm tra 1 dòng: thêm mới 1, cập nhật 0, không đổi 0.\n"
    assert not Person.objects.filter(cccd=rows[0]["cccd"]).exists()
    out, err = run("import_members", str(path), "--unit", "CDCS-A", "--valid-only",
                   "--date", "2024-01-01")
    assert out == ("Đã nhập 2 dòng: thêm mới 1, cập nhật 0, không đổi 0, bỏ qua 1 dòng có "
                   "lỗi.\n")
    assert "Dòng 3, cột «Giới tính»" in err
    assert Person.objects.filter(cccd=rows[0]["cccd"]).exists()
    assert not Person.objects.filter(cccd=rows[1]["cccd"]).exists()


def test_user_option_limits_the_scope(world, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1)])
    with pytest.raises(CommandError, match="Không có đơn vị mã «CDCS-C»"):
        run("import_members", str(path), "--unit", "CDCS-C", "--user", "canbo_cdcs")
    out, _ = run("import_members", str(path), "--unit", "CDCS-A", "--user", "canbo_cdcs",
                 "--date", "2024-01-01")
    assert "thêm mới 1" in out
    assert AuditEntry.objects.filter(action="person.import").get().actor_id == \
        world.officer_cdcs.pk
    with pytest.raises(CommandError, match="Không có tài khoản «khong-co»"):
        run("import_members", str(path), "--unit", "CDCS-A", "--user", "khong-co")


def test_refusals_are_clear(world, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("import_members", str(tmp_path / "khong-co.xlsx"), "--unit", "CDCS-A")
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1)])
    with pytest.raises(CommandError, match="Ngày «31-31-2024» không hợp lệ"):
        run("import_members", str(path), "--unit", "CDCS-A", "--date", "31-31-2024")
    junk = tmp_path / "rac.xlsx"
    junk.write_bytes(b"\x00\x01rubbish" * 100)
    with pytest.raises(CommandError,
                       match=r"Tệp không phải bảng tính Excel \(\.xlsx\) hay CSV hợp lệ\."):
        run("import_members", str(junk), "--unit", "CDCS-A")


def test_without_any_superuser_the_user_must_be_named(db, tmp_path):
    make_unit("TLD", "tld")
    get_user_model().objects.filter(is_superuser=True).delete()
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1)])
    with pytest.raises(CommandError, match="Chưa có tài khoản quản trị nào"):
        run("import_members", str(path), "--unit", "TLD")


def test_export_command_writes_the_roster_and_it_reimports(world, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1), person_row(2, group="TO-A1")])
    run("import_members", str(path), "--unit", "CDCS-A", "--date", "2024-01-01")
    out_file = tmp_path / "xuat.xlsx"
    out, _ = run("export_members", "--unit", "CDCS-A", "-o", str(out_file), "--date",
                 "2024-01-01")
    assert out == (f"Đã xuất 3 người của «Công đoàn Sở Tư pháp» (ngày 01/01/2024) vào "
                   f"{out_file}.\n")
    assert out_file.stat().st_size > 0
    assert AuditEntry.objects.filter(action="person.export").count() == 1
    out, _ = run("import_members", str(out_file), "--unit", "CDCS-A", "--date", "2024-01-01")
    assert out == "Đã nhập 3 dòng: thêm mới 0, cập nhật 0, không đổi 3.\n"
    assert Employment.objects.filter(valid_to__isnull=True).count() == 3
    with pytest.raises(CommandError, match="đuôi .xlsx"):
        run("export_members", "--unit", "CDCS-A", "-o", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="không hoạt động vào ngày 01/01/2000"):
        run("export_members", "--unit", "CDCS-A", "-o", str(out_file), "--date", "2000-01-01")


def test_dates_default_to_today(world, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", [person_row(1, member=False)])
    run("import_members", str(path), "--unit", "CDCS-A")
    from django.utils import timezone

    emp = Employment.objects.get(person__cccd=person_row(1)["cccd"])
    assert emp.valid_from == timezone.localdate()
    assert emp.valid_from > dt.date(2024, 1, 1)
