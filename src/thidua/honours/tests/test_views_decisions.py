"""Decisions, the awards register, a member's own page and the awards sections of the person's
and the unit's pages, with personas: the issuer's officer (CĐVC Hà Nội), the CĐCS officer whose
people were awarded, the sibling's officer, the member. Query counts pinned on the lists, .xlsx
read back with python-calamine."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from thidua.honours import selectors_pages, services
from thidua.honours.models import Award, Decision, DecisionKind
from thidua.honours.tests.conftest import SIGNED, YEAR, draft, to_vote
from thidua.platform import forms as platform_forms
from thidua.testing import World

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _decided(w: World, people: int = 2, topic: str = "") -> Decision:
    """A decision of CĐVC Hà Nội on a proposal of CĐCS A; with `topic`, an extraordinary one
    (the same people may be commended again for another deed)."""
    kind = "dot_xuat" if topic else "nam"
    p = to_vote(w, draft(w, people=people, kind=kind, topic=topic))
    return services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                   signed=SIGNED)


def _sheet(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    wb = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return wb.get_sheet_by_index(0).to_python()


def test_decision_page_lists_recipients_with_golden_book_and_cash(world: World) -> None:
    w = world
    d = _decided(w)
    awards = list(d.awards.order_by("golden_book_no"))
    Award.objects.filter(pk=awards[0].pk).update(cash_amount=1_170_000)
    body = _client(w.officer_cdcs).get(reverse("honours:decision", args=[d.pk])).content.decode()
    assert d.number in body and "Trần Thị Ánh" in body
    assert f">{awards[0].golden_book_no}<" in body
    assert "1.170.000 đ" in body
    # the CĐCS officer sees it (their people), but may not amend the issuer's decision
    assert "Thu hồi, đính chính" not in body
    assert "Thu hồi, đính chính" in _client(w.officer_above).get(
        reverse("honours:decision", args=[d.pk])).content.decode()
    assert _client(w.outsider).get(reverse("honours:decision", args=[d.pk])).status_code == 404


def test_revoke_and_correct_from_the_page(world: World) -> None:
    w = world
    d = _decided(w)
    first, second = list(d.awards.order_by("pk"))
    above = _client(w.officer_above)
    signed = {"date": "20/01/2025", "signer_name": "Nguyễn Văn Chủ", "signer_title": "Chủ tịch"}
    short = above.post(reverse("honours:decision-revoke", args=[d.pk]), {
        "th-awards": [first.pk], "th-reason": "ít", **{f"th-{k}": v for k, v in signed.items()}})
    assert short.status_code == 400 and "ít nhất 5 ký tự" in short.content.decode()
    r = above.post(reverse("honours:decision-revoke", args=[d.pk]), {
        "th-awards": [first.pk], "th-reason": "Khai man thành tích",
        **{f"th-{k}": v for k, v in signed.items()}})
    revoking = Decision.objects.get(kind=DecisionKind.THU_HOI)
    assert r.status_code == 302 and r["Location"] == reverse("honours:decision",
                                                             args=[revoking.pk])
    first.refresh_from_db()
    assert first.revoked and first.revoked_by == revoking
    body = above.get(reverse("honours:decision", args=[d.pk])).content.decode()
    assert "Đã thu hồi" in body and revoking.number in body
    r = above.post(reverse("honours:decision-correct", args=[d.pk]), {
        "dc-award": second.pk, "dc-recipient_name": "Lê Văn Số Một",
        "dc-reason": "Sai chính tả họ tên", **{f"dc-{k}": v for k, v in signed.items()}})
    assert r.status_code == 302
    second.refresh_from_db()
    assert second.recipient_name == "Lê Văn Số Một"
    assert "Đính chính" in above.get(reverse("honours:decision", args=[d.pk])).content.decode()
    # the CĐCS officer sees the decision but cannot revoke: refused with the reason
    assert _client(w.officer_cdcs).post(reverse("honours:decision-revoke", args=[d.pk]), {
        "th-awards": [second.pk], "th-reason": "Khai man thành tích",
        **{f"th-{k}": v for k, v in signed.items()}}).status_code in (400, 403)
    second.refresh_from_db()
    assert not second.revoked


def test_decision_list_scope_queries_and_xlsx(world: World,
                                              django_assert_max_num_queries: Any) -> None:
    w = world
    d = _decided(w)
    url = reverse("honours:decisions")
    client = _client(w.officer_cdcs)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        body = client.get(url).content.decode()
    few = len(small.captured_queries)
    assert few > 2
    assert d.number in body
    assert d.number not in _client(w.outsider).get(url).content.decode()
    for i in range(3):
        _decided(w, people=1, topic=f"Sự việc {i}")
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    rows = _sheet(client.get(url, {"xuat": "xlsx"}))
    assert rows[3][:3] == ["STT", "Số quyết định", "Ngày ký"]
    numbers = [r[1] for r in rows[4:]]
    assert d.number in numbers and len(numbers) == 4
    row = rows[4 + numbers.index(d.number)]
    assert row[rows[3].index("Số người, tập thể")] == 2
    assert str(row[2]).startswith("2025-01-10")  # a real date cell


def test_register_filters_pages_and_xlsx(world: World,
                                        django_assert_max_num_queries: Any) -> None:
    w = world
    d = _decided(w)
    award = d.awards.order_by("pk").first()
    assert award is not None
    Award.objects.filter(pk=award.pk).update(cash_amount=2_340_000)
    url = reverse("honours:register")
    client = _client(w.officer_cdcs)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        body = client.get(url).content.decode()
    few = len(small.captured_queries)
    assert few > 2
    assert "Trần Thị Ánh" in body and "Lê Văn Số 1" in body
    for i in range(3):
        _decided(w, people=2, topic=f"Sự việc {i}")
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    assert "Trần Thị Ánh" not in _client(w.outsider).get(url).content.decode()
    # filters: year, collective/individual, revoked, subtree unit
    assert "Trần Thị Ánh" not in client.get(url, {"nam": YEAR - 1}).content.decode()
    assert "Trần Thị Ánh" not in client.get(url, {"doi_tuong": "tap_the"}).content.decode()
    assert "Trần Thị Ánh" not in client.get(url, {"thu_hoi": "co"}).content.decode()
    assert "Trần Thị Ánh" in client.get(url, {"don_vi": "TO-A1"}).content.decode()
    assert client.get(url, {"don_vi": "CDCS-C"}).status_code == 404
    rows = _sheet(client.get(url, {"xuat": "xlsx", "don_vi": "CDCS-A"}))
    header = rows[3]
    assert header[1] == "Họ tên, tập thể" and "Tiền thưởng (đồng)" in header
    first = next(r for r in rows[4:] if r[1] == award.recipient_name)
    assert first[header.index("Tiền thưởng (đồng)")] == 2_340_000
    assert first[header.index("Năm")] == YEAR
    assert first[header.index("Số quyết định")] == d.number


def test_member_page_and_certificate_link(world: World) -> None:
    w = world
    d = _decided(w)
    mine = _client(w.member_user).get(reverse("honours:mine"))
    body = mine.content.decode()
    assert mine.status_code == 200 and d.number in body
    award = d.awards.get(person=w.member)
    assert reverse("honours:certificate-download", args=[award.pk]) in body
    assert "Lê Văn Số 1" not in body  # only their own
    # the certificate: theirs, as a one-page PDF, not others'
    other = d.awards.exclude(person=w.member).get()
    own = _client(w.member_user).get(reverse("honours:certificate-download", args=[award.pk]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert own.content.startswith(b"%PDF-")
    assert _client(w.member_user).get(reverse("honours:certificate-download",
                                              args=[other.pk])).status_code == 404
    assert _client(w.outsider).get(reverse("honours:certificate-download",
                                           args=[award.pk])).status_code == 404
    # an officer sees the register link for their unit
    assert "Khen thưởng của đơn vị tôi phụ trách" in _client(w.officer_cdcs).get(
        reverse("honours:mine")).content.decode()


def test_person_and_unit_sections(world: World) -> None:
    w = world
    d = _decided(w)
    client = _client(w.officer_cdcs)
    person_page = client.get(reverse("people:detail", args=[w.member.pk])).content.decode()
    assert reverse("honours:person-awards", args=[w.member.pk]) in person_page
    section = client.get(reverse("honours:person-awards", args=[w.member.pk]),
                         HTTP_HX_REQUEST="true").content.decode()
    assert d.number in section and "<html" not in section
    assert "<html" in client.get(reverse("honours:person-awards", args=[w.member.pk])
                                 ).content.decode()
    assert _client(w.outsider).get(reverse("honours:person-awards", args=[w.member.pk])
                                   ).status_code == 404
    unit_page = client.get(reverse("org:unit", args=["CDCS-A"])).content.decode()
    assert reverse("honours:unit-awards", args=["CDCS-A"]) in unit_page
    assert client.get(reverse("honours:unit-awards", args=["CDCS-A"])).status_code == 200


def test_pending_and_menu(world: World) -> None:
    w = world
    p = draft(w, people=1)
    services.deadline_set(actor=w.officer_above, recipient=w.cdvc, year=YEAR, kind="nam",
                          last_day=SIGNED.date.replace(year=2099))
    body = _client(w.officer_cdcs).get(reverse("pending")).content.decode()
    assert "Hồ sơ khen thưởng đang soạn hoặc bị trả lại" in body and "còn" in body
    assert "Khen thưởng" in body  # the menu entry
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    above = _client(w.officer_above).get(reverse("pending")).content.decode()
    assert "Hồ sơ khen thưởng chờ cấp mình xử lý" in above and p.title in above
    member_home = _client(w.member_user).get(reverse("honours:mine")).content.decode()
    assert "Khen thưởng của tôi" in member_home


def test_the_decisions_count_and_years_come_from_one_read_of_the_scope(world: World) -> None:
    """The list's count, its years and its issuers' select were four reads of the scope (a
    province's is a union of four id sets); the count now comes with the years, per year, and
    an issuer's filter is counted on its own."""
    w = world
    _decided(w)
    _decided(w, people=1, topic="Sự việc")
    for n, (issuer, year) in enumerate([(w.cdcs_a, YEAR - 1), (w.cdcs_b, YEAR - 1)]):
        Decision.objects.create(issuer=issuer, kind=DecisionKind.KHEN_THUONG, year=year,
                                number=f"{n + 1}/QĐ-CĐCS", date=SIGNED.date, form="GK_CDCS",
                                title="Khen thưởng", signer_name="A", signer_title="Chủ tịch")
    assert selectors_pages.decision_year_counts(w.leader) == {YEAR: 2, YEAR - 1: 2}
    assert selectors_pages.decision_year_counts(w.officer_cdcs) == {YEAR: 2, YEAR - 1: 1}
    client = _client(w.leader)
    url = reverse("honours:decisions")

    def counted(**query: Any) -> int:
        response = client.get(url, query)
        assert response.status_code == 200
        count: int = response.context["page"].paginator.count
        assert count == len(response.context["rows"])
        return count

    assert counted() == 4 and counted(nam=YEAR - 1) == 2 and counted(nam=YEAR - 5) == 0
    assert counted(co_quan="CDCS-B") == 1 and counted(co_quan="CDCS-B", nam=YEAR) == 0
    assert client.get(url).context["years"] == [YEAR, YEAR - 1]


def _issuers(user: Any) -> Any:
    return selectors_pages.decision_issuers(
        user, sum(selectors_pages.decision_year_counts(user).values()))


def test_a_wide_scope_types_the_issuers_code_with_the_levels_above_and_its_top_suggested(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A province's officer at the nation's size would get every CĐCS that issued a Giấy khen
    in one select (11.888 at a tenth of the nation): beyond `UNIT_CHOICES` units in scope the
    field takes a code, and suggests the issuers above the scope and at its two top levels."""
    w = world
    d = _decided(w)  # issued by CĐVC Hà Nội, depth 3
    own = Decision.objects.create(issuer=w.cdcs_a, kind=DecisionKind.KHEN_THUONG, year=YEAR,
                                  number="7/QĐ-CĐCS", date=SIGNED.date, form="GK_CDCS",
                                  title="Khen thưởng", signer_name="A", signer_title="Chủ tịch")
    Decision.objects.create(issuer=w.cdcs_b, kind=DecisionKind.KHEN_THUONG, year=YEAR,
                            number="8/QĐ-CĐCS", date=SIGNED.date, form="GK_CDCS",
                            title="Khen thưởng", signer_name="C", signer_title="Chủ tịch")
    url = reverse("honours:decisions")
    narrow = _client(w.leader).get(url).content.decode()
    assert '<select id="co_quan"' in narrow and f'<option value="{own.issuer.code}"' in narrow
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)  # 3 decisions: their issuers
    few = _issuers(w.leader)
    assert few.complete and {c for c, _ in few.choices} == {"CDVC-HN", "CDCS-A", "CDCS-B"}

    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 2)
    choices = _issuers(w.leader)
    assert not choices.complete
    assert [code for code, _ in choices.choices] == ["CDVC-HN"]  # not the CĐCS, a level below
    Decision.objects.create(issuer=w.tld, kind=DecisionKind.KHEN_THUONG, year=YEAR,
                            number="9/QĐ-TLĐ", date=SIGNED.date, form="BK_TLD", title="Khen thưởng",
                            signer_name="B", signer_title="Chủ tịch")
    assert [c for c, _ in _issuers(w.leader).choices] == [
        "TLD", "CDVC-HN"]  # the level above the scope first
    body = _client(w.leader).get(url).content.decode()
    assert '<select id="co_quan"' not in body and 'list="co_quan-goi-y"' in body
    assert '<option value="CDVC-HN">' in body and '<option value="CDCS-A">' not in body
    typed = _client(w.leader).get(url, {"co_quan": "cdcs-a"}).content.decode()
    assert own.number in typed and d.number not in typed
    assert 'value="CDCS-A"' in typed  # the typed code stays in the field


def test_the_registers_unit_filter_takes_a_typed_code_when_the_scope_is_wide(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = world
    _decided(w)
    url = reverse("honours:register")
    client = _client(w.leader)  # LĐLĐ Hà Nội: its cấp trên and their CĐCS below
    narrow = client.get(url).content.decode()
    assert '<select id="don_vi"' in narrow and '<option value="CDCS-A">' in narrow

    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    body = client.get(url).content.decode()
    assert '<select id="don_vi"' not in body and 'list="don_vi-goi-y"' in body
    suggested = body[body.index('<datalist id="don_vi-goi-y">'):body.index("</datalist>")]
    assert ('value="LDLD-HN"' in suggested and 'value="CDVC-HN"' in suggested
            and 'value="LDLD-HBT"' in suggested and "CDCS-A" not in suggested)
    typed = client.get(url, {"don_vi": "cdcs-a"})  # a code below the suggestions, typed
    assert typed.status_code == 200 and "Trần Thị Ánh" in typed.content.decode()
    assert 'value="CDCS-A"' in typed.content.decode()
    assert "Trần Thị Ánh" not in client.get(url, {"don_vi": "CDCS-B"}).content.decode()
