"""Reads of the roster: scoped lists, search, and counts of a subtree at a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet

from thidua.org.models import UnitVersion, alive_at
from thidua.org.permissions import can
from thidua.people.models import (
    Employment,
    Gender,
    ImportJob,
    Membership,
    MembershipStatus,
    Person,
    by_name,
)
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError
from thidua.platform.text import fold


def open_person_ids(*, unit_ids: list[int], day: dt.date) -> set[int]:
    """People with an employment or membership in these units that is open at or after `day`."""
    still = Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    return set(
        Employment.objects.filter(still, unit_id__in=unit_ids).values_list("person_id", flat=True)
    ) | set(
        Membership.objects.filter(still, unit_id__in=unit_ids).values_list("person_id", flat=True)
    )


def open_people_count(*, unit_ids: list[int], day: dt.date) -> int:
    return len(open_person_ids(unit_ids=unit_ids, day=day))


def people_for(user: Visitor) -> QuerySet[Person]:
    """People the user may see (`Person.objects.restrict`)."""
    return Person.objects.restrict(user)


def access_person(user: Visitor, person_id: int) -> Person:
    """The person, if the user may see them; the same NotFoundError for missing and forbidden."""
    try:
        return people_for(user).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_import_job(user: Actor, job_id: int) -> ImportJob:
    """An import job, for its creator and for officers over its unit; the same NotFoundError for
    anyone else and for a job that does not exist."""
    job = ImportJob.objects.select_related("unit").filter(pk=job_id).first()
    if job is None or not (
        (job.created_by_id is not None and job.created_by_id == getattr(user, "pk", None))
        or can(user, job.unit.path, "officer")
    ):
        raise NotFoundError()
    return job


def people_search(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Match the folded name, the member code or the CCCD; "nguyen van duc" finds "Nguyễn Văn Đức"."""
    q = fold(query)
    if not q:
        return qs
    digits = q.replace(" ", "")
    cond = Q(name_folded__contains=q) | Q(member_code__icontains=digits)
    if digits.isdigit():
        # a whole CCCD by the unique index; a fragment (last digits) by scanning the scoped rows
        cond |= Q(cccd=digits) if len(digits) == 12 else Q(cccd__contains=digits)
    return qs.filter(cond)


def roster(
    *, user: Actor, unit_path: str, day: dt.date, query: str = "", status: str = "",
    gender: str = "",
) -> QuerySet[Employment]:
    """Employments valid at `day` in the subtree at `unit_path` (as of `day`), with person, unit and
    the person's membership at `day` fetched alongside — one query per page."""
    units = UnitVersion.objects.at(day).subtree(unit_path).values("unit_id")
    qs = (
        Employment.objects.filter(alive_at(day), unit_id__in=units)
        .select_related("person", "unit")
        .annotate(
            member_status=_membership_status_at(day),
        )
        .order_by(*by_name("person__"))
    )
    if query:
        qs = qs.filter(person__in=people_search(Person.objects.all(), query).values("pk"))
    if gender in Gender.values:
        qs = qs.filter(person__gender=gender)
    if status == "member":
        qs = qs.filter(member_status__isnull=False)
    elif status == "non_member":
        qs = qs.filter(member_status__isnull=True)
    elif status in MembershipStatus.values:
        qs = qs.filter(member_status=status)
    return qs


def _membership_status_at(day: dt.date) -> Any:
    from django.db.models import Subquery

    return Subquery(
        Membership.objects.filter(alive_at(day), person=OuterRef("person_id")).values("status")[:1]
    )


def roster_counts(*, unit_path: str, day: dt.date) -> dict[str, int]:
    """Workers, members (by status), women and women members of the subtree at `unit_path` as of
    `day`: two aggregate queries whatever the size of the subtree."""
    units = UnitVersion.objects.at(day).subtree(unit_path).values("unit_id")
    women = Q(person__gender=Gender.FEMALE)
    workers = Employment.objects.filter(alive_at(day), unit_id__in=units).aggregate(
        workers=Count("id"), women=Count("id", filter=women)
    )
    members = Membership.objects.filter(alive_at(day), unit_id__in=units).aggregate(
        members=Count("id"),
        women_members=Count("id", filter=women),
        members_active=Count("id", filter=Q(status=MembershipStatus.ACTIVE)),
        members_suspended=Count("id", filter=Q(status=MembershipStatus.SUSPENDED)),
    )
    return {**workers, **members}


_GROUPED_SQL = """
SELECT SUBSTR(v.path, 1, %(plen)s) AS prefix, COUNT(*) AS n,
       SUM(CASE WHEN p.gender = 'nu' THEN 1 ELSE 0 END) AS women
FROM {table} t
JOIN org_unitversion v ON v.unit_id = t.unit_id
     AND v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
JOIN people_person p ON p.id = t.person_id
WHERE v.path LIKE %(like)s AND v.depth > %(depth)s
  AND t.valid_from <= %(day)s AND (t.valid_to IS NULL OR t.valid_to > %(day)s)
GROUP BY SUBSTR(v.path, 1, %(plen)s)
"""


def child_counts(*, parent_path: str, parent_depth: int, day: dt.date, steplen: int = 4) -> dict[
    str, dict[str, int]
]:
    """Counts of each child subtree of a node at `day`, keyed by the child's path: two GROUP BY
    queries on the path prefix, not one query per child."""
    params: dict[str, Any] = {"plen": len(parent_path) + steplen, "day": day, "like": parent_path + "%",
              "depth": parent_depth}
    out: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        for table, key in (("people_employment", "workers"), ("people_membership", "members")):
            cursor.execute(_GROUPED_SQL.format(table=table), params)
            for prefix, n, women in cursor.fetchall():
                row = out.setdefault(prefix, {"workers": 0, "members": 0, "women": 0,
                                              "women_members": 0})
                row[key] = n
                row["women" if key == "workers" else "women_members"] = int(women or 0)
    return out
