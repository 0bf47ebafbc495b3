"""The commendation pages in a real browser (Debian's Chromium through Playwright), with
screenshots in screenshots/honours-*.png: the officer of the level above votes on a proposal's
grid and closes the vote at 1280 px (the candidates' checks as coloured chips, their findings
written out on a phone); a member opens their own awards on a 390 px phone.

Chromium, the page and the screenshots: thidua.testing_browser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from thidua.honours import services
from thidua.honours.models import ProposalStatus
from thidua.honours.tests.conftest import SIGNED, council_of, draft, to_vote
from thidua.testing import make_world
from thidua.testing_browser import DESKTOP, PHONE, SCREENSHOTS, htmx_settled, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page: Any, name: str) -> None:
    screenshot(page, f"honours-{name}")

def test_officer_votes_on_the_proposal_page(page: Any) -> None:
    w = make_world()
    p = draft(w, people=3)
    services.deadline_set(actor=w.officer_above, recipient=w.cdvc, year=p.year, kind="nam",
                          last_day=dt.date.today() + dt.timedelta(days=30),
                          note="Công văn số 12/CĐVC")
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    services.proposal_step(actor=w.officer_above, proposal=p, action="receive")
    council = council_of(w, 3)
    services.proposal_council_set(actor=w.officer_above, proposal=p, council=council)
    services.proposal_step(actor=w.officer_above, proposal=p, action="review")
    login(page, "canbo_captren")
    page.goto(f"/khen-thuong/ho-so/{p.pk}/")
    expect(page.get_by_role("heading", name="Phiếu biểu quyết công khai")).to_be_visible()
    # at desktop width a chip shows its name; the finding is in its title (hover)
    chip = page.locator(".kt-chip").first
    expect(chip).to_have_attribute("title", chip.get_attribute("title") or "x")
    assert chip.locator(".kt-chip-text").bounding_box()["width"] <= 1
    for select in page.locator(".kt-grid select").all():
        select.select_option("dong_y")
    page.locator(".kt-grid select").last.select_option("khong_dong_y")
    page.get_by_role("button", name="Ghi phiếu").click()
    expect(page.get_by_text("Đã ghi 9 phiếu.")).to_be_visible()
    shoot(page, "proposal-voting")
    page.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(page.locator(".subtitle .badge").first).to_have_text(
        ProposalStatus.VOTED.label)
    expect(page.get_by_role("heading", name="Ban hành quyết định")).to_be_visible()
    expect(page.get_by_text("Thông qua", exact=True).first).to_be_visible()
    shoot(page, "proposal-voted")
    # on a phone the chip's finding is written out
    page.set_viewport_size(PHONE)
    assert page.locator(".kt-chip-text").first.bounding_box()["width"] > 20
    page.set_viewport_size(DESKTOP)
    # the decision from the page
    page.locator("#id_signer_name").fill("Nguyễn Văn Chủ")
    page.get_by_role("button", name="Ban hành quyết định").click()
    expect(page.get_by_role("heading", name="Danh sách khen thưởng (3)")).to_be_visible()
    shoot(page, "decision")
    # the lists and the awards section of a person's page
    for url, name, heading in (
            ("/khen-thuong/ho-so/?tab=cho", "proposals", "Hồ sơ đề nghị khen thưởng"),
            ("/khen-thuong/quyet-dinh/", "decisions", "Quyết định khen thưởng"),
            ("/khen-thuong/so-khen-thuong/", "register", "Sổ khen thưởng"),
            (f"/nguoi-lao-dong/{w.member.pk}/", "person", "Khen thưởng")):
        page.goto(url)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        shoot(page, name)
    # a new proposal: choosing the unit fills the recipients over HTMX
    page.context.clear_cookies()
    login(page, "canbo_cdcs")
    page.goto("/khen-thuong/ho-so/them/")
    page.get_by_label("Đơn vị đề nghị").select_option("CDCS-A")
    expect(page.locator("#id_recipient option[value='CDVC-HN']")).to_have_count(1)
    htmx_settled(page)
    page.get_by_label("Gửi đến").select_option("CDVC-HN")
    expect(page.locator("#id_form option[value='GK_CAP_TREN']")).to_have_count(1)
    shoot(page, "proposal-new")


def test_member_sees_their_awards_on_a_phone(page: Any) -> None:
    w = make_world()
    p = to_vote(w, draft(w, people=2))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    later = draft(w, people=1, kind="dot_xuat", topic="Cứu người bị nạn")
    services.proposal_step(actor=w.officer_cdcs, proposal=later, action="submit")
    page.set_viewport_size(PHONE)
    login(page, "doanvien")
    page.goto("/khen-thuong/cua-toi/")
    expect(page.get_by_role("heading", name="Khen thưởng của tôi")).to_be_visible()
    expect(page.get_by_text(f"Quyết định số {d.number} ngày")).to_be_visible()
    expect(page.get_by_role("link", name="Tải giấy khen (PDF)")).to_be_visible()
    expect(page.get_by_text(ProposalStatus.SUBMITTED.label)).to_be_visible()
    assert "Lê Văn Số 1" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "honours-member-phone.png"), full_page=True)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    shoot(page, "member")
