"""The demo's two clusters of LĐLĐ TP Hà Nội in 2017 (issue 12): signed, scored with CĐVC thành
phố's known figures, checked, ranked, voted and put forward as draft proposals with the sheets
attached, while the article's 13 awards of LĐLĐ thành phố stay 13. Built once for the module
inside a transaction rolled back at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from thidua.clusters import selectors
from thidua.clusters.models import Cluster, Nomination, Score
from thidua.clusters.prefill import known_values
from thidua.demo.builder import demo_build
from thidua.demo.clusters import demo_clusters
from thidua.demo.year import demo_year_data
from thidua.honours.models import Award, Proposal
from thidua.org.models import Unit


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo_build()
            demo_year_data()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def built(demo: None, db: None) -> None:
    return demo


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


def test_ranking_vote_and_draft_proposals(built: None) -> None:
    cluster = Cluster.objects.get(issuer__code="LDLD-HN", year=2017, number=4)
    standings = selectors.ranking(cluster)
    assert [s.rank for s in standings] == sorted(s.rank for s in standings)
    passed = Nomination.objects.filter(cluster__year=2017, passed=True)
    assert passed.count() == 4  # a flag and a certificate of merit in each cluster
    proposals = Proposal.objects.filter(pk__in=passed.values("proposal_id"))
    assert {(p.unit.code, p.recipient.code, p.status) for p in proposals} == {
        ("LDLD-HN", "LDLD-HN", "du_thao")}
    assert all(p.dossier.filter(kind="minh_chung").count() == p.candidates.count()
               for p in proposals)
    # the article's 13 awards of LĐLĐ thành phố are untouched
    assert Award.objects.filter(issuer__code="LDLD-HN", year=2017).count() == 13


def test_a_second_run_changes_nothing(built: None) -> None:
    before = (Cluster.objects.count(), Score.objects.count(), Proposal.objects.count())
    demo_clusters(actor=get_user_model().objects.get(username="quantri"))
    assert (Cluster.objects.count(), Score.objects.count(), Proposal.objects.count()) == before
