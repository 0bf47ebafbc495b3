import datetime as dt

import pytest

from thidua.org.models import Unit, UnitVersion
from thidua.org.services import unit_move
from thidua.people.rollup import COUNT_KEYS, subtree_counts_all
from thidua.people.services import membership_suspend, person_leave_unit
from thidua.people.stats import unit_stats
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def populated(world):
    """The world tree with people spread over several levels, statuses and dates."""
    admin = world.admin
    make_person(world.cdcs_a, "Lê Văn Minh", start=D(2012, 1, 1), actor=admin)
    make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", birth=D(1988, 2, 2), actor=admin)
    make_person(world.to_a1, "Đỗ Thu Trang", gender="nu", birth=D(1992, 7, 1), member=False,
                actor=admin)
    suspended = make_person(world.cdcs_b, "Vũ Ngọc Lan", gender="nu", birth=D(1979, 4, 4),
                            actor=admin)
    membership_suspend(actor=admin, person=suspended, date=D(2018, 3, 1))
    leaver = make_person(world.cdcs_b, "Bùi Quang Huy", birth=D(1970, 9, 9), actor=admin)
    person_leave_unit(actor=admin, person=leaver, date=D(2019, 1, 1))
    make_person(world.cdcs_c, "Hoàng Minh Tuấn", start=D(2016, 5, 1), actor=admin)
    make_person(world.cdvc, "Ngô Thị Mai", gender="nu", birth=D(1985, 1, 1), actor=admin)
    unit_move(actor=admin, unit=world.cdcs_b, new_parent=world.hbt, date=D(2020, 1, 1))
    return world


def _expected(day):
    out = {}
    for version in UnitVersion.objects.at(day).select_related("unit"):
        stats = unit_stats(version.unit, day)
        out[version.unit_id] = {key: stats[key] for key in COUNT_KEYS}
    return out


@pytest.mark.parametrize("day", [D(2009, 12, 31), D(2015, 6, 1), D(2018, 12, 31),
                                 D(2019, 6, 1), D(2024, 1, 1)])
def test_every_node_matches_unit_stats(populated, day):
    got = subtree_counts_all(day=day)
    assert got == _expected(day)


def test_figures_follow_the_tree_of_the_date(populated):
    w = populated
    before = subtree_counts_all(day=D(2019, 6, 1))
    after = subtree_counts_all(day=D(2024, 1, 1))
    # CDCS-B (its suspended member) sat under CDVC-HN in 2019 and under LDLD-HBT from 2020.
    assert before[w.cdvc.pk]["members_suspended"] == 1
    assert after[w.cdvc.pk]["members_suspended"] == 0
    assert after[w.hbt.pk]["members_suspended"] == 1
    assert before[w.tld.pk]["workers"] == after[w.tld.pk]["workers"] == 7
    assert after[w.tld.pk]["women"] == 5
    assert after[w.to_a1.pk] == {"workers": 2, "women": 2, "members": 1, "women_members": 1,
                                 "members_active": 1, "members_suspended": 0}


def test_units_not_alive_are_left_out(populated):
    assert subtree_counts_all(day=D(2000, 1, 1)) == {}
    assert set(subtree_counts_all(day=D(2024, 1, 1))) == set(Unit.objects.values_list("pk", flat=True))


def test_a_fixed_number_of_queries(populated, django_assert_num_queries):
    # the units alive at the date, then one GROUP BY over the maintained figures
    with django_assert_num_queries(2):
        subtree_counts_all(day=D(2024, 1, 1))
