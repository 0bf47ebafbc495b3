""""Việc chờ tôi": what waits for the user, in their scope, each line a link they may open."""

from __future__ import annotations

import re

from django.urls import reverse

from thidua.initiatives import services as ini_services
from thidua.initiatives.tests.helpers import council, submitted, vote
from thidua.web.pending import pending_for


def _links(html: str) -> list[str]:
    part = html[html.index("<h1>Việc chờ tôi"):html.index("</main>")]
    return re.findall(r'<a href="(/[^"]+)"', part)


def test_officer_sees_a_submitted_application_and_can_open_it(client, world):
    ini = submitted(world)
    client.force_login(world.officer_cdcs)
    html = client.get(reverse("home")).content.decode()
    assert "Đơn sáng kiến chờ cán bộ xử lý" in html
    assert reverse("initiatives:detail", args=[ini.pk]) in _links(html)
    for url in _links(html):
        assert client.get(url).status_code == 200, url


def test_work_of_another_branch_never_shows(client, world):
    submitted(world)
    client.force_login(world.outsider)
    html = client.get(reverse("home")).content.decode()
    assert "Đơn sáng kiến chờ cán bộ xử lý" not in html
    assert "Không có việc nào đang chờ bạn." in html


def test_leader_sees_the_decision_not_the_officers_steps(client, world):
    waiting = submitted(world)  # an officer's step: not the leader's
    decided = submitted(world, title="Phần mềm quản lý hồ sơ công chứng")
    c, _ = council(world)
    review = ini_services.review_open(actor=world.officer_cdcs, council=c, initiative=decided)
    vote(world, review, 3)
    ini_services.review_close(actor=world.officer_cdcs, review=review)
    keys = {g.key: g for g in pending_for(world.leader)}
    assert "submitted" not in keys
    assert [line.url for line in keys["decide"].lines] == [
        reverse("initiatives:detail", args=[decided.pk])]
    client.force_login(world.leader)
    html = client.get(reverse("home")).content.decode()
    assert "Sáng kiến chờ quyết định công nhận" in html
    assert reverse("initiatives:detail", args=[waiting.pk]) not in _links(html)
    for url in _links(html):
        assert client.get(url).status_code == 200, url


def test_home_costs_the_same_queries_for_one_or_many_items(client, world,
                                                           django_assert_num_queries):
    client.force_login(world.officer_cdcs)
    submitted(world)
    client.get(reverse("home"))  # warm the session
    with django_assert_num_queries(11):  # one per group, the two commendation groups included
        client.get(reverse("home"))
    for i in range(7):
        submitted(world, title=f"Sáng kiến số {i}")
    with django_assert_num_queries(12):  # + one COUNT: more than the five lines shown
        html = client.get(reverse("home")).content.decode()
    assert "Có 8 việc, đang hiện 5." in html
