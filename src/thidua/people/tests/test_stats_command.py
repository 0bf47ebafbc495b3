import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from thidua.org.models import UnitType
from thidua.org.services import unit_rename
from thidua.people.services import membership_suspend
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


def run_stats(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def staffed(world):
    make_person(world.cdcs_a, "Lê Văn Minh", start=D(2012, 1, 1), actor=world.admin)
    make_person(world.cdcs_b, "Phạm Thị Hoa", gender="nu", member=False, start=D(2016, 1, 1),
                actor=world.admin)
    lan = make_person(world.cdcs_b, "Vũ Ngọc Lan", gender="nu", start=D(2016, 1, 1),
                      actor=world.admin)
    membership_suspend(actor=world.admin, person=lan, date=D(2020, 1, 1))
    make_person(world.cdcs_c, "Hoàng Minh Tuấn", start=D(2016, 1, 1), actor=world.admin)
    return world


def test_json_has_the_figures_of_the_subtree_and_every_unit_type(staffed):
    data = json.loads(run_stats("--unit", "cdvc-hn", "--date", "2021-06-30"))
    assert data["unit"] == "CDVC-HN"
    assert data["name"] == "Công đoàn Viên chức thành phố Hà Nội"
    assert data["date"] == "2021-06-30"
    # Ánh (TO-A1), Minh, Hoa (not a member), Lan (suspended since 2020)
    assert (data["workers"], data["women"]) == (4, 3)
    assert (data["members"], data["women_members"]) == (3, 2)
    assert (data["members_active"], data["members_suspended"]) == (2, 1)
    assert set(data["units"]) == set(UnitType.values)
    assert data["units"]["cdcs"] == 2
    assert data["units"]["to_cd"] == 1
    assert data["units"]["cap_tren_co_so"] == 0


def test_date_changes_the_answer_and_defaults_to_today(staffed):
    early = json.loads(run_stats("--unit", "CDVC-HN", "--date", "2013-01-01"))
    assert (early["workers"], early["members"]) == (2, 2)
    today = json.loads(run_stats("--unit", "CDVC-HN"))
    assert today["date"] == timezone.localdate().isoformat()
    assert today["members_suspended"] == 1


def test_name_as_of_the_date(staffed):
    unit_rename(actor=staffed.admin, unit=staffed.cdvc, name="Công đoàn Viên chức Hà Nội",
                date=D(2022, 1, 1))
    assert json.loads(run_stats("--unit", "CDVC-HN", "--date", "2021-12-31"))["name"] == (
        "Công đoàn Viên chức thành phố Hà Nội")
    assert json.loads(run_stats("--unit", "CDVC-HN", "--date", "2022-01-01"))["name"] == (
        "Công đoàn Viên chức Hà Nội")


def test_root_counts_everything_below_it(staffed):
    data = json.loads(run_stats("--unit", "TLD", "--date", "2021-06-30"))
    assert data["workers"] == 5
    assert data["units"] == {"tld": 0, "ldld_tinh": 1, "cd_nganh_tw": 0, "cd_tong_cong_ty": 0,
                             "cap_tren_co_so": 2, "cdcs": 3, "cdcs_thanh_vien": 0,
                             "cd_bo_phan": 0, "to_cd": 1}


def test_text_format_is_a_vietnamese_summary(staffed):
    text = run_stats("--unit", "CDVC-HN", "--date", "2021-06-30", "--format", "text")
    assert "số liệu ngày 30/06/2021" in text
    assert "CBCCVCLĐ: 4 (nữ: 3)" in text
    assert "Đoàn viên công đoàn: 3" in text
    assert "tạm dừng sinh hoạt: 1" in text
    assert "Đơn vị trực thuộc: 2 công đoàn cơ sở; 1 tổ công đoàn" in text


def test_unit_not_yet_founded_at_the_date(staffed):
    data = json.loads(run_stats("--unit", "CDVC-HN", "--date", "2001-01-01"))
    assert data["exists"] is False
    assert data["workers"] == 0
    text = run_stats("--unit", "CDVC-HN", "--date", "2001-01-01", "--format", "text")
    assert "chưa thành lập" in text


def test_every_unit_type_has_words_for_the_text_format():
    from thidua.people.stats import TYPE_WORDS

    assert set(TYPE_WORDS) == set(UnitType.values)


def test_unknown_unit_is_an_error_in_vietnamese(world):
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị có mã «KHONG-CO»"):
        run_stats("--unit", "khong-co")


def test_bad_date_is_an_error_in_vietnamese(world):
    with pytest.raises(CommandError, match="không hợp lệ"):
        run_stats("--unit", "TLD", "--date", "31-31-2017")


def test_console_command_exits_1_on_unknown_unit(world, capsys):
    from thidua.cli import main

    assert main(["stats", "--unit", "KHONG-CO"]) == 1
    assert "Không tìm thấy đơn vị" in capsys.readouterr().err
    assert main(["stats", "--unit", "TLD", "--date", "2021-06-30"]) == 0
    assert json.loads(capsys.readouterr().out)["units"]["ldld_tinh"] == 1
