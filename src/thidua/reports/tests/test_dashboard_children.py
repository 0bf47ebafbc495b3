"""The dashboard's table of children when a cấp trên has many (session 40): a page of 50 rows,
sorted and filtered on the server, the page's other parts left out of an HTMX request, and the
same number of queries whatever the number of children."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.reports.dashboard import ChildRow
from thidua.reports.dashboard_page import CHILD_PAGE, ChildOrder, ordered_children
from thidua.reports.tests.helpers import YEAR, title
from thidua.reports.tests.test_dashboard import CHILDREN_PAGE_QUERIES
from thidua.testing import World, make_person, make_unit

URL_NAME = "reports:dashboard"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _url(code: str, **query: str) -> str:
    base = reverse(URL_NAME, args=[code, YEAR])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _names(html: str) -> list[str]:
    body = html.split('<table class="db-children"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row" data-sort="\d+"><a href="[^"]*">([^<]*)</a>', body)


def _row(code: str, name: str, workers: int, base: int = 0) -> ChildRow:
    return ChildRow(unit_id=0, code=code, name=name, type="cdcs", workers=workers, base=base)


# -- the order, without a database --------------------------------------------------------


ROWS = [_row("A", "Công đoàn Đức Giang", 5), _row("B", "Công đoàn Dũng Tiến", 9),
        _row("C", "Công đoàn Ánh Dương", 5), _row("D", "Công đoàn Bình Minh", 1)]


def _codes(order: ChildOrder) -> list[str]:
    return [r.code for r in ordered_children(ROWS, order)]


def test_tree_order_by_default_and_for_anything_unknown_in_the_address() -> None:
    assert _codes(ChildOrder()) == ["A", "B", "C", "D"]
    order = ChildOrder.from_query({"sap": "password", "chieu": "giam", "trang": "x"})
    assert (order.key, order.descending) == ("", False)
    assert _codes(order) == ["A", "B", "C", "D"]


def test_names_sort_in_vietnamese_order_d_before_dd() -> None:
    assert _codes(ChildOrder(key="ten")) == ["C", "D", "B", "A"]  # Ánh, Bình, Dũng, Đức
    assert _codes(ChildOrder(key="ten", descending=True)) == ["A", "B", "D", "C"]


def test_figures_sort_either_way_and_ties_keep_the_trees_order() -> None:
    assert _codes(ChildOrder(key="workers", descending=True)) == ["B", "A", "C", "D"]
    assert _codes(ChildOrder(key="workers")) == ["D", "A", "C", "B"]


def test_a_share_of_nothing_goes_last_whichever_the_direction() -> None:
    from thidua.reports.actuals import Actual
    rows = [_row("A", "A", 0), _row("B", "B", 0), _row("C", "C", 0)]
    rows[0].actuals["cdcs_phat_dong"] = Actual(value=None)
    rows[1].actuals["cdcs_phat_dong"] = Actual(value=50.0)
    rows[2].actuals["cdcs_phat_dong"] = Actual(value=100.0)
    for descending, expected in ((False, ["B", "C", "A"]), (True, ["C", "B", "A"])):
        got = ordered_children(rows, ChildOrder(key="launched_share", descending=descending))
        assert [r.code for r in got] == expected


def test_the_filter_matches_name_or_code_without_diacritics() -> None:
    assert _codes(ChildOrder(query="duc giang")) == ["A"]
    assert _codes(ChildOrder(query="  đức   GIANG ")) == ["A"]  # the address keeps it cleaned
    assert ChildOrder.from_query({"tim": "  đức   GIANG "}).query == "đức GIANG"
    assert _codes(ChildOrder(query="dung")) == ["B"]
    assert _codes(ChildOrder(query="b")) == ["B", "D"]  # B's code; Bình Minh
    assert _codes(ChildOrder(query="zzz")) == []


# -- the page, with the personas -------------------------------------------------------------


@pytest.fixture
def crowded(world: World) -> World:
    """CĐVC Hà Nội with CHILD_PAGE + 5 more CĐCS: the first of them with two workers."""
    w = world
    for i in range(CHILD_PAGE + 5):
        make_unit(f"CDCS-N{i:02d}", "cdcs", w.cdvc, name=f"Công đoàn Nhà máy {i:02d}")
    first = make_unit("CDCS-NHIEU", "cdcs", w.cdvc, name="Công đoàn Đông Người")
    for name in ("Trần Văn Một", "Trần Văn Hai"):
        title("LDTT", first, person=make_person(first, name, actor=w.admin))
    return w


@pytest.mark.django_db
def test_a_page_of_fifty_children_then_the_next(crowded: World) -> None:
    client = _client(crowded.officer_above)
    html = client.get(_url("CDVC-HN")).content.decode()
    names = _names(html)
    assert len(names) == CHILD_PAGE
    assert names[:2] == ["Công đoàn Sở Tư pháp", "Công đoàn Sở Y tế"]  # the tree's order
    total = CHILD_PAGE + 6 + 2
    assert f"{total} đơn vị · hiển thị 1–50, trang 1/2" in html
    assert 'aria-label="Phân trang"' in html and 'hx-target="#bang-truc-thuoc"' in html
    second = _names(client.get(_url("CDVC-HN", trang="2")).content.decode())
    assert len(second) == total - CHILD_PAGE
    assert not set(names) & set(second)
    # the rows keep counting across pages
    assert 'data-sort="51"' in client.get(_url("CDVC-HN", trang="2")).content.decode()


@pytest.mark.django_db
def test_sorted_by_a_figure_largest_first_then_reversed(crowded: World) -> None:
    client = _client(crowded.officer_above)
    html = client.get(_url("CDVC-HN")).content.decode()
    link = re.search(r'<th scope="col" class="num"><a href="([^"]*)"[^>]*>CBCCVCLĐ</a>', html)
    assert link and "sap=workers" in link[1] and "chieu=giam" in link[1]
    html = client.get(link[1].replace("&amp;", "&")).content.decode()
    assert _names(html)[0] == "Công đoàn Đông Người"
    assert 'aria-sort="descending"><a href="/bang-dieu-khien/CDVC-HN/2023/?sap=workers"' in html
    assert "Xếp lại theo thứ tự của cây" in html
    last = _names(client.get(_url("CDVC-HN", sap="workers", trang="2")).content.decode())[-1]
    assert last == "Công đoàn Đông Người"


@pytest.mark.django_db
def test_the_filter_keeps_the_sort_and_says_when_nothing_matches(crowded: World) -> None:
    client = _client(crowded.officer_above)
    html = client.get(_url("CDVC-HN", tim="nha may 0", sap="ten", chieu="giam")).content.decode()
    assert _names(html) == [f"Công đoàn Nhà máy {i:02d}" for i in range(9, -1, -1)]
    assert "10/58 đơn vị khớp với «nha may 0»" in html
    assert 'name="sap" value="ten"' in html  # the form keeps the order
    html = client.get(_url("CDVC-HN", tim="<b>zzz</b>")).content.decode()
    assert "Không có đơn vị trực thuộc nào khớp với «&lt;b&gt;zzz&lt;/b&gt;»" in html


@pytest.mark.django_db
def test_an_htmx_request_gets_the_table_alone_for_the_childrens_queries(crowded: World) -> None:
    client = _client(crowded.officer_above)
    headers = {"HX-Request": "true", "HX-Target": "bang-truc-thuoc"}
    with CaptureQueriesContext(connection) as part:
        response = client.get(_url("CDVC-HN", sap="ten"), headers=headers)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Chỉ tiêu và kết quả" not in html and len(_names(html)) == CHILD_PAGE
    # the request's own 4, then the children's rows; the unit's figures are not computed
    assert len(part.captured_queries) == 4 + CHILDREN_PAGE_QUERIES
    with CaptureQueriesContext(connection) as whole:
        client.get(_url("CDVC-HN", sap="ten"))
    # the whole page also computes the unit's own figures (`year_figures`: 12 queries more
    # here, the kept subtree sums and versions it shares with the children's rows read once)
    assert len(whole.captured_queries) >= len(part.captured_queries) + 10


@pytest.mark.django_db
def test_out_of_sight_stays_404_for_the_tables_request(crowded: World) -> None:
    headers = {"HX-Request": "true", "HX-Target": "bang-truc-thuoc"}
    response = _client(crowded.officer_cdcs).get(_url("CDVC-HN", sap="ten"), headers=headers)
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_whole_table_downloads_as_xlsx_in_the_pages_order(crowded: World) -> None:
    client = _client(crowded.officer_above)
    html = client.get(_url("CDVC-HN", sap="workers", chieu="giam")).content.decode()
    link = re.search(r'<a href="([^"]*don-vi-truc-thuoc\.xlsx[^"]*)" download>', html)
    assert link and "sap=workers" in link[1]
    response = client.get(link[1].replace("&amp;", "&"))
    assert response.status_code == 200
    assert "don-vi-truc-thuoc-CDVC-HN-2023.xlsx" in response["Content-Disposition"]
    rows = _xlsx_rows(response.content)
    assert rows[0][0] == "Đơn vị trực thuộc năm 2023 – Công đoàn Viên chức thành phố Hà Nội"
    head = rows.index(next(r for r in rows if r and r[0] == "STT"))
    body = [r for r in rows[head + 1:] if r and r[0] != ""]
    assert len(body) == CHILD_PAGE + 6 + 2  # every child, not the page's fifty
    assert body[0][2] == "Công đoàn Đông Người" and body[0][4] == 2  # workers, a number
    assert rows[head][4] == "CBCCVCLĐ"


@pytest.mark.django_db
def test_the_download_is_404_out_of_sight(crowded: World) -> None:
    url = reverse("reports:dashboard-children-xlsx", args=["CDVC-HN", YEAR])
    assert _client(crowded.officer_cdcs).get(url).status_code == 404
    assert _client(crowded.officer_cdcs).get(
        reverse("reports:dashboard-children-xlsx", args=["NO-SUCH", YEAR])).status_code == 404


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    import io

    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    return [[int(v) if isinstance(v, float) and v.is_integer() else v for v in row]
            for row in sheet.to_python()]
