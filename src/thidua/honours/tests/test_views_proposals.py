"""The proposal pages with personas: the CĐCS officer who sends, the officer above who receives,
votes and decides, the sibling's officer (outside: the same 404), the member named on it. The
list's query count is pinned, its .xlsx read back; every step form posts the step it saw, and a
conflict answers with the workflow's message while keeping what was typed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from thidua.honours import services
from thidua.honours.models import Award, Candidate, Deadline, Proposal, ProposalStatus
from thidua.honours.tests.conftest import YEAR, council_of, draft, to_vote
from thidua.platform import forms as platform_forms
from thidua.platform.workflow import CONFLICT
from thidua.testing import World

pytestmark = pytest.mark.django_db
S = ProposalStatus


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _xlsx(response: Any) -> list[list[Any]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return wb.get_sheet_by_index(0).to_python()


def test_list_tabs_for_sender_and_receiver(world: World) -> None:
    w = world
    p = draft(w, people=1)
    sent = services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    assert sent.status == S.SUBMITTED
    url = reverse("honours:proposals")
    mine = _client(w.officer_cdcs).get(url)
    assert mine.status_code == 200 and p.title in mine.content.decode()
    waiting = _client(w.officer_above).get(url, {"tab": "cho"}).content.decode()
    assert p.title in waiting
    # the sender has nothing waiting as a receiver; the sibling's officer sees nothing at all
    assert p.title not in _client(w.officer_cdcs).get(url, {"tab": "cho"}).content.decode()
    assert p.title not in _client(w.outsider).get(url).content.decode()
    # filters
    assert p.title not in _client(w.officer_cdcs).get(
        url, {"trang_thai": S.DRAFT}).content.decode()


def test_list_query_count_does_not_grow(world: World, django_assert_max_num_queries: Any
                                        ) -> None:
    w = world
    for _ in range(2):
        draft(w, people=1)
    client = _client(w.officer_above)
    url = reverse("honours:proposals")
    client.get(url)  # warm the catalogue cache
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    few = len(small.captured_queries)
    assert few > 2
    for _ in range(6):
        draft(w, people=2)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_list_exports_xlsx(world: World) -> None:
    w = world
    p = draft(w, people=2)
    rows = _xlsx(_client(w.officer_cdcs).get(reverse("honours:proposals"), {"xuat": "xlsx"}))
    assert rows[0][0] == "DANH SÁCH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG"
    header = rows[3]
    assert header[:4] == ["STT", "Số hồ sơ", "Năm", "Đơn vị đề nghị"]
    data = rows[4]
    assert data[1] == p.pk and data[2] == YEAR and data[3] == w.cdcs_a.name
    assert data[header.index("Số người, tập thể")] == 2
    assert data[header.index("Trạng thái")] == "Dự thảo"


def test_create_form_offers_the_recipients_and_makes_a_draft(world: World) -> None:
    w = world
    client = _client(w.officer_cdcs)
    url = reverse("honours:proposal-create")
    page = client.get(url, {"unit": "CDCS-A", "recipient": "CDVC-HN"}).content.decode()
    assert 'value="CDVC-HN"' in page and "GK_CAP_TREN" in page
    response = client.post(url, {"unit": "CDCS-A", "recipient": "CDVC-HN",
                                 "form": "GK_CAP_TREN", "kind": "nam", "year": YEAR})
    p = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{p.pk}/")
    assert p.unit == w.cdcs_a and p.recipient == w.cdvc and p.status == S.DRAFT
    # a topical proposal without its topic comes back with the message beside the field
    bad = client.post(url, {"unit": "CDCS-A", "recipient": "CDVC-HN", "form": "GK_CAP_TREN",
                            "kind": "chuyen_de", "year": YEAR})
    assert bad.status_code == 400 and "Hãy ghi chủ đề" in bad.content.decode()
    # the sibling's officer cannot file for CĐCS A
    assert _client(w.outsider).post(url, {"unit": "CDCS-A", "recipient": "CDVC-HN",
                                          "form": "GK_CAP_TREN", "kind": "nam",
                                          "year": YEAR}).status_code == 400
    assert Proposal.objects.count() == 1
    # a member without grants has no such page
    assert _client(w.member_user).get(url).status_code == 404


def test_page_shows_candidates_with_checks_and_scope(world: World) -> None:
    w = world
    p = draft(w, people=2)
    url = reverse("honours:proposal", args=[p.pk])
    page = _client(w.officer_cdcs).get(url).content.decode()
    assert "Trần Thị Ánh" in page and "Lê Văn Số 1" in page
    assert "kt-chip kt-chip-" in page  # the checks as chips
    assert "Gửi hồ sơ" in page and 'name="seen_status" value="du_thao"' in page
    assert "Thêm người hoặc tập thể" in page and "Thêm từ kết quả bình xét" in page
    # the level above sees it once submitted, the sibling never
    assert _client(w.outsider).get(url).status_code == 404
    assert _client(w.officer_above).get(url).status_code == 200
    assert "Tiếp nhận hồ sơ" not in _client(w.officer_above).get(url).content.decode()
    # the member named on it sees their own line only
    mine = _client(w.member_user).get(url).content.decode()
    assert "Trần Thị Ánh" in mine and "Lê Văn Số 1" not in mine
    assert "Quá trình xử lý" not in mine


def test_steps_post_the_status_seen_and_a_conflict_keeps_the_reason(world: World) -> None:
    w = world
    p = draft(w, people=1)
    sender, above = _client(w.officer_cdcs), _client(w.officer_above)
    step = reverse("honours:proposal-step", args=[p.pk])
    assert sender.post(step, {"action": "submit", "seen_status": S.DRAFT}).status_code == 302
    p.refresh_from_db()
    assert p.status == S.SUBMITTED
    # the receiver returns it without a reason: refused, page re-rendered
    r = above.post(step, {"action": "return", "seen_status": S.SUBMITTED, "reason": ""})
    assert r.status_code == 400 and "Hãy ghi lý do trả lại" in r.content.decode()
    # another officer received it meanwhile: the second page's return meets a conflict
    services.proposal_step(actor=w.officer_above, proposal=p, action="receive")
    r = above.post(step, {"action": "return", "seen_status": S.SUBMITTED,
                          "reason": "Thiếu báo cáo thành tích"})
    body = r.content.decode()
    assert r.status_code == 400 and CONFLICT in body
    assert "Thiếu báo cáo thành tích" in body  # nothing typed is lost
    p.refresh_from_db()
    assert p.status == S.RECEIVED
    # the sender may not take the receiver's step
    assert sender.post(step, {"action": "return", "seen_status": S.RECEIVED,
                              "reason": "Tự trả lại"}).status_code == 403
    # the sibling's officer gets the same 404 as for a missing proposal
    assert _client(w.outsider).post(step, {"action": "receive"}).status_code == 404


def test_candidates_added_edited_removed_and_dossier(world: World) -> None:
    w = world
    p = draft(w, people=0)
    client = _client(w.officer_cdcs)
    add = reverse("honours:candidate-add", args=[p.pk])
    r = client.post(add, {"person": w.member.pk, "achievement": "Hoàn thành xuất sắc",
                          "seen_status": S.DRAFT})
    assert r.status_code == 302
    c = Candidate.objects.get(proposal=p)
    assert c.person == w.member and c.checks
    again = client.post(add, {"person": w.member.pk, "seen_status": S.DRAFT})
    assert again.status_code == 400 and "đã có trong hồ sơ" in again.content.decode()
    too_long = client.post(add, {"person": w.member.pk, "achievement": "x" * 4001,
                                 "seen_status": S.DRAFT}).content.decode()
    assert too_long.count("Tối đa 4000 ký tự") == 1
    # a unit of the sender's subtree as a collective
    assert client.post(add, {"subject_unit": "TO-A1", "seen_status": S.DRAFT}
                       ).status_code in (302, 400)
    edit = reverse("honours:candidate-edit", args=[p.pk, c.pk])
    assert client.post(edit, {f"c{c.pk}-achievement": "Thành tích mới",
                              f"c{c.pk}-position": "Kế toán"}).status_code == 302
    c.refresh_from_db()
    assert c.achievement == "Thành tích mới" and c.position == "Kế toán"
    # the sibling's officer: the same 404 as for a missing proposal; a viewer above: refused
    assert _client(w.outsider).post(edit, {f"c{c.pk}-achievement": "x"}).status_code == 404
    assert _client(w.viewer).post(edit, {f"c{c.pk}-achievement": "x"}).status_code == 403
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
                             b"trailer<<>>\n%%EOF\n", content_type="application/pdf")
    r = client.post(reverse("honours:dossier-attach", args=[p.pk]),
                    {"kind": "to_trinh", "file": pdf, "seen_status": S.DRAFT})
    assert r.status_code == 302, r.content.decode()[:500]
    item = p.dossier.get()
    page = client.get(reverse("honours:proposal", args=[p.pk])).content.decode()
    assert "to-trinh.pdf" in page
    assert client.get(reverse("honours:dossier-download", args=[item.pk])).status_code == 200
    assert _client(w.outsider).get(reverse("honours:dossier-download", args=[item.pk])
                                   ).status_code == 404
    assert client.post(reverse("honours:dossier-remove", args=[p.pk, item.pk])
                       ).status_code == 302
    assert not p.dossier.exists()
    assert client.post(reverse("honours:candidate-remove", args=[p.pk, c.pk])
                       ).status_code == 302
    assert not Candidate.objects.filter(pk=c.pk).exists()


def test_council_votes_and_decision_through_the_pages(world: World) -> None:
    w = world
    p = draft(w, people=2)
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    above = _client(w.officer_above)
    page = reverse("honours:proposal", args=[p.pk])
    assert "Chọn hoặc lập Hội đồng" in above.get(page).content.decode()
    r = above.post(reverse("honours:proposal-council", args=[p.pk]),
                   {"name": "Hội đồng TĐKT 2024", "ballot": "open", "seen_status": S.SUBMITTED})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.council is not None
    member = reverse("honours:council-member", args=[p.pk])
    for name, role in (("Chủ tịch A", "chu_tich"), ("Thư ký B", "thu_ky"), ("Ủy viên C",
                                                                             "uy_vien")):
        assert above.post(member, {"full_name": name, "role": role}).status_code == 302
    step = reverse("honours:proposal-step", args=[p.pk])
    for action, seen in (("receive", S.SUBMITTED), ("review", S.RECEIVED)):
        assert above.post(step, {"action": action, "seen_status": seen}).status_code == 302
    p.refresh_from_db()
    assert p.status == S.REVIEWING
    body = above.get(page).content.decode()
    assert "Phiếu biểu quyết công khai" in body and "Đồng ý" in body
    members = list(p.council.members.order_by("order", "pk"))
    data: dict[str, str] = {"seen_status": S.REVIEWING}
    for i, c in enumerate(p.candidates.order_by("order")):
        for m in members:
            data[f"v-{c.subject_id}-{m.pk}"] = "dong_y" if i == 0 else "khong_dong_y"
    assert above.post(reverse("honours:proposal-votes", args=[p.pk]), data).status_code == 302
    assert above.post(step, {"action": "close_vote", "seen_status": S.REVIEWING}
                      ).status_code == 302
    p.refresh_from_db()
    assert p.status == S.VOTED
    body = above.get(page).content.decode()
    assert "Thông qua" in body and "Không thông qua" in body and "Ban hành quyết định" in body
    r = above.post(reverse("honours:proposal-decide", args=[p.pk]), {
        "date": "10/01/2025", "signer_name": "Nguyễn Văn Chủ", "signer_title": "Chủ tịch",
        "place": "Hà Nội", "seen_status": S.VOTED})
    award = Award.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("honours:decision",
                                                             args=[award.decision_id])
    assert award.recipient_name == "Trần Thị Ánh"
    # a second officer's stale page: the conflict message, no second decision
    stale = above.post(reverse("honours:proposal-decide", args=[p.pk]), {
        "date": "10/01/2025", "signer_name": "X", "signer_title": "Chủ tịch",
        "seen_status": S.VOTED})
    assert stale.status_code == 400 and CONFLICT in stale.content.decode()
    assert Award.objects.count() == 1


def test_secret_ballot_counts(world: World) -> None:
    w = world
    p = draft(w, people=1)
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    services.proposal_step(actor=w.officer_above, proposal=p, action="receive")
    council = council_of(w, 3, ballot="secret")
    services.proposal_council_set(actor=w.officer_above, proposal=p, council=council)
    services.proposal_step(actor=w.officer_above, proposal=p, action="review")
    c = p.candidates.get()
    above = _client(w.officer_above)
    assert "Kết quả kiểm phiếu kín" in above.get(
        reverse("honours:proposal", args=[p.pk])).content.decode()
    r = above.post(reverse("honours:proposal-votes", args=[p.pk]), {
        f"c-{c.pk}-for": "3", f"c-{c.pk}-against": "0", f"c-{c.pk}-absent": "0",
        "seen_status": S.REVIEWING})
    assert r.status_code == 302
    c.subject.refresh_from_db()
    assert c.subject.count_for == 3
    bad = above.post(reverse("honours:proposal-votes", args=[p.pk]), {
        f"c-{c.pk}-for": "ba", "seen_status": S.REVIEWING})
    assert bad.status_code == 400 and "phải là số nguyên" in bad.content.decode()
    # a form's own check is shown once, beside its field
    empty = above.post(reverse("honours:proposal-decide", args=[p.pk]),
                       {"seen_status": S.REVIEWING})
    assert empty.status_code == 400


def test_forward_opens_the_receivers_own_draft(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, form="BK_LDLD", people=1))
    r = _client(w.officer_above).post(reverse("honours:proposal-forward", args=[p.pk]),
                                      {"seen_status": S.VOTED})
    upper = Proposal.objects.get(forwarded_from=p)
    assert r.status_code == 302 and r["Location"] == reverse("honours:proposal",
                                                             args=[upper.pk])
    assert upper.unit == w.cdvc and upper.status == S.DRAFT


def test_deadlines_page(world: World) -> None:
    w = world
    client = _client(w.officer_above)
    url = reverse("honours:deadlines")
    r = client.post(url, {"recipient": "CDVC-HN", "year": YEAR, "kind": "nam",
                          "last_day": "15/12/2024", "note": "Công văn 12/CĐVC"})
    assert r.status_code == 302
    assert "15/12/2024" in client.get(url).content.decode()
    # the draft's page shows the deadline
    p = draft(w, people=1)
    body = _client(w.officer_cdcs).get(reverse("honours:proposal", args=[p.pk])).content.decode()
    assert "Hạn nộp 15/12/2024" in body and "đã quá" in body  # the tests run after 2024
    # once sent, the deadline is read against the day it was sent, not against today
    Proposal.objects.filter(pk=p.pk).update(status=S.SUBMITTED,
                                            submitted_on=dt.date(YEAR, 12, 10))
    body = _client(w.officer_cdcs).get(reverse("honours:proposal", args=[p.pk])).content.decode()
    assert "Hạn nộp 15/12/2024, đã gửi đúng hạn" in body and "đã quá" not in body
    Proposal.objects.filter(pk=p.pk).update(submitted_on=dt.date(YEAR, 12, 18))
    body = _client(w.officer_cdcs).get(reverse("honours:proposal", args=[p.pk])).content.decode()
    assert "Hạn nộp 15/12/2024, gửi trễ 3 ngày" in body
    # an officer of CĐCS A cannot set the level above's deadline
    assert _client(w.officer_cdcs).post(url, {"recipient": "CDVC-HN", "year": YEAR,
                                              "kind": "nam", "last_day": "15/12/2024"}
                                        ).status_code == 400
    assert _client(w.member_user).get(url).status_code == 404


def test_a_wide_scope_types_the_sending_units_and_the_deadlines_code(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond `UNIT_CHOICES` units an officer types the unit's code (suggested: the scope's two
    top levels): a province's officer at the nation's size had 3.000 units in the select, cut
    in tree order, so the later ones could not be chosen."""
    w = world
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client = _client(w.leader)  # LĐLĐ Hà Nội: 7 units
    url = reverse("honours:proposal-create")
    page = client.get(url).content.decode()
    assert '<select name="unit"' not in page and 'list="unit-goi-y"' in page
    suggested = page[page.index('<datalist id="unit-goi-y">'):]
    suggested = suggested[:suggested.index("</datalist>")]
    assert 'value="LDLD-HN"' in suggested and "CDCS-A" not in suggested
    # a code below the suggestions, typed in small letters, redraws the recipients
    redrawn = client.get(url, {"unit": "cdcs-a"}).content.decode()
    assert 'value="CDVC-HN"' in redrawn
    response = client.post(url, {"unit": "cdcs-a", "recipient": "CDVC-HN",
                                 "form": "GK_CAP_TREN", "kind": "nam", "year": YEAR})
    assert response.status_code == 302 and Proposal.objects.get().unit == w.cdcs_a
    # a code outside the units where the user is an officer
    stranger = client.post(url, {"unit": "TLD", "recipient": "TLD", "form": "BK_TLD",
                                 "kind": "nam", "year": YEAR})
    assert stranger.status_code == 400
    assert "Không có đơn vị mã «TLD» trong các đơn vị bạn làm cán bộ" in stranger.content.decode()
    assert Proposal.objects.count() == 1

    deadlines = reverse("honours:deadlines")
    assert 'list="recipient-goi-y"' in client.get(deadlines).content.decode()
    r = client.post(deadlines, {"recipient": "cdvc-hn", "year": YEAR, "kind": "nam",
                                "last_day": "15/12/2024"})
    assert r.status_code == 302
    assert Deadline.objects.get().recipient == w.cdvc
    refused = client.post(deadlines, {"recipient": "KHONG-CO", "year": YEAR, "kind": "nam",
                                      "last_day": "15/12/2024"})
    assert refused.status_code == 400
    assert "Không có đơn vị mã «KHONG-CO»" in refused.content.decode()


def test_a_wide_subtree_types_the_collective_candidates_code(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The collectives a proposal names were a select cut at 2.000 units of the sender's
    subtree (a province sending to the TLĐ has more): beyond `UNIT_CHOICES` the officer types
    the code, suggested the sender and the level below it, and one outside the subtree is
    refused by name."""
    from thidua.honours.services.proposals import forms_for_proposal

    w = world
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)  # CDVC-HN's subtree has 4
    form = forms_for_proposal(w.hn, dt.date(YEAR + 1, 1, 5))[0].code
    p = services.proposal_create(actor=w.officer_above, unit=w.cdvc, recipient=w.hn,
                                 year=YEAR, kind="nam", form=form)
    client = _client(w.officer_above)
    page = client.get(reverse("honours:proposal", args=[p.pk])).content.decode()
    assert 'list="subject_unit-goi-y"' in page
    suggested = page[page.index('<datalist id="subject_unit-goi-y">'):]
    suggested = suggested[:suggested.index("</datalist>")]
    assert 'value="CDCS-B"' in suggested and "TO-A1" not in suggested
    add = reverse("honours:candidate-add", args=[p.pk])
    r = client.post(add, {"subject_unit": "to-a1", "seen_status": S.DRAFT})
    assert r.status_code == 302
    assert Candidate.objects.get(proposal=p).subject_unit == w.to_a1
    sibling = client.post(add, {"subject_unit": "CDCS-C", "seen_status": S.DRAFT})
    assert sibling.status_code == 400
    assert ("Không có đơn vị mã «CDCS-C» trong các đơn vị thuộc đơn vị đề nghị"
            in sibling.content.decode())
    assert Candidate.objects.filter(proposal=p).count() == 1


def test_the_whole_trees_officer_lists_every_sent_proposal_without_a_path_condition(
        world: World) -> None:
    """An officer of every root sees every unit's proposals: the page leaves the condition on
    the sending unit's path out (it joined every proposal of the nation to its unit), and looks
    at the roots once for the page. A second root makes the condition count again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.accounts.services import role_grant_create
    from thidua.honours.selectors import holds_every_root
    from thidua.testing import SYSTEM, make_unit, make_user

    w = world
    p = draft(w, people=1)
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    tld_officer = make_user("canbo_tld")
    role_grant_create(actor=SYSTEM, user=tld_officer, unit=w.tld, role="officer")
    assert holds_every_root([w.tld.path]) and not holds_every_root([w.hn.path])
    client = _client(tld_officer)
    with CaptureQueriesContext(connection) as seen:
        html = client.get(reverse("honours:proposals")).content.decode()
    assert p.title in html
    statements = [q["sql"] for q in seen.captured_queries]
    assert not any("honours_proposal" in sql and "LIKE" in sql for sql in statements)
    assert sum('"org_unit"."depth" = 1' in sql for sql in statements) == 1
    make_unit("KHAC", "tld", name="Một cây đơn vị khác")
    assert not holds_every_root([w.tld.path])
    with CaptureQueriesContext(connection) as seen:
        html = client.get(reverse("honours:proposals")).content.decode()
    assert p.title in html
    assert any("honours_proposal" in q["sql"] and "LIKE" in q["sql"]
               for q in seen.captured_queries)
