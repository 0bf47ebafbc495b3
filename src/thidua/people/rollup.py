"""Figures of every node's subtree at once (the whole tree page, reports over all units).

Two GROUP BY queries give the direct counts of each unit (one on employments, one on
memberships); each unit's counts are then added to every ancestor found in its version's path
as of the date. The cost is that of the two GROUP BYs plus a pass over the units, whatever the
number of nodes: no query per unit."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from thidua.org.models import Unit, UnitVersion, alive_at
from thidua.people.models import Employment, Gender, Membership, MembershipStatus

COUNT_KEYS = ("workers", "women", "members", "women_members", "members_active",
              "members_suspended")


def _direct_counts(day: dt.date) -> dict[int, dict[str, int]]:
    """Counts per unit of the periods valid at `day` in that very unit (not its subtree)."""
    women = Q(person__gender=Gender.FEMALE)
    out: dict[int, dict[str, int]] = {}
    workers = (
        Employment.objects.filter(alive_at(day))
        .order_by()
        .values("unit_id")
        .annotate(workers=Count("id"), women=Count("id", filter=women))
        .values_list("unit_id", "workers", "women")
    )
    for unit_id, n, n_women in workers:
        out[unit_id] = dict.fromkeys(COUNT_KEYS, 0) | {"workers": n, "women": n_women}
    members = (
        Membership.objects.filter(alive_at(day))
        .order_by()
        .values("unit_id")
        .annotate(
            members=Count("id"),
            women_members=Count("id", filter=women),
            suspended=Count("id", filter=Q(status=MembershipStatus.SUSPENDED)),
        )
        .values_list("unit_id", "members", "women_members", "suspended")
    )
    for unit_id, n, n_women, n_suspended in members:
        row = out.setdefault(unit_id, dict.fromkeys(COUNT_KEYS, 0))
        row.update(members=n, women_members=n_women, members_suspended=n_suspended,
                   members_active=n - n_suspended)
    return out


def subtree_counts_all(*, day: dt.date) -> dict[int, dict[str, int]]:
    """For every unit alive at `day` (unit id → figures), the workers, women, members, women
    members and members by status of its subtree as the tree stood at `day`."""
    steplen = Unit.steplen
    paths = dict(UnitVersion.objects.at(day).values_list("unit_id", "path"))
    by_path = {path: unit_id for unit_id, path in paths.items()}
    totals = {unit_id: dict.fromkeys(COUNT_KEYS, 0) for unit_id in paths}
    for unit_id, counts in _direct_counts(day).items():
        path = paths.get(unit_id)
        if path is None:  # periods in a unit that did not exist at `day` belong to no subtree
            continue
        for end in range(steplen, len(path) + 1, steplen):
            ancestor = by_path.get(path[:end])
            if ancestor is None:
                continue
            row = totals[ancestor]
            for key, value in counts.items():
                row[key] += value
    return totals
