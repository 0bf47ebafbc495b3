"""The evaluation pages open on the latest year with records for the unit, not on an empty
year in progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thidua.evaluation.tests.conftest import Roster, rate
from thidua.evaluation.views.common import default_year

pytestmark = pytest.mark.django_db


def test_index_opens_on_the_latest_year_with_ratings(client, roster: Roster):
    w = roster.world
    client.force_login(w.officer_cdcs)
    empty = client.get(reverse("evaluation:index"))
    assert empty["Location"] == reverse("evaluation:unit-year", args=["CDCS-A", default_year()])
    rate(roster, ["HTXSNV", "HTTNV"], year=2019)
    rate(roster, ["HTTNV", "HTNV"], year=2021)
    response = client.get(reverse("evaluation:index"))
    assert response["Location"] == reverse("evaluation:unit-year", args=["CDCS-A", 2021])
    assert default_year(w.cdcs_a) == 2021 and default_year(w.cdcs_b) == default_year()
