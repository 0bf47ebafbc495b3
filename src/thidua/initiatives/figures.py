"""The initiatives recognised in a year, kept as subtree sums (ADR 0036): the dashboard's
children read a unit's sum instead of counting its subtree's recognitions. An initiative counts
once in a year whatever the number of levels that recognised it, at the unit it was filed in.

The sums are the source's only rows (`org.rollups.Rolled` with no table). The service that
records a recognition, and a load of recognitions, wrap their writes in
`initiative_figures(unit_ids)` (the units the initiatives were filed in): those units'
figures are counted from the records before and after, in the change's transaction, and the
difference added to the sums of the subtrees that held each unit on 31/12 (`platform.kept`,
`org.rollups`). `figures-check` counts every unit's records and compares their sums;
`figures_rebuild` rebuilds them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from thidua.initiatives.models import Recognition
from thidua.org.rollups import Rolled
from thidua.people.figures import CountedSums
from thidua.platform.kept import YearlyKey, id_batches

RECOGNISED = "cong_nhan"

SUMS = Rolled("i")
Figures = dict[YearlyKey, int]


def _compute(unit_ids: Iterable[int] | None = None) -> Figures:
    """The initiatives recognised in each year, by the unit they were filed in (these units, or
    all: None), from the records."""
    out: Figures = {}
    for batch in [None] if unit_ids is None else id_batches(unit_ids):
        found: QuerySet[Recognition] = Recognition.objects.order_by()
        if batch is not None:
            found = found.filter(batch.q("initiative__unit_id"))
        for unit_id, year, n in (found.values("initiative__unit_id", "year")
                                 .annotate(n=Count("initiative_id", distinct=True))
                                 .values_list("initiative__unit_id", "year", "n")):
            out[unit_id, int(year), RECOGNISED] = int(n)
    return out


# registered for `figures-check` and `figures_rebuild`; imported from InitiativesConfig.ready
INITIATIVE_SUMS = CountedSums("initiatives", SUMS, _compute,
                              lambda key: "sáng kiến được công nhận")
#: around a change to the recognitions of these units' initiatives (nested: the outermost
#: writes)
initiative_figures = INITIATIVE_SUMS.track
#: the recognitions of units that had none before (a load's new units)
initiative_figures_add = INITIATIVE_SUMS.add_new
rebuild = INITIATIVE_SUMS.rebuild
differences = INITIATIVE_SUMS.differences
