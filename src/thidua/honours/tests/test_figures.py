"""Award figures kept up to date (ADR 0034): every service that gives or revokes awards keeps
`AwardFigure` in its own transaction, the year-end report's awards read them, and
`figures-check` finds what was written around the services."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.honours import services
from thidua.honours.figures import COLLECTIVE, PERSON, differences, figure_key, rebuild
from thidua.honours.models import Award, AwardFigure, Decision, Proposal, ProposalStatus
from thidua.honours.selectors_lists import award_counts
from thidua.honours.tests.conftest import SIGNED, YEAR, draft, to_vote
from thidua.org.models import Unit
from thidua.testing import World

pytestmark = pytest.mark.django_db


def kept() -> dict[tuple[int, int, str], int]:
    return {(u, y, k): n for u, y, k, n in
            AwardFigure.objects.values_list("unit_id", "year", "key", "awards")}


def homes(decision: Decision) -> dict[int, int]:
    """Awards (not revoked) of the decision by home unit, counted from the records."""
    return dict(Counter(decision.awards.filter(revoked=False).values_list("home_unit_id",
                                                                          flat=True)))


def test_a_decision_counts_its_awards_and_a_revocation_takes_them_back(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=3), against={2})
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    key = figure_key(w.cdvc.pk, "GK_CAP_TREN", PERSON)
    assert len(homes(d)) == 2  # the member works in TO-A1, the others in CDCS-A
    assert kept() == {(unit_id, YEAR, key): n for unit_id, n in homes(d).items()}
    assert sum(kept().values()) == 2
    assert differences() == []
    first = d.awards.order_by("pk").first()
    assert first is not None
    services.decision_revoke(actor=w.officer_above, awards=[first], signed=SIGNED,
                             reason="Khai man thành tích")
    assert kept() == {(unit_id, YEAR, key): n for unit_id, n in homes(d).items()}
    assert sum(kept().values()) == 1
    second = d.awards.filter(revoked=False).get()
    services.decision_revoke(actor=w.officer_above, awards=[second], signed=SIGNED,
                             reason="Khai man thành tích")
    assert kept() == {}  # a kept table holds no empty rows
    assert differences() == []


def test_a_decision_taken_above_the_union_counts_when_it_is_recorded(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    # set up as sent out (the world has no level that proposes a State form): the outcome
    # service is what is tested
    Proposal.objects.filter(pk=p.pk).update(status=ProposalStatus.SENT_OUT)
    p.refresh_from_db()
    chosen = list(p.candidates.filter(passed=True).order_by("order")
                  .values_list("pk", flat=True))[1:]
    d = services.outcome_record(actor=w.officer_above, proposal=p, external_issuer="Thủ tướng",
                                number="12/QĐ-TTg", signed=SIGNED, passed_ids=chosen)
    assert homes(d) == {w.cdcs_a.pk: 1}
    assert kept() == {(w.cdcs_a.pk, YEAR, figure_key(w.cdvc.pk, "GK_CAP_TREN", PERSON)): 1}
    assert differences() == []


def test_the_reports_awards_are_read_from_the_kept_figures(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p], signed=SIGNED)
    units = Unit.objects.filter(path__startswith=w.cdcs_a.path).values("pk")
    day = SIGNED.date
    rows = award_counts(unit_ids=units, years=[YEAR], day=day)
    assert [(r["issuer"], r["form"], r["individuals"], r["collectives"]) for r in rows] == [
        (w.cdvc.code, "GK_CAP_TREN", 2, 0)]
    assert rows[0]["issuer_name"] == w.cdvc.name
    # the report sums the kept rows: it never counts the awards themselves
    AwardFigure.objects.create(unit=w.cdcs_a, year=YEAR, awards=5,
                               key=figure_key(w.cdvc.pk, "GK_CAP_TREN", COLLECTIVE))
    rows = award_counts(unit_ids=units, years=[YEAR], day=day)
    assert (rows[0]["individuals"], rows[0]["collectives"]) == (2, 5)
    assert award_counts(unit_ids=units, years=[YEAR + 1], day=day) == []
    # where the issuer stood against the report's unit: CĐVC is above CĐCS-A, below Hà Nội, and
    # not below itself
    assert rows[0]["issuer_type"] == w.cdvc.type
    assert rows[0]["issuer_below"] is False
    for within, below in ((w.cdcs_a.path, False), (w.hn.path, True), (w.tld.path, True),
                          (w.cdvc.path, False), (w.hbt.path, False)):
        (row,) = award_counts(unit_ids=units, years=[YEAR], day=day, within=within)
        assert row["issuer_below"] is below, within


def test_figures_check_reports_awards_written_around_the_services_and_rebuild_mends_them(
        world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=SIGNED)
    Award.objects.filter(decision=d).update(revoked=True)  # around the services
    out = io.StringIO()
    with pytest.raises(CommandError, match="khác hồ sơ"):
        call_command("figures_check", stdout=out)
    assert f"khen thưởng GK_CAP_TREN (cá nhân) của {w.cdvc.code}" in out.getvalue()
    own = [line for line in out.getvalue().splitlines() if "cả cây" not in line]
    assert sum("\tđang lưu 1\ttính lại 0" in line for line in own) == 2  # CDCS-A and TO-A1
    # and the sums of the subtrees that held them (ADR 0036): TO-A1's 1, CDCS-A's 2, …
    assert f"TO-A1\t31/12/{YEAR}\tcả cây: khen thưởng GK_CAP_TREN" in out.getvalue()
    assert f"CDCS-A\t31/12/{YEAR}\tcả cây: khen thưởng GK_CAP_TREN (cá nhân) của {w.cdvc.code}\tđang lưu 2\ttính lại 0" in out.getvalue()
    rebuild()
    assert differences() == [] and kept() == {}
    out = io.StringIO()
    call_command("figures_check", stdout=out)
    assert "0 chỗ khác" in out.getvalue()
