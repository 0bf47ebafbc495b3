"""Decisions: gapless numbers per issuer and year, golden-book numbers, cash from the base salary
on the decision date, revocation and correction that keep the award in the register."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.honours import services
from thidua.honours.models import Award, Certificate, Decision, DecisionKind
from thidua.honours.selectors import (
    RegisterFilter,
    awards_register,
    certificate_by_code,
    restrict_decisions,
)
from thidua.honours.services.decisions import is_gapless
from thidua.honours.tests.conftest import SIGNED, draft, to_vote
from thidua.platform.errors import ApplicationError
from thidua.testing import World

pytestmark = pytest.mark.django_db


def test_numbers_are_consecutive_per_issuer_and_restart_each_year(world: World) -> None:
    w = world
    numbers = []
    for day in (dt.date(2025, 1, 10), dt.date(2025, 2, 1), dt.date(2026, 1, 5)):
        p = to_vote(w, draft(w, people=1, kind="dot_xuat", topic="Cứu người bị nạn"))
        d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                    signed=services.Signed(day, "A", "Chủ tịch"))
        numbers.append((d.seq_year, d.seq, d.number))
    assert [n[:2] for n in numbers] == [(2025, 1), (2025, 2), (2026, 1)]
    assert numbers[1][2] == "2/QĐ-CĐ"
    assert is_gapless(w.cdvc, 2025) and is_gapless(w.cdvc, 2026)


def test_a_failed_issue_gives_its_number_back(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=1))
    with pytest.raises(ApplicationError):
        services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=services.Signed(SIGNED.date, "", "Chủ tịch"))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    assert d.seq == 1


def test_awards_get_golden_book_numbers_cash_and_certificate_codes(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=3), against={1})
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    awards = list(d.awards.order_by("golden_book_no"))
    assert [a.golden_book_no for a in awards] == [1, 2]
    p2 = to_vote(w, draft(w, people=1, kind="dot_xuat", topic="Phòng chống bão lũ"))
    d2 = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p2],
                                 signed=SIGNED)
    assert d2.awards.get().golden_book_no == 3  # the golden book never restarts
    codes = list(Certificate.objects.values_list("code", flat=True))
    assert len(set(codes)) == 3 and all(len(c) == 20 for c in codes)
    # NĐ 152/2025 Điều 50 via the catalogue: the amount follows the base salary of the day
    for a in awards:
        assert a.cash_amount is None or a.cash_amount > 0


def test_revocation_keeps_the_award_marked_and_the_certificate_answers_revoked(world: World
                                                                                ) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    award = d.awards.order_by("pk").first()
    assert award is not None
    with pytest.raises(ApplicationError, match="lý do"):
        services.decision_revoke(actor=w.officer_above, awards=[award], signed=SIGNED,
                                 reason="")
    revoking = services.decision_revoke(actor=w.officer_above, awards=[award], signed=SIGNED,
                                        reason="Khai man thành tích")
    award.refresh_from_db()
    assert award.revoked and award.revoked_by == revoking
    assert revoking.kind == DecisionKind.THU_HOI and revoking.seq == 2
    assert Award.objects.filter(pk=award.pk).exists()
    cert = certificate_by_code(award.certificate.code)
    assert cert is not None and cert.award.revoked
    revoked = awards_register(w.officer_above, RegisterFilter(revoked=True))
    assert list(revoked) == [award]


def test_correction_records_before_and_after(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=1))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    award = d.awards.get()
    fix = services.decision_correct(actor=w.officer_above, award=award,
                                    changes={"recipient_name": "Trần Thị Ánh Dương"},
                                    signed=SIGNED, reason="Sai tên người được khen")
    award.refresh_from_db()
    assert award.recipient_name == "Trần Thị Ánh Dương"
    change = award.changes.get()
    assert (change.before, change.after, change.decision) == (
        "Trần Thị Ánh", "Trần Thị Ánh Dương", fix)


def test_only_the_issuers_officers_decide_and_only_their_own_inbox(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=1))
    with pytest.raises(Exception):  # noqa: B017 — not found or permission, never a decision
        services.decision_issue(actor=w.outsider, issuer=w.cdvc, proposals=[p], signed=SIGNED)
    with pytest.raises(ApplicationError, match="đơn vị mình"):
        services.decision_issue(actor=w.leader, issuer=w.hn, proposals=[p], signed=SIGNED)
    assert Decision.objects.count() == 0


def test_register_filters_by_subtree_kind_and_scope(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p], signed=SIGNED)
    assert awards_register(w.officer_cdcs, RegisterFilter(under="CDCS-A")).count() == 2
    assert awards_register(w.officer_cdcs, RegisterFilter(recipient_kind="unit")).count() == 0
    assert awards_register(w.officer_cdcs, RegisterFilter(level="cap_tren_co_so",
                                                          year=2024)).count() == 2
    assert awards_register(w.outsider, RegisterFilter()).count() == 0
    member_sees = awards_register(w.member_user, RegisterFilter())
    assert [a.person_id for a in member_sees] == [w.member.pk]


def test_the_recipients_unit_sees_the_decisions_that_revoke_or_correct_its_awards(
        world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    first, second = d.awards.order_by("pk")
    revoking = services.decision_revoke(actor=w.officer_above, awards=[first], signed=SIGNED,
                                        reason="Khai man thành tích")
    fixing = services.decision_correct(actor=w.officer_above, award=second,
                                       changes={"position": "Trưởng phòng"}, signed=SIGNED,
                                       reason="Sai chức vụ")
    seen = set(restrict_decisions(w.officer_cdcs))
    assert {d, revoking, fixing} <= seen
    assert not set(restrict_decisions(w.outsider)) & {d, revoking, fixing}
