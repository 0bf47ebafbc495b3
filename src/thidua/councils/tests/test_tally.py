"""The one tally and threshold: counted against all members, exact shares, the explanation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from thidua.councils.tally import Threshold, count, counted, decide

EIGHTY = Threshold(Fraction(4, 5), source="NĐ 98/2023", confidence="C", title="CSTDCS")
TWO_THIRDS = Threshold(Fraction(2, 3), source="TT 18/2013")
MAJORITY = Threshold(Fraction(1, 2), strict=True)


def test_a_member_who_casts_nothing_counts_as_absent():
    t = count(["dong_y", "dong_y", "khong_dong_y", "vang"], members=6)
    assert (t.votes_for, t.votes_against, t.absent, t.cast, t.missing) == (2, 1, 3, 4, 2)
    assert t.not_voted == 3 and t.as_counts() == {"for": 2, "against": 1, "absent": 3}
    with pytest.raises(ValueError):
        count(["for"], members=1)


@pytest.mark.parametrize(("threshold", "members", "needed"), [
    (EIGHTY, 5, 4), (EIGHTY, 10, 8), (EIGHTY, 7, 6), (TWO_THIRDS, 3, 2), (TWO_THIRDS, 5, 4),
    (TWO_THIRDS, 6, 4), (MAJORITY, 4, 3), (MAJORITY, 5, 3), (MAJORITY, 7, 4)])
def test_the_votes_needed_are_exact(threshold, members, needed):
    assert threshold.needed(members) == needed
    assert threshold.met(needed, members) and not threshold.met(needed - 1, members)


def test_nobody_passes_an_empty_council():
    assert not EIGHTY.met(0, 0) and not decide(count([], members=0), EIGHTY).passed


def test_the_decision_explains_itself_in_vietnamese():
    d = decide(counted(members=10, votes_for=8, votes_against=1), EIGHTY)
    assert d.passed and d.needed == 8
    assert d.explanation == ("8/10 thành viên đồng ý (80,0%); cần từ 80% tổng số thành viên "
                             "Hội đồng (ít nhất 8)")
    d = decide(counted(members=3, votes_for=1, votes_against=0), TWO_THIRDS)
    assert not d.passed and "cần từ 2/3 tổng số thành viên Hội đồng (ít nhất 2)" in d.explanation
    assert "trên 50% tổng số thành viên" in MAJORITY.text


def test_shares_print_as_the_sources_write_them():
    assert Threshold(Fraction(Decimal("0.6667"))).share_text == "66,67%"
    assert EIGHTY.decimal == "0.8" and TWO_THIRDS.decimal == "0.6667"
    assert TWO_THIRDS.fraction == "2/3"
    assert EIGHTY.as_dict() == {"title": "CSTDCS", "share": "0.8", "strict": False,
                                "source": "NĐ 98/2023", "confidence": "C",
                                "text": "từ 80% tổng số thành viên Hội đồng"}
    with pytest.raises(ValueError):
        Threshold(Fraction(0))
