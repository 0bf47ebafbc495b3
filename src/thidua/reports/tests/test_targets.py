"""Targets: a level's targets apply below it unless a unit sets its own; the tree read is the one
of the year (a CĐCS moved away later still inherits its old parent's targets for that year)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from thidua.audit.models import AuditEntry
from thidua.org.services import unit_move
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.reports import selectors, services
from thidua.reports.measures import measures
from thidua.reports.models import Target
from thidua.testing import World

pytestmark = pytest.mark.django_db
YEAR = 2018


def _hanoi_2018(w: World) -> None:
    """The 2018 targets of Công đoàn Viên chức thành phố Hà Nội (seeds/000_…txt)."""
    for code, comparison, value, value_max in (
        ("cdcs_phat_dong", "ge", 100, None), ("cdcs_dang_ky", "ge", 100, None),
        ("nld_danh_hieu", "gt", 75, None), ("nu_gvndvn", "range", 85, 90),
        ("gia_dinh_van_hoa", "ge", 95, None), ("co_quan_dang_ky_van_hoa", "ge", 100, None),
        ("co_quan_van_hoa", "gt", 60, None), ("cdcs_vung_manh", "gt", 90, None),
        ("cdcs_yeu", "le", 0, None), ("dang_gioi_thieu", "gt", 200, None),
    ):
        services.target_set(actor=w.officer_above, unit=w.cdvc, year=YEAR, measure_code=code,
                            comparison=comparison, value=Decimal(value),
                            value_max=None if value_max is None else Decimal(value_max),
                            source="Báo cáo thi đua năm 2017 của CĐVC TP Hà Nội")


def test_the_2018_targets_apply_below_and_a_cdcs_overrides_one(world: World):
    _hanoi_2018(world)
    inherited = selectors.targets_in_force(world.cdcs_a, YEAR)
    assert len(inherited) == 10 and all(t.inherited for t in inherited)
    assert [t.target.measure for t in inherited][:3] == ["cdcs_phat_dong", "cdcs_dang_ky",
                                                         "nld_danh_hieu"]
    services.target_set(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                        measure_code="nu_gvndvn", comparison="gt", value=Decimal(97))
    in_force = {t.target.measure: t for t in selectors.targets_in_force(world.cdcs_a, YEAR)}
    assert in_force["nu_gvndvn"].target.value == 97 and not in_force["nu_gvndvn"].inherited
    assert in_force["gia_dinh_van_hoa"].inherited
    assert in_force["gia_dinh_van_hoa"].set_by == world.cdvc
    # the group under CĐCS A inherits the CĐCS's override, the sibling CĐCS the level's range
    below = {t.target.measure: t for t in selectors.targets_in_force(world.to_a1, YEAR)}
    assert below["nu_gvndvn"].target.value == 97
    sibling = {t.target.measure: t for t in selectors.targets_in_force(world.cdcs_b, YEAR)}
    assert (sibling["nu_gvndvn"].target.value, sibling["nu_gvndvn"].target.value_max) == (85, 90)
    # the other branch has none; nor has another year
    assert selectors.targets_in_force(world.cdcs_c, YEAR) == []
    assert selectors.targets_in_force(world.cdcs_a, YEAR + 1) == []


def test_setting_again_updates_and_deleting_brings_back_the_level_above(world: World):
    _hanoi_2018(world)
    t = services.target_set(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                            measure_code="cdcs_yeu", comparison="le", value=Decimal(0))
    again = services.target_set(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                                measure_code="cdcs_yeu", comparison="le", value=Decimal(0),
                                note="không có")
    assert again.pk == t.pk and Target.objects.filter(unit=world.cdcs_a).count() == 1
    entries = AuditEntry.objects.filter(action="target.set", object_id=str(t.pk)).order_by("seq")
    assert [e.before is None for e in entries] == [True, False]
    services.target_delete(actor=world.officer_cdcs, target=again)
    in_force = {x.target.measure: x for x in selectors.targets_in_force(world.cdcs_a, YEAR)}
    assert in_force["cdcs_yeu"].inherited
    assert AuditEntry.objects.filter(action="target.delete").count() == 1


def test_the_tree_of_the_year_is_read(world: World):
    _hanoi_2018(world)
    unit_move(actor=None, unit=world.cdcs_a, new_parent=world.hbt, date=dt.date(2020, 1, 1))
    world.cdcs_a.refresh_from_db()
    assert len(selectors.targets_in_force(world.cdcs_a, YEAR)) == 10
    services.target_set(actor=world.admin, unit=world.cdvc, year=2021, measure_code="cdcs_yeu",
                        comparison="le", value=Decimal(0))
    assert selectors.targets_in_force(world.cdcs_a, 2021) == []
    assert len(selectors.targets_in_force(world.cdcs_b, 2021)) == 1


@pytest.mark.parametrize(("code", "comparison", "value", "value_max", "message"), [
    ("khong_co", "ge", 1, None, "Chỉ tiêu không có trong danh mục"),
    ("nu_gvndvn", "ge", 120, None, "Tỷ lệ phải từ 0 đến 100 %."),
    ("dang_gioi_thieu", "gt", Decimal("200.5"), None, "Số lượng phải là số nguyên."),
    ("nu_gvndvn", "range", 90, 85, "Mức «đến» phải không nhỏ hơn mức «từ»."),
    ("nu_gvndvn", "range", 85, None, "cần cả mức «đến»"),
    ("nu_gvndvn", "gt", 85, 90, "Chỉ ghi mức «đến» khi chỉ tiêu là một khoảng."),
])
def test_bad_targets_are_refused_in_vietnamese(world: World, code, comparison, value, value_max,
                                               message):
    with pytest.raises(ApplicationError) as exc:
        services.target_set(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                            measure_code=code, comparison=comparison, value=Decimal(value),
                            value_max=None if value_max is None else Decimal(value_max))
    assert message in exc.value.message
    assert not Target.objects.exists()


def test_who_may_set_targets(world: World):
    kwargs = {"year": YEAR, "measure_code": "cdcs_yeu", "comparison": "le", "value": Decimal(0)}
    with pytest.raises(NotFoundError):
        services.target_set(actor=world.outsider, unit=world.cdcs_a, **kwargs)
    with pytest.raises(PermissionDeniedError):
        services.target_set(actor=world.viewer, unit=world.cdvc, **kwargs)
    with pytest.raises(NotFoundError):  # an officer below cannot set the level above's
        services.target_set(actor=world.officer_cdcs, unit=world.cdvc, **kwargs)
    t = services.target_set(actor=world.officer_above, unit=world.cdcs_a, **kwargs)
    with pytest.raises(NotFoundError):
        selectors.access_target(world.outsider, t.pk)
    with pytest.raises(NotFoundError):
        selectors.access_target(world.member_user, t.pk)
    assert selectors.access_target(world.officer_cdcs, t.pk) == t


def test_every_measure_is_in_the_glossary():
    from pathlib import Path

    glossary = (Path(__file__).resolve().parents[4] / "docs" / "glossary.md").read_text()
    assert all(f"`{m.code}`" in glossary for m in measures())
    assert {m.kind for m in measures()} == {"percent", "count"}
