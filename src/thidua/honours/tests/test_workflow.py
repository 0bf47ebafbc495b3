"""The proposal's transition table: every step by the right side, every illegal step refused
with nothing written, the climb to the level above, a decided proposal frozen."""

from __future__ import annotations

import itertools

import pytest

from thidua.honours import services
from thidua.honours.models import Award, Proposal, ProposalStatus
from thidua.honours.services.workflow import WORKFLOW
from thidua.honours.tests.conftest import SIGNED, draft, to_vote
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.models import TransitionEvent
from thidua.testing import World

pytestmark = pytest.mark.django_db
S = ProposalStatus


def test_full_path_to_a_decision_logs_every_step_with_its_actor(world: World) -> None:
    w = world
    p = to_vote(w, draft(w))
    assert p.status == S.VOTED
    assert p.candidates.filter(passed=True).count() == 2
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    p.refresh_from_db()
    assert p.status == S.DECIDED
    steps = [(e.action, e.actor.username) for e in WORKFLOW.history(p)]
    assert steps == [("submit", "canbo_cdcs"), ("receive", "canbo_captren"),
                     ("review", "canbo_captren"), ("close_vote", "canbo_captren"),
                     ("decide", "canbo_captren")]
    assert d.number == "1/QĐ-CĐ" and d.awards.count() == 2


def test_every_illegal_transition_is_refused_and_writes_nothing(world: World) -> None:
    w = world
    actions = {t.action for t in WORKFLOW.transitions}
    for status in S.values:
        legal = {t.action for t in WORKFLOW.transitions if t.source == status}
        p = draft(w, people=1)
        Proposal.objects.filter(pk=p.pk).update(status=status)
        p.refresh_from_db()
        for action in sorted(actions - legal):
            before = TransitionEvent.objects.count()
            with pytest.raises(ApplicationError):
                WORKFLOW.apply(p, action, actor=w.admin, reason="thử bước sai")
            p.refresh_from_db()
            assert p.status == status, (status, action)
            assert TransitionEvent.objects.count() == before


def test_sender_cannot_take_the_receivers_steps_and_outsider_gets_not_found(world: World
                                                                            ) -> None:
    w = world
    p = draft(w, people=1)
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    with pytest.raises(PermissionDeniedError):
        services.proposal_step(actor=w.officer_cdcs, proposal=p, action="receive")
    with pytest.raises(NotFoundError):
        services.proposal_step(actor=w.outsider, proposal=p, action="receive")
    p.refresh_from_db()
    assert p.status == S.SUBMITTED


def test_return_needs_a_reason_and_the_sender_resubmits(world: World) -> None:
    w = world
    p = draft(w, people=1)
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    with pytest.raises(ApplicationError, match="lý do"):
        services.proposal_step(actor=w.officer_above, proposal=p, action="return")
    services.proposal_step(actor=w.officer_above, proposal=p, action="return",
                           reason="Thiếu báo cáo thành tích")
    p.refresh_from_db()
    assert p.status == S.RETURNED
    last = WORKFLOW.history(p)[-1]
    assert last.reason == "Thiếu báo cáo thành tích" and last.actor == w.officer_above
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="reopen")
    services.candidate_update(actor=w.officer_cdcs, candidate=p.candidates.get(),
                              achievement="Bổ sung: dẫn đầu phong trào")
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    p.refresh_from_db()
    assert p.status == S.SUBMITTED


def test_a_decided_proposal_cannot_change(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=1))
    services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p], signed=SIGNED)
    with pytest.raises(ApplicationError, match="dự thảo"):
        services.candidate_update(actor=w.officer_cdcs, candidate=p.candidates.get(),
                                  achievement="sửa sau khi quyết định")
    for action in ("return", "refuse", "reopen", "submit"):
        with pytest.raises(ApplicationError):
            WORKFLOW.apply(p, action, actor=w.admin, reason="không được")
    with pytest.raises(ApplicationError):
        services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    assert Award.objects.count() == 1


def test_a_level_that_does_not_issue_the_form_forwards_with_its_own_proposal(world: World
                                                                             ) -> None:
    w = world
    p = to_vote(w, draft(w, form="BK_LDLD", people=2), against={1})
    with pytest.raises(ApplicationError, match="thẩm quyền"):
        services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    upper = services.proposal_forward(actor=w.officer_above, proposal=p)
    p.refresh_from_db()
    assert p.status == S.FORWARDED
    assert upper.unit == w.cdvc and upper.recipient == w.hn and upper.status == S.DRAFT
    assert [c.display_name for c in upper.candidates.all()] == [w.member.full_name]
    assert upper.candidates.get().origin.proposal == p


def test_the_vote_uses_the_threshold_of_the_year_and_records_the_tally(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2), against={0})
    first, second = p.candidates.order_by("order")
    assert first.passed is False and second.passed is True
    assert second.votes["for"] == 3 and second.votes["members"] == 3
    assert "tổng số thành viên" in second.votes["text"]


def test_refusal_is_final(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=1), against={0})
    services.proposal_step(actor=w.officer_above, proposal=p, action="refuse",
                           reason="Không đạt tỷ lệ phiếu")
    p.refresh_from_db()
    assert p.status == S.REFUSED and p.final
    for action in itertools.chain(["submit", "decide", "forward"]):
        with pytest.raises(ApplicationError):
            WORKFLOW.apply(p, action, actor=w.admin)
