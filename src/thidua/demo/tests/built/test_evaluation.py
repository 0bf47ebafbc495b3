"""The evaluation part of the demo: CĐVC Hà Nội's 2017 (every worker rated, titles by the rules,
the year locked) and CĐ cơ quan UBND quận Hai Bà Trưng's 2023 (a full review, more than 97 % of
the women «Giỏi việc nước, đảm việc nhà»). The demo database is the
package's (conftest.py)."""

from __future__ import annotations

import io
from collections import Counter

import docx
import pytest

from thidua.audit.models import AuditEntry
from thidua.councils.models import Vote
from thidua.demo.evaluation import demo_evaluation
from thidua.evaluation.documents import minutes_docx
from thidua.evaluation.models import (
    Candidate,
    DecidedBy,
    Rating,
    Review,
    ReviewStatus,
    TitleResult,
    YearLock,
)
from thidua.evaluation.selectors import year_roster
from thidua.org.models import Unit


@pytest.fixture
def built(demo, db):
    return demo.admin()


def test_every_cdvc_worker_is_rated_in_2017(built):
    cdvc = Unit.objects.get(code="CDVC-HN")
    people = year_roster(cdvc, 2017).values("person_id")
    codes = Counter(Rating.objects.filter(year=2017, person_id__in=people)
                    .values_list("code", flat=True))
    total = sum(codes.values())
    assert total == 10159
    assert codes["HTTNV"] > total / 2  # most
    assert 0.13 <= codes["HTXSNV"] / total <= 0.17  # about 15 %
    assert 0 < codes["HTNV"] < total * 0.06  # a few


def test_cdvc_titles_come_from_the_rules_with_the_2017_quota(built):
    cdvc = Unit.objects.get(code="CDVC-HN")
    results = TitleResult.objects.filter(year=2017, person__isnull=False,
                                         unit__path__startswith=cdvc.path)
    assert set(results.values_list("how", flat=True)) == {DecidedBy.ENGINE}
    ldtt = results.filter(title="LDTT").count()
    cstdcs = results.filter(title="CSTDCS").count()
    assert ldtt > 8000
    assert 0 < cstdcs <= 0.15 * ldtt  # NĐ 91/2017 Điều 9.3, judged per CĐCS
    # nobody rated below «hoàn thành tốt» is LĐTT
    weak = Rating.objects.filter(year=2017, code__in=["HTNV", "KHTNV"]).values("person_id")
    assert not results.filter(title="LDTT", person_id__in=weak).exists()
    assert results.first().reasons  # every result keeps the reasons it was decided on
    # TTLĐTT and TTLĐXS are titles of the agency's collectives, decided by its head (Luật
    # 06/2022 Điều 80): a CĐCS, as a union body, never holds one
    assert not TitleResult.objects.filter(title__in=["TTLDTT", "TTLDXS"],
                                          subject_unit__type="cdcs").exists()


def test_cdvc_2017_is_locked(built):
    assert YearLock.objects.filter(unit__code="CDVC-HN", year=2017).exists()


def test_hbt_review_2023_is_closed_with_a_council_of_seven(built):
    review = Review.objects.get(unit__code="CD-UBND-HBT", year=2023)
    assert review.status == ReviewStatus.CLOSED
    council = list(review.council.members.order_by("pk"))
    assert len(council) == 7
    assert sum(1 for m in council if not m.present) == 1
    assert {m.role for m in council} >= {"chu_tich", "thu_ky"}
    assert Candidate.objects.filter(review=review, included=False).exclude(
        removed_reason="").exists()
    # two votes against sink a CSTĐ cơ sở proposal: 4 of 7 is under 80 %
    sunk = Candidate.objects.get(review=review, subject__votes__choice="khong_dong_y",
                                 title="CSTDCS", subject__votes__member=council[3])
    assert sunk.outcome == "failed" and sunk.votes_for == 4 and sunk.council_size == 7
    assert not Vote.objects.filter(subject__candidate__review=review, member=council[-1]).exclude(
        choice="vang").exists()


@pytest.mark.parametrize("year", [2022, 2023])
def test_hbt_more_than_97_percent_of_women_reach_gvndvn_every_year(built, year):
    unit = Unit.objects.get(code="CD-UBND-HBT")
    women = set(year_roster(unit, year).filter(person__gender="nu")
                .values_list("person_id", flat=True))
    gvndvn = set(TitleResult.objects.filter(year=year, title="GVNDVN", revoked=False)
                 .values_list("person_id", flat=True))
    assert gvndvn <= women
    # «trên 97% nữ CBCCVC, NLĐ»: all women workers, members or not
    assert len(gvndvn) / len(women) > 0.97
    # women not yet members did not register through the union: the officer added them
    added = Candidate.objects.filter(review__unit=unit, title="GVNDVN", source="officer")
    assert added.exists() and all(c.added_reason for c in added)


def test_hbt_minutes_name_the_council_and_the_votes(built):
    review = Review.objects.get(unit__code="CD-UBND-HBT", year=2023)
    document = docx.Document(io.BytesIO(minutes_docx(review)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    chair = review.council.members.get(role="chu_tich").full_name
    assert f"Chủ tọa: {chair}" in text
    assert "gồm 7 thành viên; có mặt 6, vắng mặt 1" in text
    assert "bắt đầu lúc 14 giờ 00 phút" in text and "kết thúc lúc 16 giờ 30 phút" in text
    assert "Hà Nội, ngày 15 tháng 12 năm 2023" in cells[1]
    assert "85,7%" in cells and "57,1%" in cells


def test_a_second_run_changes_nothing(built):
    before = AuditEntry.objects.count()
    ratings = Rating.objects.count()
    results = TitleResult.objects.count()
    demo_evaluation(actor=built)
    assert (AuditEntry.objects.count(), Rating.objects.count(),
            TitleResult.objects.count()) == (before, ratings, results)

