"""The actual of every measure of the catalogue (measures.toml) for a unit's subtree and a year,
and the targets in force set against them: the "targets" and "next_targets" of the year-end
report (`reports.figures`), read from the records of the apps below in a fixed number of queries.

Percentages are taken over the subtree as it stood on 31/12 (the roster, the grassroots unions);
a percentage over nothing, or a grading nobody was given, is unknown (None), never 0 %."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from thidua.evaluation.figures import ANY_WORKER_TITLE
from thidua.evaluation.unit_figures import (  # re-exported: the reports' own names
    AGENCY_CULTURE_TITLE,
    CULTURE,
    GRADED,
    GRADED_STRONG,
    GRADED_WEAK,
    GRASSROOTS,
)
from thidua.evaluation.unit_figures import SUMS as UNIT_SUMS

__all__ = ["AGENCY_CULTURE_TITLE", "FAMILY_TITLE", "GRASSROOTS", "Actual", "actuals_json",
           "is_met", "measure_actuals", "next_targets", "number", "share", "target_row",
           "targets_with_actuals"]
from thidua.movements.figures import CULTURE_REGISTERED, LAUNCHED, REGISTERED
from thidua.movements.figures import SUMS as MOVEMENT_SUMS
from thidua.org.models import Unit
from thidua.org.rollups import rolled_sums
from thidua.reports.measures import PERCENT, measure
from thidua.reports.selectors import TargetInForce, targets_in_force

#: the families recognised "Gia đình văn hóa" in the report's "titles": not a catalogue title
#: (the commune awards it; the union records it as `FamilyCultureTitle`)
FAMILY_TITLE = "GDVH"


@dataclass(frozen=True)
class Actual:
    value: float | int | None  # a percentage (one decimal) or a count; None: unknown
    done: int | None = None  # for a percentage: how many, over
    of: int | None = None


def share(done: int, of: int) -> Actual:
    if not of:
        return Actual(None, done, of)
    return Actual(round(100 * done / of, 1), done, of)


def measure_actuals(unit: Unit, year: int, *, units: Mapping[str, int],
                    roster: Mapping[str, int], titles: Mapping[str, int],
                    party: tuple[int, int], families: int) -> dict[str, Actual]:
    """Measure code -> its actual in `year` (see the module's note). `units`, `roster` and
    `titles` are the figures the report already read (unit types strictly below, roster counts,
    title code -> holders, and `ANY_WORKER_TITLE`); `party` is (introduced, admitted) in the
    year; `families` the families recognised "Gia đình văn hóa". Two queries: the unit's kept
    subtree sums (ADR 0036)."""
    grassroots = sum(units.get(t, 0) for t in GRASSROOTS) + (unit.type in GRASSROOTS)
    kept = {key: n for (_u, _y, key), n in rolled_sums(
        UNIT_SUMS, unit_ids=[unit.pk], years=[year],
        keys=[GRADED, GRADED_STRONG, GRADED_WEAK, CULTURE]).items()}
    kept.update({key: n for (_u, _y, key), n in rolled_sums(
        MOVEMENT_SUMS, unit_ids=[unit.pk], years=[year],
        keys=[LAUNCHED, REGISTERED, CULTURE_REGISTERED]).items()})
    culture = kept.get(CULTURE, 0)  # the unit itself counts when it is a CĐCS
    # the workers holding any worker title, once: read with the titles (ADR 0031)
    worker_titles = titles.get(ANY_WORKER_TITLE, 0)
    graded = kept.get(GRADED, 0)
    return {
        "cdcs_phat_dong": share(kept.get(LAUNCHED, 0), grassroots),
        "cdcs_dang_ky": share(kept.get(REGISTERED, 0), grassroots),
        "nld_danh_hieu": share(worker_titles, roster["workers"]),
        "nu_gvndvn": share(titles.get("GVNDVN", 0), roster["women"]),
        "gia_dinh_van_hoa": share(families, roster["workers"]),
        "co_quan_dang_ky_van_hoa": share(kept.get(CULTURE_REGISTERED, 0), grassroots),
        "co_quan_van_hoa": share(culture, grassroots),
        "cdcs_vung_manh": share(kept.get(GRADED_STRONG, 0), graded),
        "cdcs_yeu": Actual(kept.get(GRADED_WEAK, 0) if graded else None),
        "dang_gioi_thieu": Actual(party[0]),
        "dang_ket_nap": Actual(party[1]),
    }


def actuals_json(actuals: Mapping[str, Actual]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for code, a in actuals.items():
        out[code] = {"actual": a.value} if a.of is None else {"actual": a.value, "done": a.done,
                                                              "of": a.of}
    return out


def number(value: Decimal | None) -> int | float | None:
    """90.00 -> 90, 87.50 -> 87.5: a target's value as the JSON writes it."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def is_met(comparison: str, low: float, actual: float | None) -> bool | None:
    """Whether the actual reaches the target; None when the actual is unknown. "85–90 %" is met
    from 85 % up: doing better than the band is not failing it."""
    if actual is None:
        return None
    if comparison == "gt":
        return actual > low
    if comparison == "le":
        return actual <= low
    if comparison == "eq":
        return actual == low
    return actual >= low  # ge, range


def target_row(t: TargetInForce, actual: Actual | None) -> dict[str, Any]:
    """One target as the JSON writes it: with `actual` and `met` when `actual` is given (this
    year's targets), without them for next year's."""
    target = t.target
    m = t.measure or measure(target.measure)
    low, high = number(target.value), number(target.value_max)
    row: dict[str, Any] = {
        "code": target.measure, "name": m.name if m else target.measure,
        "kind": m.kind if m else PERCENT, "comparison": target.comparison,
        "target": [low, high] if target.comparison == "range" else low,
        "inherited_from": t.set_by.code if t.inherited else None,
    }
    if actual is not None:
        assert low is not None
        row["actual"] = actual.value
        if actual.of is not None:
            row["done"], row["of"] = actual.done, actual.of
        row["met"] = is_met(target.comparison, low, actual.value)
    return row


def targets_with_actuals(unit: Unit, year: int, actuals: Mapping[str, Actual]
                         ) -> list[dict[str, Any]]:
    """The targets in force for the unit and year, each with its actual (three queries)."""
    return [target_row(t, actuals.get(t.target.measure, Actual(None)))
            for t in targets_in_force(unit, year)]


def next_targets(unit: Unit, year: int) -> list[dict[str, Any]]:
    """The targets in force for the year after `year` (three queries)."""
    return [target_row(t, None) for t in targets_in_force(unit, year + 1)]
