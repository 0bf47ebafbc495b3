"""The evaluation year in a real browser (Debian Chromium through Playwright), with screenshots
of every page at desktop and phone width in screenshots/evaluation-*.png. Chromium, the page
and the screenshots: thidua.testing_browser."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from thidua.testing_browser import DESKTOP, PHONE, SCREENSHOTS, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page: Any, name: str) -> None:
    screenshot(page, f"evaluation-{name}")

YEAR = 2024


NAMES = [("Nguyễn Văn An", "nam"), ("Lê Thị Bình", "nu"), ("Phạm Văn Cường", "nam"),
         ("Hoàng Thị Dung", "nu"), ("Vũ Văn Em", "nam"), ("Đặng Thị Giang", "nu"),
         ("Bùi Minh Hải", "nam"), ("Đỗ Thu Hằng", "nu"), ("Hồ Quốc Khánh", "nam"),
         ("Ngô Thị Lan", "nu"), ("Dương Văn Mạnh", "nam"), ("Lý Thị Ngọc", "nu")]
CODES = ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "HTTNV", "HTTNV", "HTXSNV", "HTTNV",
         "HTTNV", "KHTNV", "HTTNV"]


def seed() -> Any:
    from thidua.evaluation import services
    from thidua.evaluation.tests.test_views import register
    from thidua.testing import make_person, make_world

    w = make_world()
    people = [w.member]
    for i, (name, gender) in enumerate(NAMES):
        people.append(make_person(w.to_a1 if i % 2 else w.cdcs_a, name, gender=gender,
                                  birth=dt.date(1975 + i, 1 + i % 12, 3), actor=w.admin))
    register(people, ["LDTT", "CSTDCS", "GVNDVN"])
    services.ratings_save(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, rows=[
        services.RatingRow(p.pk, c, absence_days=i % 4, maternity_days=150 if i == 6 else 0)
        for i, (p, c) in enumerate(zip(people, ["HTXSNV", *CODES], strict=True))])
    services.initiative_record(actor=w.officer_cdcs, person=people[3], year=YEAR,
                               level="co_so", name="Số hóa sổ theo dõi văn bản đến")
    services.discipline_record(actor=w.officer_cdcs, person=people[5], form="khien_trach",
                               valid_from=dt.date(YEAR, 3, 1), valid_to=dt.date(YEAR + 1, 3, 1),
                               decision="15/QĐ-STP")
    return w, people


def test_an_officer_runs_the_evaluation_year(page: Any, tmp_path: Path) -> None:
    from thidua.evaluation.models import Review, TitleResult
    from thidua.evaluation.tests.test_imports import xlsx

    w, people = seed()
    login(page, "canbo_cdcs")

    # the year page with its grid; one row saved through htmx
    page.goto(f"/danh-gia/CDCS-A/{YEAR}/")
    assert page.locator("h1").inner_text() == "Đánh giá, bình xét năm 2024"
    row = page.locator(f"#dong-{people[11].pk}")
    row.locator("select[name$='-code']").select_option("HTTNV")
    row.get_by_role("button", name="Lưu").click()
    page.locator(f"#dong-{people[11].pk}.saved").wait_for()
    assert "Đã lưu." in page.locator(f"#dong-{people[11].pk}").inner_text()
    shoot(page, "unit-year")

    # the import: a file with mistakes is refused whole, each named by its Excel row
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.wait_for_url(re.compile(r"/nhap-xep-loai/$"))
    bad = xlsx(tmp_path / "xep-loai.xlsx", [
        [1, people[1].full_name, people[1].cccd, "", "HTXSNV", 0, 0, None],
        [2, "Người Lạ", "001099000001", "", "HTTNV", 0, 0, None],
        [3, people[2].full_name, people[2].cccd, "", "Giỏi", 0, 0, None]])
    page.locator("input[type=file][name=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Tải lên và nhập").click()
    page.get_by_text("chưa ghi dòng nào").wait_for()
    assert page.locator("table.stack tbody tr").count() == 2
    shoot(page, "import")

    # the review: open, the engine's list with its reasons
    page.goto(f"/danh-gia/CDCS-A/{YEAR}/binh-xet/")
    shoot(page, "review-empty")
    page.get_by_role("button", name="Mở bình xét năm 2024").click()
    page.get_by_text("Đã mở bình xét năm 2024").wait_for()
    first = page.locator(".candidate").first
    first.locator("summary", has_text="Vì sao").click()
    assert first.locator(".reasons li").count() >= 3
    # an adjustment with its reason
    hai = page.locator(".candidate", has_text="Bùi Minh Hải").filter(
        has_text="Lao động tiên tiến").first
    hai.locator("summary", has_text="Đưa ra khỏi danh sách").click()
    hai.get_by_label("Lý do").fill("Chưa thực hiện việc làm cụ thể đã đăng ký")
    hai.get_by_role("button", name="Đưa ra khỏi danh sách").click()
    page.get_by_text("Đã đưa ra khỏi danh sách.").wait_for()
    page.locator("summary", has_text="Thêm thành viên Hội đồng").click()
    for name, role in [("Nguyễn Thị Hương", "chu_tich"), ("Trần Văn Minh", "pho_chu_tich"),
                       ("Lê Thị Lan", "uy_vien"), ("Phạm Quốc Bảo", "uy_vien"),
                       ("Vũ Thu Trang", "thu_ky")]:
        page.get_by_label("Họ và tên (nếu không có trong danh sách)").fill(name)
        page.get_by_label("Chức vụ").fill("Ủy viên Ban Chấp hành")
        page.get_by_label("Vai trò trong Hội đồng").select_option(role)
        page.get_by_role("button", name="Thêm thành viên").click()
        page.get_by_text(f"Đã thêm {name} vào Hội đồng.").wait_for()
        page.locator("summary", has_text="Thêm thành viên Hội đồng").click()
    page.locator(".candidate").first.locator("summary", has_text="Vì sao").click()
    shoot(page, "review-draft")

    page.get_by_role("button", name="Chuyển sang bỏ phiếu").click()
    page.get_by_text("Bình xét chuyển sang bước «Hội đồng bỏ phiếu»").wait_for()
    cand = page.locator(".candidate", has_text="Chiến sĩ thi đua cơ sở").first
    cand.get_by_role("link", name=re.compile("Ghi phiếu")).click()
    page.wait_for_url(re.compile(r"/phieu/$"))
    radios = page.locator("input[type=radio][value=dong_y]")
    for i in range(radios.count() - 1):
        radios.nth(i).check()
    page.locator("input[type=radio][value=vang]").last.check()
    page.get_by_role("button", name="Ghi phiếu").click()
    page.get_by_text("Đã ghi 5 phiếu.").wait_for()
    shoot(page, "votes")

    page.goto(f"/danh-gia/CDCS-A/{YEAR}/binh-xet/")
    review = Review.objects.get(unit=w.cdcs_a, year=YEAR)
    for m in review.council.members.order_by("pk"):
        page.locator("select[name=phieu-member]").select_option(str(m.pk))
        page.locator("select[name=phieu-choice]").select_option("dong_y")
        page.get_by_role("button", name="Ghi phiếu").click()
        page.get_by_text(f"của {m.full_name}.").wait_for()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Kết thúc bỏ phiếu, ghi kết quả").click()
    page.get_by_text("Bình xét chuyển sang bước «Đã có kết quả»").wait_for()
    assert TitleResult.objects.filter(review=review).exists()
    shoot(page, "review-closed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biên bản (.docx)").click()
    assert download.value.suggested_filename == "bien-ban-binh-xet-CDCS-A-2024.docx"

    # results and a correction
    page.get_by_role("link", name="Kết quả, đính chính").click()
    page.locator("summary", has_text="Ghi đính chính").click()
    page.locator("select[name=action]").select_option("revoke")
    page.locator("input[name=who]").fill(people[1].cccd)
    page.locator("select[name=title]").select_option("LDTT")
    page.locator("textarea[name=reason]").fill("Phát hiện sai sót hồ sơ sau bình xét")
    page.get_by_role("button", name="Ghi đính chính").click()
    page.get_by_text("Đã hủy danh hiệu «Lao động tiên tiến».").wait_for()
    shoot(page, "results")

    # grading
    from thidua.evaluation import services

    services.grading_template_create(
        actor=w.officer_above, issuer=w.cdvc, year=YEAR, name="Bảng điểm CĐCS năm 2024",
        scale="moi", criteria=[("C1", "Đại diện, bảo vệ", "Chăm lo, bảo vệ quyền lợi", 40),
                               ("C2", "Tổ chức", "Xây dựng tổ chức công đoàn", 35),
                               ("C3", "Khác", "Tuyên truyền và hoạt động khác", 25)],
        thresholds=[{"label": "HTXSNV", "min_points": 85, "min_criterion_share": 0.5},
                    {"label": "HTTNV", "min_points": 70}, {"label": "HTNV", "min_points": 50}],
        source="HD 1294/HD-TLĐ", confidence="G")
    page.goto(f"/danh-gia/CDCS-A/{YEAR}/cham-diem/")
    for code, value in (("C1", "36"), ("C2", "31"), ("C3", "11")):
        page.get_by_label(f"Điểm tiêu chí {code}").fill(value)
    page.get_by_role("button", name="Chấm điểm và xếp loại").click()
    page.get_by_text("Đã chấm 78 điểm: CĐCS hoàn thành tốt nhiệm vụ.").wait_for()
    page.locator("summary", has_text="Vì sao").click()
    shoot(page, "grading")

    # a person's evaluation: why, and what is missing
    page.goto(f"/danh-gia/nguoi/{people[5].pk}/{YEAR}/")
    assert page.get_by_text("Chưa đủ điều kiện").count() > 0
    shoot(page, "person")


def test_a_leader_locks_and_a_member_reads_why(page: Any) -> None:
    w, people = seed()
    login(page, "lanhdao_hn")
    page.goto(f"/danh-gia/CDCS-A/{YEAR}/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Khóa số liệu năm 2024").click()
    page.get_by_text("Đã khóa số liệu năm 2024.").wait_for()
    assert page.locator("select[name^=r-]").count() == 0  # no inputs in a locked year
    shoot(page, "locked")

    page.context.clear_cookies()
    login(page, "doanvien")
    page.goto("/danh-gia/")
    page.wait_for_url(re.compile(rf"/danh-gia/nguoi/{w.member.pk}/"))
    assert page.get_by_text("Đủ điều kiện").count() > 0
    shoot(page, "member-why")


def test_a_2017_grading_on_its_scale_and_the_year_choice(page: Any) -> None:
    """Issue 8: 2017 is graded "vững mạnh, khá, trung bình, yếu" (the labels before
    HD 1294/HD-TLĐ); the header's year select goes to another year's same page."""
    from thidua.evaluation import services

    w, _people = seed()
    services.grading_template_create(
        actor=w.officer_above, issuer=w.cdvc, year=2017, name="Bảng điểm CĐCS năm 2017",
        scale="cu", criteria=[("C1", "Đại diện, bảo vệ", "Chăm lo, bảo vệ quyền lợi", 40),
                              ("C2", "Tổ chức", "Xây dựng tổ chức công đoàn", 35),
                              ("C3", "Khác", "Tuyên truyền và hoạt động khác", 25)],
        thresholds=[{"label": "vung_manh", "min_points": 85, "min_criterion_share": 0.5},
                    {"label": "kha", "min_points": 70}, {"label": "trung_binh", "min_points": 50}],
        source="Thang xếp loại CĐCS vững mạnh", confidence="C")
    login(page, "canbo_cdcs")
    page.goto("/danh-gia/CDCS-A/2017/cham-diem/")
    for code, value in (("C1", "36"), ("C2", "31"), ("C3", "21")):
        page.get_by_label(f"Điểm tiêu chí {code}").fill(value)
    page.get_by_role("button", name="Chấm điểm và xếp loại").click()
    page.get_by_text("Đã chấm 88 điểm: CĐCS vững mạnh.").wait_for()
    assert page.get_by_text("hoàn thành xuất sắc").count() == 0
    shoot(page, "grading-2017")
    select = page.locator("select#nam")
    assert {"Năm 2017", f"Năm {YEAR}"} <= set(select.locator("option").all_inner_texts())
    page.set_viewport_size(PHONE)
    page.locator(".page-head").screenshot(
        path=str(SCREENSHOTS / "evaluation-year-choice-phone.png"))
    page.set_viewport_size(DESKTOP)
    select.select_option(str(YEAR))
    page.wait_for_url(f"**/danh-gia/CDCS-A/{YEAR}/cham-diem/")
