"""`update_column`: many rows' column set from (primary key, value) pairs in one statement
(PostgreSQL) or one prepared batch (SQLite); the rows not named keep their value."""

from __future__ import annotations

import pytest

from thidua.org.models import Unit, UnitVersion
from thidua.people.imports import write
from thidua.people.imports.write import update_column
from thidua.testing import make_unit

pytestmark = pytest.mark.django_db


def test_update_column_sets_each_named_row_and_leaves_the_others(monkeypatch):
    root = make_unit("ROOT", "tld", name="Gốc")
    units = [make_unit(f"U{i}", "cdcs", parent=root, name=f"Đơn vị {i}") for i in range(5)]
    monkeypatch.setattr(write, "BATCH", 2)  # SQLite: several batches

    update_column(Unit, "name", [(units[0].pk, "Một"), (units[3].pk, "Bốn"),
                                 (units[4].pk, "Năm")])
    update_column(Unit, "name", [])

    names = dict(Unit.objects.filter(pk__in=[u.pk for u in units]).values_list("code", "name"))
    assert names == {"U0": "Một", "U1": "Đơn vị 1", "U2": "Đơn vị 2", "U3": "Bốn", "U4": "Năm"}


def test_update_column_sets_a_foreign_key_and_clears_it():
    root = make_unit("ROOT", "tld", name="Gốc")
    a, b = (make_unit(c, "cdcs", parent=root, name=c) for c in ("A", "B"))
    versions = list(UnitVersion.objects.filter(unit__in=[a, b]).order_by("unit__code"))
    update_column(UnitVersion, "parent", [(versions[0].pk, b.pk), (versions[1].pk, None)])

    assert list(UnitVersion.objects.filter(pk__in=[v.pk for v in versions])
                .order_by("unit__code").values_list("parent_id", flat=True)) == [b.pk, None]
