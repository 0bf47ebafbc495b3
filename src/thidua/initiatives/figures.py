"""The initiatives recognised in a year (in all, and at each level) and those put forward for
an award, kept as subtree sums (ADR 0036): the dashboard's children and a one-year report read
a unit's sums instead of counting its subtree's recognitions and uses. An initiative counts
once in a year whatever the number of levels that recognised it, at the unit it was filed in.

The sums are the source's only rows (`org.rollups.Rolled` with no table). The services that
record a recognition or a use, and a load of them, wrap their writes in
`initiative_figures(unit_ids)` (the units the initiatives were filed in): those units'
figures are counted from the records before and after, in the change's transaction, and the
difference added to the sums of the subtrees that held each unit on 31/12 (`platform.kept`,
`org.rollups`). `figures-check` counts every unit's records and compares their sums;
`figures_rebuild` rebuilds them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from thidua.initiatives.models import InitiativeUse, Level, Recognition, UseKind
from thidua.org.rollups import Rolled
from thidua.people.figures import CountedSums
from thidua.platform.kept import YearlyKey, id_batches

RECOGNISED = "cong_nhan"
LEVEL = "cap:"  # + level code: the initiatives recognised at that level (once each: a
# recognition per initiative and level, `recognition_once_per_level`)
PROPOSED = "de_nghi_khen"  # the initiatives put forward for an award that year (once each:
# a second commendation is refused, `initiative_use_record`)

SUMS = Rolled("i")
Figures = dict[YearlyKey, int]


def level_key(level: str) -> str:
    return LEVEL + level


def _compute(unit_ids: Iterable[int] | None = None) -> Figures:
    """The initiatives recognised in each year (in all, and at each level) and those put
    forward for an award, by the unit they were filed in (these units, or all: None), from
    the records."""
    out: Figures = {}
    for batch in [None] if unit_ids is None else id_batches(unit_ids):
        found: QuerySet[Recognition] = Recognition.objects.order_by()
        used: QuerySet[InitiativeUse] = InitiativeUse.objects.filter(
            kind=UseKind.COMMENDATION).order_by()
        if batch is not None:
            found = found.filter(batch.q("initiative__unit_id"))
            used = used.filter(batch.q("initiative__unit_id"))
        for unit_id, year, n in (found.values("initiative__unit_id", "year")
                                 .annotate(n=Count("initiative_id", distinct=True))
                                 .values_list("initiative__unit_id", "year", "n")):
            out[unit_id, int(year), RECOGNISED] = int(n)
        for unit_id, year, level, n in (found.values("initiative__unit_id", "year", "level")
                                        .annotate(n=Count("id"))
                                        .values_list("initiative__unit_id", "year", "level", "n")):
            out[unit_id, int(year), level_key(level)] = int(n)
        for unit_id, year, n in (used.values("initiative__unit_id", "year")
                                 .annotate(n=Count("initiative_id", distinct=True))
                                 .values_list("initiative__unit_id", "year", "n")):
            out[unit_id, int(year), PROPOSED] = int(n)
    return out


_LABELS = {RECOGNISED: "sáng kiến được công nhận", PROPOSED: "sáng kiến làm căn cứ đề nghị khen"}


def _label(key: str) -> str:
    if key.startswith(LEVEL):
        return f"sáng kiến được công nhận cấp «{dict(Level.choices).get(key[len(LEVEL):], key)}»"
    return _LABELS.get(key, key)


# registered for `figures-check` and `figures_rebuild`; imported from InitiativesConfig.ready
INITIATIVE_SUMS = CountedSums("initiatives", SUMS, _compute, _label)
#: around a change to the recognitions of these units' initiatives (nested: the outermost
#: writes)
initiative_figures = INITIATIVE_SUMS.track
#: the recognitions of units that had none before (a load's new units)
initiative_figures_add = INITIATIVE_SUMS.add_new
rebuild = INITIATIVE_SUMS.rebuild
differences = INITIATIVE_SUMS.differences
