"""The list page: inside / outside / anonymous, the filters, and its query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import (
    new_initiative,
    outside_initiative,
    recognised,
    submitted,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_index")]


def test_list_inside_outside_anonymous(client, world):
    mine = submitted(world)
    theirs = outside_initiative(world)
    response = client.get(reverse("initiatives:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:list")).content.decode()
    assert mine.title in body and theirs.title not in body
    assert client.get(reverse("initiatives:list"), {"don_vi": "CDCS-C"}).status_code == 404
    client.force_login(world.outsider)
    body = client.get(reverse("initiatives:list")).content.decode()
    assert theirs.title in body and mine.title not in body


def test_a_member_sees_own_initiatives_only(client, world):
    mine = new_initiative(world, actor=world.member_user, unit=world.to_a1)
    other = new_initiative(world, title="Của người khác",
                           authors=[AuthorInput(full_name="Người Khác", contribution=100)])
    client.force_login(world.member_user)
    body = client.get(reverse("initiatives:list")).content.decode()
    assert mine.title in body and other.title not in body
    assert client.get(reverse("initiatives:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("initiatives:detail", args=[mine.pk])).status_code == 200


def test_list_filters(client, world):
    a = recognised(world)
    submitted(world, title="Nộp năm sau", year=2024)
    client.force_login(world.officer_cdcs)
    url = reverse("initiatives:list")
    assert "Nộp năm sau" not in client.get(url, {"nam": 2023}).content.decode()
    body = client.get(url, {"cap": "co_so"}).content.decode()
    assert a.title in body and "Nộp năm sau" not in body
    body = client.get(url, {"trang_thai": "submitted"}).content.decode()
    assert "Nộp năm sau" in body and a.title not in body
    body = client.get(url, {"q": "nop nam sau"}).content.decode()
    assert "Nộp năm sau" in body and a.title not in body
    body = client.get(url, {"don_vi": "TO-A1"}).content.decode()
    assert "Tổng: <strong>0</strong>" in body
    partial = client.get(url, {"q": "nop"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ket-qua")
    assert b"<html" not in partial.content and "Nộp năm sau" in partial.content.decode()


@pytest.mark.parametrize("n", [3, 12])
def test_list_queries_do_not_grow(client, world, n, django_assert_num_queries):
    for i in range(n):
        new_initiative(world, title=f"Sáng kiến số {i}",
                       authors=[AuthorInput(person_id=world.member.pk, contribution=50),
                                AuthorInput(full_name=f"Đồng Tác Giả {i}", contribution=50)])
    client.force_login(world.officer_cdcs)
    # session, user, grants, years, unit options, count, page, authors, recognitions
    with django_assert_num_queries(9):
        response = client.get(reverse("initiatives:list"))
    assert response.status_code == 200
