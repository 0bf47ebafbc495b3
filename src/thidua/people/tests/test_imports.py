"""Roster import: reading officials' files, complete row-by-row validation, the all-or-nothing
upsert by CCCD. Helpers here (`write_xlsx`, `write_csv`, `person_row`) serve the other import
and export test modules too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from thidua.audit.models import AuditEntry
from thidua.people.imports import (
    HEADERS,
    OUT_OF_SCOPE,
    RowError,
    roster_import_file,
    roster_import_rows,
)
from thidua.people.models import Employment, Membership, MembershipEvent, Person
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import cccd_for, make_person

DAY = dt.date(2024, 1, 1)
COLUMNS = ["full_name", "gender", "birth_date", "cccd", "ethnicity", "position", "join_date",
           "is_member", "group"]


def person_row(n: int, *, name: str | None = None, gender: str = "Nữ",
               birth: dt.date = dt.date(1990, 3, 8), member: bool = True,
               join: dt.date | None = dt.date(2015, 6, 1), group: str = "",
               position: str = "Chuyên viên", **extra: Any) -> dict[str, Any]:
    g = "nu" if gender == "Nữ" else "nam"
    row = {
        "full_name": name or f"Nguyễn Thị Hương {n}",
        "gender": gender,
        "birth_date": birth,
        "cccd": cccd_for(birth, g, 500_000 + n),
        "ethnicity": "Kinh",
        "position": position,
        "join_date": join if member else None,
        "is_member": "Có" if member else "Không",
        "group": group,
    }
    row.update(extra)
    return row


def write_xlsx(path: Path, rows: list[dict[str, Any]], *, columns: list[str] | None = None,
               headers: dict[str, str] | None = None, title_rows: int = 0,
               extra_columns: dict[str, str] | None = None, text_dates: bool = False,
               cccd_as_number: bool = False) -> Path:
    """A roster as an official would type it: `title_rows` lines above the table, real Excel
    dates (or dd/mm/yyyy text), the CCCD as text (or as a number)."""
    columns = columns or COLUMNS
    names = {k: (headers or {}).get(k, HEADERS[k]) for k in columns}
    extras = extra_columns or {}
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Danh sách")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r in range(title_rows):
        ws.write_string(r, 0, f"DANH SÁCH ĐOÀN VIÊN — dòng tiêu đề {r + 1}")
    head = title_rows
    all_cols = list(extras) + [names[k] for k in columns]
    for c, text in enumerate(all_cols):
        ws.write_string(head, c, text)
    for i, row in enumerate(rows, 1):
        for c, label in enumerate(extras):
            if extras[label] == "STT":
                ws.write_number(head + i, c, i)
            else:
                ws.write_string(head + i, c, extras[label])
        for c, key in enumerate(columns, len(extras)):
            value = row.get(key)
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                if text_dates:
                    ws.write_string(head + i, c, value.strftime("%d/%m/%Y"))
                else:
                    ws.write_datetime(head + i, c, dt.datetime.combine(value, dt.time()), date_fmt)
            elif key == "cccd" and cccd_as_number:
                ws.write_number(head + i, c, int(value))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(head + i, c, value)
            else:
                ws.write_string(head + i, c, str(value))
    wb.close()
    return path


def write_csv(path: Path, rows: list[dict[str, Any]], *, delimiter: str = ",",
              encoding: str = "utf-8", columns: list[str] | None = None) -> Path:
    import csv

    columns = columns or COLUMNS
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow([HEADERS[k] for k in columns])
        for row in rows:
            out = []
            for k in columns:
                v = row.get(k)
                out.append(v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else (v or ""))
            w.writerow(out)
    return path


def numbered(rows: list[dict[str, Any]], first: int = 2) -> list[dict[str, Any]]:
    return [dict(r, _row=first + i) for i, r in enumerate(rows)]


def import_xlsx(tmp_path: Path, world: Any, rows: list[dict[str, Any]], *, actor: Any = None,
                unit: Any = None, **kwargs: Any):
    path = write_xlsx(tmp_path / "ds.xlsx", rows, **{
        k: kwargs.pop(k) for k in list(kwargs)
        if k in {"columns", "headers", "title_rows", "extra_columns", "text_dates",
                 "cccd_as_number"}})
    return roster_import_file(actor=actor or world.officer_cdcs, unit=unit or world.cdcs_a,
                              path=path, effective_date=kwargs.pop("effective_date", DAY), **kwargs)


def import_audits() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="person.import").order_by("seq"))


# --------------------------------------------------------------------------------------------
# good files


def test_good_xlsx_creates_people_employment_and_membership(world, tmp_path):
    rows = [person_row(1), person_row(2, gender="Nam", group="TO-A1"),
            person_row(3, member=False, group="Tổ công đoàn Văn phòng")]
    result = import_xlsx(tmp_path, world, rows)

    assert (result.total, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    assert result.written and result.errors == []
    assert result.summary() == "Đã nhập 3 dòng: thêm mới 3, cập nhật 0, không đổi 0."
    p1 = Person.objects.get(cccd=rows[0]["cccd"])
    assert p1.full_name == "Nguyễn Thị Hương 1"
    assert p1.name_folded == "nguyen thi huong 1"
    assert (p1.gender, p1.birth_date, p1.position) == ("nu", dt.date(1990, 3, 8), "Chuyên viên")
    assert p1.member_code and p1.member_code.startswith("DV")
    emp = Employment.objects.get(person=p1)
    # in the unit from the effective date; the union join date stays on the person
    assert (emp.unit_id, emp.valid_from, emp.valid_to) == (world.cdcs_a.pk, DAY, None)
    m = Membership.objects.get(person=p1)
    assert (m.unit_id, m.valid_from, m.opened_by) == (world.cdcs_a.pk, DAY,
                                                      MembershipEvent.TRANSFER)
    assert p1.union_joined_on == dt.date(2015, 6, 1)
    p2 = Person.objects.get(cccd=rows[1]["cccd"])
    assert Employment.objects.get(person=p2).unit_id == world.to_a1.pk
    assert Membership.objects.get(person=p2).unit_id == world.to_a1.pk
    p3 = Person.objects.get(cccd=rows[2]["cccd"])  # group matched by its name, folded
    assert Employment.objects.get(person=p3).unit_id == world.to_a1.pk
    assert Employment.objects.get(person=p3).valid_from == DAY
    assert not Membership.objects.filter(person=p3).exists() and p3.member_code is None

    audits = import_audits()
    assert len(audits) == 1
    after = audits[0].after
    assert audits[0].actor_id == world.officer_cdcs.pk
    assert after["file"] == "ds.xlsx" and len(after["sha256"]) == 64
    assert (after["created"], after["updated"], after["unchanged"]) == (3, 0, 0)
    ids = sorted([p1.pk, p2.pk, p3.pk])
    assert after["created_ids"] == f"{ids[0]}-{ids[2]}"


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "utf-8-sig")])
def test_good_csv(world, tmp_path, delimiter, encoding):
    rows = [person_row(1), person_row(2, gender="Nam", group="to-a1")]
    path = write_csv(tmp_path / "ds.csv", rows, delimiter=delimiter, encoding=encoding)
    result = roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path,
                                effective_date=DAY)
    assert result.errors == [] and result.created == 2
    p = Person.objects.get(cccd=rows[1]["cccd"])
    assert p.birth_date == dt.date(1990, 3, 8) and p.gender == "nam"
    assert Employment.objects.get(person=p).unit_id == world.to_a1.pk


def test_header_not_on_first_row_and_row_numbers_as_excel_shows(world, tmp_path):
    rows = [person_row(1), person_row(2, cccd="12345"), person_row(3)]
    result = import_xlsx(tmp_path, world, rows, title_rows=3)
    # title lines 1-3, header on line 4, data on lines 5-7: the bad row is Excel's line 6
    assert [(e.row, e.column, e.value) for e in result.errors] == [(6, "Số CCCD", "12345")]
    assert str(result.errors[0]) == (
        "Dòng 6, cột «Số CCCD», giá trị «12345»: Số CCCD phải gồm đúng 12 chữ số.")


def test_shuffled_columns_extra_columns_and_header_spelling(world, tmp_path):
    rows = [person_row(1, position="  Kế   toán "), person_row(2, name="  Lê  Văn   Tám ",
                                                              gender="Nam")]
    columns = ["cccd", "group", "is_member", "full_name", "join_date", "birth_date", "gender",
               "position", "ethnicity"]
    headers = {"full_name": " HỌ VÀ TÊN ", "cccd": "So CCCD", "birth_date": "ngày sinh",
               "gender": "GIỚI  TÍNH", "join_date": "Ngay vao cong doan"}
    result = import_xlsx(tmp_path, world, rows, columns=columns, headers=headers,
                         extra_columns={"STT": "STT", "Ghi chú": "xem lại"})
    assert result.errors == [] and result.created == 2
    p = Person.objects.get(cccd=rows[1]["cccd"])
    assert p.full_name == "Lê Văn Tám" and p.gender == "nam"
    assert Person.objects.get(cccd=rows[0]["cccd"]).position == "Kế toán"


def test_real_excel_dates_and_text_dates_give_the_same_record(world, tmp_path):
    rows = [person_row(1)]
    import_xlsx(tmp_path, world, rows, text_dates=True)
    p = Person.objects.get(cccd=rows[0]["cccd"])
    assert p.birth_date == dt.date(1990, 3, 8)
    assert p.union_joined_on == dt.date(2015, 6, 1)
    # the same row with real dates is the same person, unchanged
    result = import_xlsx(tmp_path, world, rows, text_dates=False)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_cccd_stored_as_a_number_gets_its_leading_zero_back(world, tmp_path):
    rows = [person_row(1)]
    assert rows[0]["cccd"].startswith("001")
    result = import_xlsx(tmp_path, world, rows, cccd_as_number=True)
    assert result.errors == []
    assert Person.objects.filter(cccd=rows[0]["cccd"]).exists()


def test_rows_api_accepts_raw_values(world):
    row = person_row(1, birth_date="08/03/1990", join_date=42156.0, cccd=float(cccd_for(
        dt.date(1990, 3, 8), "nu", 500_001)), is_member="", phone=912345678.0)
    result = roster_import_rows(actor=world.officer_cdcs, unit=world.cdcs_a,
                                rows=numbered([row]), effective_date=DAY)
    assert result.errors == [], [str(e) for e in result.errors]
    p = Person.objects.get(cccd=cccd_for(dt.date(1990, 3, 8), "nu", 500_001))
    assert p.phone == "0912345678"  # the number lost the 0 of the mobile prefix
    # empty "Đoàn viên" with a join date: a member; Excel serial 42156 is 01/06/2015
    assert p.union_joined_on == dt.date(2015, 6, 1)


# --------------------------------------------------------------------------------------------
# validation: every error, with its row, column, value and what to fix

ERROR_CASES = [
    ({"full_name": ""}, "Họ và tên", "Họ và tên không được để trống."),
    ({"gender": "Khác"}, "Giới tính", "Giới tính phải ghi Nam hoặc Nữ."),
    ({"gender": ""}, "Giới tính", "Giới tính không được để trống; ghi Nam hoặc Nữ."),
    ({"birth_date": "31/02/1990"}, "Ngày sinh", "Ngày sinh không đúng dạng ngày/tháng/năm"),
    ({"birth_date": "1990"}, "Ngày sinh", "Ngày sinh không đúng dạng ngày/tháng/năm"),
    ({"cccd": ""}, "Số CCCD", "Số CCCD không được để trống."),
    ({"cccd": "12345"}, "Số CCCD", "Số CCCD phải gồm đúng 12 chữ số."),
    ({"cccd": "001090012345"}, "Số CCCD", "ứng với giới tính Nam, không khớp giới tính"),
    ({"cccd": "001185012345"}, "Số CCCD",
     "ứng với năm sinh 1985, không khớp ngày sinh đã khai (1990)"),
    ({"cccd": "099190012345"}, "Số CCCD", "không phải mã tỉnh hợp lệ"),
    ({"is_member": "Chưa rõ"}, "Đoàn viên", "Cột Đoàn viên chỉ ghi «Có» hoặc «Không»."),
    ({"join_date": None}, "Ngày vào Công đoàn", "Đoàn viên phải có Ngày vào Công đoàn"),
    ({"join_date": dt.date(2024, 5, 1)}, "Ngày vào Công đoàn",
     "Ngày vào Công đoàn sau ngày hiệu lực của lần nhập (01/01/2024)."),
    ({"join_date": dt.date(1989, 1, 1)}, "Ngày vào Công đoàn",
     "Ngày vào Công đoàn phải sau ngày sinh."),
    ({"join_date": "mùng 1"}, "Ngày vào Công đoàn", "không đúng dạng ngày/tháng/năm"),
    ({"group": "TO-KHONG-CO"}, "Tổ công đoàn", "Không có tổ công đoàn hay đơn vị này"),
    ({"group": "CDCS-B"}, "Tổ công đoàn", "Không có tổ công đoàn hay đơn vị này"),
    ({"email": "khong-phai-email"}, "Email", "Địa chỉ email không hợp lệ."),
    ({"phone": "gọi cơ quan"}, "Điện thoại", "Số điện thoại chỉ gồm chữ số"),
    ({"birth_date": dt.date(2030, 1, 1)}, "Ngày sinh", "Ngày sinh sau ngày hiệu lực"),
]


@pytest.mark.parametrize(("change", "column", "message"), ERROR_CASES)
def test_each_error_names_row_column_value_and_fix(world, tmp_path, change, column, message):
    good = [person_row(i) for i in range(1, 5)]
    bad = person_row(9, **change)
    columns = COLUMNS + [k for k in ("email", "phone") if k in change]
    result = import_xlsx(tmp_path, world, [*good[:2], bad, *good[2:]], columns=columns)
    assert not result.written
    assert [e.row for e in result.errors] == [4]  # header 1, rows 2-3 good, the bad one is 4
    err = result.errors[0]
    assert err.column == column
    assert message in err.message
    shown = change[next(iter(change))]
    if isinstance(shown, dt.date):
        shown = shown.strftime("%d/%m/%Y")
    assert err.value == (shown or "")
    assert str(err).startswith(f"Dòng 4, cột «{column}»")
    assert Person.objects.count() == 1  # only the fixture's member: nothing written


def test_all_errors_are_reported_not_only_the_first(world, tmp_path):
    rows = [person_row(1, full_name="", gender="X"), person_row(2), person_row(3, cccd="1",
                                                                              group="ZZZ")]
    result = import_xlsx(tmp_path, world, rows)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "Họ và tên"), (2, "Giới tính"), (4, "Số CCCD"), (4, "Tổ công đoàn")]
    assert result.skipped == 2


def test_duplicate_cccd_in_file_is_an_error_on_both_rows(world, tmp_path):
    a = person_row(1)
    b = person_row(2, cccd=a["cccd"], name="Người khác")
    result = import_xlsx(tmp_path, world, [a, person_row(3), b])
    assert [(e.row, e.column) for e in result.errors] == [(2, "Số CCCD"), (4, "Số CCCD")]
    assert "trùng với dòng 4" in result.errors[0].message
    assert "trùng với dòng 2" in result.errors[1].message
    assert not Person.objects.filter(cccd=a["cccd"]).exists()


def test_nothing_is_written_when_any_row_is_invalid(world, tmp_path):
    before = (Person.objects.count(), Employment.objects.count(), Membership.objects.count(),
              AuditEntry.objects.count())
    rows = [person_row(i) for i in range(1, 30)] + [person_row(99, gender="?")]
    result = import_xlsx(tmp_path, world, rows)
    assert not result.written and len(result.errors) == 1
    assert result.created == 29  # what would have been created
    assert result.summary() == ("Kiểm tra 30 dòng: 1 dòng có lỗi, 29 dòng hợp lệ (thêm mới 29, "
                                "cập nhật 0, không đổi 0).")
    assert (Person.objects.count(), Employment.objects.count(), Membership.objects.count(),
            AuditEntry.objects.count()) == before


def test_valid_only_writes_only_the_good_rows(world, tmp_path):
    rows = [person_row(1), person_row(2, gender="?"), person_row(3)]
    result = import_xlsx(tmp_path, world, rows, valid_only=True)
    assert result.written and result.created == 2 and result.skipped == 1
    assert [e.row for e in result.errors] == [3]
    assert Person.objects.filter(cccd__in=[rows[0]["cccd"], rows[2]["cccd"]]).count() == 2
    assert not Person.objects.filter(cccd=rows[1]["cccd"]).exists()
    assert result.summary().endswith("bỏ qua 1 dòng có lỗi.")


def test_dry_run_checks_and_counts_without_writing(world, tmp_path):
    before = AuditEntry.objects.count()
    result = import_xlsx(tmp_path, world, [person_row(1), person_row(2)], dry_run=True)
    assert (result.created, result.written) == (2, False)
    assert result.summary() == "Kiểm tra 2 dòng: thêm mới 2, cập nhật 0, không đổi 0."
    assert Person.objects.count() == 1 and AuditEntry.objects.count() == before


# --------------------------------------------------------------------------------------------
# upsert


def test_importing_the_same_file_again_changes_nothing(world, tmp_path):
    rows = [person_row(i, group="TO-A1" if i % 2 else "") for i in range(1, 8)]
    rows.append(person_row(8, member=False))
    first = import_xlsx(tmp_path, world, rows)
    assert first.created == 8
    state = sorted(Person.objects.values_list("pk", "version", "updated_at", "member_code"))
    periods = (sorted(Employment.objects.values_list("pk", "unit_id", "valid_from", "valid_to")),
               sorted(Membership.objects.values_list("pk", "unit_id", "valid_from", "valid_to")))
    second = import_xlsx(tmp_path, world, rows)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 8)
    assert second.written and second.warnings == []
    assert sorted(Person.objects.values_list("pk", "version", "updated_at", "member_code")) == state
    assert (sorted(Employment.objects.values_list("pk", "unit_id", "valid_from", "valid_to")),
            sorted(Membership.objects.values_list("pk", "unit_id", "valid_from", "valid_to"))
            ) == periods


def test_upsert_updates_changed_fields_only(world, tmp_path):
    row = person_row(1)
    import_xlsx(tmp_path, world, [row])
    p = Person.objects.get(cccd=row["cccd"])
    changed = dict(row, full_name="Nguyễn Thị Hướng", position="Trưởng phòng", ethnicity="")
    result = import_xlsx(tmp_path, world, [changed])
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    p2 = Person.objects.get(pk=p.pk)
    assert (p2.full_name, p2.name_folded, p2.position) == ("Nguyễn Thị Hướng",
                                                           "nguyen thi huong", "Trưởng phòng")
    assert p2.ethnicity == "Kinh"  # a blank optional cell keeps what is stored
    assert p2.version == p.version + 1
    audit = import_audits()[-1].after
    assert audit["updated_persons"] == [{
        "id": p.pk,
        "before": {"full_name": "Nguyễn Thị Hương 1", "position": "Chuyên viên"},
        "after": {"full_name": "Nguyễn Thị Hướng", "position": "Trưởng phòng"},
    }]


def test_transfer_to_another_to_at_the_effective_date(world, tmp_path):
    row = person_row(1)
    import_xlsx(tmp_path, world, [row], effective_date=dt.date(2023, 1, 1))
    p = Person.objects.get(cccd=row["cccd"])
    result = import_xlsx(tmp_path, world, [dict(row, group="TO-A1")])
    assert (result.updated, result.unchanged) == (1, 0)
    emps = list(Employment.objects.filter(person=p).order_by("valid_from"))
    assert [(e.unit_id, e.valid_from, e.valid_to) for e in emps] == [
        (world.cdcs_a.pk, dt.date(2023, 1, 1), DAY), (world.to_a1.pk, DAY, None)]
    mems = list(Membership.objects.filter(person=p).order_by("valid_from"))
    assert [(m.unit_id, m.valid_to, m.opened_by) for m in mems] == [
        (world.cdcs_a.pk, DAY, MembershipEvent.TRANSFER),
        (world.to_a1.pk, None, MembershipEvent.TRANSFER)]
    assert import_audits()[-1].after["updated_persons"][0]["moved"] == {
        "from": "CDCS-A", "to": "TO-A1", "date": "2024-01-01"}
    # a blank Tổ for someone already inside the unit keeps them where they are
    again = import_xlsx(tmp_path, world, [row])
    assert (again.updated, again.unchanged) == (0, 1)


def test_officer_above_moves_a_person_from_a_sibling_unit(world, tmp_path):
    member = world.member  # in TO-A1 under CDCS-A
    row = {"full_name": member.full_name, "gender": "Nữ", "birth_date": member.birth_date,
           "cccd": member.cccd, "is_member": "Có", "join_date": dt.date(2010, 1, 1)}
    result = import_xlsx(tmp_path, world, [row], actor=world.officer_above, unit=world.cdcs_b)
    assert result.errors == [] and result.updated == 1
    assert Employment.objects.get(person=member, valid_to__isnull=True).unit_id == world.cdcs_b.pk


def test_person_outside_scope_is_an_error_that_reveals_nothing(world, tmp_path):
    stranger = make_person(world.cdcs_c, "Phạm Bí Mật", gender="nam",
                           birth=dt.date(1980, 1, 1))
    row = person_row(1, name="Ai Đó", gender="Nam", birth=dt.date(1980, 1, 1), cccd=stranger.cccd)
    result = import_xlsx(tmp_path, world, [row, person_row(2)])
    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, "Số CCCD", OUT_OF_SCOPE)]
    text = str(result.errors[0])
    assert "Phạm" not in text and "CDCS-C" not in text and "Hai Bà Trưng" not in text
    assert Person.objects.get(pk=stranger.pk).full_name == "Phạm Bí Mật"
    assert Person.objects.count() == 2


def test_existing_non_member_joins_and_member_listed_as_non_member_is_only_warned(world,
                                                                                  tmp_path):
    worker = make_person(world.cdcs_a, "Đỗ Văn Hải", member=False, birth=dt.date(1988, 2, 2))
    member = world.member
    rows = [
        {"full_name": worker.full_name, "gender": "Nam", "cccd": worker.cccd, "is_member": "Có",
         "join_date": dt.date(2020, 2, 2)},
        {"full_name": member.full_name, "gender": "Nữ", "cccd": member.cccd,
         "is_member": "Không"},
    ]
    result = import_xlsx(tmp_path, world, rows)
    assert result.errors == []
    assert (result.updated, result.unchanged) == (1, 1)
    assert [(w.row, w.column) for w in result.warnings] == [(3, "Đoàn viên")]
    worker.refresh_from_db()
    assert worker.member_code and worker.member_code.startswith("DV")
    m = Membership.objects.get(person=worker)
    assert (m.unit_id, m.valid_from, m.valid_to) == (world.cdcs_a.pk, DAY, None)
    assert worker.union_joined_on == dt.date(2020, 2, 2)
    assert Membership.objects.filter(person=member, valid_to__isnull=True).exists()


def test_import_needs_officer_role_on_the_unit(world, tmp_path):
    rows = [person_row(1)]
    with pytest.raises(PermissionDeniedError):
        import_xlsx(tmp_path, world, rows, actor=world.viewer)
    with pytest.raises(NotFoundError):
        import_xlsx(tmp_path, world, rows, actor=world.outsider)
    assert Person.objects.count() == 1


def test_missing_required_column_and_missing_header_are_refused(world, tmp_path):
    with pytest.raises(ApplicationError, match="thiếu cột bắt buộc: «Giới tính»"):
        import_xlsx(tmp_path, world, [person_row(1)],
                    columns=["full_name", "cccd", "birth_date"])
    with pytest.raises(ApplicationError, match="Không tìm thấy dòng tiêu đề"):
        import_xlsx(tmp_path, world, [person_row(1)], title_rows=25)


def test_group_may_be_any_level_below_and_is_matched_by_folded_name(world, tmp_path):
    # officer of CDVC-HN imports into CDVC-HN; TO-A1 is two levels down
    rows = [person_row(1, group="TỔ CÔNG ĐOÀN VĂN PHÒNG"), person_row(2, group="cdcs-b")]
    result = import_xlsx(tmp_path, world, rows, actor=world.officer_above, unit=world.cdvc)
    assert result.errors == []
    assert Employment.objects.get(person__cccd=rows[0]["cccd"]).unit_id == world.to_a1.pk
    assert Employment.objects.get(person__cccd=rows[1]["cccd"]).unit_id == world.cdcs_b.pk


def test_row_error_text():
    e = RowError(7, "Số CCCD", "12345", "Số CCCD phải gồm đúng 12 chữ số.")
    assert str(e) == "Dòng 7, cột «Số CCCD», giá trị «12345»: Số CCCD phải gồm đúng 12 chữ số."
    assert e.as_dict()["text"] == str(e)


def test_progress_is_reported(world):
    calls = []
    rows = numbered([person_row(i) for i in range(1, 1201)])
    roster_import_rows(actor=world.officer_cdcs, unit=world.cdcs_a, rows=rows,
                       effective_date=DAY, dry_run=True, progress=lambda a, b: calls.append((a, b)))
    assert calls == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]


def test_import_does_not_backdate_the_unit_history(world, tmp_path):
    """Issue 8 §4: "Ngày hiệu lực 02/12/2026" once started new people's employment at their union
    join date (01/03/2018), changing the unit's figures of 30/06/2025 and crediting 12 months of
    service. Periods in the unit start on the effective date; the join date is kept as given."""
    from thidua.evaluation.facts import service_months_in
    from thidua.people.selectors import roster_counts

    earlier = dt.date(2025, 6, 30)
    before = roster_counts(unit_path=world.cdcs_a.path, day=earlier)
    effective = dt.date(2026, 12, 2)
    rows = [person_row(n, join=dt.date(2018, 3, 1)) for n in range(1, 4)]
    rows.append(person_row(4, member=False))
    result = import_xlsx(tmp_path, world, rows, effective_date=effective)
    assert result.errors == [] and result.created == 4

    assert roster_counts(unit_path=world.cdcs_a.path, day=earlier) == before
    p = Person.objects.get(cccd=rows[0]["cccd"])
    assert p.union_joined_on == dt.date(2018, 3, 1)
    emp = Employment.objects.get(person=p)
    assert emp.valid_from == effective
    assert service_months_in([(emp.valid_from, emp.valid_to)], 2025) == 0
    m = Membership.objects.get(person=p)
    assert (m.valid_from, m.opened_by) == (effective, MembershipEvent.TRANSFER)
    assert "01/03/2018" in m.note
    after = roster_counts(unit_path=world.cdcs_a.path, day=effective)
    assert after["workers"] == before["workers"] + 4
    assert after["members"] == before["members"] + 3
