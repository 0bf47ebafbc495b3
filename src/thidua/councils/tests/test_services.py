"""Councils: seats and roles, open ballots per member, secret ballots that keep only counts."""

from __future__ import annotations

from fractions import Fraction

import pytest

from thidua.councils import services
from thidua.councils.models import Ballot, Kind, Role, Vote
from thidua.councils.services import BallotIn
from thidua.councils.tally import Threshold
from thidua.platform.errors import ApplicationError
from thidua.testing import make_person


@pytest.fixture
def council(world):
    c = services.council_create(actor=world.admin, unit=world.cdcs_a, kind=Kind.REVIEW,
                                year=2024, name="Hội đồng bình xét năm 2024")
    members = [services.member_add(council=c, role=role, full_name=f"Thành viên {i}")
               for i, role in enumerate([Role.CHU_TICH, Role.THU_KY, Role.UY_VIEN], 1)]
    return c, members


def test_a_council_seats_one_chair_one_secretary_and_each_person_once(world, council):
    c, _ = council
    with pytest.raises(ApplicationError, match="đã có Chủ tịch"):
        services.member_add(council=c, role=Role.CHU_TICH, full_name="Người khác")
    with pytest.raises(ApplicationError, match="đã có Thư ký"):
        services.member_add(council=c, role=Role.THU_KY, full_name="Người khác")
    with pytest.raises(ApplicationError, match="vai trò"):
        services.member_add(council=c, role=Role.CHUYEN_GIA, full_name="Chuyên gia",
                            roles=[Role.UY_VIEN])
    with pytest.raises(ApplicationError, match="họ tên"):
        services.member_add(council=c, role=Role.UY_VIEN)
    person = make_person(world.cdcs_a, "Phạm Văn Hùng", actor=world.admin)
    seat = services.member_add(council=c, role=Role.UY_VIEN, person=person)
    assert seat.full_name == "Phạm Văn Hùng" and seat.order == 4
    with pytest.raises(ApplicationError, match="đã là thành viên"):
        services.member_add(council=c, role=Role.UY_VIEN, person=person)
    with pytest.raises(ApplicationError, match="đã có"):
        services.council_create(actor=world.admin, unit=world.cdcs_a, kind=Kind.REVIEW,
                                year=2024, name="Hội đồng bình xét năm 2024")


def test_an_open_ballot_records_each_members_vote(world, council):
    c, (chair, secretary, member) = council
    subject = services.subject_create(council=c, label="LĐTT")
    services.presence_set(council=c, present_ids=[chair.pk, secretary.pk])
    changes = services.votes_record(council=c, ballots=[
        BallotIn(subject.pk, chair.pk, "dong_y"), BallotIn(subject.pk, secretary.pk, "vang"),
        BallotIn(subject.pk, member.pk, "khong_dong_y", "Chưa đủ hồ sơ")])
    assert len(changes) == 3
    assert Vote.objects.get(member=member).in_writing  # absent from the meeting
    tally = services.subject_tally(subject, members=3)
    assert (tally.votes_for, tally.votes_against, tally.absent) == (1, 1, 1)
    assert services.votes_record(council=c, ballots=[BallotIn(subject.pk, chair.pk,
                                                              "dong_y")]) == []
    services.votes_record(council=c, ballots=[BallotIn(subject.pk, member.pk, "")])
    assert services.subject_tally(subject, members=3).missing == 1
    other = services.council_create(actor=world.admin, unit=world.cdcs_b, kind=Kind.REVIEW,
                                    year=2024, name="Hội đồng khác")
    stranger = services.member_add(council=other, role=Role.UY_VIEN, full_name="Người ngoài")
    with pytest.raises(ApplicationError, match="không phải thành viên Hội đồng"):
        services.votes_record(council=c, ballots=[BallotIn(subject.pk, stranger.pk, "dong_y")])
    with pytest.raises(ApplicationError, match="Đồng ý, Không đồng ý hoặc Vắng"):
        services.votes_record(council=c, ballots=[BallotIn(subject.pk, chair.pk, "for")])


def test_a_secret_ballot_keeps_only_the_counts(world, council):
    c, (chair, _, _) = council
    c.ballot = Ballot.SECRET
    c.save()
    subject = services.subject_create(council=c, label="CSTĐCS")
    with pytest.raises(ApplicationError, match="bỏ phiếu kín"):
        services.votes_record(council=c, ballots=[BallotIn(subject.pk, chair.pk, "dong_y")])
    with pytest.raises(ApplicationError, match="cộng lại bằng 3"):
        services.counts_record(subject=subject, votes_for=2, votes_against=0, absent=0)
    result = services.counts_record(subject=subject, votes_for=2, votes_against=1, absent=0)
    assert (result.votes_for, result.votes_against, result.missing) == (2, 1, 0)
    assert not Vote.objects.exists()
    tally = services.subject_tally(subject, members=3, ballot=Ballot.SECRET)
    assert (tally.votes_for, tally.absent, tally.cast) == (2, 0, 3)


def test_a_council_may_keep_its_own_threshold(world):
    c = services.council_create(actor=world.admin, unit=world.cdcs_a, kind=Kind.INITIATIVE,
                                year=2024, name="Hội đồng sáng kiến",
                                threshold=Threshold(Fraction(3, 4), source="Cài đặt"))
    t = services.council_threshold(c)
    assert t is not None and (t.share, t.source) == (Fraction(3, 4), "Cài đặt")
    assert services.council_threshold(services.council_create(
        actor=world.admin, unit=world.cdcs_a, kind=Kind.REVIEW, year=2024, name="x")) is None
