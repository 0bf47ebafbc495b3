"""Evaluation services: ratings and facts, every refusal (locked year, off the roster, out of
scope, adjustments without a reason, a vote by a non-member), the vote thresholds counted
against the whole council, the review's one transition guard, quotas, grading, the lock and
corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from thidua.audit.models import AuditEntry
from thidua.councils.models import Council, Member, Vote
from thidua.evaluation import services
from thidua.evaluation.models import (
    Candidate,
    Correction,
    DecidedBy,
    Grading,
    Rating,
    Review,
    ReviewEvent,
    ReviewStatus,
    TitleResult,
    VoteThreshold,
    YearLock,
)
from thidua.evaluation.services import RatingRow, VoteIn
from thidua.evaluation.tests.conftest import (
    YEAR,
    Roster,
    council,
    no_units,
    open_review,
    rate,
    vote_all,
)
from thidua.evaluation.thresholds import Threshold, threshold_for
from thidua.people.services import person_transfer
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

ALL = ["LDTT", "CSTDCS", "DVXS", "GVNDVN"]


def officer(roster: Roster):
    return roster.world.officer_cdcs


# --- ratings -------------------------------------------------------------------------------------


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
                                                  "note": ""},
                                       "after": {"code": "HTNV", "absence_days": 0,
                                                 "maternity_days": 0, "service_months": None,
                                                 "note": ""}}]


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


# --- facts that decide titles --------------------------------------------------------------------


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


# --- the review: adjustments need a reason --------------------------------------------------------


def _ready(roster: Roster) -> Review:
    roster.register(roster.people, ALL)
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"])
    return open_review(roster)


def test_the_engine_proposes_the_list_with_reasons(roster):
    review = _ready(roster)
    ldtt = set(review.candidates.filter(title="LDTT").values_list("person_id", flat=True))
    assert ldtt == {roster.people[i].pk for i in (0, 1, 2, 4)}
    c = review.candidates.get(title="CSTDCS", person=roster.people[0])
    assert c.source == "engine" and c.eligible and c.reasons
    assert all({"rule_id", "text", "source", "confidence", "passed"} <= set(r) for r in c.reasons)
    assert ReviewEvent.objects.filter(review=review, kind="open").exists()


def test_adjusting_the_list_needs_a_reason(roster):
    review = _ready(roster)
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
    review = _ready(roster)
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
    _ready(roster)
    with pytest.raises(ApplicationError, match="đã có bình xét"):
        open_review(roster)


def test_recomputing_keeps_the_officers_changes(roster):
    review = _ready(roster)
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


# --- the council and its votes ---------------------------------------------------------------------


def _voting(roster: Roster, size: int = 5) -> tuple[Review, list]:
    review = _ready(roster)
    members = council(review, roster, size)
    services.review_transition(actor=officer(roster), review=review, to="voting")
    return review, members


def test_a_vote_by_someone_outside_the_council_is_refused(roster):
    review, members = _voting(roster)
    other = Council.objects.create(unit=roster.world.cdcs_b, kind="review", year=YEAR,
                                   name="Hội đồng khác")
    stranger = Member.objects.create(council=other, full_name="Người ngoài", role="uy_vien")
    c = review.candidates.first()
    with pytest.raises(ApplicationError, match="không phải thành viên Hội đồng"):
        services.votes_record(actor=officer(roster), review=review,
                              votes=[VoteIn(c.pk, stranger.pk, "dong_y")])
    with pytest.raises(ApplicationError, match="không phải thành viên Hội đồng"):
        services.votes_fill(actor=officer(roster), review=review, member=stranger,
                            choice="dong_y")
    assert not Vote.objects.exists()


def test_votes_only_while_voting_and_only_on_the_list(roster):
    review = _ready(roster)
    members = council(review, roster)
    c = review.candidates.first()
    with pytest.raises(ApplicationError, match="chỉ làm được ở bước"):
        services.votes_record(actor=officer(roster), review=review,
                              votes=[VoteIn(c.pk, members[0].pk, "dong_y")])
    services.candidate_remove(actor=officer(roster), candidate=c, reason="Lý do ghi rõ")
    services.review_transition(actor=officer(roster), review=review, to="voting")
    with pytest.raises(ApplicationError, match="không có trong danh sách đang bỏ phiếu"):
        services.votes_record(actor=officer(roster), review=review,
                              votes=[VoteIn(c.pk, members[0].pk, "dong_y")])


def _close_with(roster: Roster, review: Review, members: list, candidate: Candidate,
                choices: list[str]) -> Candidate:
    services.votes_record(actor=officer(roster), review=review, votes=[
        VoteIn(candidate.pk, m.pk, choice) for m, choice in zip(members, choices, strict=True)])
    vote_all(review, roster, members)
    services.review_transition(actor=officer(roster), review=review, to="closed")
    candidate.refresh_from_db()
    return candidate


def test_a_secret_ballot_keeps_only_the_counts_and_closes_on_them(roster):
    review = _ready(roster)
    members = council(review, roster)
    services.council_ballot_set(actor=officer(roster), review=review, ballot="secret")
    services.review_transition(actor=officer(roster), review=review, to="voting")
    c = review.candidates.filter(included=True).first()
    with pytest.raises(ApplicationError, match="bỏ phiếu kín"):
        services.votes_record(actor=officer(roster), review=review,
                              votes=[VoteIn(c.pk, members[0].pk, "dong_y")])
    with pytest.raises(ApplicationError, match="chưa ghi"):
        services.review_transition(actor=officer(roster), review=review, to="closed")
    with pytest.raises(ApplicationError, match="cộng lại bằng 5"):
        services.candidate_counts_record(actor=officer(roster), candidate=c, votes_for=4,
                                         votes_against=0, absent=0)
    for other in review.candidates.filter(included=True):
        services.candidate_counts_record(actor=officer(roster), candidate=other,
                                         votes_for=2 if other.pk == c.pk else 4,
                                         votes_against=3 if other.pk == c.pk else 0,
                                         absent=0 if other.pk == c.pk else 1)
    with pytest.raises(ApplicationError, match="chỉ làm được ở bước"):
        services.council_ballot_set(actor=officer(roster), review=review, ballot="open")
    services.review_transition(actor=officer(roster), review=review, to="closed")
    c.refresh_from_db()
    assert (c.outcome, c.votes_for, c.votes_against, c.council_size) == ("failed", 2, 3, 5)
    assert not Vote.objects.exists()
    assert review.candidates.filter(included=True, outcome="passed").count() == \
        review.candidates.filter(included=True).count() - 1


def test_cstdcs_needs_80_percent_of_all_members_absent_ones_counted(roster):
    """NĐ 98/2023 Art. 30.7: 4 of 5 is 80 % and passes, even with the fifth absent."""
    review, members = _voting(roster)
    a = review.candidates.get(title="CSTDCS", person=roster.people[0])
    b = review.candidates.get(title="CSTDCS", person=roster.people[2])
    services.votes_record(actor=officer(roster), review=review, votes=[
        VoteIn(b.pk, m.pk, c) for m, c in zip(members, ["dong_y", "dong_y", "dong_y", "vang",
                                                        "vang"], strict=True)])
    a = _close_with(roster, review, members, a, ["dong_y"] * 4 + ["vang"])
    b.refresh_from_db()
    assert (a.outcome, a.votes_for, a.votes_absent, a.council_size) == ("passed", 4, 1, 5)
    assert (b.outcome, b.votes_for, b.votes_absent) == ("failed", 3, 2)  # 60 %
    assert TitleResult.objects.filter(person=roster.people[0], title="CSTDCS",
                                      how=DecidedBy.COUNCIL).exists()
    assert not TitleResult.objects.filter(person=roster.people[2], title="CSTDCS").exists()
    stored = TitleResult.objects.get(person=roster.people[0], title="CSTDCS")
    assert stored.votes["council"] == 5
    assert Decimal(stored.votes["threshold"]["share"]) == Decimal("0.8")
    assert "4/5" in stored.reasons[-1]["text"]


def test_ldtt_needs_more_than_half_of_all_members(roster):
    review, members = _voting(roster, size=4)
    c = review.candidates.get(title="LDTT", person=roster.people[1])
    c = _close_with(roster, review, members, c, ["dong_y", "dong_y", "khong_dong_y", "vang"])
    assert c.outcome == "failed"  # 2 of 4 is not more than half


def test_the_90_percent_threshold_of_cstd_tinh_counts_absentees():
    t = threshold_for("CSTD_TINH", YEAR)  # stated by the rule set of 2024 (NĐ 98/2023)
    assert (t.share, t.strict, t.confidence) == (Decimal("0.90"), False, "C")
    assert t.source.startswith("NĐ 98/2023/NĐ-CP, Điều 30 khoản 7")
    old = threshold_for("CSTDCS", 2017)  # NĐ 91/2017 states none: the default, marked L
    assert (old.share, old.confidence) == (Decimal("0.80"), "L")
    assert t.met(9, 10) and not t.met(8, 10) and not t.met(9, 11)
    assert threshold_for("CSTD_TQ", YEAR).share == Decimal("0.90")
    assert threshold_for("CSTDCS", YEAR).met(4, 5)
    default = threshold_for("LDTT", YEAR)
    assert default.confidence == "G" and default.strict and not default.met(0, 0)


def test_an_installation_may_override_a_threshold_for_a_period():
    VoteThreshold.objects.create(title="LDTT", share=Decimal("0.6667"), strict=False,
                                 valid_from=dt.date(2025, 1, 1), source="Quy chế của đơn vị",
                                 confidence="L")
    assert threshold_for("LDTT", 2025).share == Decimal("0.6667")
    assert threshold_for("LDTT", 2024).share == Decimal("0.50")
    assert isinstance(threshold_for("DVXS", 2025), Threshold)


def test_closing_needs_every_vote(roster):
    review, members = _voting(roster)
    services.votes_fill(actor=officer(roster), review=review, member=members[0],
                        choice="dong_y")
    with pytest.raises(ApplicationError, match="phiếu chưa ghi"):
        services.review_transition(actor=officer(roster), review=review, to="closed")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.VOTING


# --- one guard for every transition -------------------------------------------------------------


def test_only_the_transitions_of_the_table_are_allowed(roster):
    review = _ready(roster)
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
    review = _ready(roster)
    council(review, roster)
    with pytest.raises(NotFoundError):
        services.review_transition(actor=roster.world.outsider, review=review, to="voting")
    with pytest.raises(PermissionDeniedError):
        services.review_transition(actor=roster.world.viewer, review=review, to="voting")


def test_the_council_is_set_before_the_vote(roster):
    review = _ready(roster)
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
    review, members = _voting(roster)
    services.council_presence_set(actor=officer(roster), review=review,
                                  present_ids=[m.pk for m in members[:-1]])
    c = review.candidates.first()
    services.votes_record(actor=officer(roster), review=review, votes=[
        VoteIn(c.pk, members[-1].pk, "dong_y", "Gửi ý kiến bằng văn bản ngày 10/12")])
    vote = Vote.objects.get(subject__candidate=c, member=members[-1])
    assert vote.in_writing and vote.opinion.startswith("Gửi ý kiến")


# --- quotas --------------------------------------------------------------------------------------


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


# --- unit ratings and grading --------------------------------------------------------------------


def test_a_unit_is_rated_by_the_level_above(roster):
    w = roster.world
    services.unit_rating_set(actor=w.officer_cdcs, unit=w.to_a1, year=YEAR, code="HTXSNV")
    with pytest.raises(NotFoundError):
        services.unit_rating_set(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, code="HTXSNV")
    services.unit_rating_set(actor=w.officer_above, unit=w.cdcs_a, year=YEAR, code="HTTNV")


def _sheet(w, scale="cu", bands=None):
    return services.grading_template_create(
        actor=w.officer_above, issuer=w.cdvc, year=YEAR, name="Bảng điểm CĐCS", scale=scale,
        criteria=[("C1", "Đại diện", "Chăm lo, bảo vệ quyền lợi", 40),
                  ("C2", "Tổ chức", "Xây dựng tổ chức công đoàn", 35),
                  ("C3", "Khác", "Tuyên truyền, hoạt động khác", 25)],
        thresholds=bands or [{"label": "vung_manh", "min_points": 85, "min_criterion_share": 0.5},
                             {"label": "kha", "min_points": 70},
                             {"label": "trung_binh", "min_points": 50}],
        source="Thang xếp loại CĐCS vững mạnh", confidence="C")


def test_grading_follows_the_sheet_and_bands_through_the_engine(roster):
    """Old scale: vững mạnh from 85 points with no criterion under half its points."""
    w = roster.world
    sheet = _sheet(w)
    assert sheet.thresholds[-1] == {"label": "yeu", "min_points": 0.0, "min_criterion_share": 0.0}
    ids = {c.code: c.pk for c in sheet.criteria.all()}
    g = services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 40, ids["C2"]: 35, ids["C3"]: 12})
    assert (g.total, g.label) == (Decimal("87"), "kha")  # 12/25 is under half of C3
    assert any("Tổng điểm" in r["text"] for r in g.reasons)
    g = services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 38, ids["C2"]: 30, ids["C3"]: "20,5"})
    assert (g.label, Grading.objects.count()) == ("vung_manh", 1)
    with pytest.raises(ApplicationError, match="phải từ 0 đến"):
        services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 41, ids["C2"]: 30, ids["C3"]: 20})
    with pytest.raises(ApplicationError, match="Chưa chấm"):
        services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 40})
    with pytest.raises(ApplicationError, match="không áp dụng"):
        services.grading_submit(actor=w.outsider, unit=w.cdcs_c, year=YEAR, template=sheet,
                                points={ids["C1"]: 40})


def test_grading_bands_of_the_new_scale_are_checked(roster):
    w = roster.world
    with pytest.raises(ApplicationError, match="không thuộc thang"):
        _sheet(w, scale="moi")
    with pytest.raises(ApplicationError, match="từ cao xuống thấp"):
        _sheet(w, scale="moi", bands=[{"label": "HTTNV", "min_points": 70},
                                      {"label": "HTXSNV", "min_points": 90}])
    sheet = _sheet(w, scale="moi", bands=[{"label": "HTXSNV", "min_points": 90},
                                          {"label": "HTTNV", "min_points": 75},
                                          {"label": "HTNV", "min_points": 50}])
    ids = {c.code: c.pk for c in sheet.criteria.all()}
    g = services.grading_submit(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR, template=sheet,
                                points={ids["C1"]: 30, ids["C2"]: 25, ids["C3"]: 20})
    assert g.label == "HTTNV"


# --- the lock and corrections ---------------------------------------------------------------------


def test_only_a_leader_locks_and_not_while_a_review_is_open(roster):
    w = roster.world
    review = _ready(roster)
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
    review = _ready(roster)
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
