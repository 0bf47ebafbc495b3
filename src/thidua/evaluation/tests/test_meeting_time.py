"""The review council's meeting: the form asks for the date, the start and the end hour, and
the page shows "14 giờ 00 đến 16 giờ 30, ngày 05/12/2024"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thidua.evaluation import services
from thidua.evaluation.tests.conftest import YEAR, Roster, council, rate

pytestmark = pytest.mark.django_db


def test_meeting_form_asks_date_and_hours_and_page_shows_them(client, roster: Roster):
    w = roster.world
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"])
    review = services.review_open(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR)
    council(review, roster)
    client.force_login(w.officer_cdcs)
    page = reverse("evaluation:review", args=["CDCS-A", YEAR])
    html = client.get(page).content.decode()
    assert 'name="hop-meeting_time"' in html and 'name="hop-meeting_end_time"' in html
    response = client.post(reverse("evaluation:meeting", args=["CDCS-A", YEAR]), {
        "hop-meeting_date": "05/12/2024", "hop-meeting_time": "14h00",
        "hop-meeting_end_time": "16:30", "hop-meeting_place": "Hội trường"})
    assert response.status_code == 302
    review.council.refresh_from_db()
    assert review.council.meeting_time == dt.time(14, 0)
    assert review.council.meeting_end_time == dt.time(16, 30)
    html = client.get(page).content.decode()
    assert "14 giờ 00 đến 16 giờ 30, ngày 05/12/2024" in html
