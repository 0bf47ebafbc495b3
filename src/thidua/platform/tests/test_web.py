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
