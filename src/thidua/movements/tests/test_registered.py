"""Who has registered, kept per subtree and day (ADR 0037): the registration page's figures
read from the kept rows agree with a scan of the roster after registrations, corrections,
transfers, a unit's move, a merge and a dissolution; `figures-check` finds nothing, or what
was broken."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from thidua.movements import services
from thidua.movements.registered import _where, differences, rebuild
from thidua.movements.selectors import registration_years
from thidua.movements.selectors_progress import registration_progress
from thidua.movements.services import RegistrationInput
from thidua.movements.tests.helpers import ON_TIME, YEAR, rule
from thidua.org.models import DatedFigure, Unit
from thidua.org.services import UnitSpec, unit_move
from thidua.people.figures import DEPENDENTS
from thidua.people.imports import roster_import_rows
from thidua.people.models import Person
from thidua.people.services import (
    membership_leave,
    person_transfer,
    unit_dissolve_with_roster,
    unit_merge_with_roster,
    unit_split_with_roster,
)
from thidua.people.tests.test_imports import numbered
from thidua.testing import World, make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date

# the registration page's figures as the page counted them before ADR 0037: a scan of the
# subtree's periods at the day, joined to the year's registrations
_SCAN = """
SELECT SUBSTR(v.path, 1, %(plen)s), COUNT(*),
       SUM(CASE WHEN r.id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.id IS NOT NULL AND r.commitment_count >= %(need)s THEN 1 ELSE 0 END)
FROM {table} t
JOIN org_unitversion v ON v.unit_id = t.unit_id
     AND v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
LEFT JOIN movements_registration r ON r.person_id = t.person_id AND r.year = %(year)s
WHERE v.path LIKE %(like)s
  AND t.valid_from <= %(day)s AND (t.valid_to IS NULL OR t.valid_to > %(day)s)
GROUP BY SUBSTR(v.path, 1, %(plen)s)
"""
_UNITS_SCAN = """
SELECT u.type, COUNT(*), COUNT(r.id),
       SUM(CASE WHEN r.id IS NOT NULL AND r.commitment_count >= %(need)s THEN 1 ELSE 0 END)
FROM org_unitversion v JOIN org_unit u ON u.id = v.unit_id
LEFT JOIN movements_registration r ON r.unit_id = v.unit_id AND r.year = %(year)s
WHERE v.path LIKE %(like)s AND v.depth > %(depth)s
  AND v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
GROUP BY u.type
"""


def _read(unit: Unit, day: dt.date) -> dict[str, Any]:
    """What the page shows: the totals, each child's, the units below by type."""
    p = registration_progress(unit=unit, year=YEAR, today=day)
    assert p.day == day and p.version is not None
    return {
        "total": (p.members, p.members_registered, p.members_enough, p.workers,
                  p.workers_registered),
        "children": {c.path: (c.members, c.members_registered, c.members_enough, c.workers,
                              c.workers_registered) for c in p.children
                     if c.members or c.workers or c.members_registered},
        "units": sorted((x.unit_type, x.total, x.acknowledged, x.launched)
                        for x in p.units_by_type),
    }


def _scan(unit: Unit, day: dt.date) -> dict[str, Any]:
    p = registration_progress(unit=unit, year=YEAR, today=day)
    version = p.version
    assert version is not None
    need = p.min_member
    step = Unit.steplen
    params = {"plen": len(version.path) + step, "need": need, "day": day, "year": YEAR,
              "like": version.path + "%", "depth": version.depth}
    found: dict[str, list[int]] = {}
    total = [0, 0, 0, 0, 0]
    with connection.cursor() as cursor:
        for table, at in (("people_membership", 0), ("people_employment", 3)):
            cursor.execute(_SCAN.format(table=table), params)
            for prefix, n, registered, enough in cursor.fetchall():
                row = [int(n), int(registered or 0), int(enough or 0)]
                values = row if at == 0 else row[:2]
                if len(prefix) > len(version.path):
                    child = found.setdefault(prefix, [0, 0, 0, 0, 0])
                    child[at:at + len(values)] = values
                for i, x in enumerate(values):
                    total[at + i] += x
        params["need"] = p.min_unit
        cursor.execute(_UNITS_SCAN, params)
        units = sorted((t, int(n), int(a), int(b or 0)) for t, n, a, b in cursor.fetchall())
    return {"total": tuple(total),
            "children": {k: tuple(v) for k, v in found.items() if v[0] or v[3] or v[1]},
            "units": units}


def _agree(units: list[Unit], days: list[dt.date]) -> None:
    for unit in units:
        unit.refresh_from_db()
        for day in days:
            got = registration_progress(unit=unit, year=YEAR, today=day)
            if got.version is None:
                continue
            assert _read(unit, day) == _scan(unit, day), (unit.code, day)
    assert differences() == []


def _register(world: World, unit: Unit, rows: list[RegistrationInput], *, mode: str = "create",
              ) -> None:
    result = services.registrations_bulk_create(
        actor=world.admin, unit=unit, year=YEAR, registered_on=ON_TIME, rows=rows, mode=mode)
    assert result.written and not result.errors, result.errors


@pytest.fixture
def registered(world: World) -> list[Person]:
    """Five people of CĐCS A, its tổ and CĐCS B, four of them registered with 1–3
    commitments; two units registered. The rule, raised to 2 commitments of a member and of
    a unit after they registered, leaves some short."""
    rule(world, min_commitments_member=0, min_commitments_unit=0, deadline=None)
    people = [make_person(world.to_a1, "Nguyễn Văn An", actor=world.admin),
              make_person(world.cdcs_a, "Trần Thị Bình", gender="nu", actor=world.admin),
              make_person(world.cdcs_a, "Lê Văn Cường", member=False, actor=world.admin),
              make_person(world.cdcs_b, "Phạm Thị Dung", gender="nu", actor=world.admin),
              make_person(world.cdcs_b, "Hoàng Văn Em", actor=world.admin)]
    _register(world, world.cdvc, [
        RegistrationInput(person_id=people[0].pk, titles=["LDTT"], commitments=["A", "B"],
                          row=1),
        RegistrationInput(person_id=people[1].pk, titles=["LDTT"], commitments=["A", "B", "C"],
                          row=2),
        RegistrationInput(person_id=people[2].pk, commitments=["A"], row=3),
        RegistrationInput(person_id=people[3].pk, titles=["LDTT"], commitments=["A"], row=4),
        RegistrationInput(unit_id=world.to_a1.pk, titles=["TTLDTT"], commitments=["A", "B"],
                          row=5),
        RegistrationInput(unit_id=world.cdcs_b.pk, titles=["TTLDTT"], commitments=["A"],
                          row=6),
    ])
    rule(world, min_commitments_member=2, min_commitments_unit=2, deadline=None)
    return people


def test_the_page_reads_what_a_scan_of_the_roster_counts(world: World,
                                                         registered: list[Person]) -> None:
    units = [world.tld, world.hn, world.cdvc, world.cdcs_a, world.cdcs_b]
    _agree(units, [D(YEAR, 3, 1), D(YEAR, 12, 31)])
    page = _read(world.cdvc, D(YEAR, 12, 31))
    # four of the five people in CĐCS A (with the world's member) and two in CĐCS B are members
    assert page["total"][:3] == (5, 3, 2)
    assert page["units"] == [("cdcs", 2, 1, 0), ("to_cd", 1, 1, 1)]
    assert DatedFigure.objects.filter(key__startswith=f"dk:{YEAR}:").exists()
    # the year select offers the years someone of the subtree registered for
    assert registration_years(world.tld) == registration_years(world.cdcs_b) == {YEAR}
    assert registration_years(world.cdcs_c) == set()


def test_the_figures_follow_corrections_transfers_and_the_tree(world: World,
                                                               registered: list[Person]) -> None:
    people = registered
    units = [world.tld, world.hn, world.cdvc, world.hbt, world.cdcs_a, world.cdcs_b,
             world.cdcs_c]
    # a correction: Dung now has two commitments, An's registration withdrawn
    _register(world, world.cdvc, [
        RegistrationInput(person_id=people[3].pk, titles=["LDTT"], commitments=["A", "B"],
                          row=1),
        RegistrationInput(person_id=people[0].pk, row=2)], mode=services.Mode.REPLACE)
    _agree(units, [D(YEAR, 12, 31)])
    assert _read(world.cdvc, D(YEAR, 12, 31))["total"][:3] == (5, 2, 2)

    # Bình moves to CĐCS C (Hai Bà Trưng) in May, Em leaves the union in August
    person_transfer(actor=world.admin, person=people[1], to_unit=world.cdcs_c,
                    date=D(YEAR, 5, 1))
    membership_leave(actor=world.admin, person=people[4], date=D(YEAR, 8, 1))
    days = [D(YEAR, 4, 30), D(YEAR, 5, 1), D(YEAR, 7, 31), D(YEAR, 8, 1), D(YEAR, 12, 31)]
    _agree(units, days)
    assert _read(world.hbt, D(YEAR, 4, 30))["total"][1] == 0
    assert _read(world.hbt, D(YEAR, 5, 1))["total"][1] == 1

    # CĐCS A, with its tổ, moves under Hai Bà Trưng in June; CĐCS B merges into CĐCS C in
    # September; CĐCS A is dissolved in November once its people have gone to CĐCS C
    unit_move(actor=world.admin, unit=world.cdcs_a, new_parent=world.hbt, date=D(YEAR, 6, 1))
    _agree(units, [D(YEAR, 5, 31), D(YEAR, 6, 1), D(YEAR, 12, 31)])
    unit_merge_with_roster(actor=world.admin, sources=[world.cdcs_b], into=world.cdcs_c,
                           date=D(YEAR, 9, 1))
    _agree(units, [D(YEAR, 8, 31), D(YEAR, 9, 1), D(YEAR, 12, 31)])
    for person in Person.objects.filter(employments__unit__in=[world.cdcs_a, world.to_a1],
                                        employments__valid_to__isnull=True):
        person_transfer(actor=world.admin, person=person, to_unit=world.cdcs_c,
                        date=D(YEAR, 10, 1))
    unit_dissolve_with_roster(actor=world.admin, unit=world.to_a1, date=D(YEAR, 10, 15))
    unit_dissolve_with_roster(actor=world.admin, unit=world.cdcs_a, date=D(YEAR, 11, 1))
    _agree(units, [D(YEAR, 6, 1), D(YEAR, 10, 1), D(YEAR, 11, 1), D(YEAR, 12, 31)])
    # CĐCS B, registered, has merged into CĐCS C, which had not
    assert _read(world.hbt, D(YEAR, 12, 31))["units"] == [("cdcs", 1, 0, 0)]


def test_the_figures_follow_an_import_and_a_split(world: World,
                                                 registered: list[Person]) -> None:
    people = registered
    units = [world.tld, world.hn, world.cdvc, world.cdcs_a, world.cdcs_b]
    # Bình, registered in CĐCS A, is listed in CĐCS B's roster: the import moves her there
    binh = people[1]
    result = roster_import_rows(
        actor=world.admin, unit=world.cdcs_b, effective_date=D(YEAR, 4, 1),
        rows=numbered([{"full_name": binh.full_name, "gender": "Nữ", "birth_date": binh.birth_date,
                        "cccd": binh.cccd, "is_member": "Có", "join_date": D(2010, 1, 1)}]))
    assert result.errors == []
    _agree(units, [D(YEAR, 3, 31), D(YEAR, 4, 1), D(YEAR, 12, 31)])
    assert _read(world.cdcs_b, D(YEAR, 4, 1))["total"][1] == 2  # Dung and Bình

    # CĐCS B splits in two in October, its people shared between the parts
    on_roster = sorted(Person.objects.filter(employments__unit=world.cdcs_b,
                                             employments__valid_to__isnull=True)
                       .values_list("pk", flat=True))
    b1, b2 = unit_split_with_roster(
        actor=world.admin, source=world.cdcs_b, date=D(YEAR, 10, 1),
        parts=[UnitSpec("CDCS-B1", "Công đoàn B1", "cdcs"),
               UnitSpec("CDCS-B2", "Công đoàn B2", "cdcs")],
        people={pk: "CDCS-B1" if i % 2 else "CDCS-B2" for i, pk in enumerate(on_roster)})
    _agree([*units[:3], world.cdcs_a, b1, b2], [D(YEAR, 9, 30), D(YEAR, 10, 1), D(YEAR, 12, 31)])
    assert (_read(world.cdvc, D(YEAR, 10, 1))["total"]
            == _read(world.cdvc, D(YEAR, 9, 30))["total"])


def test_the_check_finds_a_wrong_row_and_the_rebuild_mends_it(world: World,
                                                              registered: list[Person]) -> None:
    row = DatedFigure.objects.filter(unit=world.cdvc, key=f"dk:{YEAR}:m:3").earliest("day")
    DatedFigure.objects.filter(pk=row.pk).update(value=row.value + 1)
    wrong = differences()
    assert [(u, k, have, want) for u, _, k, have, want in wrong] == [
        (world.cdvc.pk, f"dk:{YEAR}:m:3", row.value + 1, row.value)]
    assert wrong[0][1] == D(YEAR - 1, 1, 1)
    assert "registered" in {d.name for d in DEPENDENTS}  # figures-check and the rebuild see it
    rebuild()
    assert differences() == []
    _agree([world.cdvc], [D(YEAR, 12, 31)])


def test_a_year_is_kept_only_where_it_can_be_read(world: World) -> None:
    """A member since 2010 registered for YEAR: their rows start on 1/1 of the year before,
    not in 2010, whatever the calendar reads inside [1/1 of YEAR-1, 1/1 of YEAR+1)."""
    rule(world, min_commitments_member=0, deadline=None)
    person = make_person(world.cdcs_b, "Vũ Văn Giang", actor=world.admin)
    _register(world, world.cdvc, [RegistrationInput(person_id=person.pk, titles=["LDTT"],
                                                    row=1)])
    days = set(DatedFigure.objects.filter(unit=world.cdcs_b).values_list("day", flat=True))
    assert days == {D(YEAR - 1, 1, 1), D(YEAR + 1, 1, 1)}
    cdcs = make_unit("CDCS-MOI", "cdcs", world.cdvc, name="Công đoàn mới")
    assert registration_progress(unit=cdcs, year=YEAR, today=D(YEAR, 12, 31)).members == 0


def test_the_people_are_read_in_few_statements() -> None:
    """A long run of ids is one range; the rest one array on PostgreSQL, lists of 500 on
    SQLite (a statement per short run made 400 of them for a CĐCS's roster of 1.000)."""
    ids = [*range(1, 151), *range(300, 1500, 2), 2000, 2001]
    wheres = list(_where("r.person_id", ids))
    assert wheres[0] == ("r.person_id BETWEEN %s AND %s", [1, 150])
    rest = [i for _, params in wheres[1:] for i in
            (params[0] if connection.vendor == "postgresql" else params)]
    assert sorted(rest) == [*range(300, 1500, 2), 2000, 2001]
    assert len(wheres) == (2 if connection.vendor == "postgresql" else 3)
    assert list(_where("r.person_id", None)) == [("1 = 1", [])]
