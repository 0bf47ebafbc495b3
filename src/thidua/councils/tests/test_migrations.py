"""The data migrations that moved the review councils and the initiative councils into this app:
rows written under the old schema read the same under the new one, both vote vocabularies map to
the one, and the initiative councils keep their keys (their criteria, reviews and scores still
point at them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from thidua.councils.models import Council, Member, Vote
from thidua.evaluation.models import Candidate, Review
from thidua.initiatives.models import Review as InitiativeReview
from thidua.initiatives.models import Score
from thidua.org.models import Unit
from thidua.people.models import Person

OLD = [("evaluation", "0001_initial"), ("initiatives", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_councils_and_votes_read_the_same_after_the_migration():
    # plain rows, not services: a transactional test must leave the audit trail empty (its
    # triggers refuse the flush that ends the test)
    unit = Unit.objects.add_root({"code": "CDCS-A", "name": "Công đoàn A", "type": "cdcs",
                                  "valid_from": dt.date(2020, 1, 1)})
    other_unit = Unit.objects.add_root({"code": "CDCS-B", "name": "Công đoàn B", "type": "cdcs",
                                        "valid_from": dt.date(2020, 1, 1)})
    people = [Person.objects.create(full_name=f"Thành Viên {i}", name_folded=f"thanh vien {i}",
                                    gender="nam") for i in range(4)]
    try:
        old = _migrate(OLD)
        # the year-end review as the old schema kept it
        review = old.get_model("evaluation", "Review").objects.create(
            unit_id=unit.pk, year=2024, status="closed", meeting_date=dt.date(2024, 12, 15),
            meeting_place="Hội trường")
        member_model = old.get_model("evaluation", "CouncilMember")
        seats = [member_model.objects.create(review=review, person_id=p.pk, name=p.full_name,
                                             role=role, present=i < 2)
                 for i, (p, role) in enumerate(zip(people[:3], ["chu_tich", "thu_ky", "uy_vien"],
                                                   strict=True))]
        cand_model = old.get_model("evaluation", "Candidate")
        passed = cand_model.objects.create(review=review, person_id=people[3].pk, title="LDTT",
                                           source="engine", outcome="passed", votes_for=2,
                                           votes_against=0, votes_absent=1, council_size=3)
        removed = cand_model.objects.create(review=review, person_id=people[0].pk, title="LDTT",
                                            source="engine", included=False)
        vote_model = old.get_model("evaluation", "Vote")
        for seat, choice in zip(seats, ["dong_y", "dong_y", "vang"], strict=True):
            vote_model.objects.create(candidate=passed, member=seat, choice=choice,
                                      opinion="Nhất trí" if choice == "dong_y" else "")
        # an initiative council with its members, criteria, a review, votes and a score
        council = old.get_model("initiatives", "Council").objects.create(
            unit_id=unit.pk, year=2023, name="Hội đồng sáng kiến 2023", level="co_so",
            threshold_num=2, threshold_den=3, threshold_source="TT 18/2013")
        i_member = old.get_model("initiatives", "CouncilMember")
        i_seats = [i_member.objects.create(council=council, person_id=p.pk, full_name=p.full_name,
                                           role=role, order=n)
                   for n, (p, role) in enumerate(zip(people[:3], ["chu_tich", "dai_dien_cd",
                                                                  "thu_ky"], strict=True), 1)]
        criterion = old.get_model("initiatives", "Criterion").objects.create(
            council=council, name="Tính mới", max_points=30)
        initiative = old.get_model("initiatives", "Initiative").objects.create(
            unit_id=unit.pk, year=2023, title="Sổ chứng thực điện tử",
            title_folded="so chung thuc dien tu", field="Hành chính", kind="tac_nghiep",
            description="Mô tả", status="under_review")
        i_review = old.get_model("initiatives", "Review").objects.create(
            council=council, initiative=initiative, opened_at=timezone.now())
        i_vote = old.get_model("initiatives", "Vote")
        i_vote.objects.create(review=i_review, member=i_seats[0], choice="for")
        i_vote.objects.create(review=i_review, member=i_seats[1], choice="against",
                              in_writing=True)
        old.get_model("initiatives", "Score").objects.create(
            review=i_review, member=i_seats[0], criterion=criterion, points=25)
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())

    moved = Review.objects.select_related("council").get(pk=review.pk)
    assert (moved.council.kind, moved.council.year, moved.council.meeting_date,
            moved.council.meeting_place) == ("review", 2024, dt.date(2024, 12, 15), "Hội trường")
    members = list(moved.council.members.order_by("order"))
    assert [(m.full_name, m.role, m.present) for m in members] == [
        (p.full_name, role, i < 2) for i, (p, role) in enumerate(
            zip(people[:3], ["chu_tich", "thu_ky", "uy_vien"], strict=True))]
    voted = Candidate.objects.get(pk=passed.pk)
    assert sorted(voted.subject.votes.values_list("choice", flat=True)) == [
        "dong_y", "dong_y", "vang"]
    assert (voted.outcome, voted.votes_for, voted.votes_absent) == ("passed", 2, 1)
    assert Candidate.objects.get(pk=removed.pk).subject is None

    kept = Council.objects.get(pk=council.pk)  # same key
    assert (kept.kind, kept.threshold_num, kept.threshold_den, kept.level) == (
        "initiative", 2, 3, "co_so")
    assert list(kept.members.values_list("pk", flat=True)) == [s.pk for s in i_seats]
    assert list(kept.criteria.values_list("name", flat=True)) == ["Tính mới"]
    ir = InitiativeReview.objects.get(pk=i_review.pk)
    assert ir.council_id == kept.pk
    assert sorted(ir.subject.votes.values_list("choice", "in_writing")) == [
        ("dong_y", False), ("khong_dong_y", True)]
    assert Score.objects.get().member_id == i_seats[0].pk
    # new councils do not collide with the kept keys
    fresh = Council.objects.create(unit=other_unit, kind="review", year=2025, name="Mới")
    assert fresh.pk > max(kept.pk, moved.council_id)
    assert Member.objects.count() == 6 and Vote.objects.count() == 5
