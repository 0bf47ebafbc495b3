"""Ratings and working-time facts (services.ratings): the roster at year end, all rows or none,
locked years, out-of-scope officers."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.audit.models import AuditEntry
from thidua.evaluation import services
from thidua.evaluation.models import (
    Rating,
)
from thidua.evaluation.services import RatingRow
from thidua.evaluation.tests.conftest import (
    YEAR,
    officer,
)
from thidua.people.services import person_transfer
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db


def test_ratings_are_saved_updated_and_audited(roster):
    people = roster.people
    result = services.ratings_save(actor=officer(roster), unit=roster.world.cdcs_a, year=YEAR,
                                   rows=[RatingRow(people[0].pk, "HTXSNV", 3, 0),
                                         RatingRow(people[1].pk, "HTTNV")])
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert Rating.objects.get(person=people[0], year=YEAR).unit == roster.world.to_a1
    again = services.ratings_save(actor=officer(roster), unit=roster.world.cdcs_a, year=YEAR,
                                  rows=[RatingRow(people[0].pk, "HTXSNV", 3, 0),
                                        RatingRow(people[1].pk, "HTNV")])
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    entry = AuditEntry.objects.filter(action="rating.save").order_by("-seq").first()
    assert entry.after["changes"] == [{"person": people[1].pk,
                                       "before": {"code": "HTTNV", "absence_days": 0,
                                                  "maternity_days": 0, "service_months": None,
                                                  "note": "", "family_ok": None},
                                       "after": {"code": "HTNV", "absence_days": 0,
                                                 "maternity_days": 0, "service_months": None,
                                                 "note": "", "family_ok": None}}]


def test_a_rating_for_someone_not_on_the_roster_that_year_is_refused(roster):
    w = roster.world
    stranger = make_person(w.cdcs_c, "Lý Văn Ngoài", actor=w.admin)
    with pytest.raises(ApplicationError, match="không có trong danh sách"):
        services.ratings_save(actor=w.admin, unit=w.cdcs_a, year=YEAR,
                              rows=[RatingRow(roster.people[1].pk, "HTTNV"),
                                    RatingRow(stranger.pk, "HTTNV")])
    assert not Rating.objects.exists()  # all or nothing
    # hired after the year ended: not on the roster of 31/12 of that year
    late = make_person(w.cdcs_a, "Đỗ Văn Muộn", start=dt.date(YEAR + 1, 2, 1), actor=w.admin)
    with pytest.raises(ApplicationError, match="không có trong danh sách"):
        services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=YEAR,
                              rows=[RatingRow(late.pk, "HTTNV")])


def test_someone_who_moved_away_is_rated_where_they_were_at_year_end(roster):
    w = roster.world
    person = roster.people[2]
    person_transfer(actor=w.admin, person=person, to_unit=w.cdcs_c, date=dt.date(YEAR + 1, 3, 1))
    services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=YEAR,
                          rows=[RatingRow(person.pk, "HTTNV")])
    with pytest.raises(ApplicationError, match="không có trong danh sách"):
        services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=YEAR + 1,
                              rows=[RatingRow(person.pk, "HTTNV")])


def test_ratings_out_of_scope_and_without_the_role_are_refused(roster):
    w = roster.world
    with pytest.raises(NotFoundError):
        services.ratings_save(actor=w.outsider, unit=w.cdcs_a, year=YEAR,
                              rows=[RatingRow(roster.people[0].pk, "HTTNV")])
    with pytest.raises(PermissionDeniedError):
        services.ratings_save(actor=w.viewer, unit=w.cdcs_a, year=YEAR,
                              rows=[RatingRow(roster.people[0].pk, "HTTNV")])
    with pytest.raises(NotFoundError):
        services.ratings_save(actor=w.member_user, unit=w.cdcs_a, year=YEAR,
                              rows=[RatingRow(roster.people[0].pk, "HTTNV")])


@pytest.mark.parametrize("row, message", [
    (RatingRow(0, "XUATSAC"), "Xếp loại phải là"),
    (RatingRow(0, "HTTNV", absence_days=400), "Số ngày nghỉ phải"),
    (RatingRow(0, "HTTNV", absence_days=200, maternity_days=200), "vượt quá số ngày"),
    (RatingRow(0, "HTTNV", service_months=13), "Số tháng công tác"),
])
def test_bad_values_are_refused(roster, row, message):
    row.person_id = roster.people[0].pk
    with pytest.raises(ApplicationError, match=message):
        services.ratings_save(actor=officer(roster), unit=roster.world.cdcs_a, year=YEAR,
                              rows=[row])


def test_a_person_twice_in_one_save_is_refused(roster):
    pid = roster.people[0].pk
    with pytest.raises(ApplicationError, match="hai lần"):
        services.ratings_save(actor=officer(roster), unit=roster.world.cdcs_a, year=YEAR,
                              rows=[RatingRow(pid, "HTTNV"), RatingRow(pid, "HTXSNV")])


def test_a_year_far_off_is_refused(roster):
    with pytest.raises(ApplicationError, match="Năm đánh giá"):
        services.ratings_save(actor=officer(roster), unit=roster.world.cdcs_a, year=1999,
                              rows=[])
