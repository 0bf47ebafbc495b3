"""Vote thresholds by year: NĐ 91/2017 Art. 45.8 until 2023, NĐ 98/2023 Art. 30.7 from 2024."""

from __future__ import annotations

from fractions import Fraction

import pytest

from thidua.evaluation.thresholds import threshold_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2017, 2020, 2023])
def test_no_threshold_before_2024_cites_nd98(year):
    """NĐ 98/2023 took effect 01/01/2024: a 2023 threshold never cites it."""
    for title in ("CSTDCS", "CSTD_TINH", "CSTD_TQ", "LDTT", "CO_TD_TINH", "CO_TD_CP", "DVXS"):
        assert "98/2023" not in threshold_for(title, year).source, title


@pytest.mark.parametrize("year", [2017, 2023])
def test_cstd_tinh_and_tq_need_90_percent_under_nd91__nd91_art45_8(year):
    for title in ("CSTD_TINH", "CSTD_TQ"):
        t = threshold_for(title, year)
        assert t.share == Fraction(9, 10) and not t.strict
        assert t.source == "NĐ 91/2017/NĐ-CP, Điều 45 khoản 8" and t.confidence == "C"


def test_cstdcs_before_2024_is_each_bodys_setting__nd91_art45_8():
    """NĐ 91/2017 leaves CSTĐ cơ sở to each council: the default is labelled local practice."""
    t = threshold_for("CSTDCS", 2023)
    assert t.source.startswith("Thực tiễn địa phương") and t.confidence == "G"
    assert t.share == Fraction(1, 2) and t.strict


def test_nd98_shares_from_2024__nd98_art30_7():
    assert threshold_for("CSTDCS", 2024).share == Fraction(4, 5)
    assert threshold_for("CSTD_TINH", 2024).source == "NĐ 98/2023/NĐ-CP, Điều 30 khoản 7"
    assert threshold_for("CO_TD_TINH", 2024).source == "NĐ 98/2023/NĐ-CP, Điều 30 khoản 7"
    # Under NĐ 152/2025 the shares are carried, marked L, the source naming the decree in force.
    t = threshold_for("CSTD_TINH", 2025)
    assert t.source == "NĐ 152/2025/NĐ-CP" and t.confidence == "L"
