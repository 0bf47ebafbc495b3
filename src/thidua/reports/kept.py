"""The year-end report's own figures kept per unit and year (ADR 0032): `YearFigure(unit, year,
key)` holds, at the unit that recorded them,

- `FAMILY`, `FAMILY_WOMEN`: families recognised "Gia đình văn hóa" that year, and of them
  those of women workers (the person's gender);
- `PARTY_INTRODUCED`, `PARTY_ADMITTED`: members introduced for Party admission in the year,
  and admitted in the year (a candidate introduced one year and admitted the next counts in
  each year for what happened then);
- per welfare occasion, `welfare_key(occasion, ACTIVITIES | BENEFICIARIES | AMOUNT)`.

The report, its measures and the dashboard sum a subtree's rows (the units of the tree as it
stood in the year) instead of counting the records: 1,1 million family rows joined to their
people took 0,64 s of a province's report at 1 million members.

Kept as the title figures are (`platform.kept`): the services that write these records wrap
their writes in `family_figures(person_ids)`, `party_figures(person_ids)` or
`welfare_figures(activity_ids)`; the figures of those records are computed before and after, in
the change's transaction, and the difference added. The women's count also follows a change
of a person's gender: `family_figures` is registered with people's `people_figures`, which
person_update enters for that (registered when ReportsConfig.ready imports this module).
`figures-check` recomputes everything from the records; `figures_rebuild` rebuilds it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from thidua.org.rollups import Rolled, rolled_differences, rolled_rebuild, yearly_add
from thidua.people.figures import DependentFigures, register_dependent
from thidua.people.models import Gender
from thidua.platform.kept import (
    DifferenceKeeper,
    YearlyKey,
    id_batches,
    replace_yearly,
    subtract,
    yearly_differences,
)
from thidua.reports.models import (
    Beneficiary,
    FamilyCultureTitle,
    PartyCandidate,
    WelfareActivity,
    WelfareOccasion,
    YearFigure,
)

FAMILY = "gdvh"
FAMILY_WOMEN = "gdvh_nu"
PARTY_INTRODUCED = "dang_gioi_thieu"
PARTY_ADMITTED = "dang_ket_nap"
ACTIVITIES, BENEFICIARIES, AMOUNT = "hoat_dong", "nguoi", "tien"
WELFARE_PREFIX = "cham_lo:"

Figures = dict[YearlyKey, int]


def welfare_key(occasion: str, what: str) -> str:
    return f"{WELFARE_PREFIX}{occasion}:{what}"


def welfare_parts(key: str) -> tuple[str, str]:
    """(occasion, what) of a welfare key."""
    occasion, what = key[len(WELFARE_PREFIX):].split(":")
    return occasion, what


WELFARE_KEYS = tuple(welfare_key(o, w) for o in WelfareOccasion.values
                     for w in (ACTIVITIES, BENEFICIARIES, AMOUNT))


def _batches(ids: Iterable[int] | None, field: str) -> list[Q | None]:
    """Filters on `field` for these ids (all: [None]): runs of consecutive ids (a load's new
    people) as ranges, the rest as lists, each within SQLite's parameter bound."""
    return [None] if ids is None else [b.q(field) for b in id_batches(ids)]


def _add(out: Figures, unit_id: int, year: int, key: str, n: int | None) -> None:
    if n:
        k = (unit_id, int(year), key)
        out[k] = out.get(k, 0) + int(n)


def _family(person_ids: Iterable[int] | None = None) -> Figures:
    """The figures of these people's family titles (all: None), from the records."""
    out: Figures = {}
    for batch in _batches(person_ids, "person_id"):
        rows: QuerySet[FamilyCultureTitle] = FamilyCultureTitle.objects.order_by()
        if batch is not None:
            rows = rows.filter(batch)
        for unit_id, year, n, women in (
                rows.values("unit_id", "year")
                .annotate(n=Count("pk"), women=Count("pk", filter=Q(person__gender=Gender.FEMALE)))
                .values_list("unit_id", "year", "n", "women")):
            _add(out, unit_id, year, FAMILY, n)
            _add(out, unit_id, year, FAMILY_WOMEN, women)
    return out


def _party(person_ids: Iterable[int] | None = None) -> Figures:
    """The figures of these people's Party candidacies (all: None), from the records."""
    out: Figures = {}
    for batch in _batches(person_ids, "person_id"):
        rows: QuerySet[PartyCandidate] = PartyCandidate.objects.order_by()
        if batch is not None:
            rows = rows.filter(batch)
        for key, day in ((PARTY_INTRODUCED, "introduced_on"), (PARTY_ADMITTED, "admitted_on")):
            for unit_id, year, n in (rows.filter(**{f"{day}__isnull": False})
                                     .annotate(y=ExtractYear(day)).values("unit_id", "y")
                                     .annotate(n=Count("pk")).values_list("unit_id", "y", "n")):
                _add(out, unit_id, year, key, n)
    return out


def _welfare(activity_ids: Iterable[int] | None = None) -> Figures:
    """The figures of these welfare activities (all: None), from the records."""
    out: Figures = {}
    for ids in [None] if activity_ids is None else id_batches(activity_ids):
        activities: QuerySet[WelfareActivity] = WelfareActivity.objects.order_by()
        people: QuerySet[Beneficiary] = Beneficiary.objects.order_by()
        if ids is not None:
            activities = activities.filter(ids.q("pk"))
            people = people.filter(ids.q("activity_id"))
        for unit_id, year, occasion, n in (activities.values("unit_id", "year", "occasion")
                                           .annotate(n=Count("pk"))
                                           .values_list("unit_id", "year", "occasion", "n")):
            _add(out, unit_id, year, welfare_key(occasion, ACTIVITIES), n)
        for unit_id, year, occasion, n, amount in (
                people.values("activity__unit_id", "activity__year", "activity__occasion")
                .annotate(n=Count("pk"), amount=Sum("amount"))
                .values_list("activity__unit_id", "activity__year", "activity__occasion", "n",
                             "amount")):
            _add(out, unit_id, year, welfare_key(occasion, BENEFICIARIES), n)
            _add(out, unit_id, year, welfare_key(occasion, AMOUNT), amount)
    return out


#: the subtree sums of these rows (ADR 0036)
SUMS = Rolled("r", "reports_yearfigure", "key", "value")


def _write(after: Figures, before: list[Figures]) -> None:
    yearly_add(SUMS, subtract(after, before))


_FAMILY: DifferenceKeeper[Figures] = DifferenceKeeper("report_family", compute=_family,
                                                      write=_write)
_PARTY: DifferenceKeeper[Figures] = DifferenceKeeper("report_party", compute=_party,
                                                     write=_write)
_WELFARE: DifferenceKeeper[Figures] = DifferenceKeeper("report_welfare", compute=_welfare,
                                                       write=_write)


def family_figures(person_ids: Iterable[int]) -> AbstractContextManager[None]:
    """Around a change to these people's family titles (or their gender): the figures kept."""
    return _FAMILY.track(person_ids)


def party_figures(person_ids: Iterable[int]) -> AbstractContextManager[None]:
    """Around a change to these people's Party candidacies: the figures kept."""
    return _PARTY.track(person_ids)


def welfare_figures(activity_ids: Iterable[int]) -> AbstractContextManager[None]:
    """Around a change to these welfare activities or their beneficiaries: the figures kept."""
    return _WELFARE.track(activity_ids)


def welfare_figures_add(activity_ids: Iterable[int]) -> None:
    """Activities just created: counted with the change around them (or now)."""
    _WELFARE.add_new(activity_ids)


def family_figures_add(person_ids: Iterable[int]) -> None:
    """The family titles of people who had none before (a load's new people)."""
    _FAMILY.add_new(person_ids)


def party_figures_add(person_ids: Iterable[int]) -> None:
    """The Party candidacies of people who had none before (a load's new people)."""
    _PARTY.add_new(person_ids)


def _everything() -> Figures:
    return {**_family(), **_party(), **_welfare()}


def rebuild(*, sums: bool = True) -> int:
    """The whole table recomputed from the records (data written without the services), and
    its subtree sums (`sums=False`: a migration older than them)."""
    n = replace_yearly(YearFigure, _everything(), key="key", value="value")
    if sums:
        rolled_rebuild(SUMS)
    return n


_LABELS = {FAMILY: "gia đình văn hóa", FAMILY_WOMEN: "gia đình văn hóa của lao động nữ",
           PARTY_INTRODUCED: "giới thiệu kết nạp Đảng", PARTY_ADMITTED: "kết nạp Đảng"}
_WELFARE_LABELS = {ACTIVITIES: "số hoạt động", BENEFICIARIES: "số người", AMOUNT: "số tiền"}


def label(key: str) -> str:
    """How `figures-check` names a key, in Vietnamese."""
    if key.startswith(WELFARE_PREFIX):
        occasion, what = welfare_parts(key)
        name = dict(WelfareOccasion.choices).get(occasion, occasion)
        return f"chăm lo {name}: {_WELFARE_LABELS.get(what, what)}"
    return _LABELS.get(key, key)


def differences() -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, 31/12 of the year, label, kept, recomputed) for every wrong row."""
    kept: Figures = {(u, y, k): int(n) for u, y, k, n in
                     YearFigure.objects.values_list("unit_id", "year", "key", "value")}
    expected = _everything()
    return (yearly_differences(kept, expected, label=label)
            + rolled_differences(SUMS, expected, label=label))


REPORT_FIGURES = DependentFigures(name="reports", track=family_figures, differences=differences,
                                  rebuild=rebuild)
# a person's new gender moves their family titles between the women's counts; imported from
# ReportsConfig.ready
register_dependent(REPORT_FIGURES)


def subtree_sums(where: Q, keys: Iterable[str]) -> dict[tuple[int, str], int]:
    """(year, key) -> the sum of the kept rows matching `where` (on unit_id and year)."""
    return {(int(year), key): int(n) for year, key, n in
            YearFigure.objects.filter(where, key__in=list(keys)).order_by()
            .values("year", "key").annotate(n=Sum("value")).values_list("year", "key", "n")}


def unit_rows(unit_ids: Iterable[int] | QuerySet[Any, Any], year: int, keys: Iterable[str]
              ) -> list[tuple[int, str, int]]:
    """(unit id, key, value) of the kept rows of these units (ids or a subquery) in the year."""
    return [(u, k, int(v)) for u, k, v in
            YearFigure.objects.filter(unit_id__in=unit_ids, year=year, key__in=list(keys))
            .values_list("unit_id", "key", "value")]
