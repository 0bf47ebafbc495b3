"""The demo's reports records (issue 11 §6), read back through the reports selectors: 291
members admitted to the Party in CĐVC thành phố Hà Nội in 2017, its 2018 targets inherited by
its CĐCS, the welfare occasions of Công đoàn cơ quan UBND quận Hai Bà Trưng in 2022–2023 and
more than 98 % of its women's families «Gia đình văn hóa». The demo database is the
package's (conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from thidua.demo.reports import (
    PARTY_ADMITTED,
    PARTY_INTRODUCED,
    _roster,
    demo_reports,
    reports_text,
)
from thidua.evaluation.models import TitleResult
from thidua.org.models import Unit
from thidua.people.models import Gender, Membership
from thidua.reports.models import (
    Beneficiary,
    FamilyCultureTitle,
    PartyCandidate,
    Target,
    WelfareActivity,
)
from thidua.reports.selectors import (
    family_title_count,
    party_counts,
    targets_in_force,
    welfare_counts,
)

D = dt.date


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def test_291_members_admitted_to_the_party_in_cdvc_hn_2017(built: None) -> None:
    counts = party_counts(unit("CDVC-HN"), 2017, 2017)
    assert counts.admitted == PARTY_ADMITTED == 291
    assert counts.introduced == PARTY_INTRODUCED > counts.admitted
    assert counts.by_year == {2017: (PARTY_INTRODUCED, PARTY_ADMITTED)}
    rows = PartyCandidate.objects.select_related("unit", "person")
    assert {c.unit.type for c in rows} == {"cdcs"}  # each CĐCS introduces its own members
    cdvc = unit("CDVC-HN")
    for c in rows:
        assert c.unit.path.startswith(cdvc.path)
        assert D(2017, 1, 1) <= c.introduced_on <= D(2017, 12, 31)
        if c.admitted_on is not None:
            assert c.introduced_on < c.admitted_on <= D(2017, 12, 31)
    people = set(rows.values_list("person_id", flat=True))
    assert len(people) == PARTY_INTRODUCED
    # outstanding members: union members holding a 2017 title
    assert Membership.objects.filter(person_id__in=people).values("person").distinct().count() \
        == len(people)
    titled = set(TitleResult.objects.filter(year=2017, person_id__in=people, revoked=False)
                 .values_list("person_id", flat=True))
    assert titled == people
    # none in Hai Bà Trưng, none in other years
    assert party_counts(unit("CD-UBND-HBT"), 2022, 2023).introduced == 0
    assert party_counts(cdvc, 2018, 2018).admitted == 0


ARTICLE_2018 = {
    "cdcs_phat_dong": ("ge", "100", None),
    "cdcs_dang_ky": ("ge", "100", None),
    "nld_danh_hieu": ("gt", "75", None),
    "nu_gvndvn": ("range", "85", "90"),
    "gia_dinh_van_hoa": ("ge", "95", None),
    "co_quan_dang_ky_van_hoa": ("ge", "100", None),
    "co_quan_van_hoa": ("gt", "60", None),
    "cdcs_vung_manh": ("gt", "90", None),
    "cdcs_yeu": ("le", "0", None),
    "dang_gioi_thieu": ("gt", "200", None),
    "dang_ket_nap": ("gt", "200", None),
}


def _values(found: list[Any]) -> dict[str, tuple[str, str, str | None]]:
    return {t.target.measure: (t.target.comparison, f"{t.target.value.normalize():f}",
                               None if t.target.value_max is None
                               else f"{t.target.value_max.normalize():f}") for t in found}


def test_the_2018_targets_are_set_by_cdvc_hn_and_inherited_by_its_cdcs(built: None) -> None:
    cdvc = unit("CDVC-HN")
    own = targets_in_force(cdvc, 2018)
    assert _values(own) == ARTICLE_2018
    assert not any(t.inherited for t in own)
    assert all("Khánh Vân" in t.target.source for t in own)
    cdcs = Unit.objects.get(code="CDVC-HN-01")
    below = targets_in_force(cdcs, 2018)
    assert _values(below) == ARTICLE_2018
    assert all(t.inherited and t.set_by == cdvc for t in below)
    # the article states no 2017 targets, and only CĐVC thành phố sets these
    assert targets_in_force(cdcs, 2017) == []
    assert set(Target.objects.values_list("unit__code", "year")) == {("CDVC-HN", 2018)}
    assert Target.objects.get(measure="nu_gvndvn").value_max == Decimal(90)


def test_hai_ba_trung_welfare_by_occasion(built: None) -> None:
    hbt = unit("CD-UBND-HBT")
    counts = welfare_counts(hbt, 2022, 2023)
    occasions = [code for code, _label, _figure in counts.occasions()]
    assert occasions == ["8_3", "20_10", "19_11", "28_6", "TET", "KHAM_SK"]
    assert all(f.activities == 2 for f in counts.by_occasion.values())  # 2022 and 2023
    by_year = {y: welfare_counts(hbt, y, y) for y in (2022, 2023)}
    assert all(c.total.activities == 6 for c in by_year.values())
    women = Beneficiary.objects.filter(activity__occasion__in=["8_3", "20_10"])
    assert set(women.values_list("person__gender", flat=True)) == {Gender.FEMALE}
    men = Beneficiary.objects.filter(activity__occasion="19_11")
    assert Gender.FEMALE not in set(men.values_list("person__gender", flat=True))
    # the health check support goes to the 393 members, every year
    assert counts.by_occasion["KHAM_SK"].beneficiaries == 2 * 393
    assert counts.total.amount == sum(f.amount for f in counts.by_occasion.values()) > 0
    # the article names no amount: each activity says its amount is illustrative
    for a in WelfareActivity.objects.all():
        assert a.unit == hbt and a.year in (2022, 2023)
        assert "(minh họa)" in a.note
        assert a.beneficiaries.exclude(person__isnull=True).count() == a.beneficiaries.count()


def test_more_than_98_percent_of_the_womens_families_are_gia_dinh_van_hoa(built: None) -> None:
    hbt = unit("CD-UBND-HBT")
    for year in (2022, 2023):
        women = [p for p, g, _ in _roster(hbt, year) if g == Gender.FEMALE]
        families = family_title_count(hbt, year)
        assert 0.98 < families / len(women) < 1
        people = set(FamilyCultureTitle.objects.filter(year=year)
                     .values_list("person_id", flat=True))
        assert people <= set(women)
    assert family_title_count(unit("CDVC-HN"), 2017) == 0


def test_a_second_run_changes_nothing(built: None) -> None:
    def counts() -> tuple[int, ...]:
        return (Target.objects.count(), PartyCandidate.objects.count(),
                WelfareActivity.objects.count(), Beneficiary.objects.count(),
                FamilyCultureTitle.objects.count())

    before = counts()
    demo_reports(actor=get_user_model().objects.get(username="quantri"))
    assert counts() == before


def test_the_printed_summary_reads_the_records(built: None) -> None:
    """What `thidua demo` prints after the roster figures (the command itself is run by
    test_demo.py and scripts/test.sh)."""
    text = reports_text()
    assert "năm 2017: 291 đoàn viên ưu tú được kết nạp vào Đảng" in text
    assert "Chỉ tiêu năm 2018 do Công đoàn Viên chức thành phố Hà Nội đặt cho các CĐCS: 11" \
        in text
    assert "12 hoạt động chăm lo" in text
    assert "Gia đình văn hóa năm 2023" in text
