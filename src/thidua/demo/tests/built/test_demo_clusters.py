"""The demo's two clusters of LĐLĐ TP Hà Nội in 2017 (issue 12): signed, scored with CĐVC thành
phố's known figures, checked, ranked and voted; the suy tôn becomes LĐLĐ thành phố's proposals
with the sheets attached, and Cụm 4's Cờ thi đua xuất sắc for CĐVC thành phố goes through
LĐLĐ's council into its Cờ decision: one of the article's 13 awards of LĐLĐ thành phố, which
stay 13. The demo database is the package's (conftest.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from thidua.clusters import selectors
from thidua.clusters.models import Cluster, Nomination, Score
from thidua.clusters.prefill import known_values
from thidua.demo.clusters import demo_clusters
from thidua.demo.honours import CO_XS, LDLD_FLAGS
from thidua.honours.models import Award, Proposal, ProposalStatus
from thidua.honours.services import WORKFLOW
from thidua.org.models import Unit


def test_two_clusters_signed_scored_checked(built: None) -> None:
    clusters = list(Cluster.objects.filter(issuer__code="LDLD-HN", year=2017)
                    .order_by("number"))
    assert [(c.number, c.memberships.count(), c.criteria.count()) for c in clusters] == [
        (1, 4, 12), (4, 4, 12)]
    heads = {c.number: c.memberships.get(role="truong").unit.code for c in clusters}
    assert heads == {1: "LDLD-HBT", 4: "CDVC-HN"}
    for c in clusters:
        assert all(m.signed_on and m.sheet_status == "da_kiem_tra"
                   for m in c.memberships.all())


def test_cdvc_sheet_carries_the_figures_the_system_knows(built: None) -> None:
    cdvc = Unit.objects.get(code="CDVC-HN")
    known = known_values(cdvc, 2017)
    party = Score.objects.get(membership__unit=cdvc, criterion__code="6")
    assert party.value == party.known == known["dang_ket_nap"] == 291  # the article's 291
    assert party.points == 10  # over the target of 200


def test_ranking_vote_and_proposals(built: None) -> None:
    cluster = Cluster.objects.get(issuer__code="LDLD-HN", year=2017, number=4)
    standings = selectors.ranking(cluster)
    assert [s.rank for s in standings] == sorted(s.rank for s in standings)
    assert standings[0].membership.unit.code == "CDVC-HN"
    passed = Nomination.objects.filter(cluster__year=2017, passed=True)
    assert passed.count() == 4  # a flag and a certificate of merit in each cluster
    proposals = Proposal.objects.filter(pk__in=passed.values("proposal_id"))
    assert {(p.unit.code, p.recipient.code) for p in proposals} == {("LDLD-HN", "LDLD-HN")}
    assert all(p.dossier.filter(kind="minh_chung").count() == p.candidates.count()
               for p in proposals)
    # Cụm 4's flag for CĐVC thành phố went through LĐLĐ's council to its decision; the
    # clusters' other proposals (outside the article's figures) stay drafts
    flag = passed.get(cluster=cluster, form=CO_XS)
    assert flag.membership.unit.code == "CDVC-HN"
    assert flag.proposal is not None and flag.proposal.status == ProposalStatus.DECIDED
    assert [e.action for e in WORKFLOW.history(flag.proposal)] == [
        "submit", "receive", "review", "close_vote", "decide"]
    assert {p.status for p in proposals.exclude(pk=flag.proposal.pk)} == {ProposalStatus.DRAFT}
    award = Award.objects.get(candidate__proposal=flag.proposal)
    assert (award.issuer.code, award.form, award.subject_unit.code) == (
        "LDLD-HN", CO_XS, "CDVC-HN")
    # in the same Cờ decision as CĐVC thành phố's own proposal: the article's 13 stay 13
    flags = Award.objects.filter(decision=award.decision)
    assert flags.count() == LDLD_FLAGS
    assert Award.objects.filter(issuer__code="LDLD-HN", year=2017).count() == 13


def test_a_second_run_changes_nothing(built: None) -> None:
    before = (Cluster.objects.count(), Score.objects.count(), Proposal.objects.count())
    demo_clusters(actor=get_user_model().objects.get(username="quantri"))
    assert (Cluster.objects.count(), Score.objects.count(), Proposal.objects.count()) == before
