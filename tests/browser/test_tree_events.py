"""A leader merges two grassroots unions from the unit page in a real browser: form, preview of
what moves where (screenshots at desktop and phone width), confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from thidua.org.models import Unit
from thidua.testing import make_person, make_unit, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-thu-nghiem"


def test_leader_merges_units_after_reading_the_preview(page: Any, shoot: Any) -> None:
    w = make_world()
    for i, name in enumerate(["Khoa Nội", "Khoa Ngoại", "Khoa Dược"]):
        group = make_unit(f"TO-B{i}", "to_cd", w.cdcs_b, name=f"Tổ công đoàn {name}")
        make_person(group, f"Phạm Thị Hoa {i}", gender="nu", actor=w.admin)
    for i in range(4):
        make_person(w.cdcs_b, f"Lê Văn Minh {i}", start=dt.date(2012, 1, 1), actor=w.admin)

    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao_hn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/don-vi/CDCS-A/")
    page.get_by_role("link", name="Sáp nhập, hợp nhất").click()
    page.get_by_label("Công đoàn Sở Y tế").check()
    page.get_by_label("Ngày hiệu lực").fill("01/01/2027")
    page.get_by_label("Số quyết định").fill("125/QĐ-CĐVC")
    page.get_by_label("Lý do, ghi chú").fill("Sắp xếp lại tổ chức công đoàn ngành y tế, tư pháp")
    shoot("tree-merge-form")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_text("Chuyển 3 đơn vị trực thuộc (cùng 3 người lao động, 3 đoàn viên trong "
                            "các đơn vị đó) và 4 người lao động, 4 đoàn viên")).to_be_visible()
    assert Unit.objects.get(code="CDCS-B").valid_to is None  # the preview wrote nothing
    shoot("tree-merge-preview")
    page.get_by_role("button", name="Xác nhận sáp nhập").click()
    expect(page.get_by_text("Đã sáp nhập 1 đơn vị vào «Công đoàn Sở Tư pháp».")).to_be_visible()
    assert Unit.objects.get(code="CDCS-B").valid_to == dt.date(2027, 1, 1)
    assert not page.js_errors
