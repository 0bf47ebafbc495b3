"""The maintained figures (ADR 0025): after every kind of change they equal what the check
recomputes from the records, they answer for past dates as the tree stood then, and the check
does report a wrong row."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.org import figures as org_figures
from thidua.org.models import FigureDelta, FigureYear, Unit, UnitVersion, alive_at
from thidua.org.services import UnitSpec, unit_move
from thidua.people.figures import figures_differences
from thidua.people.imports import roster_import_rows
from thidua.people.models import Employment
from thidua.people.rollup import COUNT_KEYS, subtree_counts_all
from thidua.people.services import (
    figures_rebuild,
    membership_resume,
    membership_suspend,
    person_leave_unit,
    person_transfer,
    person_update,
    unit_dissolve_with_roster,
    unit_merge_with_roster,
    unit_split_with_roster,
)
from thidua.people.stats import unit_stats
from thidua.people.tests.test_imports import numbered, person_row
from thidua.platform.errors import ApplicationError
from thidua.testing import cccd_for, make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date
DAYS = [D(2009, 12, 31), D(2015, 6, 1), D(2019, 12, 31), D(2020, 1, 1), D(2022, 1, 1),
        D(2024, 6, 30), D(2025, 7, 1), D(2030, 1, 1)]


def _figures(day: dt.date) -> dict[str, dict[str, int]]:
    return {code: {k: v for k, v in stats.items() if k in COUNT_KEYS}
            for code in Unit.objects.values_list("code", flat=True)
            for stats in [unit_stats(Unit.objects.get(code=code), day)]}


def _kept_equals_rebuilt() -> None:
    """0 differences, and every figure read from the table equals the one read after a rebuild
    from the records (the page's answer, not only the rows)."""
    assert figures_differences() == []
    kept = {day: _figures(day) for day in DAYS}
    figures_rebuild(actor=None)
    assert {day: _figures(day) for day in DAYS} == kept


@pytest.fixture
def staffed(world):
    admin = world.admin
    make_person(world.cdcs_a, "Lê Văn Minh", birth=D(1981, 1, 1), start=D(2012, 1, 1),
                actor=admin)
    make_person(world.cdcs_b, "Phạm Thị Hoa", gender="nu", birth=D(1982, 2, 2),
                start=D(2014, 3, 1), actor=admin)
    make_person(world.cdcs_b, "Đỗ Thu Trang", gender="nu", birth=D(1983, 3, 3), member=False,
                start=D(2016, 1, 1), actor=admin)
    make_person(world.cdcs_c, "Hoàng Minh Tuấn", birth=D(1984, 4, 4), start=D(2016, 5, 1),
                actor=admin)
    return world


def test_the_services_keep_the_figures(staffed):
    w = staffed
    hoa = w.cdcs_b.employments.get(person__full_name="Phạm Thị Hoa").person
    membership_suspend(actor=w.admin, person=hoa, date=D(2018, 3, 1))
    membership_resume(actor=w.admin, person=hoa, date=D(2019, 3, 1))
    minh = w.cdcs_a.employments.get(person__full_name="Lê Văn Minh").person
    person_transfer(actor=w.admin, person=minh, to_unit=w.cdcs_c, date=D(2021, 1, 1))
    tuan = w.cdcs_c.employments.get(person__full_name="Hoàng Minh Tuấn").person
    person_leave_unit(actor=w.admin, person=tuan, date=D(2023, 1, 1))
    # a gender corrected moves the person's whole history between the women's figures
    person_update(actor=w.admin, person=minh, expected_version=minh.version, gender="nu",
                  cccd=cccd_for(D(1981, 1, 1), "nu", 77))
    _kept_equals_rebuilt()
    assert unit_stats(w.cdvc, D(2018, 6, 1))["members_suspended"] == 1
    assert unit_stats(w.cdvc, D(2019, 6, 1))["members_suspended"] == 0


@pytest.mark.parametrize("bulk", [False, True], ids=["upserts", "staged"])
def test_an_import_keeps_the_figures(staffed, bulk, monkeypatch):
    if bulk:  # every write through the staged path (COPY and one upsert on PostgreSQL)
        monkeypatch.setattr(org_figures, "BULK", 1)
    w = staffed
    rows = [person_row(i, gender="Nữ" if i % 2 else "Nam", member=i % 3 != 0) for i in range(12)]
    # a known person listed in another unit's roster is moved there by the import
    moved = w.member
    rows.append({"full_name": moved.full_name, "gender": "Nữ", "birth_date": moved.birth_date,
                 "cccd": moved.cccd, "is_member": "Có", "join_date": D(2010, 1, 1)})
    result = roster_import_rows(actor=w.officer_above, unit=w.cdcs_b, rows=numbered(rows),
                                effective_date=D(2024, 1, 1))
    assert result.errors == [] and result.created == 12
    assert Employment.objects.get(person=moved, valid_to__isnull=True).unit_id == w.cdcs_b.pk
    _kept_equals_rebuilt()
    assert unit_stats(w.cdcs_b, D(2024, 1, 1))["workers"] == 2 + 12 + 1


@pytest.mark.parametrize("bulk", [False, True], ids=["upserts", "staged"])
def test_a_unit_transfer_moves_its_figures_from_that_day(staffed, bulk, monkeypatch):
    if bulk:  # every write through the staged path (COPY and one upsert on PostgreSQL)
        monkeypatch.setattr(org_figures, "BULK", 1)
    w = staffed
    before = unit_stats(w.cdvc, D(2019, 12, 31))
    unit_move(actor=w.admin, unit=w.cdcs_b, new_parent=w.hbt, date=D(2020, 1, 1))
    _kept_equals_rebuilt()
    assert unit_stats(w.cdvc, D(2019, 12, 31)) == before
    assert unit_stats(w.cdvc, D(2020, 1, 1))["workers"] == before["workers"] - 2
    assert unit_stats(w.hbt, D(2020, 1, 1))["women"] == 2


@pytest.mark.parametrize("bulk", [False, True], ids=["upserts", "staged"])
def test_a_merge_keeps_the_figures(staffed, bulk, monkeypatch):
    if bulk:  # every write through the staged path (COPY and one upsert on PostgreSQL)
        monkeypatch.setattr(org_figures, "BULK", 1)
    w = staffed
    eve = D(2025, 6, 30)
    was = unit_stats(w.cdcs_a, eve)["workers"] + unit_stats(w.cdcs_b, eve)["workers"]
    merged = unit_merge_with_roster(
        actor=w.admin, sources=[w.cdcs_a, w.cdcs_b], date=D(2025, 7, 1),
        new_unit=UnitSpec("CDCS-AB", "Công đoàn Sở Tư pháp – Y tế", "cdcs"),
    )
    _kept_equals_rebuilt()
    assert unit_stats(merged, D(2025, 7, 1))["workers"] == was
    assert unit_stats(w.cdcs_a, D(2025, 7, 1))["workers"] == 0


def test_a_merge_into_an_existing_unit_keeps_the_figures(staffed):
    w = staffed
    unit_merge_with_roster(actor=w.admin, sources=[w.cdcs_b], into=w.cdcs_c, date=D(2024, 1, 1))
    _kept_equals_rebuilt()
    assert unit_stats(w.cdcs_c, D(2024, 1, 1))["workers"] == 3


def test_a_split_keeps_the_figures(staffed):
    w = staffed
    b_people = {e.person_id: e.person.gender for e in w.cdcs_b.employments.select_related("person")}
    parts = [UnitSpec("CDCS-B1", "Công đoàn B1", "cdcs"), UnitSpec("CDCS-B2", "Công đoàn B2", "cdcs")]
    people = {pk: ("CDCS-B1" if i == 0 else "CDCS-B2") for i, pk in enumerate(sorted(b_people))}
    b1, b2 = unit_split_with_roster(actor=w.admin, source=w.cdcs_b, date=D(2022, 1, 1),
                                    parts=parts, people=people)
    _kept_equals_rebuilt()
    assert unit_stats(b1, D(2022, 1, 1))["workers"] + unit_stats(b2, D(2022, 1, 1))["workers"] == 2


def test_a_split_with_child_units_keeps_the_figures(staffed):
    w = staffed
    parts = [UnitSpec("CDCS-A1", "Công đoàn A1", "cdcs"), UnitSpec("CDCS-A2", "Công đoàn A2", "cdcs")]
    on_roster = {e.person_id for e in w.cdcs_a.employments.all()}
    a1, _ = unit_split_with_roster(actor=w.admin, source=w.cdcs_a, date=D(2022, 1, 1),
                                   parts=parts, people=dict.fromkeys(on_roster, "CDCS-A2"),
                                   children={w.to_a1.pk: "CDCS-A1"})
    _kept_equals_rebuilt()
    assert unit_stats(a1, D(2022, 1, 1))["members"] == unit_stats(w.to_a1, D(2022, 1, 1))["members"]


def test_a_dissolution_keeps_the_figures(staffed):
    w = staffed
    empty = make_unit("CDCS-E", "cdcs", w.hbt)
    person = make_person(empty, "Vũ Văn Hải", birth=D(1986, 6, 6), start=D(2015, 1, 1),
                         actor=w.admin)
    person_leave_unit(actor=w.admin, person=person, date=D(2022, 1, 1))
    unit_dissolve_with_roster(actor=w.admin, unit=empty, date=D(2023, 1, 1))
    _kept_equals_rebuilt()
    assert (unit_stats(w.hbt, D(2021, 1, 1))["workers"]
            == unit_stats(w.hbt, D(2022, 1, 1))["workers"] + 1)


@pytest.mark.parametrize("part", [5000, 2])
def test_the_check_reports_a_wrong_row(staffed, capsys, monkeypatch, part):
    """Also with the records recomputed in parts of two versions (their chains crossing the
    parts, added up in the check's temporary table)."""
    from thidua.people import figures as people_figures

    monkeypatch.setattr(people_figures, "REBUILD_VERSIONS", part)
    call_command("figures_check")  # 0 differences: no error
    row = FigureDelta.objects.filter(unit=staffed.cdvc).order_by("day").first()
    assert row is not None
    FigureDelta.objects.filter(pk=row.pk).update(women=row.women + 1)
    found = figures_differences()
    assert found == [(staffed.cdvc.pk, row.day, "women", row.women + 1, row.women)]
    with pytest.raises(CommandError, match="1 chỗ"):
        call_command("figures_check")
    assert "CDVC-HN" in capsys.readouterr().out
    call_command("figures_check", "--rebuild")
    assert figures_differences() == []


def test_the_sums_by_year_are_read_and_checked(staffed):
    """A date's figures are read from the sums by year (`FigureYear`) and at most half a year
    of day rows: a wrong sum shows in every later year's figures and in its own year's second
    half (read as the year's sum less the days after), not in its first half (the years before
    plus the days since 1 January); the check reports it against the records; the rebuild
    mends it."""
    row = FigureYear.objects.filter(unit=staffed.cdvc, workers__gt=0).order_by("year").first()
    assert row is not None
    days = D(row.year + 1, 3, 31), D(row.year, 12, 31), D(row.year, 6, 30)
    before = [unit_stats(staffed.cdvc, day)["workers"] for day in days]
    FigureYear.objects.filter(pk=row.pk).update(workers=row.workers + 1)
    assert [unit_stats(staffed.cdvc, day)["workers"] for day in days] == [
        before[0] + 1, before[1] + 1, before[2]]
    assert figures_differences() == [
        (staffed.cdvc.pk, D(row.year, 1, 1), "year:workers", row.workers + 1, row.workers)]
    call_command("figures_check", "--rebuild")
    assert figures_differences() == []
    assert [unit_stats(staffed.cdvc, day)["workers"] for day in days] == before


def test_a_dates_figures_either_side_of_mid_year_equal_the_records(staffed):
    """Read forward (the years before, then the days since 1 January) in a year's first half
    and backward (the years up to this one, less the days after) in its second, the figures
    at every day around the year's changes equal the people counted from their periods, a
    change dated after the day in the same year included (a leave in October, a start in
    November, read on days before them)."""
    w = staffed
    leaver = make_person(w.cdcs_a, "Trần Văn Bình", start=D(2025, 3, 1), actor=w.admin)
    person_leave_unit(actor=w.admin, person=leaver, date=D(2025, 10, 15))
    make_person(w.cdcs_b, "Vũ Thị Lan", gender="nu", birth=D(1990, 1, 2),
                start=D(2025, 11, 20), actor=w.admin)
    days = [D(2025, 2, 28), D(2025, 3, 1), D(2025, 6, 30), D(2025, 7, 1), D(2025, 10, 14),
            D(2025, 10, 15), D(2025, 11, 19), D(2025, 11, 20), D(2025, 12, 31), D(2026, 1, 1)]
    seen = set()
    for day in days:
        for version in UnitVersion.objects.at(day).select_related("unit"):
            units = UnitVersion.objects.at(day).subtree(version.path).values("unit_id")
            alive = Employment.objects.filter(alive_at(day), unit_id__in=units)
            counted = (alive.count(), alive.filter(person__gender="nu").count())
            figures = unit_stats(version.unit, day)
            assert (figures["workers"], figures["women"]) == counted, (version.unit.code, day)
            seen.add(counted)
    assert len(seen) > 3  # the days do differ


def test_the_rebuild_in_parts_of_a_few_versions_gives_the_same_table(staffed, monkeypatch):
    """The rebuild reads the versions in id ranges (its memory holds one range's rows): parts
    of two versions, their chains crossing the parts, give the table the services kept, day
    rows and sums by year alike."""
    from thidua.people import figures as people_figures

    def table() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        keys = [f.name for f in FigureDelta._meta.concrete_fields if f.name != "id"]
        return (sorted(FigureDelta.objects.values_list(*keys)),
                sorted(FigureYear.objects.values_list(*[k if k != "day" else "year"
                                                        for k in keys])))

    kept = table()
    assert UnitVersion.objects.count() > 4
    monkeypatch.setattr(people_figures, "REBUILD_VERSIONS", 2)
    figures_rebuild(actor=None)
    assert table() == kept
    assert figures_differences() == []


def test_a_missing_row_is_reported_too(staffed):
    FigureDelta.objects.filter(unit=staffed.cdcs_b).delete()
    assert {unit for unit, *_ in figures_differences()} == {staffed.cdcs_b.pk}


def test_rebuild_is_for_installation_administrators(staffed):
    with pytest.raises(ApplicationError):
        figures_rebuild(actor=staffed.leader)


def test_every_node_at_once_reads_the_table(staffed):
    day = D(2024, 6, 30)
    alive = set(UnitVersion.objects.at(day).values_list("unit_id", flat=True))
    assert set(subtree_counts_all(day=day)) == alive
    FigureDelta.objects.all().delete()  # the answer comes from the table, not the periods
    assert all(not any(v.values()) for v in subtree_counts_all(day=day).values())


def test_the_rosters_known_total_is_its_row_count_unfiltered_and_none_filtered(world):
    from thidua.people.selectors import roster, roster_known_total

    for i in range(4):
        make_person(world.cdcs_b, f"Đỗ Văn Hải {i}", member=i % 2 == 0, actor=world.admin)
    for version in UnitVersion.objects.filter(valid_to=None):
        for day in (dt.date(2019, 12, 31), dt.date(2024, 6, 30)):
            rows = roster(user=world.admin, unit_path=version.path, day=day).count()
            assert roster_known_total(unit_path=version.path, day=day) == rows
    path = UnitVersion.objects.get(unit=world.cdcs_b, valid_to=None).path
    assert roster_known_total(unit_path=path, day=dt.date(2024, 6, 30), status="member") is None
    assert roster_known_total(unit_path=path, day=dt.date(2024, 6, 30), query="hai") is None
