"""The people side of tree events: rosters follow merges and splits, dissolving waits for an
empty roster, and the figures of past dates stay as they were."""

import datetime as dt

import pytest

from thidua.audit.models import AuditEntry
from thidua.org.models import Unit
from thidua.org.services import UnitSpec, unit_move
from thidua.people.services import (
    unit_dissolve_with_roster,
    unit_merge_with_roster,
    unit_split_with_roster,
)
from thidua.people.stats import unit_stats
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.testing import make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_move_keeps_old_tree_and_counts_for_old_dates(world):
    make_person(world.cdcs_b, "Lê Văn Minh", start=D(2015, 1, 1))
    before = unit_stats(world.cdvc, D(2019, 12, 31))
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt, date=D(2020, 1, 1))
    assert unit_stats(world.cdvc, D(2019, 12, 31)) == before
    after = unit_stats(world.cdvc, D(2020, 6, 1))
    assert after["workers"] == before["workers"] - 1
    assert unit_stats(world.hbt, D(2020, 6, 1))["units"]["cdcs"] == 2


def test_move_carries_descendants(world):
    unit_move(actor=world.admin, unit=world.cdcs_a, new_parent=world.hbt, date=D(2021, 1, 1))
    stats = unit_stats(world.hbt, D(2021, 1, 2))
    assert stats["units"] == {"cdcs": 2, "to_cd": 1}
    assert stats["members"] == 1
    assert unit_stats(world.cdvc, D(2020, 12, 31))["members"] == 1


def test_merge_into_new_unit_moves_people_and_children_and_keeps_history(world):
    make_person(world.cdcs_b, "Phạm Thu Hà", gender="nu", start=D(2012, 1, 1))
    old_2024 = unit_stats(world.cdvc, D(2024, 12, 31))
    merged = unit_merge_with_roster(
        actor=world.admin, sources=[world.cdcs_a, world.cdcs_b], date=D(2025, 7, 1),
        new_unit=UnitSpec("CDCS-AB", "Công đoàn Sở Tư pháp – Y tế", "cdcs"),
    )
    world.cdcs_a.refresh_from_db()
    assert world.cdcs_a.valid_to == D(2025, 7, 1)
    new = unit_stats(merged, D(2025, 7, 2))
    assert new["workers"] == 2 and new["members"] == 2 and new["units"] == {"to_cd": 1}
    # the 2024 picture is unchanged after the merge
    assert unit_stats(world.cdvc, D(2024, 12, 31)) == old_2024
    assert unit_stats(world.cdcs_a, D(2024, 12, 31))["members"] == 1
    assert not unit_stats(world.cdcs_a, D(2025, 7, 2))["exists"]


def test_split_requires_every_person_assigned(world):
    p1 = make_person(world.cdcs_b, "Hoàng Văn Nam", start=D(2012, 1, 1))
    p2 = make_person(world.cdcs_b, "Đỗ Thị Lan", gender="nu", start=D(2012, 1, 1))
    parts = [UnitSpec("CDCS-B1", "Công đoàn B1", "cdcs"), UnitSpec("CDCS-B2", "Công đoàn B2", "cdcs")]
    with pytest.raises(ApplicationError, match="chưa được phân"):
        unit_split_with_roster(actor=world.admin, source=world.cdcs_b, date=D(2022, 1, 1), parts=parts,
                   people={p1.pk: "CDCS-B1"})
    assert not Unit.objects.filter(code="CDCS-B1").exists()
    b1, b2 = unit_split_with_roster(actor=world.admin, source=world.cdcs_b, date=D(2022, 1, 1), parts=parts,
                        people={p1.pk: "CDCS-B1", p2.pk: "CDCS-B2"})
    assert unit_stats(b1, D(2022, 1, 1))["workers"] == 1
    assert unit_stats(b2, D(2022, 1, 1))["women"] == 1
    assert unit_stats(world.cdcs_b, D(2021, 12, 31))["workers"] == 2


def test_dissolve_with_members_left_is_refused(world):
    make_person(world.cdcs_b, "Vũ Văn Hải", start=D(2012, 1, 1))
    with pytest.raises(ApplicationError, match="còn 1 người"):
        unit_dissolve_with_roster(actor=world.admin, unit=world.cdcs_b, date=D(2023, 1, 1))
    world.cdcs_b.refresh_from_db()
    assert world.cdcs_b.valid_to is None


def test_dissolve_with_children_is_refused_then_allowed_when_empty(world):
    with pytest.raises(ApplicationError, match="đơn vị trực thuộc"):
        unit_dissolve_with_roster(actor=world.admin, unit=world.hbt, date=D(2023, 1, 1))
    empty = make_unit("CDCS-E", "cdcs", world.hbt)
    unit_dissolve_with_roster(actor=world.admin, unit=empty, date=D(2023, 1, 1))
    assert "cdcs" not in unit_stats(world.hbt, D(2023, 6, 1))["units"] or (
        unit_stats(world.hbt, D(2023, 6, 1))["units"]["cdcs"] == 1
    )


def test_merge_with_roster_is_one_change_with_one_audit_entry(world):
    make_person(world.cdcs_b, "Phạm Thu Hà", gender="nu", start=D(2012, 1, 1))
    entries = AuditEntry.objects.count()
    merged = unit_merge_with_roster(actor=world.admin, sources=[world.cdcs_b], into=world.cdcs_a,
                                    date=D(2025, 7, 1))
    assert AuditEntry.objects.count() == entries + 1
    assert AuditEntry.objects.order_by("-seq").first().action == "unit.merge"
    assert unit_stats(merged, D(2025, 7, 1))["workers"] == 2  # Hà and the member in TO-A1


def test_roster_checks_come_after_the_role_check(world):
    make_person(world.cdcs_b, "Vũ Văn Hải", start=D(2012, 1, 1))
    with pytest.raises(NotFoundError):  # not "còn 1 người": the unit is outside their scope
        unit_dissolve_with_roster(actor=world.outsider, unit=world.cdcs_b, date=D(2023, 1, 1))
