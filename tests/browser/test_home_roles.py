"""The home page of an officer, a leader and an administrator: "việc chờ tôi" and the menu of
each role, at desktop and phone width (screenshots in screenshots/home-*.png)."""

from __future__ import annotations

import pytest

from thidua.accounts.services import role_grant_create, user_create
from thidua.initiatives import services as ini_services
from thidua.initiatives.tests.helpers import council, submitted, vote
from thidua.testing import make_world
from thidua.testing_browser import DESKTOP, PHONE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "matkhau-thu-nghiem"


def test_home_of_each_role(page, live_server):
    w = make_world()
    submitted(w)
    decided = submitted(w, title="Phần mềm quản lý hồ sơ công chứng")
    c, _ = council(w)
    review = ini_services.review_open(actor=w.officer_cdcs, council=c, initiative=decided)
    vote(w, review, 3)
    ini_services.review_close(actor=w.officer_cdcs, review=review)
    # a long name: with the administrator's eight menu items it once pushed the page wider
    # than a 1280 px screen
    admin = user_create(actor=None, username="quantri.cdvc", password=PASSWORD,
                        full_name="Quản trị viên hệ thống Công đoàn")
    role_grant_create(actor=None, user=admin, unit=w.cdvc, role="admin")
    for username, name, menu in [("canbo_cdcs", "officer", "Đăng ký"),
                                 ("lanhdao_hn", "leader", "Bình xét"),
                                 ("quantri.cdvc", "admin", "Quản trị")]:
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        page.goto("/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        assert page.locator("h1").first.inner_text().startswith("Việc chờ tôi")
        nav = page.locator(".site-nav")
        assert nav.get_by_role("link", name=menu).count() == 1
        # the menu and the account box stay on one line at 1280 px
        assert page.locator(".site-header").bounding_box()["height"] < 120
        page.screenshot(path=str(SCREENSHOTS / f"home-{name}-desktop.png"), full_page=True)
        for width in (960, 1100, 1280):  # between the phone menu and the wide desktop
            page.set_viewport_size({"width": width, "height": 900})
            seen = page.evaluate("document.documentElement.scrollWidth")
            assert seen <= width, f"{name}: {seen} px wide on a {width} px screen"
        page.set_viewport_size(PHONE)
        page.reload()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: the page scrolls sideways ({width} px)"
        page.screenshot(path=str(SCREENSHOTS / f"home-{name}-phone.png"), full_page=True)
    assert not page.js_errors
