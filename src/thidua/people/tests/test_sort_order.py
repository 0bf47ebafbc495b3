"""People lists in Vietnamese order, in the database (SQLite and PostgreSQL) as in Python."""

from __future__ import annotations

import datetime as dt

from thidua.people.models import Person
from thidua.people.selectors import roster
from thidua.platform.collation import vn_name_key
from thidua.testing import make_person

NAMES = ["Nguyễn Văn Đức", "Nguyễn Văn Dũng", "Lê Văn Dung", "Trần Văn Dụng", "Phạm Văn Duy"]


def test_roster_sorts_dung_before_duc_by_given_name(world):
    for name in NAMES:
        make_person(world.cdcs_b, name)
    got = [e.person.full_name for e in roster(user=world.officer_above,
                                              unit_path=world.cdcs_b.path,
                                              day=dt.date(2024, 1, 1))]
    assert got == ["Lê Văn Dung", "Nguyễn Văn Dũng", "Trần Văn Dụng", "Phạm Văn Duy",
                   "Nguyễn Văn Đức"]
    assert got == sorted(NAMES, key=vn_name_key)
    # the model's default order is the same
    assert [p.full_name for p in Person.objects.filter(full_name__in=NAMES)] == got
