"""A member unit fills its cluster scoring sheet on a phone (figures, a note, an evidence file),
sends it; the head unit checks it at a desk; the cluster page, the pledge and the ranking
(screenshots at desktop and phone width in screenshots/clusters-*.png; no overflow on a
phone)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from thidua.clusters.models import SheetStatus
from thidua.clusters.tests.helpers import fill, make_clusters
from thidua.testing import make_world
from thidua.testing_browser import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-thu-nghiem"


def _login(page: Any, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_unit_fills_its_sheet_on_a_phone_and_the_head_checks_it(page: Any, shoot: Any,
                                                                  tmp_path: Any) -> None:
    w = make_world()
    cs = make_clusters(w)
    fill(cs, cs.badinh, cs.officer_badinh, {"1": 95, "2": 1, "3": 32, "4": 1, "5": 0})
    m = cs.member(cs.one, cs.dongda)
    crit = cs.criteria
    evidence = tmp_path / "bao-cao-cham-lo.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")

    page.set_viewport_size(PHONE)
    _login(page, "canbo_dd")
    page.goto(f"/cum-thi-dua/bang-diem/{m.pk}/")
    expect(page.get_by_role("heading", name="Liên đoàn Lao động quận Đống Đa")).to_be_visible()
    page.locator(f"#c{crit['1'].pk}").fill("90")
    page.get_by_label("Có", exact=True).check()
    page.locator(f"#c{crit['3'].pk}").fill("35,5")
    page.locator(f"#n{crit['3'].pk}").fill("Chương trình Tết Sum vầy: 1.250 suất quà")
    page.locator(f"#f{crit['3'].pk}").set_input_files(str(evidence))
    page.locator(f"#c{crit['4'].pk}").fill("2")
    page.locator(f"#c{crit['5'].pk}").fill("0")
    shoot("clusters-sheet-filling")
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Lưu và gửi cụm trưởng").click()
    expect(page.get_by_text("Đã gửi bảng điểm cho cụm trưởng.")).to_be_visible()
    expect(page.get_by_role("link", name="Minh chứng: bao-cao-cham-lo.pdf")).to_be_visible()
    m.refresh_from_db()
    assert m.sheet_status == SheetStatus.SUBMITTED
    assert m.scores.get(criterion=crit["1"]).points == 36  # 40 × 90/100
    assert not page.js_errors

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, "canbo_captren")
    page.goto(f"/cum-thi-dua/bang-diem/{m.pk}/")
    page.locator(f"#k{crit['3'].pk}").fill("30")
    page.locator(f"#kn{crit['3'].pk}").fill("Minh chứng chỉ có 1.000 suất quà")
    page.get_by_label("Nhận xét của cụm trưởng").fill("Đạt yêu cầu.")
    page.get_by_role("button", name="Xác nhận bảng điểm").click()
    expect(page.get_by_text("Đã xác nhận bảng điểm.")).to_be_visible()
    shoot("clusters-sheet-checked")
    page.goto(f"/cum-thi-dua/cum/{cs.one.pk}/")
    expect(page.get_by_text("88", exact=True)).to_be_visible()  # 36 + 20 + 30 + 2
    shoot("clusters-cluster")
    page.goto(f"/cum-thi-dua/cum/{cs.one.pk}/giao-uoc/")
    shoot("clusters-pledge")
    page.goto(f"/cum-thi-dua/cum/{cs.one.pk}/suy-ton/")
    shoot("clusters-suy-ton")
    assert not page.js_errors
