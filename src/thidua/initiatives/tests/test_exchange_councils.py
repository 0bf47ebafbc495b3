"""The initiative councils in the exchange format (version 8): a council of a unit of the
subtree travels with its members, scoring sheet, reviews, votes and scores, and the
recognition a review led to is tied to it again; a council above the subtree stays with its
own dump."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from thidua.councils.models import Council, Member, Role, Vote
from thidua.initiatives import services
from thidua.initiatives.models import Criterion, Level, Recognition, Review, Score
from thidua.initiatives.tests.helpers import council, submitted
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.tests.exchange_helpers import edit_dumped_cell
from thidua.platform.errors import ApplicationError
from thidua.testing import make_unit, make_world

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    """What the councils of CDVC-HN's subtree hold, by names (ids change on load)."""
    return {
        "councils": sorted(Council.objects.values_list(
            "unit__code", "kind", "year", "name", "level", "ballot", "decision_no",
            "meeting_time", "threshold_num", "threshold_den", "threshold_source")),
        "members": sorted(Member.objects.values_list(
            "council__unit__code", "full_name", "position", "role", "order", "present",
            "person__full_name"), key=str),
        "reviews": sorted(Review.objects.values_list(
            "council__unit__code", "initiative__title", "subject__label", "outcome", "members_total",
            "votes_for", "votes_against", "average_score", "meeting_date", "opened_at",
            "closed_at")),
        "votes": sorted(Vote.objects.values_list(
            "member__council__unit__code", "subject__initiative_review__initiative__title",
            "member__full_name", "choice",
            "in_writing", "opinion")),
        "criteria": sorted(Criterion.objects.values_list(
            "council__unit__code", "name", "max_points", "order")),
        "scores": sorted(Score.objects.values_list(
            "review__council__unit__code", "review__initiative__title", "member__full_name",
            "criterion__name", "points")),
        "recognitions": sorted(Recognition.objects.values_list(
            "review__council__unit__code", "initiative__title", "level"), key=str),
    }


def _dump(out: Path, *, whole: bool = False) -> dict[str, Any]:
    """CDCS-A's council reviews, scores and recognises an initiative (a guest expert on it, a
    written opinion); LDLD-HN's council, above the dump, reviews it again for the city level;
    CDVC-HN's subtree (`whole`: the whole tree) dumped, then everything rolled back."""
    point = transaction.savepoint()
    try:
        world = make_world()
        ini = submitted(world)
        c, _people = council(world)
        guest = services.council_member_add(actor=world.officer_cdcs, council=c,
                                            role=Role.CHUYEN_GIA, full_name="Ngô Văn Khách",
                                            position="Trường Đại học Luật Hà Nội")
        review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini,
                                      meeting_date=dt.date(2023, 11, 10),
                                      meeting_time=dt.time(8, 30))
        members = list(c.members.order_by("order", "id"))
        votes = {m.pk: "dong_y" for m in members}
        votes[guest.pk] = "khong_dong_y"
        services.votes_record(actor=world.officer_cdcs, review=review, votes=votes,
                              in_writing=[guest.pk])
        criteria = list(c.criteria.order_by("order"))
        for m, share in zip(members, ("0.85", "0.7", "0.9", "0.65"), strict=True):
            services.scores_record(actor=world.officer_cdcs, review=review, member=m, points={
                k.pk: (k.max_points * Decimal(share)).quantize(Decimal("0.1")) for k in criteria})
        services.review_close(actor=world.officer_cdcs, review=review)
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=dt.date(2023, 11, 20), decision_no="45/QĐ-STP",
                                    issuer="Giám đốc Sở Tư pháp")
        council(world, unit=world.hn, actor=world.leader, level=Level.TINH)
        state = _state()
        exchange_dump(actor=None, unit=None if whole else world.cdvc, out=out)
    finally:
        transaction.savepoint_rollback(point)
    assert not Council.objects.exists()
    return state


def test_a_council_travels_with_its_reviews_votes_scores_and_recognition(tmp_path):
    before = _dump(tmp_path / "cdvc")
    assert len(before["councils"]) == 2  # CDCS-A's and LDLD-HN's
    assert before["recognitions"][0][0] == "CDCS-A"  # recognised on CDCS-A's review
    under = make_unit("LDLD-DN", "ldld_tinh", name="Liên đoàn Lao động thành phố Đà Nẵng")

    counts = exchange_load(actor=None, source=tmp_path / "cdvc", under=under)

    assert (counts["initiative_councils"], counts["initiative_council_members"],
            counts["initiative_reviews"], counts["initiative_votes"],
            counts["initiative_scores"]) == (1, 4, 1, 4, 4 * sum(k[0] == "CDCS-A" for k in before["criteria"]))
    after = _state()
    # LDLD-HN's council (above the dump, with its own members) stays with its own dump
    expected = {k: [r for r in v if r[0] != "LDLD-HN"] for k, v in before.items()}
    assert expected["criteria"]
    assert len(expected["members"]) == 4 and len(expected["councils"]) == 1
    assert after == expected
    review = Review.objects.get()
    assert review.average_score is not None and review.subject.council == review.council
    assert Vote.objects.get(in_writing=True).member.full_name == "Ngô Văn Khách"
    # the members on the roster are the loaded people; the guest a name
    assert Member.objects.filter(person__isnull=False).count() == 3


def test_a_wrong_time_is_refused_with_its_line(tmp_path):
    _dump(tmp_path / "cdvc")
    edit_dumped_cell(tmp_path / "cdvc", "initiative_councils", 2, "meeting_time", "25:00")

    with pytest.raises(ApplicationError, match="initiative_councils.csv, dòng 2: cột "
                                               "«meeting_time» phải là giờ dạng HH:MM:SS"):
        exchange_load(actor=None, source=tmp_path / "cdvc")
    assert not Council.objects.exists()


def test_a_vote_or_score_of_another_councils_member_is_refused_with_its_line(tmp_path):
    _dump(tmp_path / "all", whole=True)  # both councils in the dump
    folder = tmp_path / "all"
    members = _rows(folder, "initiative_council_members")
    reviews = _rows(folder, "initiative_reviews")
    (reviewed,) = {r["council_id"] for r in reviews}
    stranger = next(m["id"] for m in members if m["council_id"] != reviewed)
    edit_dumped_cell(folder, "initiative_votes", 3, "member_id", stranger)
    edit_dumped_cell(folder, "initiative_scores", 2, "member_id", stranger)
    other_criterion = next(k["id"] for k in _rows(folder, "initiative_criteria")
                           if k["council_id"] != reviewed)
    edit_dumped_cell(folder, "initiative_scores", 4, "criterion_id", other_criterion)
    edit_dumped_cell(folder, "initiative_reviews", 2, "closed_at", "")

    with pytest.raises(ApplicationError) as exc:
        exchange_load(actor=None, source=folder)

    message = exc.value.message
    assert (f"initiative_votes.csv, dòng 3: thành viên {stranger} không thuộc hội đồng của "
            "phiên xét" in message)
    assert (f"initiative_scores.csv, dòng 2: thành viên {stranger} không thuộc hội đồng"
            in message)
    assert (f"initiative_scores.csv, dòng 4: tiêu chí {other_criterion} không thuộc phiếu chấm"
            in message)
    assert "initiative_reviews.csv, dòng 2: một phiên xét đã có kết quả" in message
    assert not Council.objects.exists() and not Review.objects.exists()


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
