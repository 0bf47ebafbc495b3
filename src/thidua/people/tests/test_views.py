"""The roster pages: list with search and filters, a person's page and its forms, adding a person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.people.models import Membership, MembershipStatus, Person
from thidua.people.services import membership_suspend
from thidua.platform import forms as platform_forms
from thidua.testing import cccd_for, datalist, make_person, make_unit

# the audit entry recording who read whole CCCD numbers: begin, last entry, insert, commit (and
# the advisory lock that serialises appends on PostgreSQL)
AUDIT_QUERIES = 5 if connection.vendor == "postgresql" else 4
# session, user, grants, unit, its version, the kept count (sort or walk the name index), the
# count of the filtered rows, page, 2 for the unit select (the user's subtrees at the day are
# read once for the page, `platform.reads`), and the audit entry; on PostgreSQL a name search
# reads its matches' ids once, run with JIT off (`SET LOCAL jit = off` before it), then sorts
# them for the page's rows (`roster_search_page`): one more than the list
LIST_QUERIES = 10 + AUDIT_QUERIES
SEARCH_QUERIES = LIST_QUERIES + (connection.vendor == "postgresql")
PERSON_PAGE_QUERIES = 8 + AUDIT_QUERIES


def _html(response) -> str:
    return response.content.decode()


def _rows(html: str) -> int:
    return html.count('<td class="name"')


# --- the list ----------------------------------------------------------------------------------

def test_list_asks_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_defaults_to_the_users_first_unit(client, world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    make_person(world.cdcs_b, "Lê Thị Mai", gender="nu", actor=world.admin)
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("people:list")))
    assert "Tổng: <strong>2</strong> người" in html
    assert "Nguyễn Văn Đức" in html and "Trần Thị Ánh" in html
    assert "Lê Thị Mai" not in html  # CDCS-B is outside CDCS-A's officer's scope


def test_list_search_ignores_diacritics_and_finds_codes_and_cccd(client, world):
    duc = make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    make_person(world.cdcs_a, "Nguyễn Văn Dũng", actor=world.admin)
    client.force_login(world.officer_cdcs)
    url = reverse("people:list")
    html = _html(client.get(url, {"q": "nguyen van duc"}))
    assert "Tổng: <strong>1</strong> người khớp với «nguyen van duc»" in html
    assert "Nguyễn Văn Đức" in html and "Nguyễn Văn Dũng" not in html
    assert _rows(_html(client.get(url, {"q": duc.member_code.lower()}))) == 1
    assert _rows(_html(client.get(url, {"q": duc.cccd[-6:]}))) == 1
    assert "Không tìm thấy ai khớp với «khong co ai»" in _html(client.get(url, {"q": "khong co ai"}))


def test_a_search_of_very_many_matches_says_more_than_and_stops_counting(client, world,
                                                                         monkeypatch):
    """A name search's count stops after SORTED_SEARCH_MAX matches (the nation's "thi" would
    count millions to print a number): the page says "more than" and asks for more of the
    name; the first page lists the first in name order all the same. At or under the bound the
    number is exact."""
    from thidua.people import selectors

    for name in ["Nguyễn Văn Đức", "Nguyễn Văn Dũng", "Nguyễn Văn An", "Lê Văn Bình"]:
        make_person(world.cdcs_a, name, actor=world.admin)
    client.force_login(world.officer_cdcs)
    url = reverse("people:list")
    monkeypatch.setattr(selectors, "SORTED_SEARCH_MAX", 3)
    html = _html(client.get(url, {"q": "van"}))
    assert "Có hơn <strong>3</strong> người khớp với «van»" in html
    assert "Gõ thêm họ, tên đệm hoặc chọn đơn vị nhỏ hơn để thu hẹp." in html
    assert "Tổng:" not in html
    assert _rows(html) == 3 and html.index("Nguyễn Văn An") < html.index("Lê Văn Bình")
    monkeypatch.setattr(selectors, "SORTED_SEARCH_MAX", 4)
    html = _html(client.get(url, {"q": "van"}))
    assert "Tổng: <strong>4</strong> người khớp với «van»" in html and _rows(html) == 4


def test_live_search_returns_only_the_results_part(client, world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    client.force_login(world.officer_cdcs)
    response = client.get(reverse("people:list"), {"q": "duc", "don_vi": "CDCS-A"},
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ket-qua")
    html = _html(response)
    assert "<html" not in html and 'id="loc"' not in html
    assert "Nguyễn Văn Đức" in html and "Tổng: <strong>1</strong>" in html


def test_list_filters_by_membership_status_and_gender(client, world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    make_person(world.cdcs_a, "Hoàng Văn Nam", member=False, actor=world.admin)
    hoa = make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", actor=world.admin)
    membership_suspend(actor=world.admin, person=hoa, date=dt.date(2024, 1, 1))
    client.force_login(world.officer_cdcs)
    url = reverse("people:list")

    def names(**params: str) -> set[str]:
        html = _html(client.get(url, params))
        return {n for n in ("Nguyễn Văn Đức", "Hoàng Văn Nam", "Phạm Thị Hoa", "Trần Thị Ánh")
                if n in html}

    assert names(trang_thai="member") == {"Nguyễn Văn Đức", "Phạm Thị Hoa", "Trần Thị Ánh"}
    assert names(trang_thai="active") == {"Nguyễn Văn Đức", "Trần Thị Ánh"}
    assert names(trang_thai="suspended") == {"Phạm Thị Hoa"}
    assert names(trang_thai="non_member") == {"Hoàng Văn Nam"}
    assert names(gioi_tinh="nu") == {"Phạm Thị Hoa", "Trần Thị Ánh"}
    assert names(gioi_tinh="nu", trang_thai="active") == {"Trần Thị Ánh"}
    html = _html(client.get(url, {"trang_thai": "suspended"}))
    assert '<span class="badge badge-suspended">Tạm dừng sinh hoạt</span>' in html


def test_list_masks_cccd_for_a_viewer_and_shows_it_to_an_officer(client, world):
    duc = make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    masked = "*********" + duc.cccd[-3:]
    client.force_login(world.viewer)
    html = _html(client.get(reverse("people:list"), {"don_vi": "CDCS-A"}))
    assert masked in html and duc.cccd not in html
    client.force_login(world.officer_above)
    html = _html(client.get(reverse("people:list"), {"don_vi": "CDCS-A"}))
    assert duc.cccd in html


def test_list_pages_by_fifty_with_the_total(client, world):
    for i in range(54):
        make_person(world.cdcs_b, f"Đỗ Văn Hải {i:02d}", member=False, actor=world.admin)
    client.force_login(world.officer_above)
    url = reverse("people:list")
    first = _html(client.get(url, {"don_vi": "CDCS-B"}))
    assert "Tổng: <strong>54</strong> người" in first
    assert _rows(first) == 50
    assert "trang=2" in first
    second = _html(client.get(url, {"don_vi": "CDCS-B", "trang": "2"}))
    assert _rows(second) == 4
    assert '<td class="num" data-label="STT">51</td>' in second
    assert _rows(_html(client.get(url, {"don_vi": "CDCS-B", "trang": "xyz"}))) == 50


def test_the_whole_rosters_total_is_the_kept_figure_not_a_count(client, world):
    """Unfiltered, the total is the kept figure (no COUNT(*) over a province's roster) and it is
    the number of rows the pages list, on any date; filtered, the list is counted."""
    from django.test.utils import CaptureQueriesContext

    from thidua.people.services import person_transfer

    people = [make_person(world.cdcs_b, f"Đỗ Văn Hải {i:02d}", member=i % 3 != 0,
                          start=dt.date(2020, 1, 1), actor=world.admin) for i in range(55)]
    person_transfer(actor=world.admin, person=people[0], to_unit=world.cdcs_a,
                    date=dt.date(2023, 1, 1))
    client.force_login(world.officer_above)
    url = reverse("people:list")
    for day, expected in (("31/12/2019", 0), ("31/12/2022", 55), ("", 54)):
        with CaptureQueriesContext(connection) as queries:
            first = _html(client.get(url, {"don_vi": "CDCS-B", "ngay": day}))
        assert not any("COUNT(*)" in q["sql"] for q in queries.captured_queries)
        assert f"Tổng: <strong>{expected}</strong> người" in first
        second = _html(client.get(url, {"don_vi": "CDCS-B", "ngay": day, "trang": "2"}))
        assert _rows(first) + (_rows(second) if expected > 50 else 0) == expected
    with CaptureQueriesContext(connection) as queries:
        members = _html(client.get(url, {"don_vi": "CDCS-B", "trang_thai": "member"}))
    assert any("COUNT(*)" in q["sql"] for q in queries.captured_queries)
    assert "Tổng: <strong>36</strong> người" in members


def test_list_numbers_the_total_the_vietnamese_way(client, world):
    for i in range(3):
        make_person(world.cdcs_b, f"Đỗ Văn Hải {i}", member=False, actor=world.admin)
    client.force_login(world.officer_above)
    # the STT cell and the total use vn_number; 1.000+ is covered by core.text's tests
    html = _html(client.get(reverse("people:list"), {"don_vi": "CDCS-B"}))
    assert "Tổng: <strong>3</strong> người" in html


@pytest.mark.parametrize("people", [3, 60])
def test_list_page_takes_the_same_queries_however_many_rows(
    client, world, django_assert_num_queries, people
):
    for i in range(people):
        make_person(world.cdcs_b, f"Đỗ Văn Hải {i:02d}", member=i % 2 == 0, actor=world.admin)
    client.force_login(world.officer_above)
    with django_assert_num_queries(SEARCH_QUERIES):
        html = _html(client.get(reverse("people:list"), {"don_vi": "CDCS-B", "q": "hai"}))
    assert _rows(html) == min(people, 50)


def test_a_search_gives_the_same_pages_and_number_whichever_way_it_is_read(
        client, world, monkeypatch):
    """On PostgreSQL a name search's page and its number come from its matches' ids, read
    once; they are the rows and the number the COUNT and the page gave (the other way, forced
    here), on every page, and a page past the last shows the last. A search that matches
    nobody says so."""
    from thidua.people import selectors
    from thidua.people.views import roster as roster_views

    for i in range(57):
        make_person(world.cdcs_b, f"Đỗ Văn Hải {i:02d}", member=i % 2 == 0, actor=world.admin)
    make_person(world.cdcs_b, "Trần Thị Lan", actor=world.admin)
    client.force_login(world.officer_above)

    def pages() -> list[str]:
        out = []
        for n in ("1", "2", "9", "x"):
            html = _html(client.get(reverse("people:list"),
                                    {"don_vi": "CDCS-B", "q": "hai", "trang": n}))
            told = "Tổng" if "Tổng" in html else "Có hơn"  # the number, or "more than"
            out.append(html.split("<tbody>")[1].split("</tbody>")[0] + html.split(told)[1][:60])
        return out

    from_ids = pages()
    assert "Trần Thị Lan" not in "".join(from_ids)
    assert "<strong>57</strong>" in from_ids[0]
    assert from_ids[2] == from_ids[1]  # page 9 of 2: the last
    monkeypatch.setattr(roster_views, "roster_search_page", lambda *a, **k: None)
    assert pages() == from_ids
    # more matches than the bound: walked, "more than" the bound; on PostgreSQL its
    # matches were read (up to the bound), so they are not counted a second time
    monkeypatch.setattr(selectors, "SORTED_SEARCH_MAX", 10)
    counted = pages()
    monkeypatch.setattr(roster_views, "roster_search_page", selectors.roster_search_page)
    with CaptureQueriesContext(connection) as over:
        html = _html(client.get(reverse("people:list"), {"don_vi": "CDCS-B", "q": "hai"}))
    # read now: the next request empties the query log
    statements = [q["sql"] for q in over.captured_queries]
    assert "Có hơn <strong>10</strong> người khớp" in html
    assert any("people_employment" in sql for sql in statements)
    counts = [sql for sql in statements if sql.startswith("SELECT COUNT(*)")]
    assert len(counts) == (connection.vendor != "postgresql")
    assert pages() == counted
    html = _html(client.get(reverse("people:list"), {"don_vi": "CDCS-B", "q": "khong ai ten nay"}))
    assert _rows(html) == 0 and "Tổng: <strong>0</strong>" in html


def test_list_unit_select_offers_the_top_two_levels_and_the_unit_shown(client, world):
    client.force_login(world.leader)
    html = _html(client.get(reverse("people:list"), {"don_vi": "TO-A1"}))
    assert '<option value="LDLD-HN">' in html and '<option value="CDVC-HN">' in html
    assert '<option value="CDCS-A">' not in html  # three levels down: reached from the tree
    assert '<option value="TO-A1" selected>' in html


def test_list_of_a_unit_outside_the_scope_is_not_found(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("people:list"), {"don_vi": "CDCS-A"}).status_code == 404
    assert client.get(reverse("people:list"), {"don_vi": "KHONG-CO"}).status_code == 404


def test_list_as_of_a_date(client, world):
    make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", start=dt.date(2019, 1, 1),
                actor=world.admin)
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("people:list"), {"don_vi": "CDCS-A", "ngay": "31/12/2018"}))
    assert "Phạm Thị Hoa" not in html
    assert "Tổng: <strong>1</strong> người tại ngày 31/12/2018" in html


def test_list_sends_a_member_account_to_its_own_page(client, world):
    client.force_login(world.member_user)
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[world.member.pk])


# --- a person's page ---------------------------------------------------------------------------

def test_person_page_shows_identity_and_history(client, world):
    person = world.member
    membership_suspend(actor=world.admin, person=person, date=dt.date(2023, 3, 1), note="Nghỉ ốm")
    client.force_login(world.officer_cdcs)
    response = client.get(reverse("people:detail", args=[person.pk]))
    html = _html(response)
    assert response.status_code == 200
    assert "<h1>Trần Thị Ánh" in html
    assert person.cccd in html  # an officer of the person's unit sees the whole number
    assert person.member_code in html
    assert "Tổ công đoàn Văn phòng" in html
    # two membership periods: joined 2010 until the suspension, suspended since
    assert '<td data-label="Từ ngày">01/01/2010</td>' in html
    assert '<td data-label="Đến ngày">01/03/2023</td>' in html
    assert '<td data-label="Bắt đầu do">Kết nạp</td>' in html
    assert '<td data-label="Kết thúc do">Tạm dừng sinh hoạt</td>' in html
    assert '<td data-label="Ghi chú">Nghỉ ốm</td>' in html
    assert "Sinh hoạt trở lại" in html and "Sửa thông tin cá nhân" in html


def test_person_page_for_a_viewer_masks_cccd_and_has_no_forms(client, world):
    client.force_login(world.viewer)
    html = _html(client.get(reverse("people:detail", args=[world.member.pk])))
    cccd = world.member.cccd
    assert "*********" + cccd[-3:] in html and cccd not in html
    assert "Sửa thông tin cá nhân" not in html


@pytest.mark.parametrize("user", ["outsider", "member_user"])
def test_person_page_outside_the_scope_is_not_found(client, world, user):
    other = make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    client.force_login(getattr(world, user))
    assert client.get(reverse("people:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("people:detail", args=[999999])).status_code == 404


def test_a_member_sees_their_own_page_and_lands_on_it(client, world):
    client.force_login(world.member_user)
    assert client.get("/")["Location"] == reverse("people:detail", args=[world.member.pk])
    html = _html(client.get(reverse("people:detail", args=[world.member.pk])))
    assert "(hồ sơ của bạn)" in html
    assert world.member.cccd in html  # their own number, in full
    assert "Sửa thông tin cá nhân" not in html


def test_person_page_asks_an_anonymous_visitor_to_log_in(client, world):
    response = client.get(reverse("people:detail", args=[world.member.pk]))
    assert response.status_code == 302


def test_person_page_query_count(client, world, django_assert_num_queries):
    client.force_login(world.officer_cdcs)
    # the person and history; the "Danh hiệu và đánh giá" section loads over HTMX (evaluation);
    # the audit entry of reading the whole CCCD; the transfer's units: a bounded count, then
    # every unit or the suggestions
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        client.get(reverse("people:detail", args=[world.member.pk]))


# --- editing -----------------------------------------------------------------------------------

def _edit_data(person: Person, **changes: object) -> dict[str, object]:
    data = {
        "sua-full_name": person.full_name, "sua-gender": person.gender,
        "sua-birth_date": person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "",
        "sua-cccd": person.cccd or "", "sua-ethnicity": person.ethnicity,
        "sua-position": person.position, "sua-phone": person.phone, "sua-email": person.email,
        "sua-version": person.version,
    }
    data.update({f"sua-{k}": v for k, v in changes.items()})
    return data


def test_officer_edits_identity(client, world):
    person = world.member
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("people:edit", args=[person.pk]),
                           _edit_data(person, position="Phó Chánh Văn phòng", phone="0912345678"),
                           follow=True)
    assert "Đã lưu thay đổi hồ sơ." in _html(response)
    person.refresh_from_db()
    assert person.position == "Phó Chánh Văn phòng"
    assert person.phone == "0912345678"
    assert person.version == 2


def test_edit_after_someone_elses_save_is_refused_and_keeps_the_typing(client, world):
    person = world.member
    stale = _edit_data(person, position="Trưởng phòng")
    client.force_login(world.officer_cdcs)
    client.post(reverse("people:edit", args=[person.pk]), _edit_data(person, phone="0900000000"))
    response = client.post(reverse("people:edit", args=[person.pk]), stale)
    html = _html(response)
    assert response.status_code == 200
    assert "Hồ sơ vừa được người khác sửa" in html
    assert 'value="Trưởng phòng"' in html
    assert '<details class="panel" id="sua" open>' in html
    person.refresh_from_db()
    assert person.position == "Chuyên viên" and person.phone == "0900000000"


def test_edit_errors_are_in_vietnamese_next_to_the_field(client, world):
    person = world.member
    client.force_login(world.officer_cdcs)
    html = _html(client.post(reverse("people:edit", args=[person.pk]),
                             _edit_data(person, full_name="", birth_date="31/02/1990",
                                        email="khong-phai-email")))
    assert "Hãy nhập họ và tên." in html
    assert "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm" in html
    assert "Địa chỉ thư điện tử không hợp lệ." in html
    assert 'value="31/02/1990"' in html
    # a CCCD that does not fit the birth date and gender: the service's message, at the field
    wrong = cccd_for(dt.date(1985, 1, 1), "nam")
    html = _html(client.post(reverse("people:edit", args=[person.pk]),
                             _edit_data(person, cccd=wrong)))
    assert 'id="id_sua-cccd-loi"' in html
    person.refresh_from_db()
    assert person.version == 1


def test_a_viewer_cannot_edit(client, world):
    client.force_login(world.viewer)
    response = client.post(reverse("people:edit", args=[world.member.pk]),
                           _edit_data(world.member, position="X"))
    assert response.status_code == 403
    assert "Cán bộ" in _html(response)
    world.member.refresh_from_db()
    assert world.member.position == "Chuyên viên"


def test_an_outsider_cannot_edit(client, world):
    client.force_login(world.outsider)
    response = client.post(reverse("people:edit", args=[world.member.pk]),
                           _edit_data(world.member, position="X"))
    assert response.status_code == 404


def test_edit_needs_post(client, world):
    client.force_login(world.officer_cdcs)
    assert client.get(reverse("people:edit", args=[world.member.pk])).status_code == 405


# --- transfer and membership -------------------------------------------------------------------

def test_officer_transfers_a_person(client, world):
    client.force_login(world.officer_above)
    response = client.post(reverse("people:transfer", args=[world.member.pk]), {
        "chuyen-to_unit": "CDCS-B", "chuyen-date": "01/07/2024", "chuyen-note": "QĐ 12",
    }, follow=True)
    assert "Đã chuyển sang «Công đoàn Sở Y tế»." in _html(response)
    current = world.member.memberships.get(valid_to__isnull=True)
    assert current.unit == world.cdcs_b
    assert current.valid_from == dt.date(2024, 7, 1)
    assert current.opened_by == "transfer"


def test_transfer_to_a_unit_out_of_reach_is_refused(client, world):
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("people:transfer", args=[world.member.pk]), {
        "chuyen-to_unit": "CDCS-B", "chuyen-date": "01/07/2024",
    })
    html = _html(response)
    assert "Lựa chọn không hợp lệ" in html  # CDCS-B is not offered to CDCS-A's officer
    assert world.member.employments.get(valid_to__isnull=True).unit == world.to_a1


def test_a_wide_scope_types_the_transfer_units_code(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` units the person page's transfer takes a typed code (suggested: the
    scope's two top levels, less the person's own unit) instead of a select of every unit of a
    province on every visit."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    make_unit("TO-B1", "to_cd", world.cdcs_b, name="Tổ công đoàn Khoa Nội")
    person = make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    client.force_login(world.officer_above)  # CDVC-HN, CDCS-A, TO-A1, CDCS-B, TO-B1
    url = reverse("people:transfer", args=[person.pk])
    page = _html(client.get(reverse("people:detail", args=[person.pk])))
    assert '<select name="chuyen-to_unit"' not in page and 'list="to_unit-goi-y"' in page
    suggested = datalist(page, "to_unit-goi-y")
    assert 'value="CDVC-HN"' in suggested and 'value="CDCS-B"' in suggested
    assert 'value="CDCS-A"' not in suggested  # where the person already is
    assert "TO-A1" not in suggested and "TO-B1" not in suggested
    for code, message in [
        ("cdcs-c", "Không có đơn vị mã «CDCS-C» trong các đơn vị bạn làm cán bộ."),
        ("khong-co", "Không có đơn vị mã «KHONG-CO» trong các đơn vị bạn làm cán bộ."),
        ("cdcs-a", "Người này đã thuộc «Công đoàn Sở Tư pháp»."),
    ]:
        # the person page answers its forms' refusals with 200, as its other forms do
        refused = client.post(url, {"chuyen-to_unit": code, "chuyen-date": "01/07/2024"})
        assert refused.status_code == 200
        html = _html(refused)
        assert html.count(message) == 1
        assert '<details class="panel" id="chuyen" open>' in html
    assert person.employments.get(valid_to__isnull=True).unit == world.cdcs_a
    # a code below the suggestions, typed in small letters
    response = client.post(url, {"chuyen-to_unit": "to-b1", "chuyen-date": "01/07/2024"},
                           follow=True)
    assert "Đã chuyển sang «Tổ công đoàn Khoa Nội»." in _html(response)
    assert person.employments.get(valid_to__isnull=True).unit.code == "TO-B1"


def test_the_person_page_reads_no_more_with_more_units(client, world, monkeypatch,
                                                       django_assert_num_queries):
    """The person page, the roster's most visited, offers the transfer's units in two bounded
    reads: a province's thousands of units are neither read nor sent."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    for i in range(1, 9):
        make_unit(f"TO-B{i}", "to_cd", world.cdcs_b, name=f"Tổ công đoàn số {i}")
    client.force_login(world.officer_above)
    url = reverse("people:detail", args=[world.member.pk])
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        page = _html(client.get(url))
    assert 'list="to_unit-goi-y"' in page and "TO-B" not in page


def test_transfer_with_an_early_date_shows_the_services_message(client, world):
    client.force_login(world.officer_above)
    html = _html(client.post(reverse("people:transfer", args=[world.member.pk]), {
        "chuyen-to_unit": "CDCS-B", "chuyen-date": "01/07/2009",
    }))
    assert "không hoạt động vào ngày 01/07/2009" in html
    assert '<details class="panel" id="chuyen" open>' in html


def test_membership_suspend_resume_and_leave(client, world):
    person = world.member
    client.force_login(world.officer_cdcs)
    url = reverse("people:membership", args=[person.pk])
    html = _html(client.post(url, {"suspend-action": "suspend", "suspend-date": "01/02/2024",
                                   "suspend-note": "Đi học dài hạn"}, follow=True))
    assert "Đã ghi tạm dừng sinh hoạt." in html
    assert person.memberships.get(valid_to__isnull=True).status == MembershipStatus.SUSPENDED
    html = _html(client.post(url, {"resume-action": "resume", "resume-date": "01/02/2025"},
                             follow=True))
    assert "Đã ghi sinh hoạt trở lại." in html
    html = _html(client.post(url, {"leave-action": "leave", "leave-date": "01/03/2025"},
                             follow=True))
    assert "Đã ghi ra khỏi tổ chức Công đoàn." in html
    assert not person.memberships.filter(valid_to__isnull=True).exists()
    assert "Kết nạp vào Công đoàn" in html  # the one action left


def test_membership_join_of_a_worker(client, world):
    worker = make_person(world.cdcs_a, "Hoàng Văn Nam", member=False, actor=world.admin)
    client.force_login(world.officer_cdcs)
    html = _html(client.post(reverse("people:membership", args=[worker.pk]),
                             {"join-action": "join", "join-date": "15/03/2024"}, follow=True))
    assert "Đã kết nạp vào Công đoàn." in html
    worker.refresh_from_db()
    assert worker.member_code
    assert Membership.objects.get(person=worker).valid_from == dt.date(2024, 3, 15)


def test_membership_action_refused_by_the_service_is_shown(client, world):
    client.force_login(world.officer_cdcs)
    html = _html(client.post(reverse("people:membership", args=[world.member.pk]),
                             {"suspend-action": "suspend", "suspend-date": "01/01/2010"}))
    assert "Giai đoạn hiện tại bắt đầu đúng ngày này" in html
    assert '<details class="panel" id="membership-suspend" open>' in html


def test_a_viewer_cannot_change_membership(client, world):
    client.force_login(world.viewer)
    response = client.post(reverse("people:membership", args=[world.member.pk]),
                           {"suspend-action": "suspend", "suspend-date": "01/02/2024"})
    assert response.status_code == 403
    assert world.member.memberships.get(valid_to__isnull=True).status == MembershipStatus.ACTIVE


# --- adding a person ---------------------------------------------------------------------------

def _create_data(**changes: object) -> dict[str, object]:
    data = {"unit": "TO-A1", "full_name": "  Nguyễn   Thị Thu  ", "gender": "nu",
            "birth_date": "08/03/1992", "cccd": cccd_for(dt.date(1992, 3, 8), "nu", 777),
            "ethnicity": "Tày", "position": "Kế toán", "phone": "", "email": "",
            "start_date": "01/09/2023", "is_member": "on", "join_date": "01/10/2023"}
    data.update(changes)
    return data


def test_officer_adds_a_person(client, world):
    client.force_login(world.officer_cdcs)
    page = _html(client.get(reverse("people:create"), {"don_vi": "TO-A1"}))
    assert '<option value="TO-A1" selected>' in page
    response = client.post(reverse("people:create"), _create_data(), follow=True)
    person = Person.objects.get(full_name="Nguyễn Thị Thu")
    assert response.redirect_chain[-1][0] == reverse("people:detail", args=[person.pk])
    assert "Đã thêm Nguyễn Thị Thu vào «Tổ công đoàn Văn phòng»." in _html(response)
    assert person.ethnicity == "Tày" and person.member_code
    assert person.memberships.get().valid_from == dt.date(2023, 10, 1)


def test_add_errors_keep_what_was_typed(client, world):
    existing = world.member.cccd
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("people:create"),
                           _create_data(cccd=existing, birth_date="08/03/1990"))
    html = _html(response)
    # inside the officer's own scope the duplicate may be named
    assert "Số CCCD này đã có trong danh sách: Trần Thị Ánh" in html
    assert 'value="  Nguyễn   Thị Thu  "' in html or 'value="Nguyễn   Thị Thu"' in html
    assert 'value="Kế toán"' in html
    html = _html(client.post(reverse("people:create"),
                             _create_data(gender="", start_date="", unit="CDCS-B")))
    assert "Hãy chọn giới tính." in html
    assert "Hãy nhập ngày vào làm việc tại đơn vị." in html
    assert "Lựa chọn không hợp lệ" in html
    assert not Person.objects.filter(full_name__contains="Thu").exists()


def test_add_needs_an_officer(client, world):
    client.force_login(world.viewer)
    assert client.get(reverse("people:create")).status_code == 403
    assert client.post(reverse("people:create"), _create_data()).status_code == 403
    client.logout()
    assert client.get(reverse("people:create")).status_code == 302


def test_a_wide_scope_types_the_new_persons_units_code(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` units the unit of a new person is a typed code (suggested: the
    scope's two top levels); ?don_vi= still fills it in."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.officer_above)  # CDVC-HN, CDCS-A, TO-A1, CDCS-B
    url = reverse("people:create")
    page = _html(client.get(url, {"don_vi": "to-a1"}))
    assert '<select name="unit"' not in page and 'list="unit-goi-y"' in page
    assert 'value="TO-A1"' in page
    suggested = datalist(page, "unit-goi-y")
    assert 'value="CDVC-HN"' in suggested and "TO-A1" not in suggested
    # another branch's unit is not filled in
    assert 'value="CDCS-C"' not in _html(client.get(url, {"don_vi": "cdcs-c"}))
    for code in ("CDCS-C", "KHONG-CO"):  # another branch's unit; no unit's
        refused = client.post(url, _create_data(unit=code.lower()))
        assert refused.status_code == 400
        assert (f"Không có đơn vị mã «{code}» trong các đơn vị bạn làm cán bộ."
                in _html(refused))
    assert not Person.objects.filter(full_name="Nguyễn Thị Thu").exists()
    # a code below the suggestions, typed in small letters
    response = client.post(url, _create_data(unit="to-a1"))
    person = Person.objects.get(full_name="Nguyễn Thị Thu")
    assert response.status_code == 302
    assert person.employments.get().unit == world.to_a1


def test_add_into_a_unit_created_later_is_refused_in_vietnamese(client, world):
    make_unit("TO-A9", "to_cd", world.cdcs_a, name="Tổ công đoàn mới", day=dt.date(2024, 1, 1))
    client.force_login(world.officer_cdcs)
    html = _html(client.post(reverse("people:create"),
                             _create_data(unit="TO-A9", start_date="01/09/2023")))
    assert "không hoạt động vào ngày 01/09/2023" in html


