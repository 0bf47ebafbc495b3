"""The kept title figures (evaluation.figures, ADR 0031): every way a title is stored or
revoked, and every change of the roster that moves its holder on 31/12, leaves them equal to a
recomputation from the records."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.evaluation import services
from thidua.evaluation.figures import (
    ANY_WORKER_TITLE,
    differences,
    subtree_title_figures,
    title_figures,
)
from thidua.evaluation.models import DecidedBy, TitleFigure, TitleResult
from thidua.evaluation.selectors import title_counts
from thidua.evaluation.tests.conftest import YEAR, officer
from thidua.people.services import person_leave_unit, person_transfer
from thidua.testing import make_person

pytestmark = pytest.mark.django_db


def _figures(unit, year=YEAR):
    return subtree_title_figures(unit_ids=[unit.pk], year=year)


def _subtree(unit, year=YEAR):
    return title_counts(unit_id=unit.pk, year=year)


def test_imported_and_corrected_titles_are_counted_where_their_holders_work(roster):
    w = roster.world
    a1 = [p for p in roster.people[1:] if p.employments.get().unit_id == w.to_a1.pk]
    services.results_import(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="LDTT",
                            person_ids=[p.pk for p in roster.people])
    services.results_import(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="CSTDCS",
                            person_ids=[roster.people[1].pk], how=DecidedBy.COUNCIL)
    assert differences() == []
    # the tổ's own people, then the CĐCS's subtree (the tổ included), as title_counts reads it
    assert _figures(w.to_a1)["LDTT"] == len(a1) + 1  # the member works in TO-A1
    assert _subtree(w.cdcs_a) == {"LDTT": 6, "CSTDCS": 1, ANY_WORKER_TITLE: 6}
    # a worker with two worker titles counts once among "workers with a worker title"
    holders = _figures(w.cdcs_a)[ANY_WORKER_TITLE] + _figures(w.to_a1)[ANY_WORKER_TITLE]
    assert holders == 6
    services.title_correct(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, title="LDTT",
                           action="revoke", reason="Nhầm người", person=roster.people[2])
    services.title_correct(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, title="GVNDVN",
                           action="add", reason="Bổ sung", person=roster.people[2])
    assert differences() == []
    assert _subtree(w.cdcs_a) == {"LDTT": 5, "CSTDCS": 1, "GVNDVN": 1, ANY_WORKER_TITLE: 5}


def test_a_transfer_before_the_year_end_moves_the_titles_and_one_after_does_not(roster):
    w = roster.world
    person = make_person(w.cdcs_a, "Đinh Văn Chuyển", start=dt.date(2020, 1, 1), actor=w.admin)
    services.results_import(actor=officer(roster), unit=w.cdcs_a, year=YEAR - 1, title="LDTT",
                            person_ids=[person.pk])
    services.results_import(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="LDTT",
                            person_ids=[person.pk])
    assert _figures(w.cdcs_a, YEAR - 1).get("LDTT") == _figures(w.cdcs_a).get("LDTT") == 1
    # moved on 01/06 of YEAR: on the roster of CDCS-B on 31/12 of YEAR, still of CDCS-A on
    # 31/12 of the year before
    person_transfer(actor=w.admin, person=person, to_unit=w.cdcs_b, date=dt.date(YEAR, 6, 1))
    assert differences() == []
    assert _figures(w.cdcs_a, YEAR - 1).get("LDTT") == 1
    assert _figures(w.cdcs_a).get("LDTT") is None
    assert _figures(w.cdcs_b).get("LDTT") == 1
    # leaving the roster before the year end: counted nowhere that year
    person_leave_unit(actor=w.admin, person=person, date=dt.date(YEAR, 12, 1))
    assert differences() == []
    assert _figures(w.cdcs_b).get("LDTT") is None
    assert TitleFigure.objects.filter(holders=0).count() == 0


def test_a_failed_change_leaves_the_figures_alone(roster):
    w = roster.world
    before = list(TitleFigure.objects.values_list("unit_id", "year", "title", "holders"))
    with pytest.raises(RuntimeError), title_figures([w.member.pk]):
        TitleResult.objects.create(person=w.member, year=YEAR, title="LDTT", unit=w.cdcs_a,
                                   how=DecidedBy.COUNCIL)
        raise RuntimeError
    assert list(TitleFigure.objects.values_list("unit_id", "year", "title", "holders")) == before


def test_figures_check_reports_a_wrong_figure_and_rebuild_repairs_it(roster):
    w = roster.world
    services.results_import(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="LDTT",
                            person_ids=[w.member.pk])
    call_command("figures_check", stdout=StringIO())
    TitleFigure.objects.filter(year=YEAR, title="LDTT").update(holders=7)
    out = StringIO()
    with pytest.raises(CommandError, match="1 chỗ"):
        call_command("figures_check", stdout=out)
    assert "danh hiệu LDTT" in out.getvalue() and "đang lưu 7" in out.getvalue()
    call_command("figures_check", "--rebuild", stdout=StringIO())
    assert _figures(w.to_a1)["LDTT"] == 1


def test_the_people_of_a_change_are_read_in_few_statements_of_bounded_size():
    from thidua.evaluation.figures import _person_batches

    # a load's new people: one range, one statement
    assert _person_batches(range(1, 20_001)) == [("AND (t.person_id BETWEEN %s AND %s)",
                                                   [1, 20_000])]
    # a year-end review's holders: short runs and gaps, still few statements
    holders = [i for i in range(1, 3_001) if i % 3]  # 1,2 4,5 7,8 …: 1.000 runs of two
    batches = _person_batches(holders)
    assert len(batches) == 4 and all(len(params) <= 500 for _, params in batches)
    covered = {i for _, params in batches for lo, hi in zip(params[::2], params[1::2],
                                                              strict=True)
               for i in range(lo, hi + 1)}
    assert covered == set(holders)
    assert _person_batches([5, 9, 11]) == [("AND (t.person_id IN (%s, %s, %s))", [5, 9, 11])]
    assert _person_batches([]) == []
