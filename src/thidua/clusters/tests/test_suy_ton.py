"""Ranking with the issuer's tie-break rules, the cluster meeting's vote (councils) and the
proposals the suy tôn becomes (honours), through the services and through the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from thidua.clusters import selectors
from thidua.clusters.models import Nomination
from thidua.clusters.services import setup, sheets, suy_ton
from thidua.clusters.tests.helpers import Clusters, day, fill, make_clusters
from thidua.councils.models import Kind
from thidua.councils.services import BallotIn
from thidua.honours.models import DossierKind, ProposalStatus
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import World

pytestmark = pytest.mark.django_db

DELEGATES = [suy_ton.Delegate("Nguyễn Văn Chủ", "Chủ tịch CĐVC TP Hà Nội", "chu_tich"),
             suy_ton.Delegate("Phạm Văn Bình", "Chủ tịch LĐLĐ quận Đống Đa"),
             suy_ton.Delegate("Lê Thị Ba", "Chủ tịch LĐLĐ quận Ba Đình")]


def scored(world: World, tie_breaks: list[str]) -> Clusters:
    """Cụm 1 with CĐVC TP Hà Nội and LĐLĐ Đống Đa level on 98 points (CĐVC with no penalty,
    Đống Đa with 2), Ba Đình on 70; every sheet checked by the head."""
    cs = make_clusters(world)
    setup.rules_set(actor=cs.officer_ldld, issuer=world.hn, year=cs.one.year,
                    tie_breaks=tie_breaks, flag_count=1, merit_count=1)
    head = world.officer_above
    for unit, actor, values in (
            (world.cdvc, head, {"1": 100, "2": 1, "3": 35, "4": 3, "5": 0}),
            (cs.dongda, cs.officer_dongda, {"1": 100, "2": 1, "3": 40, "4": 0, "5": 2}),
            (cs.badinh, cs.officer_badinh, {"1": 50, "2": 1, "3": 30, "4": 0, "5": 0})):
        m = fill(cs, unit, actor, values)
        sheets.sheet_check(actor=head, membership=m)
    return cs


def vote(cs: Clusters, choices: dict[str, list[str]]) -> None:
    """`choices`: unit code -> each delegate's choice, in seat order."""
    cs.one.refresh_from_db()
    council = cs.one.council
    assert council is not None
    seats = list(council.members.order_by("order"))
    ballots = [BallotIn(n.subject_id, seat.pk, choice)  # type: ignore[arg-type]
               for n in cs.one.nominations.select_related("membership__unit")
               for seat, choice in zip(seats, choices[n.membership.unit.code], strict=True)]
    suy_ton.votes_record(actor=cs.world.officer_above, cluster=cs.one, ballots=ballots)


def test_ranking_applies_the_issuers_tie_breaks(world: World):
    cs = scored(world, ["it_diem_tru"])
    ranks = [(s.membership.unit.code, s.rank, s.totals.total, s.tied, s.decided_by)
             for s in selectors.ranking(cs.one)]
    assert ranks == [("CDVC-HN", 1, Decimal("98.00"), False, "it_diem_tru"),
                     ("LDLD-DD", 2, Decimal("98.00"), False, "it_diem_tru"),
                     ("LDLD-BD", 3, Decimal("70.00"), False, "")]
    # the head's correction moves a unit: ranking reads the checked points
    m = cs.member(cs.one, cs.badinh)
    m.scores.filter(criterion=cs.criteria["3"]).update(checked_points=Decimal("10"))
    assert selectors.ranking(cs.one)[-1].totals.total == Decimal("50.00")


def test_vote_passes_the_leaders_and_suy_ton_becomes_proposals(world: World):
    cs = scored(world, ["it_diem_tru"])
    with pytest.raises(ApplicationError, match="lập hội nghị"):
        suy_ton.nominate(actor=world.officer_above, cluster=cs.one)
    with pytest.raises(PermissionDeniedError):  # a member does not run the meeting
        suy_ton.meeting_open(actor=cs.officer_dongda, cluster=cs.one, meeting_date=day(12, 15),
                             place="Hà Nội", delegates=DELEGATES)
    with pytest.raises(NotFoundError):  # another cluster's head sees nothing of it
        suy_ton.meeting_open(actor=cs.officer_hbt, cluster=cs.one, meeting_date=day(12, 15),
                             place="Hà Nội", delegates=DELEGATES)
    council = suy_ton.meeting_open(actor=world.officer_above, cluster=cs.one,
                                   meeting_date=day(12, 15), place="Hà Nội", delegates=DELEGATES)
    assert (council.kind, council.unit, council.members.count()) == (Kind.CLUSTER, world.cdvc, 3)
    noms = suy_ton.nominate(actor=world.officer_above, cluster=cs.one)
    assert [(n.membership.unit.code, n.form, n.rank) for n in noms] == [
        ("CDVC-HN", "CO_TD_XS_LDLD", 1), ("LDLD-DD", "BK_LDLD", 2)]
    vote(cs, {"CDVC-HN": ["dong_y", "dong_y", "dong_y"],
              "LDLD-DD": ["dong_y", "khong_dong_y", ""]})
    with pytest.raises(ApplicationError, match="1 đại biểu chưa biểu quyết"):
        suy_ton.vote_close(actor=world.officer_above, cluster=cs.one)
    vote(cs, {"CDVC-HN": ["dong_y"] * 3, "LDLD-DD": ["dong_y", "khong_dong_y", "vang"]})
    suy_ton.vote_close(actor=world.officer_above, cluster=cs.one)
    # 1 of 3 is not more than half: Đống Đa is not put forward
    assert dict(Nomination.objects.values_list("membership__unit__code", "passed")) == {
        "CDVC-HN": True, "LDLD-DD": False}
    with pytest.raises(PermissionDeniedError):  # proposals are the issuer's
        suy_ton.put_forward(actor=world.officer_above, cluster=cs.one)
    (proposal,) = suy_ton.put_forward(actor=cs.officer_ldld, cluster=cs.one)
    assert (proposal.unit, proposal.recipient, proposal.form, proposal.status, proposal.year) == (
        world.hn, world.hn, "CO_TD_XS_LDLD", ProposalStatus.DRAFT, cs.one.year)
    (candidate,) = proposal.candidates.all()
    assert candidate.subject_unit == world.cdvc
    assert "Xếp thứ 1/3 Cụm thi đua số 1" in candidate.achievement
    assert "3/3 phiếu đồng ý" in candidate.achievement
    (item,) = proposal.dossier.all()
    assert (item.kind, item.candidate, item.file_kind) == (DossierKind.MINH_CHUNG, candidate,
                                                           "docx")
    with pytest.raises(ApplicationError, match="chưa lập hồ sơ"):
        suy_ton.put_forward(actor=cs.officer_ldld, cluster=cs.one)


def test_units_level_at_the_cut_go_to_the_vote_which_decides(world: World):
    cs = scored(world, [])  # no tie-break rule: CĐVC and Đống Đa share the first rank
    assert [s.rank for s in selectors.ranking(cs.one)] == [1, 1, 3]
    suy_ton.meeting_open(actor=world.officer_above, cluster=cs.one, meeting_date=day(12, 15),
                         place="Hà Nội", delegates=DELEGATES)
    noms = suy_ton.nominate(actor=world.officer_above, cluster=cs.one)
    assert sorted((n.membership.unit.code, n.form) for n in noms) == [
        ("CDVC-HN", "CO_TD_XS_LDLD"), ("LDLD-BD", "BK_LDLD"), ("LDLD-DD", "CO_TD_XS_LDLD")]
    vote(cs, {"CDVC-HN": ["dong_y"] * 3, "LDLD-DD": ["dong_y"] * 3, "LDLD-BD": ["dong_y"] * 3})
    with pytest.raises(ApplicationError, match="bằng phiếu: hội nghị cần biểu quyết lại"):
        suy_ton.vote_close(actor=world.officer_above, cluster=cs.one)
    vote(cs, {"CDVC-HN": ["dong_y", "dong_y", "khong_dong_y"],
              "LDLD-DD": ["dong_y", "dong_y", "dong_y"], "LDLD-BD": ["dong_y"] * 3})
    suy_ton.vote_close(actor=world.officer_above, cluster=cs.one)
    # both passed the threshold; one flag: the one with more votes
    assert dict(Nomination.objects.values_list("membership__unit__code", "passed")) == {
        "CDVC-HN": False, "LDLD-DD": True, "LDLD-BD": True}
    proposals = suy_ton.put_forward(actor=cs.officer_ldld, cluster=cs.one)
    assert sorted((p.form, p.candidates.get().subject_unit.code) for p in proposals) == [
        ("BK_LDLD", "LDLD-BD"), ("CO_TD_XS_LDLD", "LDLD-DD")]


def test_the_page_runs_the_meeting(world: World):
    cs = scored(world, ["it_diem_tru"])
    url = reverse("clusters:suy-ton", args=[cs.one.pk])
    head = Client()
    head.force_login(world.officer_above)
    page = head.get(url).content.decode()
    assert "ít điểm trừ hơn" in page and "Lập hội nghị" in page
    head.post(url, {"action": "open", "meeting_date": "15/12/2024", "place": "Hà Nội",
                    "delegates": "Nguyễn Văn Chủ; Chủ tịch CĐVC\nPhạm Văn Bình; Chủ tịch LĐLĐ "
                                 "quận Đống Đa"})
    head.post(url, {"action": "nominate"})
    cs.one.refresh_from_db()
    seats = list(cs.one.council.members.order_by("order"))  # type: ignore[union-attr]
    data: dict[str, Any] = {"action": "votes"}
    for n in cs.one.nominations.all():
        for s in seats:
            data[f"v{n.subject_id}_{s.pk}"] = "dong_y"
    head.post(url, data)
    r = head.post(url, {"action": "close"}, follow=True)
    assert "2 đơn vị được suy tôn" in r.content.decode()
    issuer = Client()
    issuer.force_login(cs.officer_ldld)
    r = issuer.post(url, {"action": "forward"}, follow=True)
    assert "Đã lập 2 hồ sơ đề nghị khen thưởng" in r.content.decode()
    assert "Hồ sơ đề nghị" in issuer.get(url).content.decode()
