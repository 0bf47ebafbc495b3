"""Issue 8 §4: a unit's registrations list people in Vietnamese order (given name first, đ
after d), not by the folded full name."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.movements import selectors
from thidua.movements.models import Registration
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn Đức", "Lê Văn Bình", "Nguyễn Văn Dũng", "Trần Văn An"]
ORDER = ["Trần Văn An", "Lê Văn Bình", "Nguyễn Văn Dũng", "Nguyễn Văn Đức"]


def test_registrations_are_in_vietnamese_order(world):
    for i, name in enumerate(NAMES):
        p = make_person(world.cdcs_b, name, birth=dt.date(1970 + i, 3, 4), actor=world.admin)
        Registration.objects.create(year=2024, person=p, home_unit=world.cdcs_b,
                                    registered_on=dt.date(2024, 1, 20))
    rows = selectors.unit_registrations(unit=world.cdcs_b, year=2024, subject="person")
    assert [r.person.full_name for r in rows] == ORDER
