"""The year-end reviews in the exchange format (version 8): a CĐCS' review travels with its
council, candidates, votes and log, and the titles its council decided are tied to it again."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from thidua.councils.models import Council, Member, Vote
from thidua.evaluation import services
from thidua.evaluation.models import Candidate, Review, ReviewEvent, TitleResult
from thidua.evaluation.tests.conftest import Roster, officer, vote_all, voting_review
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.tests.exchange_helpers import edit_dumped_cell
from thidua.platform.errors import ApplicationError
from thidua.testing import make_person, make_unit, make_world

pytestmark = pytest.mark.django_db


def _state() -> dict[str, Any]:
    """The review as its pages and minutes read it, by names (ids change on load)."""
    return {
        "reviews": list(Review.objects.values_list(
            "unit__code", "year", "status", "rule_set", "place_name", "council__name",
            "council__kind", "council__ballot", "council__meeting_date",
            "council__meeting_time", "council__meeting_place", "proposed_at", "closed_at")),
        "members": sorted(Member.objects.values_list(
            "full_name", "position", "role", "order", "present", "person__full_name"), key=str),
        "candidates": sorted(Candidate.objects.values_list(
            "person__full_name", "subject_unit__code", "title", "source", "included",
            "eligible", "reasons", "missing", "added_reason", "removed_reason", "outcome",
            "votes_for", "votes_against", "votes_absent", "council_size", "subject__label"),
            key=str),
        "votes": sorted(Vote.objects.values_list(
            "subject__candidate__person__full_name", "subject__candidate__title",
            "member__full_name", "choice", "in_writing")),
        "events": list(ReviewEvent.objects.order_by("at", "id").values_list("at", "kind", "text")),
        "decided": sorted(TitleResult.objects.filter(review__isnull=False).values_list(
            "person__full_name", "title", "review__year")),
    }


def _dump(out: Path) -> dict[str, Any]:
    """CDCS-A's review of the year: six people rated, a council of five (one votes against
    everything), closed; CDVC-HN's subtree dumped, then everything rolled back."""
    point = transaction.savepoint()
    try:
        world = make_world()
        people = [world.member] + [
            make_person(world.to_a1 if i % 2 else world.cdcs_a, name, gender=gender,
                        birth=dt.date(1980 + i, 2, 3), actor=world.admin)
            for i, (name, gender) in enumerate([
                ("Nguyễn Văn An", "nam"), ("Lê Thị Bình", "nu"), ("Phạm Văn Cường", "nam"),
                ("Hoàng Thị Dung", "nu"), ("Vũ Văn Em", "nam")])]
        roster = Roster(world, people, {})
        review, members = voting_review(roster)
        services.review_meeting_set(actor=officer(roster), review=review,
                                    meeting_date=dt.date(2024, 12, 18),
                                    meeting_time=dt.time(14, 0), meeting_place="Phòng họp 2")
        vote_all(review, roster, members, choices={4: "khong_dong_y"})
        services.review_transition(actor=officer(roster), review=review, to="closed")
        state = _state()
        exchange_dump(actor=None, unit=world.cdvc, out=out)
    finally:
        transaction.savepoint_rollback(point)
    assert not Review.objects.exists() and not Council.objects.exists()
    return state


def test_a_review_travels_with_its_council_candidates_votes_and_log(tmp_path):
    before = _dump(tmp_path / "cdvc")
    assert before["votes"] and before["decided"] and before["events"]
    under = make_unit("LDLD-DN", "ldld_tinh", name="Liên đoàn Lao động thành phố Đà Nẵng")

    counts = exchange_load(actor=None, source=tmp_path / "cdvc", under=under)

    assert counts["reviews"] == 1 and counts["review_council_members"] == 5
    assert counts["review_votes"] == len(before["votes"])
    assert _state() == before
    review = Review.objects.get()
    assert review.unit.code == "CDCS-A" and review.council.unit == review.unit
    # the candidates put to the vote have their subjects on the review's council
    assert {c.subject.council_id for c in review.candidates.exclude(subject=None)} == {
        review.council_id}


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_vote_on_a_candidate_not_put_to_the_vote_is_refused_with_its_line(tmp_path):
    _dump(tmp_path / "cdvc")
    folder = tmp_path / "cdvc"
    candidates = _rows(folder, "review_candidates")
    first_voted = _rows(folder, "review_votes")[0]["candidate_id"]
    line = next(i for i, r in enumerate(candidates, start=2) if r["id"] == first_voted)
    edit_dumped_cell(folder, "review_candidates", line, "voted", "false")
    edit_dumped_cell(folder, "reviews", 2, "closed_at", "")

    with pytest.raises(ApplicationError) as exc:
        exchange_load(actor=None, source=folder)

    assert (f"review_votes.csv, dòng 2: đề nghị {first_voted} không được đưa ra biểu quyết"
            in exc.value.message)
    assert "reviews.csv, dòng 2: một cuộc bình xét đã có kết quả" in exc.value.message
    assert not Review.objects.exists() and not TitleResult.objects.exists()
