"""The tree and unit pages: scope, dates, figures and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thidua.org.models import Unit
from thidua.org.services import (
    award_line_create,
    unit_dissolve,
    unit_merge,
    unit_move,
    unit_rename,
)
from thidua.testing import World, make_person, make_unit

TODAY_QUERIES_CHILDREN = 6  # session, user, grants, unit, its version, its children with their
# figures (a node of many children: a page of them, their ids then their figures, one more)


def _html(response) -> str:
    return response.content.decode()


def _department(w: World, n: int) -> None:
    """A union department under CDCS-A with `n` groups of one person each."""
    dept = make_unit("BP-X", "cd_bo_phan", w.cdcs_a, name="Công đoàn bộ phận Kế toán")
    for i in range(n):
        group = make_unit(f"TO-X{i}", "to_cd", dept, name=f"Tổ công đoàn số {i + 1}")
        make_person(group, f"Lê Văn Thành {i}", gender="nu" if i % 2 else "nam", actor=w.admin)


# --- the tree ----------------------------------------------------------------------------------

def test_tree_asks_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(reverse("org:tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_tree_shows_the_users_units_and_the_first_level_with_counts(client, world):
    make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", actor=world.admin)
    client.force_login(world.officer_above)
    html = _html(client.get(reverse("org:tree")))
    assert "Công đoàn Viên chức thành phố Hà Nội" in html
    assert "Công đoàn Sở Tư pháp" in html and "Công đoàn Sở Y tế" in html
    # CDCS-A's subtree: the world's member (in TO-A1) and Phạm Thị Hoa, both women and members
    assert "<b>2</b> người LĐ" in html and "<b>2</b> đoàn viên" in html and "<b>2</b> nữ" in html
    # nothing of a sibling branch, nothing above
    assert "Hai Bà Trưng" not in html
    assert "Liên đoàn Lao động Thành phố Hà Nội" not in html
    # TO-A1 is loaded on demand: it is not in the page yet
    assert "Tổ công đoàn Văn phòng" not in html
    assert reverse("org:tree-children", args=["CDCS-A"]) in html


TREE_QUERIES = 7  # session, user, grants, granted versions, then per root: its figures, its
# children with their figures and has-children markers (one query); and the user's ended units


@pytest.mark.parametrize("children", [2, 20])
def test_tree_page_takes_the_same_queries_however_many_children(
    client, world, django_assert_num_queries, children
):
    for i in range(children):
        make_unit(f"CDCS-N{i}", "cdcs", world.cdvc, name=f"Công đoàn cơ sở số {i + 1}")
    client.force_login(world.officer_above)
    with django_assert_num_queries(TREE_QUERIES):
        html = _html(client.get(reverse("org:tree")))
    assert f"Công đoàn cơ sở số {children}" in html


def test_a_name_with_markup_is_shown_as_text_in_the_tree_and_on_the_unit_page(client, world):
    """The nodes are drawn in Python (`nodes_html`), not by the template engine: their values
    must still be escaped."""
    make_unit("CDCS-X", "cdcs", world.cdvc, name='Công đoàn <script>alert("x")</script> & Co')
    client.force_login(world.officer_above)
    for url in (reverse("org:tree"), reverse("org:unit", args=["CDVC-HN"]),
                reverse("org:tree-children", args=["CDVC-HN"])):
        html = _html(client.get(url))
        assert "<script>alert" not in html, url
        assert "Công đoàn &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html, url


def test_tree_as_of_a_date_shows_names_then_and_hides_ended_units(client, world):
    gone = make_unit("CDCS-D", "cdcs", world.cdvc, name="Công đoàn Trường Cao đẳng Xây dựng")
    unit_dissolve(actor=None, unit=gone, date=dt.date(2018, 1, 1))
    unit_rename(actor=None, unit=world.cdcs_a, name="Công đoàn Sở Tư pháp Hà Nội",
                date=dt.date(2020, 1, 1))
    unit_merge(actor=None, sources=[world.cdcs_b], into=world.cdcs_a, date=dt.date(2021, 1, 1))
    client.force_login(world.officer_above)

    then = _html(client.get(reverse("org:tree"), {"ngay": "01/06/2015"}))
    assert "Công đoàn Trường Cao đẳng Xây dựng" in then
    assert "Công đoàn Sở Y tế" in then
    assert "Công đoàn Sở Tư pháp Hà Nội" not in then
    assert "như tại ngày <strong>01/06/2015</strong>" in then

    iso = _html(client.get(reverse("org:tree"), {"ngay": "2019-03-01"}))
    assert "Công đoàn Trường Cao đẳng Xây dựng" not in iso  # dissolved on 01/01/2018
    assert "Công đoàn Sở Y tế" in iso

    now = _html(client.get(reverse("org:tree")))
    assert "Công đoàn Sở Tư pháp Hà Nội" in now
    assert "Công đoàn Sở Y tế" not in now  # merged on 01/01/2021
    assert "Công đoàn Trường Cao đẳng Xây dựng" not in now


def test_tree_points_the_officer_of_an_ended_unit_to_its_last_day(client, world):
    # CĐVC ends on 01/07/2025 once its CĐCS have moved; its officer keeps the grant
    for cdcs in (world.cdcs_a, world.cdcs_b):
        unit_move(actor=None, unit=cdcs, new_parent=world.hbt, date=dt.date(2025, 7, 1))
    unit_dissolve(actor=None, unit=world.cdvc, date=dt.date(2025, 7, 1))
    client.force_login(world.officer_above)
    now = _html(client.get(reverse("org:tree")))
    assert "Không có đơn vị nào để hiển thị" in now
    assert "Công đoàn Viên chức thành phố Hà Nội</a>: kết thúc hoạt động từ ngày 01/07/2025" in now
    assert f'href="{reverse("org:tree")}?ngay=2025-06-30"' in now
    then = _html(client.get(reverse("org:tree"), {"ngay": "2025-06-30"}))
    assert "Công đoàn Sở Tư pháp" in then and "kết thúc hoạt động từ ngày" not in then
    # the ended unit's page links the reports of its last year-end, 2024, not this year's
    page = _html(client.get(reverse("org:unit", args=["CDVC-HN"])))
    assert reverse("reports:dashboard", args=["CDVC-HN", 2024]) in page
    assert "Báo cáo tổng kết năm 2024" in page
    earlier = _html(client.get(reverse("org:unit", args=["CDVC-HN"]), {"ngay": "2023-05-01"}))
    assert "Báo cáo tổng kết năm 2023" in earlier
    # the officer of a live unit is not told about anything
    client.force_login(world.leader)
    assert "kết thúc hoạt động từ ngày" not in _html(client.get(reverse("org:tree")))


def test_tree_explains_a_date_it_cannot_read(client, world):
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("org:tree"), {"ngay": "31/02/2020"}))
    assert "Ngày «31/02/2020» không hợp lệ" in html
    assert "Công đoàn Sở Tư pháp" in html  # today's tree instead


def test_tree_of_an_account_without_grants_is_empty(client, world):
    client.force_login(world.member_user)
    html = _html(client.get(reverse("org:tree")))
    assert "Không có đơn vị nào để hiển thị" in html
    assert "Công đoàn Sở Tư pháp" not in html


def test_expanding_a_node_returns_its_children_as_list_items(client, world):
    client.force_login(world.officer_above)
    response = client.get(reverse("org:tree-children", args=["CDCS-A"]), HTTP_HX_REQUEST="true")
    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert "Tổ công đoàn Văn phòng" in html
    assert "<b>1</b> người LĐ" in html


def test_expanding_a_node_outside_the_scope_is_not_found(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("org:tree-children", args=["CDCS-A"])).status_code == 404
    assert client.get(reverse("org:tree-children", args=["KHONG-CO"])).status_code == 404
    client.logout()
    assert client.get(reverse("org:tree-children", args=["CDCS-A"])).status_code == 302


@pytest.mark.parametrize("children", [2, 20])
def test_expanding_a_node_takes_the_same_queries_however_many_children(
    client, world, django_assert_num_queries, children
):
    _department(world, children)
    client.force_login(world.officer_cdcs)
    url = reverse("org:tree-children", args=["BP-X"])
    with django_assert_num_queries(TODAY_QUERIES_CHILDREN):
        html = _html(client.get(url))
    assert html.count('class="node"') == children
    assert f"Tổ công đoàn số {children}" in html


# --- the unit page -----------------------------------------------------------------------------

def test_unit_page_shows_name_chain_figures_children_issuers_and_history(client, world):
    make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", member=False, actor=world.admin)
    unit_rename(actor=None, unit=world.cdcs_a, name="Công đoàn Sở Tư pháp Hà Nội",
                date=dt.date(2020, 1, 1), decision="125/QĐ-CĐVC")
    cdvc_vn = make_unit("CDVC-VN", "cd_nganh_tw", world.tld, name="Công đoàn Viên chức Việt Nam")
    award_line_create(actor=None, unit=world.cdvc, issuer=cdvc_vn, valid_from=dt.date(2010, 1, 1))
    client.force_login(world.officer_above)

    html = _html(client.get(reverse("org:unit", args=["cdcs-a"])))
    assert "<h1>Công đoàn Sở Tư pháp Hà Nội</h1>" in html
    assert "Công đoàn cơ sở · Mã đơn vị <code>CDCS-A</code>" in html
    # the chain above: CDVC-HN is in the officer's scope (a link), LĐLĐ Hà Nội is not
    assert f'<a href="{reverse("org:unit", args=["CDVC-HN"])}">Công đoàn Viên chức' in html
    assert "<span>Liên đoàn Lao động Thành phố Hà Nội</span>" in html
    # two workers, one member (the world's), two women
    assert "<dt>Người lao động</dt><dd>2</dd>" in html
    assert "<dt>Đoàn viên</dt><dd>1</dd>" in html
    assert "<dt>Lao động nữ</dt><dd>2</dd>" in html
    assert "<span>Tổ công đoàn</span> <b>1</b>" in html
    assert "Tổ công đoàn Văn phòng" in html
    assert "01/01/2020</time> · <strong>Đổi tên</strong> · Quyết định số 125/QĐ-CĐVC" in html
    assert "<strong>Thành lập</strong>" in html
    assert "/nguoi-lao-dong/?don_vi=CDCS-A" in html
    assert "/nhap-danh-sach/?don_vi=CDCS-A" in html
    assert "/xuat-danh-sach/?don_vi=CDCS-A" in html

    issuers = _html(client.get(reverse("org:unit", args=["CDVC-HN"])))
    assert "Công đoàn Viên chức Việt Nam <span class=\"muted\">(CDVC-VN)</span>" in issuers
    assert "Liên đoàn Lao động Thành phố Hà Nội <span class=\"muted\">(LDLD-HN)</span>" in issuers


def test_unit_page_as_of_a_date_uses_that_days_name_and_figures(client, world):
    unit_rename(actor=None, unit=world.cdcs_a, name="Công đoàn Sở Tư pháp Hà Nội",
                date=dt.date(2020, 1, 1))
    make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", start=dt.date(2019, 1, 1),
                actor=world.admin)
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("org:unit", args=["CDCS-A"]), {"ngay": "31/12/2018"}))
    assert "<h1>Công đoàn Sở Tư pháp</h1>" in html
    assert "Tên hiện nay: Công đoàn Sở Tư pháp Hà Nội." in html
    assert "<dt>Người lao động</dt><dd>1</dd>" in html  # Hoa started in 2019

    before = _html(client.get(reverse("org:unit", args=["CDCS-A"]), {"ngay": "01/01/2005"}))
    assert "chưa thành lập hoặc đã chấm dứt hoạt động vào ngày 01/01/2005" in before


def test_unit_page_counts_units_below_by_type_in_vietnamese(client, world):
    client.force_login(world.leader)
    html = _html(client.get(reverse("org:unit", args=["LDLD-HN"])))
    assert "<span>Công đoàn cấp trên trực tiếp cơ sở</span> <b>2</b>" in html
    assert "<span>Công đoàn cơ sở</span> <b>3</b>" in html
    assert "<span>Tổ công đoàn</span> <b>1</b>" in html


def test_unit_page_offers_changes_only_to_officers(client, world):
    client.force_login(world.viewer)
    html = _html(client.get(reverse("org:unit", args=["CDCS-A"])))
    for officers_only in ("Thêm người lao động", "Nhập danh sách", "Xuất danh sách"):
        assert officers_only not in html
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("org:unit", args=["CDCS-A"])))
    for officers_only in ("Thêm người lao động", "Nhập danh sách", "Xuất danh sách"):
        assert officers_only in html


@pytest.mark.parametrize("user", ["outsider", "member_user", "officer_cdcs"])
def test_unit_page_outside_the_scope_is_not_found(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get(reverse("org:unit", args=["CDCS-B"])).status_code == 404
    assert client.get(reverse("org:unit", args=["KHONG-CO"])).status_code == 404


def test_unit_page_asks_an_anonymous_visitor_to_log_in(client, world):
    response = client.get(reverse("org:unit", args=["CDCS-A"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("children", [2, 20])
def test_unit_page_takes_the_same_queries_however_many_children(
    client, world, django_assert_num_queries, children
):
    _department(world, children)
    client.force_login(world.officer_cdcs)
    # the subtree's people and units: one query; the children with theirs: one query (kept
    # figures); the unit's version and its parent chain: one query; its history with the
    # units on each side: one query
    with django_assert_num_queries(9):
        html = _html(client.get(reverse("org:unit", args=["BP-X"])))
    assert f"Đơn vị trực thuộc trực tiếp ({children})" in html


def test_a_long_list_of_children_is_drawn_a_page_at_a_time(
    client, world, monkeypatch, django_assert_num_queries
):
    """A cấp trên lists hundreds of CĐCS: the page draws the first ones and a "Xem thêm" item
    that loads the next ones in its place (HTMX) or reopens the page with them (no script)."""
    monkeypatch.setattr("thidua.people.views.tree.CHILDREN_PAGE", 5)
    monkeypatch.setattr("thidua.people.views.tree.CHILDREN_SLACK", 1)
    _department(world, 12)
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("org:unit", args=["BP-X"])))
    assert "Đơn vị trực thuộc trực tiếp (12)" in html
    assert html.count('class="node"') == 5
    assert "Tổ công đoàn số 5<" in html and "Tổ công đoàn số 6<" not in html
    assert "Xem thêm 5 đơn vị (còn 7 trong 12)" in html
    more = reverse("org:tree-children", args=["BP-X"])
    assert f'hx-get="{more}?ngay=' in html and "tu=5" in html
    # the next page, as the button loads it: its rows, their figures, the next button
    day = dt.date.today().isoformat()
    with django_assert_num_queries(TODAY_QUERIES_CHILDREN + 1):  # the page's ids, then figures
        part = _html(client.get(more, {"ngay": day, "tu": 5}, HTTP_HX_REQUEST="true"))
    assert part.count('class="node"') == 5
    assert "Tổ công đoàn số 6<" in part and "Tổ công đoàn số 10<" in part
    assert "Tổ công đoàn số 5<" not in part and "Tổ công đoàn số 11<" not in part
    assert "<b>1</b> người LĐ" in part
    assert "Xem thêm 2 đơn vị (còn 2 trong 12)" in part
    last = _html(client.get(more, {"ngay": day, "tu": 10}, HTTP_HX_REQUEST="true"))
    assert last.count('class="node"') == 2 and "Xem thêm" not in last
    assert "Không có đơn vị" not in last
    # past the end: nothing, and not "no children"
    assert "Không có đơn vị" not in _html(client.get(more, {"ngay": day, "tu": 40}))
    # without a script: the unit page with the first ten
    html = _html(client.get(reverse("org:unit", args=["BP-X"]), {"tu": 5}))
    assert html.count('class="node"') == 10 and "Xem thêm 2 đơn vị" in html
    # a bad position is the first page
    html = _html(client.get(reverse("org:unit", args=["BP-X"]), {"tu": "abc"}))
    assert html.count('class="node"') == 5


def test_a_page_takes_the_last_few_children_rather_than_leave_them_for_the_next(
    client, world, monkeypatch
):
    monkeypatch.setattr("thidua.people.views.tree.CHILDREN_PAGE", 10)
    monkeypatch.setattr("thidua.people.views.tree.CHILDREN_SLACK", 2)
    _department(world, 12)
    client.force_login(world.officer_cdcs)
    html = _html(client.get(reverse("org:unit", args=["BP-X"])))
    assert html.count('class="node"') == 12 and "Xem thêm" not in html
    make_unit("TO-X12", "to_cd", Unit.objects.get(code="BP-X"), name="Tổ công đoàn số 13")
    html = _html(client.get(reverse("org:unit", args=["BP-X"])))
    assert html.count('class="node"') == 10 and "Xem thêm 3 đơn vị (còn 3 trong 13)" in html


def test_the_trees_first_level_is_drawn_a_page_at_a_time(client, world, monkeypatch):
    monkeypatch.setattr("thidua.people.views.tree.CHILDREN_PAGE", 2)
    monkeypatch.setattr("thidua.people.views.tree.CHILDREN_SLACK", 0)
    for i in range(3):
        make_unit(f"CDCS-N{i}", "cdcs", world.cdvc, name=f"Công đoàn cơ sở số {i + 1}")
    client.force_login(world.officer_above)
    html = _html(client.get(reverse("org:tree")))
    # CĐVC Hà Nội has 5 CĐCS: two drawn, then the button for the next two
    assert html.count('class="node"') == 3  # the root and two children
    assert "Xem thêm 2 đơn vị (còn 3 trong 5)" in html
    assert reverse("org:tree-children", args=[world.cdvc.code]) in html


def test_home_sends_a_viewer_to_the_tree(client, world):
    # an officer's home is "việc chờ tôi" (web/tests/test_pending.py); a viewer has no work
    client.force_login(world.viewer)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:tree")
