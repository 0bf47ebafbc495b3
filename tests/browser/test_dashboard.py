"""The officer of the level above reads the dashboard of a year in a real browser: the target
cards, the children's table sorted by a click on a column header, drill down into a child, and
the charts drawn by the vendored Chart.js under the CSP (screenshots at desktop and phone width;
no overflow on a phone)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from thidua.reports import services
from thidua.reports.tests.helpers import award, decision, party, title, welfare
from thidua.testing import make_person, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-thu-nghiem"
YEAR = 2023


def _names(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("table.db-children tbody th a").all_inner_texts()]


def test_officer_sorts_the_children_and_drills_down(page: Any, shoot: Any) -> None:
    w = make_world()
    people = [make_person(w.cdcs_b, f"Lê Thị Minh {i}", gender="nu", actor=w.admin)
              for i in range(3)]
    for p in people[:2]:
        title("LDTT", w.cdvc, person=p, year=YEAR)
    party(people[0], w.cdcs_b, dt.date(YEAR, 3, 1), dt.date(YEAR, 9, 1))
    welfare(w.cdcs_b, dt.date(YEAR, 3, 8), "8_3", *((p, 500_000) for p in people))
    award(decision(w.cdvc), "GK_CAP_TREN", person=people[0])
    award(decision(w.hn), "GK_CAP_TREN", unit=w.cdcs_a)
    for code, comparison, value in (("nld_danh_hieu", "gt", 60), ("dang_gioi_thieu", "ge", 1)):
        services.target_set(actor=w.officer_above, unit=w.cdvc, year=YEAR, measure_code=code,
                            comparison=comparison, value=Decimal(value))

    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo_captren")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/don-vi/CDVC-HN/")
    page.get_by_role("link", name="Bảng điều khiển năm").click()
    page.wait_for_url("**/bang-dieu-khien/CDVC-HN/*/")
    page.goto(f"/bang-dieu-khien/CDVC-HN/{YEAR}/")
    expect(page.get_by_role("heading", name=f"Bảng điều khiển năm {YEAR}")).to_be_visible()
    expect(page.locator(".db-card.db-met")).to_have_count(1)
    expect(page.locator("table.db-children td.db-unmet").first).to_be_visible()
    assert page.locator("#chart-targets").evaluate("c => c.width") > 0
    assert _names(page) == ["Công đoàn Sở Tư pháp", "Công đoàn Sở Y tế"]
    # CĐCS B has 3 workers, A has 1: sorting by workers, twice, puts B first
    header = page.locator("table.db-children thead button", has_text="CBCCVCLĐ")
    header.click()
    assert _names(page) == ["Công đoàn Sở Tư pháp", "Công đoàn Sở Y tế"]
    header.click()
    assert _names(page) == ["Công đoàn Sở Y tế", "Công đoàn Sở Tư pháp"]
    expect(page.locator("table.db-children thead th[aria-sort=descending]")).to_have_count(1)
    shoot("report-dashboard")
    assert not page.js_errors, page.js_errors
    page.get_by_role("link", name="Công đoàn Sở Y tế").click()
    page.wait_for_url(f"**/bang-dieu-khien/CDCS-B/{YEAR}/")
    expect(page.get_by_text("Công đoàn Sở Y tế · Mã đơn vị")).to_be_visible()
    assert not page.js_errors, page.js_errors
