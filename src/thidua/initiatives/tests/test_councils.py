"""Councils and their reviews: members who are never authors, the scoring sheet, the
threshold in force, votes and scores, the tally and the close."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.initiatives import services
from thidua.initiatives.models import Initiative, Outcome, Status
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import council, submitted, vote
from thidua.platform.errors import ApplicationError, NotFoundError

pytestmark = pytest.mark.django_db


def test_an_author_cannot_sit_on_the_council_that_judges_it(world):
    ini = submitted(world)
    c, _ = council(world)
    services.council_member_add(actor=world.officer_cdcs, council=c, person=world.member,
                                role="uy_vien")
    with pytest.raises(ApplicationError) as exc:
        services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    assert "Trần Thị Ánh là tác giả" in exc.value.message
    assert Initiative.objects.get(pk=ini.pk).status == Status.SUBMITTED
    assert not ini.reviews.exists()


def test_an_author_cannot_join_a_council_already_judging_it(world):
    ini = submitted(world)
    c, _ = council(world)
    services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    with pytest.raises(ApplicationError, match="tác giả không được là thành viên"):
        services.council_member_add(actor=world.officer_cdcs, council=c, person=world.member,
                                    role="uy_vien")
    # a free-name author is matched by name too
    co = submitted(world, title="Phần mềm nhắc hạn hồ sơ",
                   authors=[AuthorInput(full_name="Đỗ Minh Khoa", contribution=100)])
    services.review_open(actor=world.officer_cdcs, council=c, initiative=co)
    with pytest.raises(ApplicationError, match="Đỗ Minh Khoa là tác giả"):
        services.council_member_add(actor=world.officer_cdcs, council=c,
                                    full_name="do minh khoa", role="chuyen_gia")


def test_council_composition_rules(world):
    c, _ = council(world, size=1)  # a chair only
    with pytest.raises(ApplicationError, match="đã có Chủ tịch"):
        services.council_member_add(actor=world.officer_cdcs, council=c, full_name="Ai Đó",
                                    role="chu_tich")
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="đại diện tổ chức công đoàn"):
        services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    with pytest.raises(NotFoundError):
        services.council_create(actor=world.outsider, unit=world.cdcs_a, year=2023, name="X")


def test_a_council_reviews_only_inside_its_unit(world):
    c, _ = council(world, unit=world.cdcs_b, actor=world.officer_above)
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="ngoài phạm vi"):
        services.review_open(actor=world.officer_above, council=c, initiative=ini)


@pytest.mark.parametrize("size, n_for, n_against, passed", [
    (3, 2, 1, True),     # 2 ≥ ⌈3·2/3⌉ = 2
    (3, 1, 0, False),
    (6, 3, 0, False),    # 3 of 6 present all agree: still short of 4
    (6, 4, 2, True),
    (5, 3, 0, False),    # ⌈10/3⌉ = 4
    (5, 4, 1, True),
    (9, 6, 0, True),
    (9, 5, 4, False),
])
def test_threshold_counts_all_members(world, size, n_for, n_against, passed):
    ini = submitted(world)
    c, _ = council(world, size=size)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, n_for, n_against)
    review = services.review_close(actor=world.officer_cdcs, review=review)
    assert review.members_total == size
    assert (review.outcome == Outcome.PASSED) is passed
    ini.refresh_from_db()
    assert ini.status == (Status.UNDER_REVIEW if passed else Status.NOT_RECOGNIZED)


def test_threshold_is_a_setting_kept_per_council(world, settings):
    settings.THIDUA_INITIATIVE_VOTE_THRESHOLD = "3/4"
    c, _ = council(world, size=4)
    assert (c.threshold_num, c.threshold_den) == (3, 4)
    assert "THIDUA_INITIATIVE_VOTE_THRESHOLD" in c.threshold_source
    ini = submitted(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, 2)
    settings.THIDUA_INITIATIVE_VOTE_THRESHOLD = "1/2"  # a later change does not apply
    assert services.review_close(actor=world.officer_cdcs, review=review).outcome == "failed"


def test_default_threshold_cites_its_source():
    num, den, source = services.vote_threshold()
    assert (num, den) == (2, 3)
    assert "Thông tư 18/2013/TT-BKHCN, Điều 8" in source


def test_scores_within_maximum_and_frozen_after_closing(world):
    ini = submitted(world)
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    criteria = list(c.criteria.all())
    assert [x.max_points for x in criteria] == [30, 40, 30]
    members = list(c.members.all())
    with pytest.raises(ApplicationError, match="từ 0 đến 30"):
        services.scores_record(actor=world.officer_cdcs, review=review, member=members[0],
                               points={criteria[0].pk: 31})
    for m, pts in zip(members, ([25, 35, 28], [20, 30, 20], [30, 40, 30]), strict=True):
        services.scores_record(actor=world.officer_cdcs, review=review, member=m,
                               points={c_.pk: p for c_, p in zip(criteria, pts, strict=True)})
    assert services.average_score(review) == Decimal("86.00")
    vote(world, review, 3)
    closed = services.review_close(actor=world.officer_cdcs, review=review)
    assert closed.average_score == Decimal("86.00")
    with pytest.raises(ApplicationError, match="đã kết thúc"):
        services.votes_record(actor=world.officer_cdcs, review=review,
                              votes={members[0].pk: "khong_dong_y"})
    with pytest.raises(ApplicationError, match="không sửa phiếu"):
        services.council_criteria_set(actor=world.officer_cdcs, council=c, criteria=[("X", 10)])


def test_votes_only_from_members(world):
    ini = submitted(world)
    c, _ = council(world)
    other, _ = council(world, year=2024)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    outsider_member = other.members.first()
    with pytest.raises(ApplicationError, match="không phải thành viên"):
        services.votes_record(actor=world.officer_cdcs, review=review,
                              votes={outsider_member.pk: "dong_y"})
    with pytest.raises(ApplicationError, match="Chưa có phiếu"):
        services.review_close(actor=world.officer_cdcs, review=review)
