"""Issue 8 §4: lists of people in Vietnamese order — given name first, đ after d, tones in
order — not by the folded full name."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.evaluation import selectors
from thidua.evaluation.tests.conftest import YEAR
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn Đức", "Lê Văn Bình", "Nguyễn Văn Dũng", "Trần Văn An"]
ORDER = ["Trần Văn An", "Lê Văn Bình", "Nguyễn Văn Dũng", "Nguyễn Văn Đức"]


def test_the_year_roster_is_in_vietnamese_order(world):
    for i, name in enumerate(NAMES):
        make_person(world.cdcs_b, name, birth=dt.date(1970 + i, 3, 4), actor=world.admin)
    names = [e.person.full_name for e in selectors.year_roster(world.cdcs_b, YEAR)]
    assert [n for n in names if n in NAMES] == ORDER
