"""The year lock and the corrections that may still change a decided year
(services.corrections)."""

from __future__ import annotations

import pytest

from thidua.audit.models import AuditEntry
from thidua.evaluation import services
from thidua.evaluation.models import (
    Correction,
    DecidedBy,
    TitleResult,
    YearLock,
)
from thidua.evaluation.services import RatingRow
from thidua.evaluation.tests.conftest import (
    ALL,
    YEAR,
    council,
    officer,
    open_review,
    rate,
    ready_review,
    vote_all,
)
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_only_a_leader_locks_and_not_while_a_review_is_open(roster):
    w = roster.world
    review = ready_review(roster)
    with pytest.raises(PermissionDeniedError):
        services.year_lock(actor=w.officer_above, unit=w.cdvc, year=YEAR)
    with pytest.raises(ApplicationError, match="chưa kết thúc"):
        services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR)
    members = council(review, roster)
    services.review_transition(actor=officer(roster), review=review, to="voting")
    vote_all(review, roster, members)
    services.review_transition(actor=officer(roster), review=review, to="closed")
    services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR)
    with pytest.raises(ApplicationError, match="đã khóa"):
        services.year_lock(actor=w.leader, unit=w.cdcs_a, year=YEAR)


def test_a_locked_year_refuses_every_change_but_corrections(roster):
    w = roster.world
    rate(roster, ["HTTNV"])
    services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR)
    with pytest.raises(ApplicationError, match="đã khóa"):
        rate(roster, ["HTXSNV"])
    with pytest.raises(ApplicationError, match="đã khóa"):
        open_review(roster)
    with pytest.raises(ApplicationError, match="đã khóa"):
        services.unit_rating_set(actor=w.officer_cdcs, unit=w.to_a1, year=YEAR, code="HTTNV")
    with pytest.raises(ApplicationError, match="đã khóa"):
        services.results_import(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, title="GVNDVN",
                                person_ids=[w.member.pk])
    assert YearLock.objects.count() == 1
    # the next year is open
    rate(roster, ["HTXSNV"], year=YEAR + 1)


def test_a_lock_below_refuses_the_upper_units_changes_to_those_people(roster):
    w = roster.world
    services.year_lock(actor=w.admin, unit=w.to_a1, year=YEAR)
    with pytest.raises(ApplicationError, match="Tổ công đoàn Văn phòng"):
        services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=YEAR,
                              rows=[RatingRow(w.member.pk, "HTTNV")])  # the member is in TO-A1
    services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=YEAR,
                          rows=[RatingRow(roster.people[1].pk, "HTTNV")])  # CDCS-A itself


def test_corrections_of_a_locked_year_are_logged_with_before_and_after(roster):
    w = roster.world
    review = ready_review(roster)
    members = council(review, roster)
    services.review_transition(actor=officer(roster), review=review, to="voting")
    vote_all(review, roster, members)
    services.review_transition(actor=officer(roster), review=review, to="closed")
    services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR)
    result = TitleResult.objects.get(person=roster.people[1], title="LDTT")
    with pytest.raises(ApplicationError, match="lý do"):
        services.title_correct(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="LDTT",
                               action="revoke", reason="", person=roster.people[1])
    fix = services.title_correct(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="LDTT",
                                 action="revoke", person=roster.people[1],
                                 reason="Phát hiện vi phạm kỷ luật sau bình xét")
    result.refresh_from_db()
    assert result.revoked
    assert fix.before["revoked"] is False and fix.after["revoked"] is True
    add = services.title_correct(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="LDTT",
                                 action="add", person=roster.people[3],
                                 reason="Kết quả phúc tra xếp loại")
    assert add.before is None and add.after["how"] == DecidedBy.CORRECTION
    with pytest.raises(ApplicationError, match="đã được ghi nhận"):
        services.title_correct(actor=officer(roster), unit=w.cdcs_a, year=YEAR, title="LDTT",
                               action="add", person=roster.people[3], reason="Lần thứ hai")
    changed = services.rating_correct(actor=officer(roster), unit=w.cdcs_a, year=YEAR,
                                      person=roster.people[3], code="HTTNV",
                                      reason="Kết quả phúc tra xếp loại")
    assert (changed.before["code"], changed.after["code"]) == ("HTNV", "HTTNV")
    assert Correction.objects.filter(unit=w.cdcs_a, year=YEAR).count() == 3
    assert AuditEntry.objects.filter(action__in=["title.revoke", "title.add",
                                                 "rating.correct"]).count() == 3
    with pytest.raises(NotFoundError):
        services.title_correct(actor=w.outsider, unit=w.cdcs_a, year=YEAR, title="LDTT",
                               action="add", person=roster.people[4], reason="Ngoài phạm vi")


def test_the_engines_titles_can_be_stored_without_a_review(roster):
    roster.register(roster.people, ALL)
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"])
    n = services.results_from_engine(actor=officer(roster), unit=roster.world.cdcs_a, year=YEAR,
                                     registrations=roster.registrations())
    assert n == TitleResult.objects.filter(how=DecidedBy.ENGINE).count() > 0
    again = services.results_from_engine(actor=officer(roster), unit=roster.world.cdcs_a,
                                         year=YEAR, registrations=roster.registrations())
    assert again == 0
