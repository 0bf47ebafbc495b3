"""The report's figures from the records of issue 11 (Party, welfare, family and agency culture
titles, targets) and the actual of every measure of the catalogue, in prose too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from thidua.evaluation.models import Grading, GradingTemplate
from thidua.evaluation.unit_figures import unit_figures
from thidua.movements import services as movements
from thidua.movements.figures import movement_figures
from thidua.movements.models import RegisteredTitle, Registration
from thidua.movements.registered import registered_figures
from thidua.reports import services
from thidua.reports.compose import markdown
from thidua.reports.figures import year_figures
from thidua.reports.measures import codes
from thidua.reports.tests.helpers import YEAR, award, decision, family, party, title, welfare
from thidua.reports.tests.test_figures import QUERIES
from thidua.testing import World, make_person

D = dt.date
pytestmark = pytest.mark.django_db


def _register(unit: Any, *codes: str) -> None:
    # as the registrar stores one: with the kept subtree sums (ADR 0036) and who has
    # registered (ADR 0037)
    with movement_figures([unit.pk]), registered_figures(person_ids=[], unit_ids=[unit.pk]):
        r = Registration.objects.create(year=YEAR, unit=unit, home_unit=unit,
                                        registered_on=D(YEAR, 2, 1))
        for code in codes:
            RegisteredTitle.objects.create(registration=r, code=code)


def _grade(w: World, unit: Any, label: str) -> None:
    template, _ = GradingTemplate.objects.get_or_create(issuer=w.cdvc, year=YEAR, name="Bảng điểm",
                                                       scale="cu")
    with unit_figures([unit.pk]):  # as the grading service stores one (ADR 0036)
        Grading.objects.create(unit=unit, year=YEAR, template=template, label=label)


def _welfare(unit: Any, day: dt.date, occasion: str, *amounts: int) -> None:
    welfare(unit, day, occasion, *[(None, amount) for amount in amounts])


def _target(w: World, unit: Any, code: str, comparison: str, value: int,
            value_max: int | None = None, year: int = YEAR) -> None:
    services.target_set(actor=w.admin, unit=unit, year=year, measure_code=code,
                        comparison=comparison, value=Decimal(value),
                        value_max=None if value_max is None else Decimal(value_max))


def _launch_in_cdcs_a(w: World) -> None:
    m = movements.movement_create(actor=w.officer_above, issuer=w.cdvc, catalogue_code="LDG",
                                  start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))
    plan = movements.plan_create(actor=w.officer_above, issuer=w.cdvc, number="01/KH-CĐVC",
                                 date=D(YEAR, 1, 10), title="Kế hoạch", movements=[m])
    movements.plan_deploy(actor=w.officer_above, plan=plan, levels=["cdcs"], day=D(YEAR, 1, 10))
    movements.deployment_launch(actor=w.officer_cdcs, deployment=plan.deployments.get(unit=w.cdcs_a),
                                launched_on=D(YEAR, 2, 1))


@pytest.fixture
def year_of_records(world: World) -> World:
    """CDVC-HN in 2023: CĐCS A and B; Ánh (a woman, tổ A1), Bình and Cúc (CĐCS B); another
    branch's records (CĐCS C) that must not count."""
    w = world
    binh = make_person(w.cdcs_b, "Lê Văn Bình", actor=w.admin)
    cuc = make_person(w.cdcs_b, "Phạm Thị Cúc", gender="nu", actor=w.admin)
    giang = make_person(w.cdcs_c, "Đỗ Văn Giang", actor=w.admin)
    title("LDTT", w.cdcs_a, person=w.member)
    title("LDTT", w.cdcs_b, person=binh)
    title("CSTDCS", w.cdcs_b, person=binh)  # the same person: counted once
    title("LDTT", w.cdcs_c, person=giang)
    title("GVNDVN", w.cdcs_a, person=w.member)
    title("CQ_VAN_HOA", w.cdvc, unit=w.cdcs_a)
    for person, unit in ((w.member, w.cdcs_a), (binh, w.cdcs_b), (giang, w.cdcs_c)):
        family(person, unit)
    _register(w.cdcs_a, "CQ_VAN_HOA")
    _register(w.cdcs_b, "TTLDTT")
    _register(w.cdcs_c, "CQ_VAN_HOA")
    _launch_in_cdcs_a(w)
    _grade(w, w.cdcs_a, "vung_manh")
    _grade(w, w.cdcs_b, "yeu")
    party(w.member, w.cdcs_a, D(YEAR, 3, 1), D(YEAR, 9, 1))
    party(binh, w.cdcs_b, D(YEAR, 5, 1))
    party(cuc, w.cdcs_b, D(YEAR - 1, 5, 1), D(YEAR, 6, 1))
    party(giang, w.cdcs_c, D(YEAR, 5, 1))
    _welfare(w.cdcs_a, D(YEAR, 3, 8), "8_3", 500_000, 500_000)
    _welfare(w.cdcs_b, D(YEAR, 1, 20), "TET", 1_500_000)
    _welfare(w.cdcs_b, D(YEAR, 7, 2), "OM_DAU", 1_000_000)
    _welfare(w.cdcs_b, D(YEAR - 1, 3, 8), "8_3", 300_000)
    _welfare(w.cdcs_c, D(YEAR, 3, 8), "8_3", 9_000_000)
    award(decision(w.cdvc), "GK_CAP_TREN", person=binh)
    return w


def test_every_measure_has_its_actual(year_of_records: World) -> None:
    f = year_figures(year_of_records.cdvc, YEAR)
    assert set(f["actuals"]) == set(codes())
    assert f["actuals"] == {
        "cdcs_phat_dong": {"actual": 50.0, "done": 1, "of": 2},
        "cdcs_dang_ky": {"actual": 100.0, "done": 2, "of": 2},
        "nld_danh_hieu": {"actual": 66.7, "done": 2, "of": 3},
        "nu_gvndvn": {"actual": 50.0, "done": 1, "of": 2},
        "gia_dinh_van_hoa": {"actual": 66.7, "done": 2, "of": 3},
        "co_quan_dang_ky_van_hoa": {"actual": 50.0, "done": 1, "of": 2},
        "co_quan_van_hoa": {"actual": 50.0, "done": 1, "of": 2},
        "cdcs_vung_manh": {"actual": 50.0, "done": 1, "of": 2},
        "cdcs_yeu": {"actual": 1},
        "dang_gioi_thieu": {"actual": 2},
        "dang_ket_nap": {"actual": 2},
    }


def test_party_welfare_and_culture_titles(year_of_records: World) -> None:
    f = year_figures(year_of_records.cdvc, YEAR)
    assert (f["party_introduced"], f["party_admitted"]) == (2, 2)
    assert f["titles"]["GDVH"] == {"count": 2, "of": 3, "women": {"count": 1, "of": 2}}
    assert f["titles"]["CQ_VAN_HOA"] == {"count": 1, "of": 2}
    assert f["welfare"] == {
        "occasions": [
            {"code": "8_3", "name": "Quốc tế Phụ nữ 8/3", "activities": 1, "beneficiaries": 2,
             "amount": 1_000_000},
            {"code": "TET", "name": "Tết", "activities": 1, "beneficiaries": 1,
             "amount": 1_500_000},
            {"code": "OM_DAU", "name": "Thăm hỏi ốm đau", "activities": 1, "beneficiaries": 1,
             "amount": 1_000_000},
        ],
        "total": {"activities": 3, "beneficiaries": 4, "amount": 3_500_000},
    }
    two = year_figures(year_of_records.cdvc, YEAR, since=YEAR - 1)
    assert two["welfare"]["total"] == {"activities": 4, "beneficiaries": 5, "amount": 3_800_000}
    assert (two["party_introduced"], two["party_admitted"]) == (3, 2)
    text = markdown(f)
    assert ("Trong năm 2023, các cấp công đoàn đã giới thiệu 2 đoàn viên ưu tú cho Đảng xem xét "
            "kết nạp.") in text
    assert "Trong năm 2023, đã có 2 đoàn viên ưu tú được kết nạp vào Đảng Cộng sản Việt Nam." \
        in text
    assert ("Trong năm 2023, Công đoàn Viên chức thành phố Hà Nội đã tổ chức thăm hỏi, tặng quà "
            "nhân dịp Quốc tế Phụ nữ 8/3 và Tết; thăm hỏi ốm đau, tổng cộng 4 lượt đoàn viên, "
            "người lao động với tổng số tiền 3.500.000 đồng.") in text
    assert "2/3 gia đình CBCCVCLĐ (66,7%) đạt danh hiệu “Gia đình văn hóa”" in text
    assert "1/2 cơ quan, đơn vị (50%) đạt danh hiệu “Cơ quan, đơn vị văn hóa”" in text


def test_targets_against_their_actuals_and_next_year(year_of_records: World) -> None:
    w = year_of_records
    _target(w, w.cdvc, "nld_danh_hieu", "gt", 75)
    _target(w, w.cdvc, "nu_gvndvn", "range", 40, 60)
    _target(w, w.cdvc, "cdcs_yeu", "le", 0)
    _target(w, w.cdvc, "dang_gioi_thieu", "gt", 1)
    _target(w, w.cdvc, "cdcs_phat_dong", "ge", 100, year=YEAR + 1)
    _target(w, w.cdvc, "dang_ket_nap", "ge", 5, year=YEAR + 1)
    f = year_figures(w.cdvc, YEAR)
    by_code = {t["code"]: t for t in f["targets"]}
    assert [t["code"] for t in f["targets"]] == ["nld_danh_hieu", "nu_gvndvn", "cdcs_yeu",
                                                 "dang_gioi_thieu"]
    assert by_code["nld_danh_hieu"] == {
        "code": "nld_danh_hieu", "name": by_code["nld_danh_hieu"]["name"], "kind": "percent",
        "comparison": "gt", "target": 75, "actual": 66.7, "done": 2, "of": 3, "met": False,
        "inherited_from": None}
    assert by_code["nu_gvndvn"]["target"] == [40, 60] and by_code["nu_gvndvn"]["met"] is True
    assert (by_code["cdcs_yeu"]["actual"], by_code["cdcs_yeu"]["met"]) == (1, False)
    assert (by_code["dang_gioi_thieu"]["actual"], by_code["dang_gioi_thieu"]["met"]) == (2, True)
    assert [t["code"] for t in f["next_targets"]] == ["cdcs_phat_dong", "dang_ket_nap"]
    assert "actual" not in f["next_targets"][0]
    text = markdown(f)
    assert ("Năm 2023, Công đoàn Viên chức thành phố Hà Nội đạt 2/4 chỉ tiêu thi đua đề ra: nữ "
            "CBCCVCLĐ đạt danh hiệu «Giỏi việc nước, đảm việc nhà»: 50% (chỉ tiêu 40–60%); đoàn "
            "viên ưu tú được giới thiệu kết nạp Đảng: 2 (chỉ tiêu trên 1). Chưa đạt: CBCCVCLĐ đạt "
            "danh hiệu Lao động tiên tiến, Chiến sĩ thi đua, Người tốt, việc tốt: 66,7% (chỉ tiêu "
            "trên 75%); công đoàn cơ sở xếp loại yếu: 1 (chỉ tiêu không có).") in text
    assert "### IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024" in text
    assert ("Phấn đấu năm 2024: 100% công đoàn cơ sở phát động phong trào thi đua (năm 2023 đạt "
            "50%); ít nhất 5 đoàn viên ưu tú được kết nạp vào Đảng (năm 2023 đạt 2).") in text


def test_a_target_set_above_is_inherited_and_named(year_of_records: World) -> None:
    w = year_of_records
    _target(w, w.cdvc, "nu_gvndvn", "ge", 90)
    (row,) = year_figures(w.cdcs_a, YEAR)["targets"]
    assert (row["inherited_from"], row["actual"], row["met"]) == ("CDVC-HN", 100.0, True)


def test_zero_and_unknown_figures_write_nothing(world: World) -> None:
    w = world
    _target(w, w.cdvc, "cdcs_vung_manh", "gt", 90)  # nobody graded: unknown, not 0 %
    _target(w, w.cdvc, "dang_ket_nap", "ge", 5, year=YEAR + 1)
    f = year_figures(w.cdvc, YEAR)
    (row,) = f["targets"]
    assert (row["actual"], row["met"]) == (None, None)
    assert f["actuals"]["cdcs_yeu"] == {"actual": None}
    assert (f["party_introduced"], f["party_admitted"]) == (0, 0)
    assert f["welfare"] == {"occasions": [], "total": {"activities": 0, "beneficiaries": 0,
                                                       "amount": 0}}
    assert "GDVH" not in f["titles"]
    text = markdown(f)
    for absent in ("Đảng Cộng sản", "cho Đảng xem xét", "thăm hỏi", "Gia đình văn hóa",
                   "chỉ tiêu thi đua đề ra", "vững mạnh", " 0 ", " 0%", "đạt 0"):
        assert absent not in text, absent
    # next year's targets are stated, without this year's result when it is zero
    assert "Phấn đấu năm 2024: ít nhất 5 đoàn viên ưu tú được kết nạp vào Đảng." in text


def test_records_add_no_query(year_of_records: World, django_assert_num_queries) -> None:
    w = year_of_records
    _target(w, w.cdvc, "nld_danh_hieu", "gt", 75)
    _target(w, w.cdvc, "dang_ket_nap", "ge", 5, year=YEAR + 1)
    # every record kind of the report, next year's targets and a launched movement: the count
    # test_figures pins on an emptier subtree for two years, and the second movements query it
    # names (the unit's plan reached the CĐCS); one year reads the initiatives' subtree sums
    # (1 query, not 3)
    with django_assert_num_queries(QUERIES + 1 - 2):
        f = year_figures(w.cdvc, YEAR)
    assert f["next_targets"] and f["welfare"]["occasions"] and f["party_admitted"]
