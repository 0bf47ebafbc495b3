"""The actual of every measure of the catalogue (measures.toml) for a unit's subtree and a year,
and the targets in force set against them: the "targets" and "next_targets" of the year-end
report (`reports.figures`), read from the records of the apps below in a fixed number of queries.

Percentages are taken over the subtree as it stood on 31/12 (the roster, the grassroots unions);
a percentage over nothing, or a grading nobody was given, is unknown (None), never 0 %."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from thidua.evaluation.figures import ANY_WORKER_TITLE
from thidua.evaluation.models import Grading, GradingLabel, TitleResult
from thidua.movements.models import Deployment, Registration
from thidua.org.models import Unit, UnitVersion
from thidua.reports.measures import PERCENT, measure
from thidua.reports.selectors import TargetInForce, targets_in_force

#: the grassroots unions a "% of CĐCS" measure is taken over (the catalogue's CĐCS gradings)
GRASSROOTS = ("cdcs", "cdcs_thanh_vien")
AGENCY_CULTURE_TITLE = "CQ_VAN_HOA"
#: the families recognised "Gia đình văn hóa" in the report's "titles": not a catalogue title
#: (the commune awards it; the union records it as `FamilyCultureTitle`)
FAMILY_TITLE = "GDVH"
#: a CĐCS "vững mạnh" on the old scale is one that "hoàn thành xuất sắc nhiệm vụ" on the new
STRONG = (GradingLabel.VUNG_MANH, GradingLabel.HTXSNV)
WEAK = (GradingLabel.YEU, GradingLabel.KHTNV)


@dataclass(frozen=True)
class Actual:
    value: float | int | None  # a percentage (one decimal) or a count; None: unknown
    done: int | None = None  # for a percentage: how many, over
    of: int | None = None


def share(done: int, of: int) -> Actual:
    if not of:
        return Actual(None, done, of)
    return Actual(round(100 * done / of, 1), done, of)


def measure_actuals(unit: Unit, version: UnitVersion, year: int, *, units: Mapping[str, int],
                    roster: Mapping[str, int], titles: Mapping[str, int],
                    party: tuple[int, int], families: int) -> dict[str, Actual]:
    """Measure code -> its actual in `year` (see the module's note). `units`, `roster` and
    `titles` are the figures the report already read (unit types strictly below, roster counts,
    title code -> holders, and `ANY_WORKER_TITLE`); `party` is (introduced, admitted) in the year; `families` the families
    recognised "Gia đình văn hóa". Five queries."""
    day = dt.date(year, 12, 31)
    versions = UnitVersion.objects.at(day).subtree(version.path)
    grassroots_ids = versions.filter(unit__type__in=GRASSROOTS).values("unit_id")
    grassroots = sum(units.get(t, 0) for t in GRASSROOTS) + (unit.type in GRASSROOTS)
    launched = (Deployment.objects.filter(plan__year=year, launched_at__isnull=False,
                                          unit_id__in=grassroots_ids)
                .values("unit_id").distinct().count())
    registered = Registration.objects.filter(year=year, unit_id__in=grassroots_ids).aggregate(
        any=Count("unit_id", distinct=True),
        culture=Count("unit_id", distinct=True, filter=Q(titles__code=AGENCY_CULTURE_TITLE)))
    grading = Grading.objects.filter(year=year, unit_id__in=grassroots_ids).exclude(
        label="").aggregate(graded=Count("pk"), strong=Count("pk", filter=Q(label__in=STRONG)),
                            weak=Count("pk", filter=Q(label__in=WEAK)))
    # the unit itself counts when it is a CĐCS: `titles` holds collective titles strictly below
    culture = (TitleResult.objects.filter(year=year, revoked=False, title=AGENCY_CULTURE_TITLE,
                                          subject_unit_id__in=grassroots_ids)
               .values("subject_unit_id").distinct().count())
    # the workers holding any worker title, once: read with the titles (ADR 0031)
    worker_titles = titles.get(ANY_WORKER_TITLE, 0)
    graded = int(grading["graded"] or 0)
    return {
        "cdcs_phat_dong": share(launched, grassroots),
        "cdcs_dang_ky": share(int(registered["any"] or 0), grassroots),
        "nld_danh_hieu": share(worker_titles, roster["workers"]),
        "nu_gvndvn": share(titles.get("GVNDVN", 0), roster["women"]),
        "gia_dinh_van_hoa": share(families, roster["workers"]),
        "co_quan_dang_ky_van_hoa": share(int(registered["culture"] or 0), grassroots),
        "co_quan_van_hoa": share(culture, grassroots),
        "cdcs_vung_manh": share(int(grading["strong"] or 0), graded),
        "cdcs_yeu": Actual(int(grading["weak"] or 0) if graded else None),
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
