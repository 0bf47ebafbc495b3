"""Holds and priorities (NĐ 152/2025 Điều 4 khoản 4 and 6): a person under a discipline review,
inspection or complaint is held (tạm hoãn xét), neither proposed nor refused, until it ends;
on equal merit the engine's priority (women) orders a quota."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from thidua.evaluation import services
from thidua.evaluation.models import PendingMatter
from thidua.evaluation.tests.conftest import YEAR, officer, ready_review

pytestmark = pytest.mark.django_db


def test_a_person_under_inspection_is_held_not_proposed_and_shown(roster):
    held = roster.people[0]
    matter = services.pending_record(actor=officer(roster), person=held, kind="thanh_tra",
                                     valid_from=dt.date(YEAR, 11, 2), note="Đoàn thanh tra số 5")
    review = ready_review(roster)
    assert not review.candidates.filter(person=held).exists()
    assert review.candidates.filter(person=roster.people[2]).exists()
    client = Client()
    client.force_login(roster.world.officer_cdcs)
    page = client.get(reverse("evaluation:review", args=["CDCS-A", YEAR])).content.decode()
    assert "Tạm hoãn xét (1 người)" in page and held.full_name in page
    assert "Đang bị thanh tra từ 02/11/" in page
    person_page = client.get(reverse("evaluation:person", args=[held.pk, YEAR])).content.decode()
    assert "Tạm hoãn xét: đang bị thanh tra" in person_page
    # the matter ends: the person is judged again
    services.pending_close(actor=officer(roster), person=held, matter_id=matter.pk,
                           valid_to=dt.date(YEAR, 12, 1))
    services.review_propose(actor=officer(roster), review=review,
                            registrations=roster.registrations(),
                            unit_registrations=lambda **kw: {})
    assert review.candidates.filter(person=held, title="LDTT").exists()


def test_pending_matters_are_recorded_on_the_person_page_by_officers_only(roster):
    w = roster.world
    url = reverse("evaluation:pending-add", args=[roster.people[0].pk])
    data = {"year": YEAR, "th-kind": "khieu_nai_to_cao", "th-valid_from": "05/01/2025"}
    outsider = Client()
    outsider.force_login(w.outsider)
    assert outsider.post(url, data).status_code == 404
    client = Client()
    client.force_login(w.officer_cdcs)
    assert client.post(url, data).status_code in (302, 303)
    m = PendingMatter.objects.get()
    assert (m.kind, m.valid_from, m.valid_to) == ("khieu_nai_to_cao", dt.date(2025, 1, 5), None)


def test_the_quota_keeps_whom_the_engine_gives_priority_on_equal_merit__nd152_art4_6():
    facts = {pid: {"ratings": {"2017": "HTXSNV"}, "initiatives": [{"year": 2017,
                                                                   "level": "co_so"}],
                   "person": {"gender": g}} for pid, g in ((1, "nam"), (2, "nu"))}
    base = {pid: {"titles": {}} for pid in range(1, 8)}
    ldtt = {"LDTT": list(range(1, 8)), "CSTDCS": [1, 2]}  # 7 LĐTT: a quota of 1 CSTĐCS
    outcomes = {1: {"priority": None}, 2: {"priority": {"rule_id": "UU_TIEN"}}}
    eligible = {k: list(v) for k, v in ldtt.items()}
    cut = services.apply_quotas(eligible, {**base, **facts}, 2017, outcomes=outcomes)
    assert eligible["CSTDCS"] == [2] and cut["CSTDCS"] == [1]
    # an issuer that turned the priority off: the engine gives none, the older record stays
    eligible = {k: list(v) for k, v in ldtt.items()}
    services.apply_quotas(eligible, {**base, **facts}, 2017,
                          outcomes={1: {"priority": None}, 2: {"priority": None}})
    assert eligible["CSTDCS"] == [1]


def test_the_family_half_is_recorded_and_read_by_gvndvn(roster):
    """Giỏi việc nước, đảm việc nhà: the grid's «Đảm việc nhà» gives the fact `family`;
    without it GVNĐVN asks for the confirmation."""
    from thidua.evaluation.facts import build_person_facts
    from thidua.evaluation.tests.conftest import rate

    woman = roster.people[2]  # Lê Thị Bình
    rate(roster, [None, None, "HTTNV"])
    facts = build_person_facts(person_ids=[woman.pk], year=YEAR)[woman.pk]
    assert facts["family"] == {}
    services.ratings_save(actor=officer(roster), unit=roster.world.cdcs_a, year=YEAR,
                          rows=[services.RatingRow(person_id=woman.pk, code="HTTNV",
                                                   family_ok=True)])
    facts = build_person_facts(person_ids=[woman.pk], year=YEAR)[woman.pk]
    assert facts["family"] == {str(YEAR): True}
    # a later save that does not state it keeps it
    rate(roster, [None, None, "HTXSNV"])
    assert build_person_facts(person_ids=[woman.pk], year=YEAR)[woman.pk]["family"]
