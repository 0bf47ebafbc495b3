"""The officer of the level above saves a statistics report in a real browser, reads its table
and downloads it and the Ministry's form 0602 (screenshots at desktop and phone width; no
overflow on a phone)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from thidua.reports.tests.test_statistics import _awards
from thidua.testing import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-thu-nghiem"
YEAR = 2023


def test_officer_saves_a_statistics_report_and_downloads_it(page: Any, shoot: Any) -> None:
    w = make_world()
    _awards(w)
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo_captren")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/thong-ke/CDVC-HN/{YEAR}/")
    expect(page.get_by_role("heading", name="Lập báo cáo thống kê mới")).to_be_visible()
    page.get_by_label("Tên báo cáo").fill("Khen thưởng 2022–2023 theo đơn vị")
    page.get_by_label("Từ năm").fill(str(YEAR - 1))
    page.get_by_label("Dòng theo").select_option("child")
    page.get_by_label("Cột theo").select_option("level")
    page.get_by_label("Tiền thưởng (đồng)").check()
    page.get_by_label("Tập thể", exact=True).uncheck()
    page.get_by_label("Cá nhân", exact=True).uncheck()
    page.get_by_role("button", name="Lưu và xem báo cáo").click()
    expect(page.get_by_text("Đã lưu báo cáo «Khen thưởng 2022–2023 theo đơn vị».")).to_be_visible()
    expect(page.get_by_role("row", name="Tổng cộng")).to_contain_text("1.170.000")
    shoot("statistics-report")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    data = info.value.path().read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Khen thưởng 2022–2023 theo đơn vị"
    page.get_by_role("link", name="Các báo cáo đã lưu").click()
    expect(page.get_by_role("link", name="Khen thưởng 2022–2023 theo đơn vị")).to_be_visible()
    shoot("statistics-list")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải biểu 0602 (.xlsx)").click()
    assert info.value.suggested_filename == f"bieu-0602-CDVC-HN-{YEAR}.xlsx"
    assert not page.js_errors
