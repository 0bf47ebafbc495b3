"""Reads of clusters: the scoped lists, the access functions (the same NotFoundError for a
missing cluster and one out of sight), a cluster with its members, and the ranking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from thidua.clusters import scoring
from thidua.clusters.models import (
    Cluster,
    ClusterRules,
    Criterion,
    Membership,
    Nomination,
    Score,
    SheetStatus,
    UnitTarget,
)
from thidua.clusters.permissions import may_view_cluster, may_view_sheet
from thidua.org.models import Unit
from thidua.org.permissions import path_q, restrict_queryset
from thidua.platform.actor import Visitor
from thidua.platform.errors import NotFoundError

MEMBERS = Prefetch("memberships", queryset=Membership.objects.select_related("unit"))


def clusters_for(user: Visitor) -> QuerySet[Cluster]:
    """Clusters the user sees: those of an issuer in its scope and those with a member in it."""
    return restrict_queryset(
        Cluster.objects.select_related("issuer"), user, field="issuer__path",
        also=lambda paths: Q(pk__in=Membership.objects.filter(path_q(paths, "unit__path"))
                             .values("cluster_id")))


def issuer_clusters(issuer: Unit, year: int) -> QuerySet[Cluster]:
    return (Cluster.objects.filter(issuer=issuer, year=year).select_related("issuer")
            .prefetch_related(MEMBERS).order_by("kind", "number"))


def access_cluster(user: Visitor, pk: int) -> Cluster:
    cluster = (Cluster.objects.select_related("issuer", "council").prefetch_related(MEMBERS)
               .filter(pk=pk).first())
    if cluster is None or not may_view_cluster(user, cluster):
        raise NotFoundError()
    return cluster


def access_membership(user: Visitor, pk: int) -> Membership:
    m = (Membership.objects.select_related("unit", "cluster__issuer")
         .prefetch_related(Prefetch("cluster__memberships",
                                    queryset=Membership.objects.select_related("unit")))
         .filter(pk=pk).first())
    if m is None or not may_view_sheet(user, m):
        raise NotFoundError()
    return m


def access_score(user: Visitor, pk: int) -> Score:
    score = Score.objects.select_related("membership").filter(pk=pk).first()
    if score is None:
        raise NotFoundError()
    access_membership(user, score.membership_id)
    return score


def rules_for(issuer: Unit, year: int) -> ClusterRules:
    """The issuer's rules for the year; an unsaved default when it has set none."""
    return (ClusterRules.objects.filter(issuer=issuer, year=year).first()
            or ClusterRules(issuer=issuer, year=year))


def criteria_of(cluster: Cluster) -> list[Criterion]:
    """The sheet's lines in reading order: each group followed by its children."""
    rows = list(cluster.criteria.all().order_by("order", "id"))
    children: dict[int | None, list[Criterion]] = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    out: list[Criterion] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            c.depth = depth  # type: ignore[attr-defined]
            out.append(c)
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def lines_of(criteria: Sequence[Criterion]) -> list[scoring.Line]:
    return [scoring.Line(c.pk, c.parent_id, c.kind, c.max_points) for c in criteria]


def targets_of(cluster: Cluster) -> dict[tuple[int, int], Decimal]:
    """(criterion id, unit id) -> the unit's own target."""
    return {(t.criterion_id, t.unit_id): t.value
            for t in UnitTarget.objects.filter(criterion__cluster=cluster)}


def target_for(criterion: Criterion, unit_id: int,
               own: dict[tuple[int, int], Decimal]) -> Decimal | None:
    return own.get((criterion.pk, unit_id), criterion.target)


@dataclass(frozen=True)
class Standing:
    membership: Membership
    totals: scoring.Totals
    rank: int
    tied: bool
    decided_by: str


def ranking(cluster: Cluster, *, by_hand: bool = True) -> list[Standing]:
    """The members by total (final points: the head's where it corrected them), with the
    issuer's tie-break rules applied, then (unless `by_hand` is False) the order the head unit
    set by hand between units the rules left level. Three queries."""
    criteria = list(cluster.criteria.all())
    lines = lines_of(criteria)
    first_group = next((c.pk for c in sorted(criteria, key=lambda c: (c.order, c.pk))
                        if c.parent_id is None and c.kind == "nhom"), None)
    members = list(cluster.memberships.all())
    points: dict[int, dict[int, Decimal | None]] = {m.pk: {} for m in members}
    for s in Score.objects.filter(membership__cluster=cluster).only(
            "membership_id", "criterion_id", "points", "checked_points"):
        final = s.checked_points if s.checked_points is not None else s.points
        points[s.membership_id][s.criterion_id] = final
    entries = [scoring.Entry(m.pk, scoring.sheet_total(lines, points[m.pk]),
                             m.submitted_at.timestamp() if m.submitted_at else float("inf"))
               for m in members]
    rules = rules_for(cluster.issuer, cluster.year)
    by_pk = {m.pk: m for m in members}
    totals = {e.key: e.totals for e in entries}
    return [Standing(by_pk[r.key], totals[r.key], r.rank, r.tied, r.decided_by)
            for r in scoring.rank(entries, rules.tie_break_list, first_group=first_group,
                                  by_hand={m.pk: m.tie_position for m in members
                                           if m.tie_position} if by_hand else None)]


@dataclass(frozen=True)
class Summary:
    """A cluster's ranking in a line: its leading units (rank 1, several when level), how many
    sheets the head has checked, and the units its meeting put forward."""

    leaders: list[Standing]
    checked: int
    members: int
    put_forward: list[str]


def ranking_summary(cluster: Cluster) -> Summary:
    standings = ranking(cluster)
    members = list(cluster.memberships.all())
    passed = (cluster.nominations.filter(passed=True).select_related("membership__unit")
              .order_by("rank", "pk"))
    return Summary([s for s in standings if s.rank == 1 and s.totals.total > 0],
                   sum(1 for m in members if m.sheet_status == SheetStatus.CHECKED),
                   len(members), [n.membership.unit.name for n in passed])


def sheets_sent(cluster: Cluster) -> bool:
    """A member has sent its sheet (now or before a return): the criteria are fixed."""
    return cluster.memberships.filter(
        Q(submitted_at__isnull=False) | ~Q(sheet_status=SheetStatus.DRAFT)).exists()


def all_checked(cluster: Cluster) -> bool:
    return all(m.sheet_status == SheetStatus.CHECKED for m in cluster.memberships.all())


def nominations_of(cluster: Cluster) -> QuerySet[Nomination]:
    return (cluster.nominations.select_related("membership__unit", "subject", "proposal")
            .prefetch_related("subject__votes"))


def cluster_of_unit(unit: Unit, issuer: Unit, year: int) -> Any:
    return Membership.objects.filter(unit=unit, cluster__issuer=issuer,
                                     cluster__year=year).select_related("cluster").first()
