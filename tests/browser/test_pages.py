"""The officer's path through the web UI in a real browser, with screenshots of every page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import xlsxwriter
from django.conf import settings
from playwright.sync_api import expect

from thidua.org.services import unit_rename
from thidua.testing import D0, World, cccd_for, make_person, make_unit, make_world
from thidua.testing_browser import htmx_settled, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-thu-nghiem"
SURNAMES = ["Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Thị", "Minh", "Thu", "Quốc", "Ngọc", "Hữu"]
GIVEN = ["Hà", "Lan", "Hùng", "Phương", "Tuấn", "Hạnh", "Sơn", "Yến", "Dũng", "Trang", "Khánh"]


def seed() -> tuple[World, dict[str, Any]]:
    """The shared world plus a union department with two groups and a roster big enough to page."""
    w = make_world()
    dept = make_unit("BP-A2", "cd_bo_phan", w.cdcs_a, name="Công đoàn bộ phận Thanh tra")
    make_unit("TO-A21", "to_cd", dept, name="Tổ công đoàn Thanh tra 1")
    make_unit("TO-A22", "to_cd", dept, name="Tổ công đoàn Thanh tra 2")
    unit_rename(actor=None, unit=w.cdcs_a, name="Công đoàn Sở Tư pháp Hà Nội",
                date=dt.date(2020, 1, 1), decision="125/QĐ-CĐVC")
    for i in range(56):
        name = f"{SURNAMES[i % 10]} {MIDDLE[(i // 10) % 6]} {GIVEN[(i * 7) % 11]}"
        women = name.split()[1] in {"Thị", "Thu", "Ngọc"}
        make_person(w.to_a1 if i % 3 else w.cdcs_a, name, gender="nu" if women else "nam",
                    member=i % 7 != 0, birth=dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 27),
                    start=D0, actor=w.admin)
    return w, {"dept": dept}


HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Dân tộc", "Chức vụ",
           "Ngày vào Công đoàn", "Đoàn viên"]
DUC_CCCD = cccd_for(dt.date(1985, 5, 17), "nam", 9001)
GOOD_ROWS = [
    ["Nguyễn Văn Đức", "Nam", "17/05/1985", DUC_CCCD, "Kinh", "Chuyên viên", "01/03/2012",
     "Có"],
    ["Lê Thị Hồng Nhung", "Nữ", "02/09/1991", cccd_for(dt.date(1991, 9, 2), "nu", 9002),
     "Tày", "Kế toán viên", "15/06/2015", "Có"],
    ["Phạm Quang Huy", "Nam", "21/12/1979", cccd_for(dt.date(1979, 12, 21), "nam", 9003),
     "Kinh", "Phó Giám đốc", "10/10/2005", "Có"],
]


def roster_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A members list as an official types it: a title row, then the header, CCCD as text."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Danh sách")
    sheet.write_row(0, 0, HEADERS)
    for n, row in enumerate(rows, start=1):
        sheet.write_number(n, 0, n)
        for col, value in enumerate(row, start=1):
            sheet.write_string(n, col, value)
    workbook.close()
    return path


def test_officer_walks_tree_unit_import_list_and_person(
    page: Any, shoot: Any, tmp_path: Path
) -> None:
    seed()

    page.goto("/dang-nhap/")
    assert page.title().startswith("Đăng nhập")
    shoot("login")
    page.get_by_label("Tên đăng nhập").fill("canbo_cdcs")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng").wait_for()
    shoot("login-error")

    login(page, "canbo_cdcs")
    # an officer lands on "việc chờ tôi"; the tree is one click away in the menu
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    page.locator("header nav").get_by_role("link", name="Tổ chức").click()
    page.wait_for_url(re.compile(r"/don-vi/$"))
    root = page.locator(".tree > .node").first
    assert "Công đoàn Sở Tư pháp Hà Nội" in root.inner_text()
    # 56 people seeded here and the world's member
    assert "57 người LĐ" in root.locator("summary .node-counts").first.inner_text()
    # the department's groups are not in the page until it is opened
    assert page.get_by_text("Tổ công đoàn Thanh tra 1").count() == 0
    page.locator("summary", has_text="Công đoàn bộ phận Thanh tra").click()
    page.get_by_text("Tổ công đoàn Thanh tra 1").wait_for()
    assert page.get_by_text("Tổ công đoàn Thanh tra 2").is_visible()
    shoot("tree")

    # the same tree as it stood in 2015: the unit's name then
    page.goto("/don-vi/?ngay=01/06/2015")
    assert page.locator(".tree > .node").first.get_by_text("Công đoàn Sở Tư pháp", exact=True).count()
    shoot("tree-2015")

    page.goto("/don-vi/")
    page.get_by_role("link", name="Công đoàn Sở Tư pháp Hà Nội").first.click()
    page.wait_for_url(re.compile(r"/don-vi/CDCS-A/$"))
    assert page.locator("h1").inner_text() == "Công đoàn Sở Tư pháp Hà Nội"
    assert page.get_by_text("Quyết định số 125/QĐ-CĐVC").is_visible()
    assert page.locator(".stat", has_text="Người lao động").locator("dd").inner_text() == "57"
    shoot("unit")

    # import: a file with mistakes is refused whole, each mistake named by its Excel row
    page.get_by_role("link", name="Nhập danh sách từ Excel").click()
    page.wait_for_url(re.compile(r"/nhap-danh-sach/\?don_vi=CDCS-A"))
    unit_select = page.locator("select[name=unit]")
    assert unit_select.input_value() == "CDCS-A"
    shoot("import")
    bad_rows = [list(r) for r in GOOD_ROWS]
    bad_rows[1][1] = "Khác"  # Excel row 3: gender
    bad_rows[2][3] = "12345"  # Excel row 4: CCCD
    page.locator("input[type=file][name=file]").set_input_files(
        str(roster_xlsx(tmp_path / "danh-sach-co-loi.xlsx", bad_rows)))
    expect(page.locator(".file-picker .file-name")).to_have_text("danh-sach-co-loi.xlsx")
    assert page.get_by_role("button", name="Chọn tệp…").is_visible()
    page.get_by_role("button", name="Tải lên và nhập").click()
    page.wait_for_url(re.compile(r"/nhap-danh-sach/\d+/$"))
    errors = page.locator("table.import-errors tbody tr")
    expect(errors.first).to_be_visible(timeout=30_000)
    rows_named = {errors.nth(i).locator("td").first.inner_text() for i in range(errors.count())}
    assert rows_named == {"3", "4"}
    expect(page.locator("#tien-do")).to_contain_text("chưa ghi dữ liệu nào")
    shoot("import-errors")

    # the corrected file goes in, with the counts
    page.goto("/nhap-danh-sach/?don_vi=CDCS-A")
    page.locator("input[type=file][name=file]").set_input_files(
        str(roster_xlsx(tmp_path / "danh-sach-da-sua.xlsx", GOOD_ROWS)))
    page.get_by_role("button", name="Tải lên và nhập").click()
    added = page.locator(".stat", has_text="Thêm mới").locator("dd")
    expect(added).to_have_text("3", timeout=30_000)
    shoot("import-done")

    page.get_by_role("link", name=re.compile("Xem danh sách người lao động")).click()
    page.wait_for_url(re.compile(r"/nguoi-lao-dong/\?don_vi=CDCS-A"))
    assert "Tổng: 60 người" in page.locator(".total").inner_text()
    assert page.locator("table.roster tbody tr").count() == 50
    shoot("list")

    page.get_by_label("Tìm kiếm").press_sequentially("nguyen van duc", delay=20)
    expect(page.locator("table.roster tbody tr")).to_have_count(1)
    row = page.locator("table.roster tbody tr").first
    assert "Nguyễn Văn Đức" in row.inner_text()
    # an officer of the unit sees the whole CCCD
    assert DUC_CCCD in row.inner_text()
    assert "Tổng: 1 người" in page.locator(".total").inner_text()
    assert parse_qs(urlsplit(page.url).query)["q"] == ["nguyen van duc"]  # the URL can be shared
    shoot("list-search")

    # the filters work the same way: one change, the results follow
    page.get_by_label("Tìm kiếm").fill("")
    page.get_by_label("Tìm kiếm").press("Enter")
    expect(page.locator(".total")).to_contain_text("Tổng: 60 người")
    page.get_by_label("Trạng thái").select_option("non_member")
    expect(page.locator(".total")).to_contain_text("Tổng: 8 người")
    htmx_settled(page)
    expect(page.locator(".badge-active")).to_have_count(0)
    page.get_by_label("Tìm kiếm").fill("nguyen van duc")
    page.get_by_label("Trạng thái").select_option("")
    expect(page.locator("table.roster tbody tr")).to_have_count(1)
    row = page.locator("table.roster tbody tr").first

    row.get_by_role("link", name="Nguyễn Văn Đức").click()
    page.wait_for_url(re.compile(r"/nguoi-lao-dong/\d+/$"))
    assert page.locator("h1").inner_text().startswith("Nguyễn Văn Đức")
    assert page.get_by_text("Quá trình sinh hoạt công đoàn").is_visible()
    # the joining date from the file opens the membership history
    assert page.locator("table.history").first.get_by_text("01/03/2012").count() == 1
    shoot("person")

    # an edit with a bad date keeps what was typed and says what is wrong, in Vietnamese
    page.get_by_text("Sửa thông tin cá nhân").click()
    page.get_by_label("Chức vụ").fill("Phó Chánh Văn phòng")
    page.get_by_label("Ngày sinh").fill("31/02/1985")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_text("Ngày không hợp lệ").wait_for()
    assert page.get_by_label("Chức vụ").input_value() == "Phó Chánh Văn phòng"
    shoot("person-edit-error")
    page.get_by_label("Ngày sinh").fill("17/05/1985")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_text("Đã lưu thay đổi hồ sơ.").wait_for()
    assert page.get_by_text("Phó Chánh Văn phòng").first.is_visible()

    page.goto("/nguoi-lao-dong/them/?don_vi=TO-A1")
    shoot("person-create")

    page.goto("/nguoi-lao-dong/")
    page.get_by_role("link", name="Xuất Excel").click()
    page.wait_for_url(re.compile(r"/xuat-danh-sach/"))
    shoot("export")

    assert page.js_errors == []


def test_phone_menu_and_member_account(page: Any, shoot: Any) -> None:
    w, _ = seed()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "doanvien")
    # a member's own account lands on their own record
    page.wait_for_url(re.compile(rf"/nguoi-lao-dong/{w.member.pk}/$"))
    assert page.get_by_text("(hồ sơ của bạn)").is_visible()
    assert page.get_by_text("Sửa thông tin cá nhân").count() == 0
    nav = page.get_by_role("navigation", name="Trình đơn chính")
    assert not nav.is_visible()
    page.get_by_text("Trình đơn").click()
    assert nav.get_by_role("link", name="Hồ sơ của tôi").is_visible()
    page.screenshot(path=str(shoot.directory / "menu-open-phone.png"), full_page=True)
    shoot("member-own-page")
    assert page.js_errors == []
    # someone else's record (here: the next person, in the member's own union) is not found
    response = page.goto(f"/nguoi-lao-dong/{w.member.pk + 1}/")
    assert response.status == 404

    # after too many wrong passwords the login is locked, and says so in Vietnamese
    page.context.clear_cookies()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("lanhdao_hn")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Tạm khóa đăng nhập.").wait_for()
    shoot("login-locked")
    # the record not found (404) and the locked login (429) answer so on purpose
    assert [e for e in page.js_errors
            if "status of 404" not in e and "status of 429" not in e] == []
    page.js_errors.clear()



def test_api_docs_work_without_internet_under_the_csp(page: Any, live_server: Any,
                                                      shoot: Any) -> None:
    """/api/docs renders from our own static files with every outside request refused, and the
    strict CSP reports no violation."""
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Thi Đua API")
    expect(page.locator(".opblock").first).to_be_visible()
    shoot("api-docs")
    assert outside == []
    assert page.js_errors == []


def test_a_filter_changed_while_a_search_is_under_way_is_not_lost(page: Any) -> None:
    """The search box and the filters send their own requests: a filter changed while the
    search's answer is still coming waits for it and goes after it, so the page ends on what was
    asked last (without a shared queue, the slower earlier answer landed last and won)."""
    seed()
    login(page, "canbo_cdcs")
    page.goto("/nguoi-lao-dong/?don_vi=CDCS-A")
    expect(page.locator(".total")).to_contain_text("Tổng: 57 người")
    htmx_settled(page)

    held: list[Any] = []

    def hold_unfiltered(route: Any) -> None:
        if "trang_thai=non_member" in route.request.url:
            route.continue_()
        else:
            held.append(route)  # answered only once the filter has been changed

    page.route(re.compile(r"/nguoi-lao-dong/\?"), hold_unfiltered)
    page.get_by_label("Tìm kiếm").dispatch_event("search")
    page.wait_for_function("() => document.querySelector('.htmx-request') !== null")
    page.get_by_label("Trạng thái").select_option("non_member")
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator(".total")).to_contain_text("Tổng: 8 người")
    htmx_settled(page)
    page.wait_for_timeout(300)
    expect(page.locator(".total")).to_contain_text("Tổng: 8 người")
    assert parse_qs(urlsplit(page.url).query)["trang_thai"] == ["non_member"]


def test_a_search_of_very_many_matches_says_more_than(page: Any, shoot: Any,
                                                      monkeypatch: Any) -> None:
    """Over the nation a common word ("thi") matches millions; the list stops counting after
    SORTED_SEARCH_MAX and says so, asking for more of the name (here the bound is lowered to
    5 for a roster of 56)."""
    from thidua.people import selectors

    seed()
    monkeypatch.setattr(selectors, "SORTED_SEARCH_MAX", 5)
    login(page, "canbo_cdcs")
    page.goto("/nguoi-lao-dong/?don_vi=CDCS-A&q=thi")
    total = page.locator(".total").inner_text()
    assert "Có hơn 5 người khớp với «thi»" in total
    assert "Gõ thêm họ, tên đệm hoặc chọn đơn vị nhỏ hơn để thu hẹp." in total
    assert page.locator("table.roster tbody tr").count() == 5
    shoot("list-search-more-than")
    page.get_by_label("Tìm kiếm").fill("tran thi ha")
    page.get_by_label("Tìm kiếm").press("Enter")
    expect(page.locator(".total")).to_contain_text("Tổng: 1 người khớp với «tran thi ha»")
    assert page.js_errors == []
