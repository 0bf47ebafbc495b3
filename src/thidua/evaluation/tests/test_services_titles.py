"""Facts that decide titles (maternity, sick leave, service months, transfers) and the quotas
that cut a title's list (services.titles)."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.audit.models import AuditEntry
from thidua.evaluation import services
from thidua.evaluation.models import (
    TitleResult,
)
from thidua.evaluation.services import RatingRow
from thidua.evaluation.services import titles as titles_module
from thidua.evaluation.tests.conftest import (
    YEAR,
    Roster,
    council,
    officer,
    open_review,
    rate,
)
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db


def _ldtt(roster: Roster, person) -> bool:
    _, outcomes = services.evaluate_roster(roster.world.cdcs_a, YEAR,
                                           registrations=roster.registrations())
    return outcomes[person.pk]["titles"]["LDTT"]["eligible"]


def test_maternity_leave_counts_as_work(roster):
    """NĐ 152/2025 Art. 4; the local guide's 40 days of absence (rule set parameter)."""
    roster.register(roster.people, ["LDTT"])
    mother, sick = roster.people[1], roster.people[2]
    services.ratings_save(actor=officer(roster), unit=roster.world.cdcs_a, year=YEAR, rows=[
        RatingRow(mother.pk, "HTTNV", absence_days=5, maternity_days=180),
        RatingRow(sick.pk, "HTTNV", absence_days=45)])
    assert _ldtt(roster, mother)
    assert not _ldtt(roster, sick)


def test_a_discipline_in_force_during_the_year_excludes(roster):
    roster.register(roster.people, ["LDTT"])
    person = roster.people[1]
    rate(roster, [None, "HTXSNV"])
    assert _ldtt(roster, person)
    services.discipline_record(actor=officer(roster), person=person, form="khien_trach",
                               valid_from=dt.date(YEAR, 6, 1), valid_to=dt.date(YEAR + 1, 6, 1),
                               decision="12/QĐ-SỞ")
    assert not _ldtt(roster, person)


def test_months_of_service_come_from_the_employment_unless_entered(roster):
    w = roster.world
    newcomer = make_person(w.cdcs_a, "Bùi Thị Mới", gender="nu", start=dt.date(YEAR, 6, 1),
                           actor=w.admin)
    roster.register([newcomer], ["LDTT"])
    services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=YEAR,
                          rows=[RatingRow(newcomer.pk, "HTXSNV")])
    assert not _ldtt(roster, newcomer)  # 7 months, under the 10 of the rule set
    services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=YEAR,
                          rows=[RatingRow(newcomer.pk, "HTXSNV", service_months=11)])
    assert _ldtt(roster, newcomer)


def test_a_discipline_is_recorded_only_by_an_officer_over_the_person(roster):
    w = roster.world
    with pytest.raises(NotFoundError):
        services.discipline_record(actor=w.outsider, person=roster.people[1], form="canh_cao",
                                   valid_from=dt.date(YEAR, 1, 1))
    with pytest.raises(ApplicationError, match="sau ngày bắt đầu"):
        services.discipline_record(actor=officer(roster), person=roster.people[1],
                                   form="canh_cao", valid_from=dt.date(YEAR, 5, 1),
                                   valid_to=dt.date(YEAR, 5, 1))


def test_the_2017_quota_of_cstdcs_stops_the_vote_until_the_list_is_trimmed(roster):
    """NĐ 91/2017 Art. 9.3: CSTĐ cơ sở ≤ 15 % of the LĐTT (rounded down)."""
    year = 2017
    roster.register(roster.people, ["LDTT", "CSTDCS"], year=year)
    rate(roster, ["HTXSNV", "HTXSNV", "HTXSNV", "HTTNV", "HTTNV", "HTTNV"], year=year)
    for p in roster.people[:3]:
        services.initiative_record(actor=officer(roster), person=p, year=year, level="co_so",
                                   name="Sáng kiến cải tiến thủ tục")
    review = open_review(roster, year=year)
    assert review.candidates.filter(title="LDTT").count() == 6
    assert review.candidates.filter(title="CSTDCS").count() == 3
    council(review, roster)
    with pytest.raises(ApplicationError, match="vượt chỉ tiêu"):
        services.review_transition(actor=officer(roster), review=review, to="voting")


def test_results_from_the_engine_cut_a_list_to_its_quota(roster):
    year = 2017
    w = roster.world
    extra = [make_person(w.cdcs_a, f"Người thứ {i}", actor=w.admin) for i in range(14)]
    everyone = roster.people + extra
    roster.register(everyone, ["LDTT", "CSTDCS"], year=year)
    services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=year, rows=[
        RatingRow(p.pk, "HTXSNV" if i < 4 else "HTTNV") for i, p in enumerate(everyone)])
    for p in everyone[:5]:
        services.initiative_record(actor=officer(roster), person=p, year=year, level="co_so",
                                   name="Sáng kiến")
    services.results_from_engine(actor=officer(roster), unit=w.cdcs_a, year=year,
                                 registrations=roster.registrations())
    ldtt = TitleResult.objects.filter(year=year, title="LDTT").count()
    cstdcs = set(TitleResult.objects.filter(year=year, title="CSTDCS")
                 .values_list("person_id", flat=True))
    assert ldtt == 20 and len(cstdcs) == 3  # floor(15 % of 20)
    # the better rated go first; among equals, women (Ánh, Bình), then the oldest record (An)
    assert cstdcs == {everyone[0].pk, everyone[2].pk, everyone[1].pk}
    assert AuditEntry.objects.get(action="title.engine").after["cut_by_quota"] == {"CSTDCS": 2}


def test_a_streamed_run_on_two_processes_gives_the_same_results(roster, monkeypatch):
    """The roster in batches of 3 people judged by 2 worker processes: the same titles, the same
    quota cut, the same facts and outcomes as one batch in this process."""
    year = 2017
    w = roster.world
    extra = [make_person(w.cdcs_a, f"Người thứ {i}", actor=w.admin) for i in range(14)]
    everyone = roster.people + extra
    roster.register(everyone, ["LDTT", "CSTDCS"], year=year)
    services.ratings_save(actor=officer(roster), unit=w.cdcs_a, year=year, rows=[
        RatingRow(p.pk, "HTXSNV" if i < 4 else "HTTNV") for i, p in enumerate(everyone)])
    for p in everyone[:5]:
        services.initiative_record(actor=officer(roster), person=p, year=year, level="co_so",
                                   name="Sáng kiến")
    whole = services.evaluate_roster(w.cdcs_a, year, registrations=roster.registrations())
    monkeypatch.setattr(titles_module, "BATCH", 3)
    batches = list(titles_module.evaluate_roster_batches(
        w.cdcs_a, year, registrations=roster.registrations(), workers=2))
    assert len(batches) == 7 and all(len(f) <= 3 for f, _ in batches)
    assert ({k: v for f, _ in batches for k, v in f.items()},
            {k: v for _, o in batches for k, v in o.items()}) == whole
    services.results_from_engine(actor=officer(roster), unit=w.cdcs_a, year=year,
                                 registrations=roster.registrations(), workers=2)
    assert TitleResult.objects.filter(year=year, title="LDTT").count() == 20
    assert set(TitleResult.objects.filter(year=year, title="CSTDCS")
               .values_list("person_id", flat=True)) == {everyone[0].pk, everyone[2].pk,
                                                          everyone[1].pk}
    after = AuditEntry.objects.get(action="title.engine").after
    assert after["cut_by_quota"] == {"CSTDCS": 2} and after["counts"]["CSTDCS"] == 3
