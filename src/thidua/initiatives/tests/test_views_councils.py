"""The council list's form to set one up: its unit chosen in a select, or typed as a code when
the officer's units are too many for one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thidua.councils.models import Council
from thidua.platform import forms as platform_forms

pytestmark = pytest.mark.django_db

COUNCIL = {"year": "2024", "name": "Hội đồng sáng kiến 2024", "level": "co_so"}


def test_a_narrow_scope_chooses_the_unit_in_a_select(client, world):
    client.force_login(world.officer_cdcs)  # CDCS-A and its group
    page = client.get(reverse("initiatives:councils")).content.decode()
    assert '<select name="unit"' in page and 'list="unit-goi-y"' not in page
    assert '<option value="TO-A1">' in page and "CDCS-B" not in page
    refused = client.post(reverse("initiatives:council-create"), {**COUNCIL, "unit": "CDCS-B"})
    assert refused.status_code == 400 and not Council.objects.exists()


def test_a_wide_scope_types_the_councils_unit_code(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` units the officer types the unit's code (suggested: the scope's two
    top levels): the select of a province's officer was cut at 3.000 units in tree order."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.leader)  # LĐLĐ Hà Nội: 7 units
    page = client.get(reverse("initiatives:councils")).content.decode()
    assert '<select name="unit"' not in page and 'list="unit-goi-y"' in page
    suggested = page[page.index('<datalist id="unit-goi-y">'):]
    suggested = suggested[:suggested.index("</datalist>")]
    assert 'value="LDLD-HN"' in suggested and 'value="LDLD-HBT"' in suggested
    assert "CDCS-A" not in suggested
    url = reverse("initiatives:council-create")
    # a code below the suggestions, typed in small letters
    response = client.post(url, {**COUNCIL, "unit": "cdcs-a"})
    assert response.status_code == 302 and Council.objects.get().unit == world.cdcs_a
    # a code outside the units where the user is an officer, or no unit's at all
    for code in ("TLD", "KHONG-CO"):
        refused = client.post(url, {**COUNCIL, "name": "Hội đồng khác", "unit": code.lower()})
        body = refused.content.decode()
        assert refused.status_code == 400
        assert f"Không có đơn vị mã «{code}» trong các đơn vị bạn làm cán bộ." in body
        assert '<datalist id="unit-goi-y">' in body
    assert Council.objects.count() == 1
