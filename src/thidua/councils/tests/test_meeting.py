"""A council meeting has a date, the hour it starts and the hour it ends (for the minutes)."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.councils import services
from thidua.councils.models import Kind
from thidua.platform.errors import ApplicationError
from thidua.platform.forms import VNTimeField
from thidua.platform.text import vn_meeting, vn_time

pytestmark = pytest.mark.django_db


def test_meeting_keeps_date_start_and_end(world):
    c = services.council_create(actor=world.admin, unit=world.cdcs_a, kind=Kind.REVIEW,
                                year=2026, name="Hội đồng bình xét năm 2026")
    services.meeting_set(council=c, meeting_date=dt.date(2026, 12, 5),
                         meeting_time=dt.time(14, 0), meeting_end_time=dt.time(16, 30),
                         meeting_place="Hội trường tầng 2")
    c.refresh_from_db()
    assert (c.meeting_date, c.meeting_time, c.meeting_end_time) == (
        dt.date(2026, 12, 5), dt.time(14, 0), dt.time(16, 30))
    with pytest.raises(ApplicationError, match="sau giờ bắt đầu"):
        services.meeting_set(council=c, meeting_date=dt.date(2026, 12, 5),
                             meeting_time=dt.time(14, 0), meeting_end_time=dt.time(13, 0))
    with pytest.raises(ApplicationError, match="ngày họp"):
        services.meeting_set(council=c, meeting_date=None, meeting_time=dt.time(14, 0))


def test_meeting_is_written_as_hour_then_date():
    assert vn_time(dt.time(14, 0)) == "14 giờ 00"
    assert vn_meeting(dt.date(2026, 12, 5), dt.time(14, 0)) == "14 giờ 00, ngày 05/12/2026"
    assert vn_meeting(dt.date(2026, 12, 5), dt.time(8, 5), dt.time(11, 0)) == (
        "8 giờ 05 đến 11 giờ 00, ngày 05/12/2026")
    assert vn_meeting(dt.date(2026, 12, 5)) == "ngày 05/12/2026"
    assert vn_meeting(None, dt.time(8, 0)) == ""


@pytest.mark.parametrize("typed", ["14:00", "14h00", "14h", "14 giờ 00", "14 giờ", "14"])
def test_hours_typed_as_officials_write_them(typed):
    assert VNTimeField(required=False).clean(typed) == dt.time(14, 0)
