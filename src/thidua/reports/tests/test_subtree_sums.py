"""The title figures' subtree sums (ADR 0036): kept with the titles, moved with the tree, read by
the dashboard and the year-end report, checked by `figures-check`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from thidua.evaluation import services
from thidua.evaluation.figures import ANY_WORKER_TITLE, SUMS, differences, rebuild
from thidua.evaluation.tests.conftest import Roster
from thidua.evaluation.tests.conftest import roster as _roster
from thidua.org.models import SubtreeFigure, Unit
from thidua.org.rollups import rolled_sums
from thidua.org.services import unit_move
from thidua.people.figures import DEPENDENTS
from thidua.people.services import unit_merge_with_roster
from thidua.reports import dashboard, selectors
from thidua.reports.dashboard import ChildRow, children_rows
from thidua.reports.tests.helpers import YEAR
from thidua.reports.tests.test_figures_records import year_of_records as _year_of_records
from thidua.testing import World

pytestmark = pytest.mark.django_db

roster = pytest.fixture(_roster.__wrapped__, name="roster")  # six people in CĐCS A and its tổ
year_of_records = pytest.fixture(_year_of_records.__wrapped__, name="year_of_records")


def _sums(units: list[Unit], year: int) -> dict[str, int]:
    """Unit code -> LĐTT holders of its subtree in the year, as kept."""
    found = rolled_sums(SUMS, unit_ids=[u.pk for u in units], years=[year], keys=["LDTT"])
    return {u.code: found.get((u.pk, year, "LDTT"), 0) for u in units}


def _import(roster: Roster, years: list[int]) -> None:
    w = roster.world
    for year in years:
        services.results_import(actor=w.admin, unit=w.cdcs_a, year=year, title="LDTT",
                                person_ids=[p.pk for p in roster.people])


def test_the_sums_follow_the_titles_and_the_tree(roster: Roster) -> None:
    w = roster.world
    _import(roster, [2023, 2024, 2025])
    units = [w.to_a1, w.cdcs_a, w.cdvc, w.hbt, w.cdcs_c, w.hn, w.tld]
    in_a1 = sum(p.employments.get().unit_id == w.to_a1.pk for p in roster.people)
    before = {"TO-A1": in_a1, "CDCS-A": 6, "CDVC-HN": 6, "LDLD-HBT": 0, "CDCS-C": 0,
              "LDLD-HN": 6, "TLD": 6}
    assert _sums(units, 2024) == before
    assert differences() == []

    # CĐCS A moves to Hai Bà Trưng in June 2024: its 2024 and 2025 titles go with it, its 2023
    # titles stay with the Công đoàn Viên chức, under which it stood on 31/12/2023
    unit_move(actor=w.admin, unit=w.cdcs_a, new_parent=w.hbt, date=dt.date(2024, 6, 1))
    assert _sums(units, 2023) == before
    moved = {**before, "CDVC-HN": 0, "LDLD-HBT": 6}
    assert _sums(units, 2024) == _sums(units, 2025) == moved
    assert differences() == []
    rows = {r.code: r for r in children_rows(w.hn, 2024)}
    assert (rows["CDVC-HN"].worker_titles, rows["LDLD-HBT"].worker_titles) == (0, 6)
    rows = {r.code: r for r in children_rows(w.hn, 2023)}
    assert (rows["CDVC-HN"].worker_titles, rows["LDLD-HBT"].worker_titles) == (6, 0)

    # merged into CĐCS C in March 2025: its people and its tổ go over; its 2024 titles stay
    # where they were on 31/12/2024, its 2025 titles follow the holders
    unit_merge_with_roster(actor=w.admin, sources=[w.cdcs_a], into=w.cdcs_c,
                           date=dt.date(2025, 3, 1))
    assert _sums(units, 2024) == moved
    assert _sums(units, 2025) == {**moved, "CDCS-A": 0, "CDCS-C": 6}
    assert differences() == []
    rows = {r.code: r for r in children_rows(w.hbt, 2025)}
    assert rows["CDCS-C"].worker_titles == 6 and "CDCS-A" not in rows


def test_the_check_reports_a_wrong_sum_and_the_rebuild_mends_it(roster: Roster) -> None:
    w = roster.world
    _import(roster, [2024])
    row = SubtreeFigure.objects.get(unit=w.cdvc, year=2024, key=SUMS.keyed(ANY_WORKER_TITLE))
    row.value = 9
    row.save()
    SubtreeFigure.objects.filter(unit=w.tld, year=2024, key=SUMS.keyed("LDTT")).delete()
    assert [(d[0], d[2], d[3], d[4]) for d in differences()] == [
        (w.tld.pk, "cả cây: danh hiệu LDTT", 0, 6),
        (w.cdvc.pk, f"cả cây: danh hiệu {ANY_WORKER_TITLE}", 9, 6),
    ]
    # the dashboard reads the kept sum, it does not recount the subtree
    assert {r.code: r.worker_titles for r in children_rows(w.hn, 2024)}["CDVC-HN"] == 9
    rebuild()
    assert differences() == []
    assert {r.code: r.worker_titles for r in children_rows(w.hn, 2024)}["CDVC-HN"] == 6
    assert _sums([w.cdvc, w.tld], 2024) == {"CDVC-HN": 6, "TLD": 6}


def _recounted(unit: Unit, year: int, monkeypatch: pytest.MonkeyPatch) -> list[ChildRow]:
    """The children's rows counted from the subtree's records and kept rows, as for a year the
    unit ended in (no subtree sums read)."""
    with monkeypatch.context() as patch:
        patch.setattr(dashboard, "at_year_end", lambda day: False)
        patch.setattr(selectors, "at_year_end", lambda day: False)
        return children_rows(unit, year)


def test_every_source_follows_a_move_and_agrees_with_a_recount(
        year_of_records: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = year_of_records
    assert children_rows(w.hn, YEAR) == _recounted(w.hn, YEAR, monkeypatch)
    before = {r.code: r for r in children_rows(w.hn, YEAR)}["CDVC-HN"]
    # CĐCS A, with its launch, registration, grading, culture title, family, Party and welfare
    # records, moves to Hai Bà Trưng in June: its year goes with it
    unit_move(actor=w.admin, unit=w.cdcs_a, new_parent=w.hbt, date=dt.date(YEAR, 6, 1))
    rows = {r.code: r for r in children_rows(w.hn, YEAR)}
    assert children_rows(w.hn, YEAR) == _recounted(w.hn, YEAR, monkeypatch)
    a, b = rows["LDLD-HBT"], rows["CDVC-HN"]
    assert (a.launched, a.registered, a.culture_registered, a.culture, a.graded, a.strong) == (
        1, 2, 2, 1, 1, 1)  # CĐCS C registered for the culture title too
    assert (b.launched, b.registered, b.graded, b.weak, b.culture) == (0, 1, 1, 1, 0)
    assert b.families == before.families - 1 and a.families == 2
    for dependent in DEPENDENTS:
        assert dependent.differences() == [], dependent.name
    # moved back the next year: this year's figures stay where CĐCS A stood on 31/12
    unit_move(actor=w.admin, unit=w.cdcs_a, new_parent=w.cdvc, date=dt.date(YEAR + 1, 3, 1))
    assert {r.code: r for r in children_rows(w.hn, YEAR)} == rows
    for dependent in DEPENDENTS:
        assert dependent.differences() == [], dependent.name


def test_a_one_year_reports_initiatives_are_its_sums_and_agree_with_a_recount(
        world: World) -> None:
    """An initiative of CĐCS A recognised at two levels in 2023 and put forward for a Bằng
    khen: the report of one year reads the subtree sums (by level, in all, put forward), which
    equal the records counted over that year's tree, before and after CĐCS A moves."""
    from thidua.initiatives import services as initiatives
    from thidua.initiatives.figures import differences as initiative_differences
    from thidua.initiatives.models import UseKind
    from thidua.initiatives.selectors import initiative_counts, initiative_year_sums
    from thidua.initiatives.tests.helpers import recognised
    from thidua.org.models import UnitVersion
    from thidua.reports.figures import year_figures

    ini = recognised(world)  # cơ sở, 2023
    initiatives.recognition_create(actor=world.officer_cdcs, initiative=ini, level="tinh",
                                   decided_on=dt.date(2023, 12, 20), decision_no="99/QĐ-UBND",
                                   issuer="Chủ tịch UBND Thành phố")
    initiatives.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                      kind=UseKind.COMMENDATION, reference="Bằng khen 2023",
                                      year=2023)

    def counted(unit: Unit) -> tuple[dict[str, int], int, int]:
        day = dt.date(2023, 12, 31)
        version = UnitVersion.objects.at(day).get(unit=unit)
        counts = initiative_counts(
            unit=unit, years=[2023], children=False,
            unit_ids=UnitVersion.objects.at(day).subtree(version.path).values("unit_id"))
        return counts.by_level, counts.recognized, counts.used_for_commendation

    for unit in (world.hn, world.cdvc, world.cdcs_a, world.hbt):
        assert initiative_year_sums(unit=unit, year=2023) == counted(unit), unit.code
    assert initiative_year_sums(unit=world.hn, year=2023)[1:] == (1, 1)
    assert year_figures(world.hn, 2023)["initiatives"] == {
        "co_so": 1, "tinh": 1, "total": 1, "proposed_for_awards": 1}
    assert initiative_differences() == []
    # CĐCS A moves to Hai Bà Trưng in June 2023: its year goes with it
    unit_move(actor=world.admin, unit=world.cdcs_a, new_parent=world.hbt,
              date=dt.date(2023, 6, 1))
    for unit in (world.hn, world.cdvc, world.cdcs_a, world.hbt):
        assert initiative_year_sums(unit=unit, year=2023) == counted(unit), unit.code
    assert initiative_year_sums(unit=world.hbt, year=2023)[1:] == (1, 1)
    assert initiative_year_sums(unit=world.cdvc, year=2023)[1:] == (0, 0)
    assert initiative_differences() == []


def test_a_page_reads_each_units_sums_once_and_finds_the_same_figures(
        year_of_records: World, django_assert_num_queries: Any) -> None:
    """Inside `page_reads` the first read of a unit's kept subtree sums reads every narrow
    source's at once (titles, gradings, launches, initiatives, report figures) and the page's
    later reads are answered from them, key by key as the database answers; the awards' sums
    (a wide source, keyed by issuer) are still read by themselves."""
    from thidua.evaluation.unit_figures import SUMS as UNIT_SUMS
    from thidua.honours.figures import SUMS as AWARD_SUMS
    from thidua.initiatives.figures import SUMS as INITIATIVE_SUMS
    from thidua.movements.figures import SUMS as MOVEMENT_SUMS
    from thidua.platform.reads import page_reads
    from thidua.reports import kept
    from thidua.reports.dashboard import dashboard as unit_dashboard

    w = year_of_records
    narrow = [SUMS, UNIT_SUMS, MOVEMENT_SUMS, INITIATIVE_SUMS, kept.SUMS]
    ids = [u.pk for u in (w.tld, w.hn, w.cdvc, w.cdcs_a, w.hbt)]
    years = [YEAR - 1, YEAR]

    def reads() -> dict[str, Any]:
        out: dict[str, Any] = {s.name: rolled_sums(s, unit_ids=ids, years=years)
                               for s in [*narrow, AWARD_SUMS]}
        for s in narrow:  # a few keys, one missing, of fewer units and one year
            some = sorted({key for (_u, _y, key) in out[s.name]})[:2]
            out[s.name + "/keys"] = rolled_sums(s, unit_ids=ids[1:3], years=[YEAR],
                                                keys=[*some, "khong-co"])
        return out

    alone = reads()
    assert {name for name, found in alone.items() if found} >= {"t", "u", "m", "r", "a"}
    with page_reads():
        with django_assert_num_queries(1):
            first = rolled_sums(UNIT_SUMS, unit_ids=ids, years=years)
        with django_assert_num_queries(1):  # the awards only
            in_page = reads()
        with django_assert_num_queries(1):  # a unit not read yet
            rolled_sums(SUMS, unit_ids=[w.cdcs_c.pk, *ids], years=[YEAR])
    assert first == alone["u"] and in_page == alone
    with page_reads():
        in_page_dashboard = unit_dashboard(w.hn, YEAR)
    assert in_page_dashboard == unit_dashboard(w.hn, YEAR)
