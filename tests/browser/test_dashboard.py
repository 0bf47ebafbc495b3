"""The officer of the level above reads the dashboard of a year in a real browser: the target
cards, the children's table sorted on the server by a click on a column header (and back), drill down into a child, and
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
    # CĐCS B has 3 workers, A has 1: the server sorts a figure largest first, then reverses
    page.locator("table.db-children thead a", has_text="CBCCVCLĐ").click()
    expect(page.locator("table.db-children thead th[aria-sort=descending]")).to_have_count(1)
    assert _names(page) == ["Công đoàn Sở Y tế", "Công đoàn Sở Tư pháp"]
    assert "sap=workers" in page.url and "chieu=giam" in page.url  # the address keeps the order
    page.locator("table.db-children thead a", has_text="CBCCVCLĐ").click()
    expect(page.locator("table.db-children thead th[aria-sort=ascending]")).to_have_count(1)
    assert _names(page) == ["Công đoàn Sở Tư pháp", "Công đoàn Sở Y tế"]
    page.go_back()
    expect(page.locator("table.db-children thead th[aria-sort=descending]")).to_have_count(1)
    assert _names(page) == ["Công đoàn Sở Y tế", "Công đoàn Sở Tư pháp"]
    shoot("report-dashboard")
    assert not page.js_errors, page.js_errors
    page.get_by_role("link", name="Công đoàn Sở Y tế").click()
    page.wait_for_url(f"**/bang-dieu-khien/CDCS-B/{YEAR}/")
    expect(page.get_by_text("Công đoàn Sở Y tế · Mã đơn vị")).to_be_visible()
    assert not page.js_errors, page.js_errors


def test_officer_filters_a_sorted_table_of_many_children_and_pages(page: Any, shoot: Any
                                                                   ) -> None:
    """Sixty children: fifty a page; a filter typed after a sort keeps the sort (the HTMX answer
    swaps the form's hidden order fields); the page links swap the table alone."""
    from thidua.testing import make_unit

    w = make_world()
    for i in range(58):
        make_unit(f"CDCS-T{i:02d}", "cdcs", w.cdvc, name=f"Công đoàn Trường số {i:02d}")
    make_person(w.cdcs_b, "Lê Thị Minh", gender="nu", actor=w.admin)
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo_captren")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
    page.goto(f"/bang-dieu-khien/CDVC-HN/{YEAR}/")
    expect(page.locator("#bang-truc-thuoc p.total")).to_contain_text("60 đơn vị · hiển thị 1–50")
    assert len(_names(page)) == 50
    page.locator(".pagination a", has_text="2").click()
    expect(page.locator("#bang-truc-thuoc p.total")).to_contain_text("trang 2/2")
    assert len(_names(page)) == 10
    page.locator("table.db-children thead a", has_text="Đơn vị").click()
    expect(page.locator("table.db-children thead th[aria-sort=ascending]")).to_have_count(1)
    assert _names(page)[:2] == ["Công đoàn Sở Tư pháp", "Công đoàn Sở Y tế"]
    page.locator("table.db-children thead a", has_text="Đơn vị").click()
    expect(page.locator("table.db-children thead th[aria-sort=descending]")).to_have_count(1)
    page.get_by_label("Tìm đơn vị trực thuộc").press_sequentially("truong so 1")
    expect(page.locator("#bang-truc-thuoc p.total")).to_contain_text("10/60 đơn vị khớp")
    assert _names(page) == [f"Công đoàn Trường số {i}" for i in range(19, 9, -1)]
    assert "sap=ten" in page.url and "chieu=giam" in page.url and "tim=" in page.url
    shoot("report-dashboard-filtered")
    assert not page.js_errors, page.js_errors
