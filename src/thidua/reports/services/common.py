"""What the reports services share: people of a unit's subtree, dates and amounts as typed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date
from thidua.platform.years import check_year
from thidua.reports.selectors import subtree_people

__all__ = ["check_day", "person_of_unit", "subtree_people"]


def person_of_unit(unit: Unit, person_id: int) -> Person:
    person = subtree_people(unit).filter(pk=person_id).first()
    if person is None:
        raise ApplicationError(f"Người này không có trong danh sách của «{unit.name}».",
                               field="person")
    return person


def check_day(day: dt.date | None, *, what: str, field: str) -> dt.date:
    """A date of a record: present, inside the years the system takes, not in the future."""
    if day is None:
        raise ApplicationError(f"Hãy nhập {what.lower()}.", field=field)
    check_year(day.year, what=f"Năm của {what.lower()}", field=field)
    if day > timezone.localdate():
        raise ApplicationError(f"{what} ({vn_date(day)}) chưa đến; không ghi trước được.",
                               field=field)
    return day
