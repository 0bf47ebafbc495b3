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


def test_the_header_offers_a_direct_year_choice(client, roster: Roster):
    """Issue 8 §4: a <select> of the years with records and this year, in a GET form that works
    without script; the choice keeps the page shown."""
    import re

    from thidua.platform.web import today

    w = roster.world
    rate(roster, ["HTXSNV", "HTTNV"], year=2017)
    rate(roster, ["HTTNV", "HTNV"], year=2021)
    client.force_login(w.officer_cdcs)
    html = client.get(reverse("evaluation:review", args=["CDCS-A", 2021])).content.decode()
    form = re.search(r'<form method="get" action="([^"]+)" class="year-choice">(.*?)</form>',
                     html, re.S)
    assert form is not None and form.group(1) == reverse("evaluation:unit-home",
                                                         args=["CDCS-A"])
    options = re.findall(r'<option value="(\d+)"( selected)?>', form.group(2))
    this_year = today().year
    assert options == [(str(this_year), ""), ("2021", " selected"), ("2017", "")]
    assert 'name="trang" value="review"' in form.group(2)
    assert "<noscript>" in form.group(2)  # a button when there is no script
    home = reverse("evaluation:unit-home", args=["CDCS-A"])
    assert client.get(home, {"nam": "2017", "trang": "review"})["Location"] == reverse(
        "evaluation:review", args=["CDCS-A", 2017])
    assert client.get(home, {"nam": "2017", "trang": "nowhere"})["Location"] == reverse(
        "evaluation:unit-year", args=["CDCS-A", 2017])
    assert client.get(home, {"nam": "abc"})["Location"] == reverse(
        "evaluation:unit-year", args=["CDCS-A", 2021])  # the latest year with records
    client.force_login(w.outsider)
    assert client.get(home, {"nam": "2017"}).status_code == 404
