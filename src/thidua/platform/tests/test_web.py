import pytest
from django.core.paginator import Paginator

from thidua.platform.web import page_links


def test_page_links_show_ends_and_neighbours_with_gaps():
    page = Paginator(range(200), 10).get_page(10)
    links = page_links(page, lambda n: f"?trang={n}")
    numbers = [link.get("n", "…") for link in links]
    assert numbers == [1, "…", 8, 9, 10, 11, 12, "…", 20]
    assert [link for link in links if link.get("current")] == [
        {"n": 10, "url": "?trang=10", "current": True}]


def test_page_links_empty_for_one_page_or_none():
    assert page_links(Paginator(range(5), 10).get_page(1), str) == []
    assert page_links(None, str) == []


@pytest.mark.parametrize("code", ["CDVC-HN-01", "B-1", "TỔ 3 (cũ)", "a+b=c;d", "x0arg0x"])
@pytest.mark.parametrize("query", [{}, {"ngay": "2024-12-31"}, {"ngay": "", "q": "Hà Nội"}])
def test_url_maker_gives_what_reverse_gives(code: str, query: dict[str, str]) -> None:
    from django.urls import reverse

    from thidua.platform.web import url_maker, with_query

    expected = with_query(reverse("org:unit", args=[code]), query)
    assert url_maker("org:unit", query)(code) == expected
    assert url_maker("org:tree-children", query)(code) == with_query(
        reverse("org:tree-children", args=[code]), query)
    # arguments after the varying one (a dashboard's year)
    assert url_maker("reports:dashboard", query, then=(2024,))(code) == with_query(
        reverse("reports:dashboard", args=[code, 2024]), query)
