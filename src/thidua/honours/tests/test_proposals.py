"""Building a proposal: who it may go to, which forms, the checks beside each candidate, an
initiative used once, quotas and deadlines enforced at submission."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.accounts.services import role_grant_create
from thidua.evaluation.models import TitleResult
from thidua.honours import services
from thidua.honours.models import Candidate, Proposal, ProposalStatus
from thidua.honours.selectors import (
    access_proposal,
    due_soon,
    proposals_naming,
    restrict_proposals,
)
from thidua.honours.services.proposals import recipient_choices
from thidua.honours.tests.conftest import SIGNED, YEAR, draft, to_vote
from thidua.initiatives.tests.helpers import recognised
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import SYSTEM, World, make_person, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_a_unit_sends_to_the_level_above_or_its_award_line_not_further(world: World) -> None:
    w = world
    assert [u.code for u in recipient_choices(w.cdcs_a, dt.date(2024, 12, 1))] == [
        "CDVC-HN", "CDCS-A"]
    with pytest.raises(ApplicationError, match="không gửi"):
        services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.hn,
                                 year=YEAR, kind="nam", form="BK_LDLD")


def test_the_recipient_must_decide_or_carry_the_form(world: World) -> None:
    w = world
    with pytest.raises(ApplicationError, match="không xét, không trình"):
        services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="GK_CDCS")
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="BK_LDLD")
    assert p.form == "BK_LDLD" and p.title.startswith("Đề nghị tặng Bằng khen")


def test_only_the_units_officers_build_it_and_an_outsider_cannot_see_it(world: World) -> None:
    w = world
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.proposal_create(actor=w.outsider, unit=w.cdcs_a, recipient=w.cdvc, year=YEAR,
                                 kind="nam", form="GK_CAP_TREN")
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.proposal_create(actor=w.member_user, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="GK_CAP_TREN")


def test_topical_and_extraordinary_proposals_need_their_topic_and_achievements(world: World
                                                                                ) -> None:
    w = world
    with pytest.raises(ApplicationError, match="chủ đề"):
        services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="dot_xuat", form="GK_CAP_TREN")
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="dot_xuat", form="GK_CAP_TREN",
                                 topic="Dũng cảm cứu người")
    services.candidate_add(actor=w.officer_cdcs, proposal=p, person=w.member)
    with pytest.raises(ApplicationError, match="tóm tắt thành tích"):
        services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")


def test_each_candidate_carries_the_checks_of_the_day(world: World) -> None:
    w = world
    p = draft(w, people=1)
    checks = {c["code"]: c for c in p.candidates.get().checks}
    assert checks["danh_hieu"]["ok"] is None  # no title recorded for 2024 yet
    assert checks["dang_ky"]["ok"] is False
    assert "Không đăng ký thi đua năm 2024" in checks["dang_ky"]["text"]
    assert checks["mot_thanh_tich"]["ok"] is True


def test_one_achievement_one_award_blocks_the_second_proposal_at_the_same_level(world: World
                                                                                ) -> None:
    w = world
    first = draft(w, people=1)
    services.proposal_step(actor=w.officer_cdcs, proposal=first, action="submit")
    second = draft(w, people=1)
    check = next(c for c in second.candidates.get().checks if c["code"] == "mot_thanh_tich")
    assert check["ok"] is False and first.title in check["text"]
    with pytest.raises(ApplicationError, match="một thành tích chỉ khen một lần"):
        services.proposal_step(actor=w.officer_cdcs, proposal=second, action="submit")


def test_an_initiative_backs_one_award_only(world: World) -> None:
    w = world
    ini = recognised(w)
    author = ini.authors.select_related("person").first().person
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="GK_CAP_TREN")
    services.candidate_add(actor=w.officer_cdcs, proposal=p, person=author, initiative=ini)
    other = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                     year=YEAR, kind="chuyen_de", form="GK_CAP_TREN",
                                     topic="Cải cách hành chính")
    with pytest.raises(ApplicationError, match="chỉ được dùng một lần"):
        services.candidate_add(actor=w.officer_cdcs, proposal=other, person=author,
                               initiative=ini)
    stranger = make_person(w.cdcs_a, "Người Không Phải Tác Giả", actor=w.admin)
    with pytest.raises(ApplicationError, match="không phải tác giả"):
        services.candidate_add(actor=w.officer_cdcs, proposal=other, person=stranger,
                               initiative=ini)


def test_the_deadline_of_the_receiving_level_is_enforced(world: World) -> None:
    w = world
    p = draft(w, people=1)
    services.deadline_set(actor=w.officer_above, recipient=w.cdvc, year=YEAR, kind="nam",
                          last_day=dt.date(2025, 1, 1), note="Công văn 12/CĐVC")
    with pytest.raises(ApplicationError, match="quá hạn nộp hồ sơ"):
        services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.deadline_set(actor=w.officer_cdcs, recipient=w.cdvc, year=YEAR, kind="nam",
                              last_day=dt.date(2030, 1, 1))
    services.deadline_set(actor=w.officer_above, recipient=w.cdvc, year=YEAR, kind="nam",
                          last_day=dt.date.today() + dt.timedelta(days=3))
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    p.refresh_from_db()
    assert p.status == ProposalStatus.SUBMITTED


def test_the_topical_award_of_tld_takes_four_proposals_per_federation(world: World) -> None:
    """QĐ 1689/QĐ-TLĐ Điều 15: at most 4 proposals per LĐLĐ tỉnh a year."""
    w = world
    p = services.proposal_create(actor=w.leader, unit=w.hn, recipient=w.tld, year=YEAR,
                                 kind="chuyen_de", form="BK_TLD_CHUYEN_DE",
                                 topic="Xanh – Sạch – Đẹp, Bảo đảm an toàn vệ sinh lao động")
    for i in range(5):
        person = make_person(w.cdcs_a, f"Người Thứ {i + 1}", birth=dt.date(1980, 1, i + 1),
                             actor=w.admin)
        services.candidate_add(actor=w.leader, proposal=p, person=person,
                               achievement="Dẫn đầu phong trào Xanh – Sạch – Đẹp")
    with pytest.raises(ApplicationError, match="Vượt chỉ tiêu"):
        services.proposal_step(actor=w.leader, proposal=p, action="submit")
    services.candidate_remove(actor=w.leader, candidate=p.candidates.last())
    services.proposal_step(actor=w.leader, proposal=p, action="submit")


def test_candidates_from_the_years_titles_in_one_step(world: World) -> None:
    w = world
    people = [make_person(w.cdcs_a, f"Chiến Sĩ {i}", birth=dt.date(1980, 2, i + 1),
                          actor=w.admin) for i in range(3)]
    TitleResult.objects.bulk_create([
        TitleResult(person=p, year=YEAR, title="CSTDCS", unit=w.cdcs_a, how="council")
        for p in people])
    proposal = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                        year=YEAR, kind="nam", form="GK_CAP_TREN")
    added = services.candidates_from_titles(actor=w.officer_cdcs, proposal=proposal,
                                            titles=["CSTDCS"])
    assert len(added) == 3
    again = services.candidates_from_titles(actor=w.officer_cdcs, proposal=proposal,
                                            titles=["CSTDCS"])
    assert again == []
    title_check = next(c for c in Candidate.objects.filter(proposal=proposal).first().checks
                       if c["code"] == "danh_hieu")
    assert title_check["ok"] is True and "CSTĐCS" in title_check["text"]


def test_the_member_follows_their_own_proposal(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    assert access_proposal(w.member_user, p.pk) == p
    assert [c.proposal_id for c in proposals_naming(w.member.pk)] == [p.pk]
    with pytest.raises(NotFoundError):
        access_proposal(w.outsider, p.pk)


def test_a_once_per_person_form_is_refused_for_someone_who_holds_it(world: World) -> None:
    """HD 149/HD-TLĐ: the Kỷ niệm chương is given once per person."""
    w = world
    p = services.proposal_create(actor=w.leader, unit=w.hn, recipient=w.tld, year=YEAR,
                                 kind="nam", form="KNC_VSN_XDTCCD")
    services.candidate_add(actor=w.leader, proposal=p, person=w.member,
                           achievement="25 năm công tác công đoàn")
    check = next(c for c in p.candidates.get().checks if c["code"] == "dieu_kien")
    assert check["ok"] is True
    Candidate.objects.filter(proposal=p).update(passed=True)
    earlier = to_vote(w, draft(w, people=1))
    decision = services.decision_issue(actor=w.officer_above, issuer=w.cdvc,
                                       proposals=[earlier], signed=SIGNED)
    decision.awards.update(form="KNC_VSN_XDTCCD")
    with pytest.raises(ApplicationError, match="mỗi người chỉ được tặng một lần"):
        services.proposal_step(actor=w.leader, proposal=p, action="submit")


def test_reminders_list_drafts_whose_deadline_is_near(world: World) -> None:
    w = world
    p = draft(w, people=1)
    today = dt.date(2024, 12, 1)
    assert due_soon(w.officer_cdcs, today=today) == []
    services.deadline_set(actor=w.officer_above, recipient=w.cdvc, year=YEAR, kind="nam",
                          last_day=dt.date(2024, 12, 10))
    due = due_soon(w.officer_cdcs, today=today)
    assert [(d.proposal, d.days_left) for d in due] == [(p, 9)]
    assert due_soon(w.outsider, today=today) == []
    assert due_soon(w.officer_cdcs, today=today, within_days=5) == []


def test_the_tlds_officer_sees_every_proposal_of_its_tree_and_none_of_another_root(
        world: World) -> None:
    """A root's scope is read without a condition only while it holds every root: a second
    tree (loaded beside the TLĐ's, say) stays out of the TLĐ officer's lists."""
    w = world
    mine = draft(w, people=1)
    officer = make_user("canbo_tld")
    role_grant_create(actor=SYSTEM, user=officer, unit=w.tld, role="officer")
    assert list(restrict_proposals(officer)) == [mine]
    other_root = make_unit("KHAC", "tld", name="Cây khác")
    other_child = make_unit("KHAC-1", "ldld_tinh", other_root, name="Đơn vị của cây khác")
    theirs = Proposal.objects.create(unit=other_child, recipient=other_root, year=YEAR,
                                     kind="nam", form="BK_TLD_TOAN_DIEN", title="Tờ trình")
    assert list(restrict_proposals(officer)) == [mine]
    assert theirs not in restrict_proposals(officer)
    assert set(restrict_proposals(w.admin)) == {mine, theirs}
    assert list(restrict_proposals(w.officer_cdcs)) == [mine]
