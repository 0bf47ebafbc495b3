"""Reads of the audit trail for the log browser: entries filed under units of given subtrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone

from thidua.audit.models import AuditEntry


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries_for(
    paths: Sequence[str], *, since: dt.date | None = None, until: dt.date | None = None,
    actor_id: int | None = None, action: str = "", unit_path: str = "",
) -> QuerySet[AuditEntry]:
    """Entries filed under a unit whose current path lies in `paths`, newest first. `[""]` (the
    whole tree, a superuser) also admits entries filed under no unit. `until` is inclusive;
    `action` matches a whole action ("user.create") or a prefix ending with a dot ("user.");
    `unit_path` narrows to that unit's subtree."""
    qs = AuditEntry.objects.select_related("actor", "unit")
    if list(paths) != [""]:
        scope = Q(pk__in=[])
        for p in paths:
            scope |= Q(unit__path__startswith=p)
        qs = qs.filter(scope)
    if since is not None:
        qs = qs.filter(at__gte=_day_start(since))
    if until is not None:
        qs = qs.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(
            action=action)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs.order_by("-seq")


def actor_label(entry: AuditEntry) -> str:
    """The person's name (family name first), else the stored username (also for a deleted
    user: the entry keeps its id, not a constraint), else "hệ thống"."""
    try:
        user = entry.actor
    except ObjectDoesNotExist:
        user = None
    if user is not None:
        name = f"{user.last_name} {user.first_name}".strip()
        return name or user.get_username()
    return entry.actor_name or "hệ thống"


def actions_in(paths: Sequence[str]) -> list[str]:
    """The distinct actions present in scope, for the filter's choices."""
    return sorted(set(entries_for(paths).order_by().values_list("action", flat=True).distinct()))
