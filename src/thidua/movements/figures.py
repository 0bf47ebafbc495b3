"""The CĐCS that launched a movement of the year, registered for titles, and registered for
«Cơ quan, đơn vị văn hóa», kept as subtree sums (ADR 0036): the dashboard's children and the
year-end report's measures read a unit's sums instead of counting its subtree's deployments and
registrations.

Each is one or none per unit and year, so no per-unit table is kept: the sums are the source's
only rows (`org.rollups.Rolled` with no table). The services that write deployments' launches
and units' registrations wrap their writes in `movement_figures(unit_ids)`: those units'
figures are counted from the records before and after, in the change's transaction, and the
difference added to the sums of the subtrees that held each unit on 31/12 (`platform.kept`,
`org.rollups`). `figures-check` counts every unit's records and compares their sums;
`figures_rebuild` rebuilds them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from thidua.movements.models import Deployment, Registration
from thidua.org.rollups import Rolled
from thidua.people.figures import CountedSums
from thidua.platform.kept import YearlyKey, id_batches

#: the grassroots unions a "% of CĐCS" measure is taken over (as evaluation.unit_figures)
GRASSROOTS = ("cdcs", "cdcs_thanh_vien")
AGENCY_CULTURE_TITLE = "CQ_VAN_HOA"
LAUNCHED, REGISTERED, CULTURE_REGISTERED = "phat_dong", "dang_ky", "dang_ky_van_hoa"

SUMS = Rolled("m")
Figures = dict[YearlyKey, int]


def _compute(unit_ids: Iterable[int] | None = None) -> Figures:
    """The figures of these units' records (all units: None): 1 for each CĐCS and year it
    launched a plan's movements, registered, registered for the culture title."""
    out: Figures = {}
    for batch in [None] if unit_ids is None else id_batches(unit_ids):
        launched: QuerySet[Deployment] = Deployment.objects.filter(
            launched_at__isnull=False, unit__type__in=GRASSROOTS).order_by()
        registered: QuerySet[Registration] = Registration.objects.filter(
            unit__type__in=GRASSROOTS).order_by()
        if batch is not None:
            launched = launched.filter(batch.q("unit_id"))
            registered = registered.filter(batch.q("unit_id"))
        for unit_id, year in launched.values_list("unit_id", "plan__year").distinct():
            out[unit_id, int(year), LAUNCHED] = 1
        for unit_id, year in registered.values_list("unit_id", "year").distinct():
            out[unit_id, int(year), REGISTERED] = 1
        for unit_id, year in (registered.filter(titles__code=AGENCY_CULTURE_TITLE)
                              .values_list("unit_id", "year").distinct()):
            out[unit_id, int(year), CULTURE_REGISTERED] = 1
    return out


_LABELS = {LAUNCHED: "CĐCS phát động phong trào", REGISTERED: "CĐCS đăng ký thi đua",
           CULTURE_REGISTERED: "CĐCS đăng ký «Cơ quan, đơn vị văn hóa»"}

# registered for `figures-check` and `figures_rebuild`; imported from MovementsConfig.ready
MOVEMENT_SUMS = CountedSums("movements", SUMS, _compute, lambda key: _LABELS.get(key, key))
#: around a change to these units' launches or registrations (nested: the outermost writes)
movement_figures = MOVEMENT_SUMS.track
rebuild = MOVEMENT_SUMS.rebuild
differences = MOVEMENT_SUMS.differences
