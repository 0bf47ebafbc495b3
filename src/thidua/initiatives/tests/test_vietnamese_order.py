"""Issue 8 §4: the author and member pickers list people in Vietnamese order (given name
first, đ after d), not by the folded full name."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.initiatives import selectors
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn Đức", "Lê Văn Bình", "Nguyễn Văn Dũng", "Trần Văn An"]
ORDER = ["Trần Văn An", "Lê Văn Bình", "Nguyễn Văn Dũng", "Nguyễn Văn Đức"]


def test_roster_options_are_in_vietnamese_order(world):
    for i, name in enumerate(NAMES):
        make_person(world.cdcs_b, name, birth=dt.date(1970 + i, 3, 4), actor=world.admin)
    labels = [label.split(" (")[0] for _, label in selectors.roster_options(world.cdcs_b)]
    assert [n for n in labels if n in NAMES] == ORDER
