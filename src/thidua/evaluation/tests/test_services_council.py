"""The review's council and its vote (services.council): members only, thresholds counted
against the whole council, open and secret ballots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from thidua.councils.models import Council, Member, Vote
from thidua.evaluation import selectors, services
from thidua.evaluation.models import (
    Candidate,
    DecidedBy,
    Review,
    ReviewStatus,
    TitleResult,
    VoteThreshold,
)
from thidua.evaluation.services import VoteIn
from thidua.evaluation.tests.conftest import (
    ALL,
    YEAR,
    Roster,
    council,
    officer,
    open_review,
    rate,
    ready_review,
    vote_all,
    voting_review,
)
from thidua.evaluation.thresholds import Threshold, threshold_for
from thidua.platform.errors import ApplicationError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db


def test_a_vote_by_someone_outside_the_council_is_refused(roster):
    review, members = voting_review(roster)
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
    review = ready_review(roster)
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
    review = ready_review(roster)
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
    review, members = voting_review(roster)
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
    review, members = voting_review(roster, size=4)
    c = review.candidates.get(title="LDTT", person=roster.people[1])
    c = _close_with(roster, review, members, c, ["dong_y", "dong_y", "khong_dong_y", "vang"])
    assert c.outcome == "failed"  # 2 of 4 is not more than half


def test_the_90_percent_threshold_of_cstd_tinh_counts_absentees():
    t = threshold_for("CSTD_TINH", YEAR)  # stated by the rule set of 2024 (NĐ 98/2023)
    assert (t.share, t.strict, t.confidence) == (Decimal("0.90"), False, "C")
    assert t.source.startswith("NĐ 98/2023/NĐ-CP, Điều 30 khoản 7")
    old = threshold_for("CSTDCS", 2017)  # NĐ 91/2017 leaves it to each body: a setting, G
    assert (old.share, old.strict, old.confidence) == (Decimal("0.50"), True, "G")
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
    review, members = voting_review(roster)
    services.votes_fill(actor=officer(roster), review=review, member=members[0],
                        choice="dong_y")
    with pytest.raises(ApplicationError, match="phiếu chưa ghi"):
        services.review_transition(actor=officer(roster), review=review, to="closed")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.VOTING


@pytest.mark.parametrize(("share", "outcome"), [(None, "passed"), ("80", "failed")])
def test_the_issuers_own_cstdcs_share_decides_a_2023_vote__nd91_art45_8(roster, share, outcome):
    """Before 2024 each body sets CSTĐ cơ sở's share (NĐ 91/2017 Điều 45 khoản 8): with the
    CĐCS's own 80 %, 4 of 7 fails; without a setting a majority of all members passes it. The
    review page, the vote page and the minutes name the same share."""
    year = 2023
    if share is not None:
        services.setting_set(actor=officer(roster), unit=roster.world.cdcs_a,
                             key="vote_percent_CSTDCS", year_from=2017, year_to=2023,
                             value=share, source="Quy chế thi đua của CĐCS A")
    w = roster.world
    roster.people += [make_person(w.cdcs_a, f"Trần Văn Thêm {i}", birth=dt.date(1990, 1, 1 + i),
                                  actor=w.admin) for i in range(4)]  # 8 LĐTT: a quota of 1
    roster.register(roster.people, ALL, year=year)
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"] + ["HTTNV"] * 4,
         year=year)
    review = open_review(roster, year=year)
    c = review.candidates.filter(title="CSTDCS").first() or services.candidate_add(
        actor=officer(roster), review=review, title="CSTDCS", person=roster.people[0],
        reason="Có sáng kiến được công nhận", registrations=roster.registrations())
    members = council(review, roster, size=7)
    services.review_transition(actor=officer(roster), review=review, to="voting")
    rows = {r["code"]: r for r in selectors.title_summary(review)}
    expected = Fraction(4, 5) if share else Fraction(1, 2)
    assert rows["CSTDCS"]["threshold"].share == expected
    c = _close_with(roster, review, members, c, ["dong_y"] * 4 + ["khong_dong_y"] * 3)
    assert (c.outcome, c.votes_for, c.council_size) == (outcome, 4, 7)
