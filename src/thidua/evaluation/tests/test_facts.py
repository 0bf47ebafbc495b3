"""The facts builder: the FACTS.json shape the rules engine reads, a fixed number of queries for
a whole unit, and the same answer every time."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.evaluation import services
from thidua.evaluation.engine import evaluate_people
from thidua.evaluation.facts import (
    build_person_facts,
    build_unit_facts,
    roster_summary,
    service_months_in,
)
from thidua.evaluation.models import DecidedBy, TitleResult
from thidua.evaluation.services import RatingRow
from thidua.evaluation.tests.conftest import YEAR, Roster
from thidua.movements.models import RegisteredTitle, Registration
from thidua.rules.facts import Facts, UnitFacts
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

D = dt.date


def _history(roster: Roster) -> None:
    w = roster.world
    officer = w.officer_cdcs
    member, other = roster.people[0], roster.people[1]
    for year, code in ((YEAR - 2, "HTXSNV"), (YEAR - 1, "HTTNV")):
        services.ratings_save(actor=officer, unit=w.cdcs_a, year=year,
                              rows=[RatingRow(member.pk, code)])
    services.ratings_save(actor=officer, unit=w.cdcs_a, year=YEAR, rows=[
        RatingRow(member.pk, "HTXSNV", absence_days=4, maternity_days=120),
        RatingRow(other.pk, "", absence_days=2, service_months=11)])
    TitleResult.objects.create(person=member, year=YEAR - 1, title="LDTT", unit=w.cdcs_a,
                               how=DecidedBy.IMPORTED)
    TitleResult.objects.create(person=member, year=YEAR - 1, title="CSTDCS", unit=w.cdcs_a,
                               how=DecidedBy.IMPORTED)
    TitleResult.objects.create(person=member, year=YEAR - 2, title="LDTT", unit=w.cdcs_a,
                               how=DecidedBy.IMPORTED, revoked=True)
    services.initiative_record(actor=officer, person=member, year=YEAR, level="co_so",
                               name="Số hóa hồ sơ")
    services.discipline_record(actor=officer, person=other, form="khien_trach",
                               valid_from=D(YEAR, 3, 1), valid_to=D(YEAR, 9, 1))
    roster.register([member], ["LDTT", "CSTDCS"])
    roster.register([member], ["LDTT"], year=YEAR - 1)


def test_a_person_year_in_the_shape_of_facts_json(roster):
    _history(roster)
    member = roster.people[0]
    facts = build_person_facts(person_ids=[member.pk], year=YEAR,
                               registrations=roster.registrations())
    assert facts[member.pk] == {
        "year": YEAR,
        "person": {"gender": "nu", "birth_date": "1990-03-08", "member": True},
        "ratings": {str(YEAR - 2): "HTXSNV", str(YEAR - 1): "HTTNV", str(YEAR): "HTXSNV"},
        "registered": {str(YEAR - 1): ["LDTT"], str(YEAR): ["CSTDCS", "LDTT"]},
        "titles": {str(YEAR - 1): ["CSTDCS", "LDTT"]},  # the revoked one is not history
        "initiatives": [{"year": YEAR, "level": "co_so"}],
        "discipline": [],
        # the engine counts maternity inside the days absent and discounts it itself
        "absence_days": {str(YEAR - 2): 0, str(YEAR - 1): 0, str(YEAR): 124},
        "maternity_days": {str(YEAR - 2): 0, str(YEAR - 1): 0, str(YEAR): 120},
        "pending": [], "family": {},
        "service_months": {str(YEAR): 12},  # computed from the employment for the year
    }
    parsed = Facts.from_dict(facts[member.pk])  # the engine accepts it as it is
    assert parsed.absence_days[YEAR] == 124 and parsed.titles[YEAR - 1] == {"LDTT", "CSTDCS"}


def test_entered_months_and_discipline_periods_are_kept(roster):
    _history(roster)
    other = roster.people[1]
    facts = build_person_facts(person_ids=[other.pk], year=YEAR,
                               registrations=roster.registrations())[other.pk]
    assert facts["service_months"] == {str(YEAR): 11}
    assert facts["discipline"] == [{"form": "khien_trach", "from": f"{YEAR}-03-01",
                                    "to": f"{YEAR}-09-01"}]
    assert facts["ratings"] == {} and facts["absence_days"] == {str(YEAR): 2}
    assert facts["registered"] == {}


def test_a_whole_unit_takes_the_same_few_queries(roster, django_assert_num_queries):
    _history(roster)
    fake = roster.registrations()
    ids = [p.pk for p in roster.people]
    # people, ratings, titles, initiatives, discipline, memberships, employments, and the
    # initiatives recognised in the initiatives app
    with django_assert_num_queries(9):
        small = build_person_facts(person_ids=ids[:2], year=YEAR, registrations=fake)
    w = roster.world
    more = [make_person(w.to_a1, f"Người số {i}", actor=w.admin).pk for i in range(25)]
    with django_assert_num_queries(9):
        big = build_person_facts(person_ids=ids + more, year=YEAR, registrations=fake)
    assert len(small) == 2 and len(big) == 31


def test_registrations_come_from_the_movements_app(roster, django_assert_num_queries):
    member = roster.people[0]
    w = roster.world
    reg = Registration.objects.create(year=YEAR, person=member, home_unit=w.to_a1,
                                      registered_on=D(YEAR, 1, 20))
    RegisteredTitle.objects.create(registration=reg, code="LDTT")
    Registration.objects.create(year=YEAR, person=roster.people[1], home_unit=w.cdcs_a,
                                registered_on=D(YEAR, 1, 20))
    with django_assert_num_queries(11):  # the nine, then registrations and their titles
        facts = build_person_facts(person_ids=[member.pk, roster.people[1].pk], year=YEAR)
    assert facts[member.pk]["registered"] == {str(YEAR): ["LDTT"]}
    # registered for emulation without a title: an empty list, not a missing year
    assert facts[roster.people[1].pk]["registered"] == {str(YEAR): []}


def test_the_builder_is_deterministic(roster):
    """The same database gives the same facts, whatever the order or repetition of the ids."""
    _history(roster)
    ids = [p.pk for p in roster.people]
    fake = roster.registrations()
    first = build_person_facts(person_ids=ids, year=YEAR, registrations=fake)
    second = build_person_facts(person_ids=list(reversed(ids)) + ids, year=YEAR,
                                registrations=fake)
    assert first == second
    assert list(first) == sorted(ids)
    alone = build_person_facts(person_ids=[ids[0]], year=YEAR, registrations=fake)
    assert alone[ids[0]] == first[ids[0]]  # a person's facts do not depend on who else is asked
    assert evaluate_people(first) == evaluate_people(second)


@pytest.mark.parametrize("periods, months", [
    ([(D(2010, 1, 1), None)], 12),
    ([(D(YEAR, 6, 1), None)], 7),
    ([(D(2010, 1, 1), D(YEAR, 4, 1))], 3),
    ([(D(2010, 1, 1), D(YEAR, 4, 1)), (D(YEAR, 4, 1), None)], 12),  # a transfer
    ([(D(2010, 1, 1), D(YEAR, 4, 1)), (D(YEAR, 3, 1), None)], 12),  # overlapping: once
    ([(D(YEAR + 1, 1, 1), None)], 0),
    ([], 0),
])
def test_months_of_service(periods, months):
    assert service_months_in(periods, YEAR) == months


def test_unit_facts_in_the_engines_shape(roster):
    w = roster.world
    _history(roster)
    services.unit_rating_set(actor=w.officer_cdcs, unit=w.to_a1, year=YEAR, code="HTXSNV")
    TitleResult.objects.create(subject_unit=w.to_a1, year=YEAR - 1, title="TTLDTT",
                               unit=w.cdcs_a, how=DecidedBy.IMPORTED)
    people = build_person_facts(person_ids=[p.pk for p in roster.people], year=YEAR,
                                registrations=roster.registrations())
    outcomes = evaluate_people(people)
    summary = roster_summary(people, outcomes, YEAR)
    assert summary == {"members": 6, "ldtt": 1, "cstdcs": 1, "completed_tasks": 1, "women": 3,
                       "disciplined": {"khien_trach": 1}}
    facts = build_unit_facts(unit_ids=[w.to_a1.pk], year=YEAR, rosters={w.to_a1.pk: summary},
                             registrations=lambda **kw: {(w.to_a1.pk, YEAR): {"TTLDXS"}})
    assert facts[w.to_a1.pk] == {
        "kind": "unit", "year": YEAR,
        "unit": {"code": "TO-A1", "type": "to_cd", "operating_months": (YEAR - 2010) * 12 + 12,
                 "reorganised": False},
        "ratings": {str(YEAR): "HTXSNV"}, "registered": {str(YEAR): ["TTLDXS"]},
        "titles": {str(YEAR - 1): ["TTLDTT"]}, "grading": {}, "roster": summary,
    }
    assert isinstance(UnitFacts.from_dict(facts[w.to_a1.pk]), UnitFacts)


def test_initiatives_of_the_initiatives_app_join_the_stand_in_records(roster):
    _history(roster)
    member = roster.people[0]

    def recognised(*, person_ids: list[int], years: list[int]) -> dict[int, list[dict]]:
        assert YEAR - 1 in years and YEAR + 1 not in years
        return {member.pk: [{"year": YEAR - 1, "level": "tinh"}, {"year": YEAR, "level": "co_so"},
                            {"year": YEAR + 1, "level": "toan_quoc"}]}

    facts = build_person_facts(person_ids=[member.pk], year=YEAR,
                               registrations=roster.registrations(), initiatives=recognised)
    assert facts[member.pk]["initiatives"] == [
        {"year": YEAR - 1, "level": "tinh"}, {"year": YEAR, "level": "co_so"},
        {"year": YEAR, "level": "co_so"}]
