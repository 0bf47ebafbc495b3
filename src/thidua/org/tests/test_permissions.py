"""Scoping next to the tree: `restrict` on the querysets, and who may change the tree."""

import datetime as dt

import pytest
from django.db.models import Q

from thidua.audit.models import AuditEntry
from thidua.org.models import Unit
from thidua.org.permissions import restrict_queryset
from thidua.org.services import (
    award_line_create,
    unit_create,
    unit_dissolve,
    unit_move,
    unit_rename,
)
from thidua.people.models import Person
from thidua.platform.errors import NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db
D = dt.date


def codes(qs):
    return sorted(u.code for u in qs)


def test_units_restrict_to_the_granted_subtrees(world):
    assert codes(Unit.objects.restrict(world.officer_cdcs)) == ["CDCS-A", "TO-A1"]
    assert codes(Unit.objects.restrict(world.viewer)) == ["CDCS-A", "CDCS-B", "CDVC-HN", "TO-A1"]
    assert Unit.objects.restrict(world.admin).count() == Unit.objects.count()
    assert not Unit.objects.restrict(world.member_user).exists()
    # a role above what the user holds narrows to nothing
    assert not Unit.objects.restrict(world.viewer, "officer").exists()
    assert codes(Unit.objects.restrict(world.leader, "leader")) == codes(
        Unit.objects.filter(path__startswith=world.hn.path))


def test_people_restrict_to_the_roster_of_the_subtrees_and_the_own_record(world):
    assert list(Person.objects.restrict(world.officer_cdcs)) == [world.member]
    assert not Person.objects.restrict(world.outsider).exists()
    assert list(Person.objects.restrict(world.member_user)) == [world.member]


def test_restrict_queryset_adds_the_rows_admitted_another_way(world):
    qs = restrict_queryset(Unit.objects.all(), world.outsider, field="path",
                           also=lambda paths: Q(code="TLD"))
    assert codes(qs) == ["CDCS-C", "TLD"]


def test_tree_changes_take_a_leader_over_the_units_touched(world):
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDeniedError, match="Lãnh đạo"):
        unit_rename(actor=world.officer_cdcs, unit=world.cdcs_a, name="X", date=D(2020, 1, 1))
    with pytest.raises(NotFoundError):
        unit_rename(actor=world.outsider, unit=world.cdcs_a, name="X", date=D(2020, 1, 1))
    with pytest.raises(NotFoundError):  # the new parent is outside the leader's subtree
        unit_move(actor=world.leader, unit=world.cdcs_a, new_parent=world.tld, date=D(2020, 1, 1))
    with pytest.raises(PermissionDeniedError):
        unit_create(actor=world.officer_above, code="CDCS-N", name="Mới", type="cdcs",
                    parent=world.cdvc, valid_from=D(2020, 1, 1))
    with pytest.raises(NotFoundError):  # a new root: installation administrators only
        unit_create(actor=world.leader, code="GOC", name="Gốc", type="tld",
                    valid_from=D(2020, 1, 1))
    with pytest.raises(PermissionDeniedError):
        unit_dissolve(actor=world.officer_cdcs, unit=world.to_a1, date=D(2020, 1, 1))
    with pytest.raises(NotFoundError):
        award_line_create(actor=world.leader, unit=world.cdvc, issuer=world.tld,
                          valid_from=D(2020, 1, 1))
    assert AuditEntry.objects.count() == entries


def test_a_leader_changes_their_subtree(world):
    unit = unit_create(actor=world.leader, code="CDCS-N", name="Công đoàn mới", type="cdcs",
                       parent=world.cdvc, valid_from=D(2020, 1, 1))
    unit_rename(actor=world.leader, unit=unit, name="Công đoàn mới (tên mới)", date=D(2021, 1, 1))
    unit_move(actor=world.leader, unit=unit, new_parent=world.hbt, date=D(2022, 1, 1))
    unit_dissolve(actor=world.leader, unit=unit, date=D(2023, 1, 1))
    entries = AuditEntry.objects.filter(actor=world.leader, action__startswith="unit.")
    assert sorted(entries.values_list("action", flat=True)) == [
        "unit.create", "unit.dissolve", "unit.move", "unit.rename"]
