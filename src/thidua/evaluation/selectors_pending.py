"""Work waiting in the year-end review, for the "việc chờ tôi" list. `paths` are the subtrees
(current tree paths) to look in. Which step waits on whom is the review's transition table
(`workflow.py`): a review drafting its list and one whose council is voting wait on the unit's
officers; a closed review leaves the year to be locked by a leader (`permissions.LOCK`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.lookups import StartsWith

from thidua.evaluation.models import Review, ReviewStatus, YearLock
from thidua.org.permissions import path_q


def reviews_in_progress(paths: Sequence[str]) -> QuerySet[Review]:
    """Reviews at a unit in `paths` drafting their list or voting, oldest year first."""
    return (Review.objects.filter(path_q(list(paths), "unit__path"),
                                  status__in=[ReviewStatus.DRAFT, ReviewStatus.VOTING])
            .select_related("unit").order_by("year", "unit__path"))


def years_to_lock(paths: Sequence[str]) -> QuerySet[Review]:
    """Closed reviews at a unit in `paths` whose year the unit has not locked yet. A lock on an
    ancestor closes the year below as well."""
    # a lock on the unit or on an ancestor: the review's path starts with the lock's unit path
    lock = YearLock.objects.filter(StartsWith(OuterRef("unit__path"), F("unit__path")),
                                   year=OuterRef("year"))
    return (Review.objects.filter(path_q(list(paths), "unit__path"),
                                  status=ReviewStatus.CLOSED)
            .exclude(Exists(lock))
            .select_related("unit").order_by("year", "unit__path"))
