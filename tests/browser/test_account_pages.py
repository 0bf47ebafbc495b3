"""The account pages in a real browser: the forced password change after a reset, the account
menu, the API tokens page and the throttled login, at desktop and phone width (screenshots in
screenshots/account-*.png)."""

from __future__ import annotations

from typing import Any

import pytest

from thidua.accounts.services import account_password_reset
from thidua.testing import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW = "Hoa-sen-nở-2026"


def shoot_menu(page: Any, path: Any) -> None:
    page.wait_for_timeout(150)
    page.screenshot(path=str(path))


def test_account_pages(page: Any, shoot: Any, live_server: Any, settings: Any) -> None:
    world = make_world()
    raw = account_password_reset(actor=world.admin, account=world.officer_cdcs)
    page.goto("/dang-nhap/")
    page.fill("#id_username", "canbo_cdcs")
    page.fill("#id_password", raw)
    page.click("button[type=submit]")
    page.wait_for_url("**/tai-khoan/mat-khau/**")
    assert "do quản trị viên đặt" in page.content()
    page.fill("#id_old_password", raw)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW + "x")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    assert "không khớp nhau" in page.locator(".field-error .error").inner_text()
    shoot("account-password-change")
    page.js_errors.clear()  # the refused form above answered 400 on purpose
    page.fill("#id_old_password", raw)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.wait_for_url(live_server.url + "/")
    assert "Đã đổi mật khẩu" in page.content()

    # the account menu leads to the tokens page
    page.locator(".user-menu summary").click()
    shoot_menu(page, shoot.directory / "account-menu-desktop.png")
    page.locator(".user-menu").get_by_role("link", name="Mã truy cập API").click()
    page.wait_for_url("**/tai-khoan/ma-truy-cap/")
    page.fill("#id_name", "Phần mềm nhân sự")
    page.get_by_label("Chỉ đọc").check()
    page.get_by_role("button", name="Tạo mã").click()
    code = page.locator("code.password").inner_text()
    assert code.startswith("td_")
    shoot("account-api-tokens")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".nav-toggle-label").click()
    page.locator(".user-menu summary").click()
    shoot_menu(page, shoot.directory / "account-menu-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not page.js_errors

    # a throttled address: the Vietnamese 429 page says when to try again
    settings.THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    page.context.clear_cookies()
    for i in range(4):
        page.goto("/dang-nhap/")
        page.fill("#id_username", f"khong_co_{i}")
        page.fill("#id_password", "sai-mat-khau")
        page.click("button[type=submit]")
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này" in page.content()
    shoot("account-login-throttled")
    # the throttled attempts answer 429 on purpose (the browser logs each); nothing else may fail
    assert [e for e in page.js_errors if "status of 429" not in e] == []
    page.js_errors.clear()
