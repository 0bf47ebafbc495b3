"""The review's list (services.review): the engine's proposals with reasons, officers'
adjustments that need a reason, and the one guard every transition goes through (workflow)."""

from __future__ import annotations

import pytest

from thidua.audit.models import AuditEntry
from thidua.councils.models import Vote
from thidua.evaluation import services
from thidua.evaluation.models import (
    ReviewEvent,
)
from thidua.evaluation.services import VoteIn
from thidua.evaluation.tests.conftest import (
    council,
    no_units,
    officer,
    open_review,
    rate,
    ready_review,
    vote_all,
    voting_review,
)
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db


def test_the_engine_proposes_the_list_with_reasons(roster):
    review = ready_review(roster)
    ldtt = set(review.candidates.filter(title="LDTT").values_list("person_id", flat=True))
    assert ldtt == {roster.people[i].pk for i in (0, 1, 2, 4)}
    c = review.candidates.get(title="CSTDCS", person=roster.people[0])
    assert c.source == "engine" and c.eligible and c.reasons
    assert all({"rule_id", "text", "source", "confidence", "passed"} <= set(r) for r in c.reasons)
    assert ReviewEvent.objects.filter(review=review, kind="open").exists()


def test_adjusting_the_list_needs_a_reason(roster):
    review = ready_review(roster)
    weak = roster.people[3]  # HTNV: not proposed for LĐTT
    with pytest.raises(ApplicationError, match="lý do"):
        services.candidate_add(actor=officer(roster), review=review, person=weak, title="LDTT",
                               reason="  ", registrations=roster.registrations())
    c = services.candidate_add(actor=officer(roster), review=review, person=weak, title="LDTT",
                               reason="Hoàn thành xuất sắc đợt phòng chống dịch",
                               registrations=roster.registrations())
    assert c.source == "officer" and not c.eligible  # the engine's "no" is kept beside it
    assert any(not r["passed"] for r in c.reasons)
    proposed = review.candidates.get(title="LDTT", person=roster.people[4])
    with pytest.raises(ApplicationError, match="lý do"):
        services.candidate_remove(actor=officer(roster), candidate=proposed, reason="")
    services.candidate_remove(actor=officer(roster), candidate=proposed,
                              reason="Chưa hoàn thành việc làm cụ thể đã đăng ký")
    proposed.refresh_from_db()
    assert not proposed.included and proposed.removed_reason.startswith("Chưa hoàn thành")
    texts = list(review.events.values_list("text", flat=True))
    assert any("Lý do: Hoàn thành xuất sắc" in t for t in texts)
    assert any("Lý do: Chưa hoàn thành" in t for t in texts)
    assert AuditEntry.objects.filter(action="review.candidate_remove").exists()


def test_adding_someone_off_the_roster_or_twice_is_refused(roster):
    review = ready_review(roster)
    w = roster.world
    stranger = make_person(w.cdcs_c, "Lý Văn Ngoài", actor=w.admin)
    with pytest.raises(ApplicationError, match="không có trong danh sách"):
        services.candidate_add(actor=officer(roster), review=review, person=stranger,
                               title="LDTT", reason="Lý do bất kỳ đủ dài",
                               registrations=roster.registrations())
    with pytest.raises(ApplicationError, match="đã có trong danh sách"):
        services.candidate_add(actor=officer(roster), review=review, person=roster.people[0],
                               title="LDTT", reason="Lý do bất kỳ đủ dài",
                               registrations=roster.registrations())
    with pytest.raises(ApplicationError, match="không xét cho cá nhân"):
        services.candidate_add(actor=officer(roster), review=review, person=roster.people[0],
                               title="TTLDTT", reason="Lý do bất kỳ đủ dài",
                               registrations=roster.registrations())


def test_a_second_review_of_the_same_year_is_refused(roster):
    ready_review(roster)
    with pytest.raises(ApplicationError, match="đã có bình xét"):
        open_review(roster)


def test_recomputing_keeps_the_officers_changes(roster):
    review = ready_review(roster)
    removed = review.candidates.get(title="LDTT", person=roster.people[4])
    services.candidate_remove(actor=officer(roster), candidate=removed, reason="Lý do ghi rõ")
    rate(roster, [None, "HTNV"])  # An drops below HTTNV: his engine rows go
    counts = services.review_propose(actor=officer(roster), review=review,
                                     registrations=roster.registrations(),
                                     unit_registrations=no_units)
    assert counts["dropped"] >= 1
    assert not review.candidates.filter(person=roster.people[1], title="LDTT").exists()
    removed.refresh_from_db()
    assert not removed.included and removed.removed_reason == "Lý do ghi rõ"


def test_only_the_transitions_of_the_table_are_allowed(roster):
    review = ready_review(roster)
    assert {(t.source, t.target) for t in services.WORKFLOW.transitions} == {
        ("draft", "voting"), ("voting", "draft"), ("voting", "closed")}
    with pytest.raises(ApplicationError, match="Không chuyển được"):
        services.review_transition(actor=officer(roster), review=review, to="closed")
    with pytest.raises(ApplicationError, match="lập Hội đồng"):
        services.review_transition(actor=officer(roster), review=review, to="voting")
    secretary = services.council_member_add(actor=officer(roster), review=review,
                                            role="thu_ky", name="Thư ký")
    with pytest.raises(ApplicationError, match="cần có Chủ tịch"):
        services.review_transition(actor=officer(roster), review=review, to="voting")
    services.council_member_remove(actor=officer(roster), member=secretary)
    members = council(review, roster)
    services.review_transition(actor=officer(roster), review=review, to="voting")
    with pytest.raises(ApplicationError, match="lý do"):
        services.review_transition(actor=officer(roster), review=review, to="draft")
    services.review_transition(actor=officer(roster), review=review, to="draft",
                               note="Bổ sung hồ sơ của tổ Văn phòng")
    services.review_transition(actor=officer(roster), review=review, to="voting")
    vote_all(review, roster, members)
    services.review_transition(actor=officer(roster), review=review, to="closed")
    with pytest.raises(ApplicationError, match="Không chuyển được"):
        services.review_transition(actor=officer(roster), review=review, to="voting")
    steps = list(review.events.filter(kind="transition").values_list("data__after", flat=True))
    assert steps == ["voting", "draft", "voting", "closed"]
    assert AuditEntry.objects.filter(action="review.transition").count() == 4


def test_transitions_are_refused_out_of_scope_and_for_viewers(roster):
    review = ready_review(roster)
    council(review, roster)
    with pytest.raises(NotFoundError):
        services.review_transition(actor=roster.world.outsider, review=review, to="voting")
    with pytest.raises(PermissionDeniedError):
        services.review_transition(actor=roster.world.viewer, review=review, to="voting")


def test_the_council_is_set_before_the_vote(roster):
    review = ready_review(roster)
    members = council(review, roster)
    with pytest.raises(ApplicationError, match="đã có Chủ tịch"):
        services.council_member_add(actor=officer(roster), review=review, role="chu_tich",
                                    name="Chủ tịch thứ hai")
    services.council_member_add(actor=officer(roster), review=review, role="uy_vien",
                                person=roster.people[0])
    with pytest.raises(ApplicationError, match="đã là thành viên"):
        services.council_member_add(actor=officer(roster), review=review, role="uy_vien",
                                    person=roster.people[0])
    services.review_transition(actor=officer(roster), review=review, to="voting")
    with pytest.raises(ApplicationError, match="chỉ làm được ở bước"):
        services.council_member_remove(actor=officer(roster), member=members[-1])


def test_a_member_absent_from_the_meeting_votes_in_writing(roster):
    review, members = voting_review(roster)
    services.council_presence_set(actor=officer(roster), review=review,
                                  present_ids=[m.pk for m in members[:-1]])
    c = review.candidates.first()
    services.votes_record(actor=officer(roster), review=review, votes=[
        VoteIn(c.pk, members[-1].pk, "dong_y", "Gửi ý kiến bằng văn bản ngày 10/12")])
    vote = Vote.objects.get(subject__candidate=c, member=members[-1])
    assert vote.in_writing and vote.opinion.startswith("Gửi ý kiến")
