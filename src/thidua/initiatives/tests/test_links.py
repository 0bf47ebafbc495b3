"""Every link an initiative's page shows opens for the viewer: a member sees the co-authors,
the council and its scoring sheet as plain text when those pages would answer 404."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from thidua.initiatives import services
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import council, submitted, vote
from thidua.testing import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_index")]


class _Links(HTMLParser):
    """The hrefs inside <main> (the page itself, not the menu)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.inside += 1
        href = dict(attrs).get("href")
        if self.inside and tag == "a" and href and href.startswith("/"):
            self.hrefs.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.inside -= 1


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture
def under_review(world):
    co_author = make_person(world.cdcs_a, "Trần Văn Đồng", actor=world.admin)
    ini = submitted(world, authors=[
        AuthorInput(person_id=world.member.pk, contribution=Decimal("60")),
        AuthorInput(person_id=co_author.pk, contribution=Decimal("40"))])
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, 3)
    return ini, review, co_author


@pytest.mark.parametrize("who", ["member_user", "officer_cdcs", "viewer"])
def test_every_link_on_the_initiative_page_opens(client, world, under_review, who):
    ini, review, co_author = under_review
    client.force_login(getattr(world, who))
    html = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    links = _links(html)
    assert links, "the page shows links"
    for href in links:
        assert client.get(href).status_code == 200, href
    if who == "member_user":
        # the member's own record opens; the co-author's, the council and its
        # scoring sheet do not, so they are names without links
        assert reverse("people:detail", args=[co_author.pk]) not in links
        assert reverse("initiatives:council", args=[review.council_id]) not in links
        assert "Trần Văn Đồng" in html and review.council.name in html
    if who == "officer_cdcs":
        assert reverse("initiatives:review", args=[review.pk]) in links
