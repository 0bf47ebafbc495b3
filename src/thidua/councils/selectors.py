"""Reads of councils: members in the order the minutes list them, subjects with their votes."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from thidua.councils.models import ROLE_ORDER, Council, Member, Role, Subject, Vote


def members_by_role(council: Council) -> list[Member]:
    """Chair, deputies, members, secretary last; in each role, in the order they were seated."""
    members = list(council.members.select_related("person"))
    return sorted(members, key=lambda m: (ROLE_ORDER[Role(m.role)], m.order, m.pk))


def members_in_order(council: Council) -> list[Member]:
    return list(council.members.select_related("person").order_by("order", "id"))


def subjects_with_votes(council: Council) -> QuerySet[Subject]:
    return council.subjects.prefetch_related(
        Prefetch("votes", queryset=Vote.objects.select_related("member")))
