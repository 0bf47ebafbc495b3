"""Registration rules: one per issuer, year and kind of year, the nearest one above a unit wins;
and their refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.movements import services
from thidua.movements.selectors import rule_for
from thidua.movements.tests.helpers import YEAR, rule
from thidua.platform.errors import ApplicationError, NotFoundError

pytestmark = pytest.mark.django_db
D = dt.date


def test_rule_is_set_per_issuer_year_and_kind_and_the_nearest_wins(world):
    r = rule(world)
    assert rule_for(world.to_a1, YEAR) == r
    own = services.registration_rule_set(actor=world.officer_cdcs, issuer=world.cdcs_a,
                                         year=YEAR, deadline=D(YEAR, 1, 15),
                                         min_commitments_member=2, pledges="A\n\nA\nB")
    assert own.pledges == ["A", "B"]
    assert rule_for(world.to_a1, YEAR) == own
    assert rule_for(world.cdcs_b, YEAR) == r
    assert rule_for(world.cdcs_b, YEAR + 1) is None
    # a school-year unit follows the school rule of its issuer, not the calendar one
    services.year_setting_set(actor=world.officer_above, unit=world.cdcs_b, kind="school")
    assert rule_for(world.cdcs_b, YEAR) is None
    school = rule(world, year_kind="school", deadline=D(YEAR - 1, 10, 20))
    assert rule_for(world.cdcs_b, YEAR) == school


def test_rule_refusals(world):
    with pytest.raises(ApplicationError, match="từ 0 đến 20"):
        rule(world, min_commitments_member=50)
    with pytest.raises(ApplicationError, match="không thuộc năm"):
        rule(world, deadline=D(YEAR + 2, 1, 1))
    with pytest.raises(NotFoundError):
        services.registration_rule_set(actor=world.outsider, issuer=world.cdvc, year=YEAR)
