"""The counts page: by level, year and direct child unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thidua.initiatives import services
from thidua.initiatives.tests.helpers import recognised

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_index")]
D = dt.date


def test_counts_page(client, world, django_assert_max_num_queries):
    ini = recognised(world)
    services.recognition_create(actor=world.officer_cdcs, initiative=ini, level="tinh",
                                decided_on=D(2023, 12, 20), decision_no="99/QĐ-UBND",
                                issuer="UBND TP")
    client.force_login(world.officer_above)
    url = reverse("initiatives:counts")
    with django_assert_max_num_queries(14):
        response = client.get(url, {"don_vi": "CDVC-HN", "tu_nam": "2022", "den_nam": "2023"})
    body = response.content.decode()
    assert "có <strong>01</strong> sáng kiến được công nhận (cấp cơ sở: 01; cấp tỉnh, thành phố: 01)" in body
    assert "chưa có sáng kiến nào được đề nghị làm hồ sơ khen thưởng" in body
    assert ">00<" not in body
    assert "Công đoàn Sở Tư pháp" in body
    client.force_login(world.outsider)
    assert client.get(url, {"don_vi": "CDVC-HN"}).status_code == 404


def test_counts_open_on_the_latest_years_with_initiatives(client, world):
    """Not on the year in progress (empty: "có 00 sáng kiến"); the years with initiatives and
    this one are offered in the year selects."""
    recognised(world)  # filed and recognised in 2023
    client.force_login(world.officer_above)
    body = client.get(reverse("initiatives:counts"), {"don_vi": "CDVC-HN"}).content.decode()
    assert "Trong 2022–2023" in body
    assert "có <strong>01</strong> sáng kiến được công nhận" in body
    assert '<option value="2023" selected>' in body
    assert f'<option value="{D.today().year}">' in body
    empty = client.get(reverse("initiatives:counts"), {"don_vi": "CDCS-B"}).content.decode()
    assert "chưa có sáng kiến nào được công nhận" in empty and ">00<" not in empty
