"""The movements pages in a real browser (Debian's Chromium through Playwright), with screenshots
of each page at desktop and phone width in screenshots/movements-*.png: an officer launches a
movement, deploys a plan to 19 tổ công đoàn and records their launches ("19/19 tổ công đoàn"),
registers people in the grid; a member registers themself on a phone.

Chromium, the page and the screenshots: thidua.testing_browser."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.utils import timezone
from playwright.sync_api import expect

from thidua.movements import services
from thidua.movements.services import RegistrationInput
from thidua.testing import make_person, make_unit, make_world
from thidua.testing_browser import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page: Any, name: str, part: str = "") -> None:
    screenshot(page, f"movements-{name}", part)

TODAY = timezone.localdate()
YEAR = TODAY.year
NAMES = ["Trần Văn Hùng", "Lê Thị Lan", "Phạm Minh Tuấn", "Hoàng Thị Hạnh", "Vũ Quốc Sơn",
         "Đặng Thu Yến", "Bùi Hữu Dũng", "Đỗ Ngọc Trang", "Hồ Minh Khánh", "Ngô Thị Phương"]


def seed() -> Any:
    w = make_world()
    for i in range(2, 20):
        make_unit(f"TO-A{i:02d}", "to_cd", w.cdcs_a, name=f"Tổ công đoàn Phòng {i:02d}")
    people = []
    for i, name in enumerate(NAMES * 2):
        women = name.split()[1] in {"Thị", "Thu", "Ngọc"}
        people.append(make_person(w.to_a1, f"{name} {i // len(NAMES) + 1}" if i >= 10 else name,
                                  gender="nu" if women else "nam",
                                  birth=dt.date(1975 + i, 1 + i % 12, 2), actor=w.admin))
    deadline = TODAY + dt.timedelta(days=20)
    services.registration_rule_set(
        actor=w.officer_above, issuer=w.cdvc, year=YEAR, deadline=deadline,
        min_commitments_unit=2, min_commitments_member=1,
        pledges=["Quy tắc ứng xử của CBCCVCLĐ trong các cơ quan thuộc thành phố Hà Nội"])
    services.registrations_bulk_create(
        actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR,
        rows=[RegistrationInput(person_id=p.pk, titles=["LDTT"],
                                commitments=["Không đi muộn, về sớm"], row=i)
              for i, p in enumerate(people[:6])])
    return w, people, deadline


def test_officer_movement_plan_coverage_and_grid(page: Any, tmp_path: Path) -> None:
    w, people, deadline = seed()
    login(page, "canbo_cdcs")

    page.goto("/phong-trao/them/")
    page.get_by_label("Phong trào", exact=True).select_option("SKST")
    page.get_by_label("Từ ngày").fill(f"01/01/{YEAR}")
    page.get_by_label("Đến ngày").fill(f"31/12/{YEAR}")
    shoot(page, "create")
    page.get_by_role("button", name="Phát động").click()
    page.get_by_text("Đã phát động phong trào «Sáng kiến, sáng tạo»").wait_for()
    shoot(page, "detail")

    page.get_by_role("link", name="Lập kế hoạch triển khai").click()
    page.get_by_label("Số kế hoạch").fill("02/KH-CĐCS")
    page.get_by_label("Ngày ban hành").fill(f"02/01/{YEAR}")
    page.get_by_label("Tổ công đoàn").check()
    shoot(page, "plan-create")
    page.get_by_role("button", name="Ban hành").click()
    page.get_by_text("Đã ban hành kế hoạch và triển khai tới 19 đơn vị.").wait_for()
    expect(page.locator(".mv-cover-big")).to_contain_text("0/19 tổ công đoàn triển khai")

    plan = w.cdcs_a.plans.get()
    for dep in plan.deployments.order_by("unit__code")[:17]:
        services.deployment_launch(actor=w.officer_cdcs, deployment=dep,
                                   launched_on=dt.date(YEAR, 1, 5))
    page.reload()
    expect(page.locator(".mv-cover-big")).to_contain_text("17/19 tổ công đoàn triển khai")
    assert "Chưa báo cáo phát động (2)" in page.locator("#chua-phat-dong").inner_text()
    shoot(page, "plan-pending")
    for _ in range(2):
        page.locator("form.mv-launch button").first.click()
        page.get_by_text("phát động phong trào.").first.wait_for()
    expect(page.locator(".mv-cover-big")).to_contain_text("19/19 tổ công đoàn triển khai")
    assert "100% tổ công đoàn đã phát động" in page.locator(".mv-coverage").inner_text()
    shoot(page, "plan")

    page.goto("/ke-hoach/")
    shoot(page, "plans")
    page.goto("/phong-trao/")
    shoot(page, "list")

    # registration: the banner says who is left, the grid saves a page through HTMX
    page.goto(f"/dang-ky-thi-dua/CDCS-A/{YEAR}/")
    banner = page.locator(".mv-banner")
    expect(banner).to_contain_text(
        f"Còn 15 đoàn viên chưa đăng ký, hạn {deadline.strftime('%d/%m/%Y')}.")
    shoot(page, "registration")
    page.get_by_label("Hiển thị").select_option("chua_dang_ky")
    expect(page.locator(".mv-grid-wrap .total")).to_contain_text("15 người chưa đăng ký")
    row = page.locator("table.mv-grid tbody tr").first
    name = row.locator("td.name").inner_text().splitlines()[0].strip()
    row.get_by_label("LĐTT").check()
    page.get_by_role("button", name="Lưu bảng đăng ký (trang này)").click()
    # no commitment: the row is refused, nothing is written, the error is beside it
    expect(page.locator(".mv-row-error")).to_contain_text("ít nhất 1 việc làm cụ thể")
    shoot(page, "grid-error", part="#bang-dang-ky")
    row = page.locator("table.mv-grid tbody tr").first
    row.locator("textarea").fill("Giải quyết hồ sơ đúng hẹn\nTự học tin học văn phòng")
    page.get_by_role("button", name="Lưu bảng đăng ký (trang này)").click()
    expect(page.locator(".mv-grid-wrap")).not_to_contain_text("ít nhất 1 việc làm cụ thể")
    page.goto(f"/dang-ky-thi-dua/CDCS-A/{YEAR}/?loc=da_dang_ky")
    expect(page.locator("table.mv-grid")).to_contain_text(name)
    expect(page.locator(".mv-banner")).to_contain_text("Còn 14 đoàn viên chưa đăng ký")
    shoot(page, "grid", part="#bang-dang-ky")

    page.goto(f"/dang-ky-thi-dua/CDCS-A/{YEAR}/nhap/")
    shoot(page, "import")
    # a file with mistakes: each named by its Excel row, nothing written
    path = tmp_path / "dang-ky.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Đăng ký")
    ws.write_row(0, 0, ["BẢNG ĐĂNG KÝ THI ĐUA"])
    ws.write_row(1, 0, ["STT", "Họ và tên", "Số CCCD", "Danh hiệu đăng ký", "Việc làm cụ thể"])
    ws.write_row(2, 0, [1, people[10].full_name, people[10].cccd, "LĐTT", "Tự học tiếng Anh"])
    ws.write_row(3, 0, [2, people[11].full_name, people[11].cccd, "Tập thể lao động xuất sắc",
                        "Không đi muộn"])
    ws.write_row(4, 0, [3, "Người Không Có", "001099123456", "LDTT", "Việc"])
    wb.close()
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và nhập").click()
    errors = page.locator("table.mv-errors tbody tr")
    expect(errors).to_have_count(2)
    assert {errors.nth(i).locator("td").first.inner_text() for i in range(2)} == {"4", "5"}
    shoot(page, "import-errors")


def test_member_registers_on_a_phone(page: Any) -> None:
    w, _, deadline = seed()
    page.set_viewport_size(PHONE)
    login(page, "doanvien")
    page.goto("/dang-ky-thi-dua/cua-toi/")
    expect(page.locator("h1")).to_have_text(f"Đăng ký thi đua năm {YEAR}")
    assert f"Hạn đăng ký: {deadline.strftime('%d/%m/%Y')}" in page.locator(
        ".mv-deadline").inner_text()
    shoot(page, "self")
    page.set_viewport_size(PHONE)
    page.get_by_label("Lao động tiên tiến").check()
    page.get_by_label("Giỏi việc nước, đảm việc nhà").check()
    page.get_by_label("Việc làm cụ thể của tôi").fill(
        "Không đi muộn, về sớm\nHoàn thành hồ sơ đúng hạn")
    page.get_by_label(re.compile("Quy tắc ứng xử")).check()
    page.get_by_role("button", name="Đăng ký").click()
    page.get_by_text("Đã lưu đăng ký thi đua của bạn.").wait_for()
    mine = page.locator(".mv-mine")
    expect(mine).to_contain_text("Lao động tiên tiến")
    expect(mine).to_contain_text("Hoàn thành hồ sơ đúng hạn")
    reg = w.member.registrations.get(year=YEAR)
    assert reg.source == "self" and reg.commitment_count == 2 and reg.pledges.count() == 1
    shoot(page, "self-done")
