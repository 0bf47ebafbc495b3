"""The pages' award rows grouped in the database (`award_counts(group_over=…)`, one SQL
statement) are every issuer's rows folded by the report's rule (`award_fold.fold`, row by row in
Python): on a small tree whose every case is known (a type with more than five issuers below the unit, one with five, an
issuer of a grouped type outside the unit, the unit itself, a body above), for one year (the
unit's kept subtree sums) and several (the subtree's kept rows), on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from thidua.honours.figures import award_figures
from thidua.honours.models import Award, Decision
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.reports.compose import NAMED_ISSUERS_MAX, award_groups, award_issuer, awards
from thidua.reports.figures import year_figures
from thidua.reports.tests.award_fold import fold
from thidua.testing import World, make_person, make_unit

pytestmark = pytest.mark.django_db

YEAR = 2023
D = dt.date


def given(issuer: Unit, form: str, on: dt.date, *, people: Sequence[Person] = (),
          units: Sequence[Unit] = ()) -> None:
    """A decision of `issuer` signed `on`, for the year before, its awards to these people and
    collectives, kept as the decision services keep them."""
    n = Decision.objects.filter(issuer=issuer).count() + 1
    d = Decision.objects.create(issuer=issuer, year=on.year - 1, date=on,
                                number=f"{n}/QĐ-{issuer.code}", title="Khen thưởng",
                                signer_name="Nguyễn Văn Chủ", signer_title="Chủ tịch")
    with award_figures([d.pk]):
        for p in people:
            home = p.employments.order_by("-valid_from").first().unit  # type: ignore[union-attr]
            Award.objects.create(decision=d, issuer=issuer, form=form, person=p, home_unit=home,
                                 recipient_name=p.full_name, year=d.year)
        for u in units:
            Award.objects.create(decision=d, issuer=issuer, form=form, subject_unit=u,
                                 home_unit=u, recipient_name=u.name, year=d.year)


@pytest.fixture
def tree(world: World) -> dict[str, Unit]:
    """Seven CĐCS below LĐLĐ Hà Nội give Giấy khen in YEAR (five of them the year before), and
    one CĐCS of another province gives one to a worker of Hà Nội."""
    w = world
    extra = {f"CS{i}": make_unit(f"CS{i}", "cdcs", w.cdvc) for i in range(1, 6)}
    hcm = make_unit("LDLD-HCM", "ldld_tinh", w.tld)
    outside = make_unit("CS-HCM", "cdcs", hcm)
    cdcs = [w.cdcs_a, w.cdcs_b, *extra.values()]
    worker = {u.code: make_person(u, f"Người lao động {u.code}", actor=w.admin) for u in cdcs}
    worker["CDCS-C"] = make_person(w.cdcs_c, "Người lao động CDCS-C", actor=w.admin)
    # the CĐCS decide in January, one a day, the last first
    for i, u in enumerate(reversed(cdcs)):
        given(u, "GK_CDCS", D(YEAR + 1, 1, 2 + i), people=[worker[u.code]])
        if i >= 2:  # five of them the year before
            given(u, "GK_CDCS", D(YEAR, 1, 2 + i), people=[worker[u.code]])
    given(w.cdcs_a, "GK_CDCS", D(YEAR + 1, 1, 20), units=[w.to_a1])
    given(outside, "GK_CDCS", D(YEAR + 1, 1, 1), people=[worker["CDCS-A"]])
    given(w.tld, "BK_TLD_CHUYEN_DE", D(YEAR + 1, 2, 1), people=[worker["CS1"]])
    given(w.hn, "BK_LDLD", D(YEAR + 1, 1, 15), people=[worker["CS2"]], units=[w.cdcs_b])
    given(w.cdvc, "GK_CAP_TREN", D(YEAR + 1, 1, 12), people=[worker["CS3"], worker["CS4"]])
    given(w.hbt, "GK_CAP_TREN", D(YEAR + 1, 1, 11), people=[worker["CDCS-C"]])
    return {"hn": w.hn, "cdvc": w.cdvc, "hbt": w.hbt}


def _rows(unit: Unit, year: int, since: int | None = None) -> tuple[list[dict[str, Any]], ...]:
    every = fold(year_figures(unit, year, since))
    fast = award_groups(year_figures(unit, year, since, grouped=True))
    return every, fast


def test_seven_cdcs_below_the_federation_are_one_row_as_the_rule_folds_them(tree) -> None:
    every, fast = _rows(tree["hn"], YEAR)

    assert fast == every
    # by level, then by the first decision: the CĐCS of Hồ Chí Minh City stands with the
    # cấp trên, one level below the province that holds it
    assert [r["issuer"] for r in fast] == ["TLD", "LDLD-HN", "CS-HCM", "LDLD-HBT", "CDVC-HN",
                                           "*cdcs"]
    group = fast[-1]
    assert (group["collectives"], group["individuals"], group["issuers"]) == (1, 7, 7)
    assert group["issuer_name"] == "7 công đoàn cơ sở"
    assert award_issuer(group) == "7 công đoàn cơ sở"
    # the CĐCS of another province is of the grouped type but not below Hà Nội: named
    assert fast[2]["issuer_name"] == "Công đoàn CS-HCM"
    (text,) = awards(year_figures(tree["hn"], YEAR, grouped=True))
    assert "8 tập thể, cá nhân được 7 công đoàn cơ sở tặng Giấy khen" in text


def test_five_issuers_of_a_type_are_named_one_by_one(tree) -> None:
    every, fast = _rows(tree["hn"], YEAR - 1)

    assert fast == every
    cdcs = [r for r in fast if r["issuer_type"] == "cdcs"]
    assert len(cdcs) == NAMED_ISSUERS_MAX and not any(r["issuer"].startswith("*") for r in fast)


def test_several_years_and_a_unit_below_group_alike(tree) -> None:
    for unit, year, since in ((tree["hn"], YEAR, YEAR - 1), (tree["cdvc"], YEAR, None),
                              (tree["cdvc"], YEAR, YEAR - 1), (tree["hbt"], YEAR, None)):
        every, fast = _rows(unit, year, since)
        assert fast == every, (unit.code, year, since)
    over_two_years = _rows(tree["hn"], YEAR, YEAR - 1)[1]
    group = next(r for r in over_two_years if r["issuer"] == "*cdcs")
    assert (group["collectives"], group["individuals"], group["issuers"]) == (1, 12, 7)

