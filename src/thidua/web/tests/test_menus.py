"""Each user's menu shows what their roles let them open (issue 8 §4)."""

from __future__ import annotations

import re

from django.urls import reverse


def _menu(client, user) -> list[str]:
    client.force_login(user)
    html = client.get(reverse("org:tree")).content.decode()
    nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    return re.findall(r'<li><a href="[^"]*"[^>]*>([^<]+)</a></li>', nav)


def test_officer_menu_has_the_pending_work_and_the_data_entry_but_no_administration(client, world):
    menu = _menu(client, world.officer_cdcs)
    assert menu[0] == "Việc chờ tôi"
    assert "Đăng ký" in menu and "Người lao động" in menu and "Khen thưởng" in menu
    assert "Quản trị" not in menu


def test_leader_menu_leads_with_the_pending_work_without_administration(client, world):
    menu = _menu(client, world.leader)
    assert menu[0] == "Việc chờ tôi"
    assert "Quản trị" not in menu


def test_viewer_menu_has_neither_pending_work_nor_data_entry(client, world):
    menu = _menu(client, world.viewer)
    assert "Việc chờ tôi" not in menu and "Đăng ký" not in menu and "Quản trị" not in menu
    assert {"Tổ chức", "Người lao động", "Bình xét", "Sáng kiến"} <= set(menu)


def test_administrators_see_the_administration(client, world, admin_cdvc):
    assert "Quản trị" in _menu(client, world.admin)
    assert "Quản trị" in _menu(client, admin_cdvc)


def test_every_menu_entry_opens_for_its_user(client, world, admin_cdvc):
    for user in (world.officer_cdcs, world.leader, world.viewer, admin_cdvc, world.member_user):
        client.force_login(user)
        html = client.get(reverse("org:tree")).content.decode()
        nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
        for url in re.findall(r'<li><a href="([^"]+)"', nav):
            status = client.get(url, follow=True).status_code
            assert status == 200, (user.username, url, status)


def test_member_menu_is_unchanged(client, world):
    menu = _menu(client, world.member_user)
    assert menu == ["Hồ sơ của tôi", "Đăng ký thi đua", "Danh hiệu", "Sáng kiến của tôi",
                    "Khen thưởng của tôi"]
