"""What the reports services share: people of a unit's subtree, dates and amounts as typed."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from thidua.org.models import Unit
from thidua.people.models import Employment, Membership, Person
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date
from thidua.platform.years import check_year


def subtree_people(unit: Unit) -> QuerySet[Person]:
    """People ever on the roster (employment or union membership) of a unit of the subtree, as
    the tree stands today: those the unit's officers may record."""
    employed = Employment.objects.filter(unit__path__startswith=unit.path, person=OuterRef("pk"))
    member = Membership.objects.filter(unit__path__startswith=unit.path, person=OuterRef("pk"))
    return Person.objects.filter(Q(Exists(employed)) | Q(Exists(member)))


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
