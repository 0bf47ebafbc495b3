"""Work waiting in initiatives, for the "việc chờ tôi" list. `paths` are the subtrees (current
tree paths) to look in. Which state waits on whom is the workflow's table
(`services/workflow.py`): a submitted application waits for an officer to pass it to a council
or return it; a council's open review waits for its scores and votes; a closed review leaves the
application waiting for the decision (công nhận / không công nhận)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, QuerySet

from thidua.initiatives.models import Initiative, Review, Status
from thidua.org.permissions import path_q


def applications_submitted(paths: Sequence[str]) -> QuerySet[Initiative]:
    """Submitted applications at a unit in `paths`: the officer passes them to a council or
    returns them for completion."""
    return (Initiative.objects.filter(path_q(list(paths), "unit__path"), status=Status.SUBMITTED)
            .select_related("unit").order_by("submitted_at", "pk"))


def reviews_open(paths: Sequence[str]) -> QuerySet[Review]:
    """Councils' reviews still open (scores and votes to record) on applications in `paths`."""
    return (Review.objects.filter(path_q(list(paths), "initiative__unit__path"),
                                  closed_at__isnull=True,
                                  initiative__status=Status.UNDER_REVIEW)
            .select_related("initiative", "council").order_by("opened_at", "pk"))


def applications_to_decide(paths: Sequence[str]) -> QuerySet[Initiative]:
    """Applications under review whose council has finished voting and no open review remains:
    waiting for the decision to recognise them or not."""
    open_review = Review.objects.filter(initiative=OuterRef("pk"), closed_at__isnull=True)
    closed_review = Review.objects.filter(initiative=OuterRef("pk"), closed_at__isnull=False)
    return (Initiative.objects.filter(path_q(list(paths), "unit__path"),
                                      status=Status.UNDER_REVIEW)
            .filter(Exists(closed_review)).exclude(Exists(open_review))
            .select_related("unit").order_by("updated_at", "pk"))
