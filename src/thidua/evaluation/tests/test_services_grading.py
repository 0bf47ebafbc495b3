"""Units' ratings by the level above and grading on an issuer's sheet (services.grading)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.evaluation import services
from thidua.evaluation.models import (
    Grading,
)
from thidua.evaluation.tests.conftest import (
    YEAR,
)
from thidua.platform.errors import ApplicationError, NotFoundError

pytestmark = pytest.mark.django_db


def test_a_unit_is_rated_by_the_level_above(roster):
    w = roster.world
    services.unit_rating_set(actor=w.officer_cdcs, unit=w.to_a1, year=YEAR, code="HTXSNV")
    with pytest.raises(NotFoundError):
        services.unit_rating_set(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, code="HTXSNV")
    services.unit_rating_set(actor=w.officer_above, unit=w.cdcs_a, year=YEAR, code="HTTNV")


OLD_YEAR = 2017  # graded on the old scale (before HD 1294/HD-TLĐ, 2019)


def _sheet(w, scale="cu", bands=None, year=OLD_YEAR):
    return services.grading_template_create(
        actor=w.officer_above, issuer=w.cdvc, year=year, name="Bảng điểm CĐCS", scale=scale,
        criteria=[("C1", "Đại diện", "Chăm lo, bảo vệ quyền lợi", 40),
                  ("C2", "Tổ chức", "Xây dựng tổ chức công đoàn", 35),
                  ("C3", "Khác", "Tuyên truyền, hoạt động khác", 25)],
        thresholds=bands or [{"label": "vung_manh", "min_points": 85, "min_criterion_share": 0.5},
                             {"label": "kha", "min_points": 70},
                             {"label": "trung_binh", "min_points": 50}],
        source="Thang xếp loại CĐCS vững mạnh", confidence="C")


def test_grading_follows_the_sheet_and_bands_through_the_engine(roster):
    """Old scale: vững mạnh from 85 points with no criterion under half its points."""
    w = roster.world
    sheet = _sheet(w)
    YEAR = OLD_YEAR  # noqa: N806 - the old scale's year for the whole test
    assert sheet.thresholds[-1] == {"label": "yeu", "min_points": 0.0, "min_criterion_share": 0.0}
    ids = {c.code: c.pk for c in sheet.criteria.all()}
    g = services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 40, ids["C2"]: 35, ids["C3"]: 12})
    assert (g.total, g.label) == (Decimal("87"), "kha")  # 12/25 is under half of C3
    assert any("Tổng điểm" in r["text"] for r in g.reasons)
    g = services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 38, ids["C2"]: 30, ids["C3"]: "20,5"})
    assert (g.label, Grading.objects.count()) == ("vung_manh", 1)
    with pytest.raises(ApplicationError, match="phải từ 0 đến"):
        services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 41, ids["C2"]: 30, ids["C3"]: 20})
    with pytest.raises(ApplicationError, match="Chưa chấm"):
        services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 40})
    with pytest.raises(ApplicationError, match="không áp dụng"):
        services.grading_submit(actor=w.outsider, unit=w.cdcs_c, year=YEAR, template=sheet,
                                points={ids["C1"]: 40})


def test_grading_bands_of_the_new_scale_are_checked(roster):
    w = roster.world
    with pytest.raises(ApplicationError, match="không thuộc thang"):
        _sheet(w, scale="moi", year=YEAR)
    with pytest.raises(ApplicationError, match="từ cao xuống thấp"):
        _sheet(w, scale="moi", bands=[{"label": "HTTNV", "min_points": 70},
                                      {"label": "HTXSNV", "min_points": 90}], year=YEAR)
    sheet = _sheet(w, scale="moi", bands=[{"label": "HTXSNV", "min_points": 90},
                                          {"label": "HTTNV", "min_points": 75},
                                          {"label": "HTNV", "min_points": 50}], year=YEAR)
    ids = {c.code: c.pk for c in sheet.criteria.all()}
    g = services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 30, ids["C2"]: 25, ids["C3"]: 20})
    assert g.label == "HTTNV"


@pytest.mark.parametrize(("year", "wrong", "message"), [
    (2017, "moi", "Năm 2017 xếp loại theo thang cũ"),
    (2018, "moi", "Năm 2018 xếp loại theo thang cũ"),
    (2019, "cu", "Năm 2019 xếp loại theo thang mới"),
    (2025, "cu", "Năm 2025 xếp loại theo thang mới"),
])
def test_a_sheet_uses_the_scale_in_force_that_year(roster, year, wrong, message):
    """HD 1294/HD-TLĐ (2019) brought the labels HTXSNV…KHTNV; before, vững mạnh…yếu. The year
    of change is the union rule set's `grading_new_scale_from_year`."""
    assert services.new_scale_from_year() == 2019
    assert services.scale_for_year(year) != wrong
    with pytest.raises(ApplicationError, match=message):
        _sheet(roster.world, scale=wrong, year=year, bands=[
            {"label": "vung_manh" if wrong == "cu" else "HTXSNV", "min_points": 85}])


def test_the_label_reads_as_the_unit_s_result():
    assert services.grading_label_text("vung_manh", "cdcs") == "CĐCS vững mạnh"
    assert services.grading_label_text("HTXSNV", "cdcs") == "CĐCS hoàn thành xuất sắc nhiệm vụ"
    assert services.grading_label_text("kha", "to_cd") == "Tổ CĐ khá"
    assert services.grading_label_text("HTTNV", "cap_tren_co_so") == "Hoàn thành tốt nhiệm vụ"
