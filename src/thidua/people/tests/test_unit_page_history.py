"""The unit page: an unknown founding date reads as unknown, and the history names people
(issue 8 §4)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from thidua.org.models import Unit
from thidua.org.services import unit_create, unit_rename
from thidua.platform.templatetags.vn import person_name
from thidua.testing import SYSTEM


def _page(client, world, code: str) -> str:
    client.force_login(world.officer_above)
    response = client.get(reverse("org:unit", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def test_unknown_founding_date_reads_as_unknown(client, world):
    unit = unit_create(actor=SYSTEM, code="CDCS-X", name="Công đoàn Trường Tiểu học Lê Lợi",
                       type="cdcs", parent=world.cdvc, valid_from=dt.date(2010, 1, 1),
                       founded_on=None)
    assert Unit.objects.get(pk=unit.pk).founded_on is None
    html = _page(client, world, "CDCS-X")
    assert "Chưa rõ ngày thành lập" in html
    assert "Thành lập ngày 01/01/2010" not in html
    assert "theo dõi trên hệ thống từ ngày 01/01/2010" in html
    # nor does its history call the day tracking began a founding
    assert "<strong>Bắt đầu theo dõi trên hệ thống</strong>" in html
    assert "<strong>Thành lập</strong>" not in html
    # the history still starts there: the unit is in the tree at that date
    assert unit.is_alive(dt.date(2010, 1, 1))


def test_known_founding_date_default_and_earlier(client, world):
    html = _page(client, world, "CDCS-A")
    assert "Thành lập ngày 01/01/2010" in html and "Chưa rõ" not in html
    unit_create(actor=SYSTEM, code="CDCS-Y", name="Công đoàn Bệnh viện Thanh Nhàn", type="cdcs",
                parent=world.cdvc, valid_from=dt.date(2015, 1, 1),
                founded_on=dt.date(1996, 4, 5))
    html = _page(client, world, "CDCS-Y")
    assert "Thành lập ngày 05/04/1996" in html
    assert "theo dõi trên hệ thống từ ngày 01/01/2015" in html


def test_unit_history_names_the_person_not_the_username(client, world):
    admin = world.admin  # username "quantri"
    admin.first_name, admin.last_name = "Hà", "Lê Thu"
    admin.save(update_fields=["first_name", "last_name"])
    unit_rename(actor=admin, unit=world.cdcs_a, name="Công đoàn Sở Tư pháp Hà Nội",
                date=dt.date(2020, 1, 1))
    html = _page(client, world, "CDCS-A")
    assert "ghi bởi Lê Thu Hà" in html
    assert "quantri" not in html


def test_person_name_falls_back_to_the_username_then_the_installation(world):
    assert person_name(world.officer_cdcs) == "canbo_cdcs"
    world.officer_cdcs.first_name = "Nam"
    world.officer_cdcs.last_name = "Nguyễn Văn"
    assert person_name(world.officer_cdcs) == "Nguyễn Văn Nam"
    assert person_name(None) == "hệ thống"
    assert person_name(AnonymousUser()) == "hệ thống"
