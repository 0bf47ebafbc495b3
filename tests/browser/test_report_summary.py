"""The officer of the level above reads the year-end report in a real browser and downloads it
(screenshots at desktop and phone width; no overflow on a phone)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from thidua.reports import services
from thidua.reports.tests.helpers import party, title, welfare
from thidua.testing import make_person, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-thu-nghiem"
YEAR = 2023


def test_officer_reads_and_downloads_the_year_end_report(page: Any, shoot: Any) -> None:
    w = make_world()
    people = [w.member] + [make_person(w.cdcs_b, f"Lê Văn Minh {i}", actor=w.admin)
                           for i in range(3)]
    for p in people[:3]:
        title("LDTT", w.cdvc, person=p, year=YEAR)
    party(w.member, w.cdcs_a, dt.date(YEAR, 3, 1), dt.date(YEAR, 9, 1))
    welfare(w.cdcs_b, dt.date(YEAR, 3, 8), "8_3", *((p, 500_000) for p in people))
    for year, code, comparison, value in ((YEAR, "nld_danh_hieu", "gt", 75),
                                          (YEAR, "dang_gioi_thieu", "gt", 200),
                                          (YEAR + 1, "nld_danh_hieu", "gt", 80),
                                          (YEAR + 1, "cdcs_yeu", "le", 0)):
        services.target_set(actor=w.officer_above, unit=w.cdvc, year=year, measure_code=code,
                            comparison=comparison, value=Decimal(value))

    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo_captren")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/don-vi/CDVC-HN/")
    expect(page.get_by_role("link", name="Báo cáo tổng kết năm")).to_be_visible()
    page.goto(f"/bao-cao/CDVC-HN/{YEAR}/")
    expect(page.get_by_text("Phấn đấu năm 2024: trên 80% CBCCVCLĐ")).to_be_visible()
    expect(page.get_by_text("Hà Nội chưa đạt 2 chỉ tiêu thi đua đề ra:")).to_be_visible()
    shoot("report-summary")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải .md").click()
    assert info.value.suggested_filename == "bao-cao-tong-ket-CDVC-HN-2023.md"
    assert not page.js_errors
