"""The initiative pages in a real browser (Debian's Chromium through Playwright), with
screenshots of each page at desktop and phone width in screenshots/initiatives-*.png: an officer
writes an application (authors table with a live total, the novelty panel fed as they type),
submits it, puts it before the council, scores and votes, records the recognition and prints
the certificate; the counts; a member's own list on a phone.

Chromium, the page and the screenshots: thidua.testing_browser. The novelty panel uses
thidua.initiatives.similarity when it is installed, else the test's tiny stand-in with the same
interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from thidua.councils.models import Role
from thidua.demo.initiatives_data import FIELDS, INITIATIVES
from thidua.initiatives import novelty, services
from thidua.initiatives.models import Level, Status, UseKind
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests import fake_similarity
from thidua.platform.text import fold
from thidua.testing import make_person, make_world
from thidua.testing_browser import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page: Any, name: str) -> None:
    screenshot(page, f"initiatives-{name}")

D = dt.date
NAMES = ["Trần Văn Hùng", "Lê Thị Lan", "Phạm Minh Tuấn", "Hoàng Thị Hạnh", "Vũ Quốc Sơn",
         "Đặng Thu Yến", "Bùi Hữu Dũng", "Đỗ Ngọc Trang", "Hồ Minh Khánh", "Ngô Thị Phương",
         "Phan Văn Lợi", "Chu Thị Mai"]


@pytest.fixture(autouse=True)
def similarity(monkeypatch: Any) -> Iterator[None]:
    try:
        novelty._similarity()
    except ImportError:
        monkeypatch.setattr(novelty, "_similarity", lambda: fake_similarity)
    novelty.forget_index()
    yield
    novelty.forget_index()


def seed() -> Any:
    """The shared world, a roster for CDCS-A, a council, and earlier initiatives of 2022–2023
    (recognised, some by the city) — in CDCS-A and, out of the officer's sight, in CDCS-B."""
    w = make_world()
    people = [make_person(w.to_a1 if i % 2 else w.cdcs_a, name,
                          gender="nu" if name.split()[1] in {"Thị", "Thu", "Ngọc"} else "nam",
                          birth=D(1972 + i, 1 + i % 12, 3), actor=w.admin)
              for i, name in enumerate(NAMES)]
    b_people = [make_person(w.cdcs_b, f"{n} B", birth=D(1980, 5, 1 + i), actor=w.admin)
                for i, n in enumerate(NAMES[:3])]
    council, _ = _council(w, people[7:12], 2023)
    _council(w, people[7:12], D.today().year)
    # (group, entry) of demo_data: the Tư pháp one is the idea the officer types again below;
    # CĐCS B, out of the officer's sight, holds a near copy of it
    picks = [(0, 0), (0, 1), (2, 0), (3, 1), (0, 4), (5, 1), (9, 2)]
    entries = [INITIATIVES[g][e] for g, e in picks] + [
        ("Tra cứu sổ chứng thực bản sao bằng phần mềm theo tên người yêu cầu", "tac_nghiep",
         "Sổ chứng thực ghi tay khó tra cứu. Sáng kiến ghi sổ chứng thực trên phần mềm, tự đánh "
         "số và tra cứu theo tên người yêu cầu, số giấy tờ.", "Tra cứu trong vài giây.", None),
        INITIATIVES[6][0]]
    for i, (title, kind, description, benefit, vnd) in enumerate(entries):
        in_b = i >= 7
        author = b_people[i % 3] if in_b else people[i % 6]
        ini = services.initiative_create(
            actor=w.officer_above if in_b else w.officer_cdcs, unit=w.cdcs_b if in_b else w.cdcs_a,
            year=2022 + i % 2, title=title.rstrip("*"), kind=kind, field=FIELDS[i % 5],
            description=description, benefit_author=benefit, benefit_expected_vnd=vnd,
            authors=[AuthorInput(person_id=author.pk, contribution=Decimal(100))])
        services.initiative_transition(actor=w.admin, initiative=ini, to=Status.SUBMITTED)
        if in_b:
            continue
        review = services.review_open(actor=w.officer_cdcs, council=council, initiative=ini)
        members = list(council.members.all())
        services.votes_record(actor=w.officer_cdcs, review=review,
                              votes={m.pk: "dong_y" for m in members})
        services.review_close(actor=w.officer_cdcs, review=review)
        services.recognition_create(actor=w.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 11, 20), decision_no="45/QĐ-STP",
                                    issuer="Giám đốc Sở Tư pháp thành phố Hà Nội", year=ini.year)
        if title.endswith("*"):
            services.recognition_create(
                actor=w.officer_cdcs, initiative=ini, level=Level.TINH, decided_on=D(2023, 12, 20),
                decision_no="6821/QĐ-UBND", issuer="Chủ tịch UBND thành phố Hà Nội")
            services.initiative_use_record(
                actor=w.officer_cdcs, initiative=ini, kind=UseKind.COMMENDATION,
                reference="Bằng khen của Chủ tịch UBND thành phố năm 2023", year=2023)
    return w, people


def _council(w: Any, people: list[Any], year: int) -> Any:
    c = services.council_create(actor=w.officer_cdcs, unit=w.cdcs_a, year=year,
                                name=f"Hội đồng sáng kiến Sở Tư pháp năm {year}",
                                decision_no=f"{year % 100}/QĐ-STP", established_on=D(year, 3, 1))
    roles = [Role.CHU_TICH, Role.DAI_DIEN_CD, Role.THU_KY,
             Role.CHUYEN_GIA, Role.UY_VIEN]
    positions = ["Phó Giám đốc Sở", "Chủ tịch Công đoàn Sở", "Chuyên viên Văn phòng Sở",
                 "Trưởng phòng Hành chính tư pháp", "Chánh Thanh tra Sở"]
    for p, role, pos in zip(people, roles, positions, strict=True):
        services.council_member_add(actor=w.officer_cdcs, council=c, person=p, role=role,
                                    position=pos)
    return c, people


def test_officer_path_with_screenshots(page: Any) -> None:
    w, people = seed()
    login(page, "canbo_cdcs")

    page.goto("/sang-kien/")
    expect(page.get_by_role("heading", name="Sáng kiến", exact=True)).to_be_visible()
    expect(page.locator(".sk-item")).to_have_count(7)
    shoot(page, "list")

    page.goto("/sang-kien/them/")
    page.get_by_label("Tên sáng kiến").fill("Sổ chứng thực bản sao điện tử tra cứu theo tên")
    page.get_by_label("Loại giải pháp").select_option("tac_nghiep")
    page.get_by_label("Lĩnh vực áp dụng").fill("Tư pháp, hộ tịch, chứng thực")
    page.get_by_label("Ngày áp dụng lần đầu hoặc áp dụng thử").fill("01/03/2024")
    page.get_by_label("Mô tả bản chất của sáng kiến").fill(
        "Sổ chứng thực ghi bằng tay, tra cứu phải lật từng trang. Sáng kiến lập sổ chứng thực "
        "điện tử tự đánh số, tra cứu theo tên người yêu cầu và số giấy tờ.")
    rows = page.locator("#bang-tac-gia [data-row]")
    # the person picker: type the name without diacritics, choose the result
    rows.nth(0).locator("input[type=search]").fill(fold(people[0].full_name))
    rows.nth(0).locator(".picker-choice").first.click()
    expect(rows.nth(0).locator("[data-person-chosen]")).to_contain_text(people[0].full_name)
    rows.nth(0).locator("[data-share]").fill("70")
    total = page.locator("#tong-ty-le")
    expect(total).to_contain_text("còn thiếu 30")
    page.get_by_role("button", name="+ Thêm tác giả").click()
    expect(rows).to_have_count(2)
    rows.nth(1).locator("[name$='full_name']").fill("Nguyễn Văn Cộng")
    rows.nth(1).locator("[data-share]").fill("30")
    expect(total).to_contain_text("đủ 100%")
    panel = page.locator("#tuong-tu")
    expect(panel.locator(".sk-similar-item").first).to_be_visible()
    expect(panel.locator("mark").first).to_be_visible()
    page.get_by_label("Lợi ích thu được (theo ý kiến của tác giả)").fill(
        "Thời gian tra cứu giảm từ 15 phút xuống dưới 1 phút.")
    shoot(page, "form")

    page.get_by_role("button", name="Nộp đơn").click()
    expect(page.locator(".messages")).to_contain_text("Đã nộp đơn")
    expect(page.locator(".steps li.current")).to_contain_text("Đã nộp")
    shoot(page, "detail")
    detail_url = page.url

    page.locator("#id_council").select_option(index=1)
    page.get_by_role("button", name="Chuyển Hội đồng xét").click()
    expect(page.get_by_role("heading", name="Phiếu chấm điểm")).to_be_visible()
    for i, box in enumerate(page.locator("input.input-num").all()):
        box.fill(str(20 + (i * 7) % 10))
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi phiếu chấm điểm")
    radios = page.locator(".choice-group")
    for i in range(radios.count()):
        radios.nth(i).get_by_label("Không đồng ý" if i == 4 else "Đồng ý", exact=True).check()
    page.locator("input[type=checkbox][name^='van-ban-']").nth(3).check()
    page.get_by_role("button", name="Lưu phiếu biểu quyết").click()
    expect(page.locator(".sk-result")).to_contain_text("4/5 thành viên đồng ý")
    shoot(page, "review")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(page.locator(".sk-result")).to_contain_text("Hội đồng thông qua")

    page.get_by_role("link", name="Hội đồng sáng kiến Sở Tư pháp năm").first.click()
    expect(page.locator("#thanh-vien")).to_contain_text("Thành viên (5)")
    shoot(page, "council")

    page.goto("/hoi-dong-sang-kien/")
    shoot(page, "councils")

    page.goto(detail_url)
    expect(page.locator("section[aria-labelledby=cong-nhan]")).to_contain_text(
        "Ghi quyết định công nhận")
    page.get_by_label("Số quyết định").fill("52/QĐ-STP")
    page.get_by_label("Ngày quyết định").fill(D.today().strftime("%d/%m/%Y"))
    page.get_by_label("Cơ quan, người ký quyết định").fill("Giám đốc Sở Tư pháp thành phố Hà Nội")
    page.get_by_role("button", name="Ghi công nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi công nhận cấp cơ sở")
    page.get_by_role("link", name="Số 0").first.click()
    expect(page.locator(".sk-certificate")).to_contain_text("GIẤY CHỨNG NHẬN")
    shoot(page, "certificate")

    page.context.clear_cookies()
    login(page, "canbo_captren")  # the level above: both CĐCS side by side
    page.goto(f"/sang-kien/thong-ke/?don_vi=CDVC-HN&tu_nam=2022&den_nam={D.today().year}")
    expect(page.locator(".sk-summary")).to_contain_text("cấp tỉnh, thành phố: 03")
    shoot(page, "counts")


def test_member_on_a_phone(page: Any) -> None:
    w, people = seed()
    services.initiative_create(
        actor=w.member_user, unit=w.to_a1, year=D.today().year,
        authors=[AuthorInput(person_id=w.member.pk, contribution=Decimal(100))],
        title="Mẫu công văn điện tử có sẵn trích yếu theo loại việc", kind="tac_nghiep",
        field="Công tác văn phòng", description="Bộ mẫu công văn cho 20 loại việc thường gặp.")
    page.set_viewport_size(PHONE)
    login(page, "doanvien")
    page.goto("/sang-kien/")
    expect(page.locator(".sk-item")).to_have_count(1)
    shoot(page, "member")
    page.goto("/sang-kien/them/")
    expect(page.locator("#bang-tac-gia")).to_contain_text("Trần Thị Ánh")
    expect(page.locator("#tong-ty-le")).to_contain_text("đủ 100%")
    shoot(page, "member-form")


FIRST_SCREENS = 900  # px from the top of a 390 px wide page: the first screen and a bit


def test_similarity_hints_sit_by_the_title_on_a_phone(page: Any) -> None:
    """The hints were 3.310 px down the application form on a phone; now they sit just under
    the title field (and near the title on the initiative's page)."""
    seed()
    page.set_viewport_size(PHONE)
    login(page, "canbo_cdcs")
    page.goto("/sang-kien/them/")
    page.get_by_label("Tên sáng kiến").fill("Tra cứu sổ chứng thực bản sao theo tên người yêu cầu")
    page.locator("[data-novelty='text']").fill(
        "Ghi sổ chứng thực trên phần mềm, tự đánh số và tra cứu theo tên người yêu cầu.")
    expect(page.locator("#tuong-tu")).to_contain_text("trở lên")
    page.evaluate("window.scrollTo(0, 0)")
    hints = page.locator("#tuong-tu").bounding_box()
    title = page.get_by_label("Tên sáng kiến").bounding_box()
    assert hints is not None and title is not None
    assert hints["y"] < FIRST_SCREENS, hints
    assert 0 < hints["y"] - (title["y"] + title["height"]) < 200, (title, hints)
    shoot(page, "form-hints")
    page.goto("/sang-kien/")
    page.locator(".sk-item a").first.click()
    page.wait_for_load_state()
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    panel = page.locator(".sk-novelty-top").bounding_box()
    assert panel is not None and panel["y"] < FIRST_SCREENS, panel
    shoot(page, "detail-hints")
