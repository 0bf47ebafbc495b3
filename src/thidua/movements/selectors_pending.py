"""Work waiting in movements, for the "việc chờ tôi" list: plans sent down to a unit that it has
not acknowledged or launched yet. `paths` are the subtrees (current tree paths) to look in."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from thidua.movements.models import Deployment
from thidua.org.permissions import path_q


def deployments_waiting(paths: Sequence[str]) -> QuerySet[Deployment]:
    """Deployments to a unit in `paths` not yet launched there (acknowledging is the first
    half, reporting the launch the second), oldest plan first."""
    return (Deployment.objects.filter(path_q(list(paths), "unit__path"))
            .filter(Q(launched_at__isnull=True))
            .select_related("plan", "unit")
            .order_by("plan__date", "plan_id", "unit__path"))
