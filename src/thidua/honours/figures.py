"""Award figures kept up to date (ADR 0034): `AwardFigure(unit, year, key)` holds how many
awards of the year (not revoked) went to people and collectives whose home unit is `unit`, by
issuing unit, form and kind of recipient. The year-end report and the dashboard sum a
subtree's rows instead of counting its awards.

An award's home unit, year, issuer and form are fixed when it is given (a transfer later does
not move it), so these figures follow the awards only, not the roster: the services that give
or revoke awards wrap their writes in `award_figures(decision_ids)` — the figures of those
decisions' awards are computed before and after, in the change's transaction, and the
difference added (`platform.kept`). Registered with people's figures for `figures-check` and
`figures_rebuild` only (its `track` over people is empty)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from thidua.honours.models import Award, AwardFigure
from thidua.org.models import Unit
from thidua.org.rollups import Rolled, rolled_differences, rolled_rebuild, yearly_add
from thidua.people.figures import DependentFigures, no_roster_dependence, register_dependent
from thidua.platform.kept import (
    DifferenceKeeper,
    YearlyKey,
    id_batches,
    replace_yearly,
    subtract,
    yearly_differences,
)

PERSON, COLLECTIVE = "cn", "tt"  # cá nhân, tập thể
Figures = dict[YearlyKey, int]


def figure_key(issuer_id: int, form: str, kind: str) -> str:
    return f"{issuer_id}|{form}|{kind}"


@dataclass(frozen=True)
class FigureKey:
    issuer_id: int
    form: str
    kind: str


def key_parts(key: str) -> FigureKey:
    issuer, form, kind = key.split("|")
    return FigureKey(int(issuer), form, kind)


def _compute(decision_ids: Iterable[int] | None = None) -> Figures:
    """The figures of these decisions' awards (all awards: None), from the records: one GROUP
    BY per batch of decisions (runs of ids as ranges: a load's are one)."""
    filters: list[Q] = [Q()]
    if decision_ids is not None:
        filters = [b.q("decision_id") for b in id_batches(decision_ids)]
    out: Figures = {}
    for where in filters:
        rows: QuerySet[Award] = Award.objects.filter(where, revoked=False).order_by()
        for unit_id, year, issuer_id, form, people, collectives in (
                rows.values("home_unit_id", "year", "issuer_id", "form")
                .annotate(people=Count("pk", filter=Q(person__isnull=False)),
                          collectives=Count("pk", filter=Q(subject_unit__isnull=False)))
                .values_list("home_unit_id", "year", "issuer_id", "form", "people",
                             "collectives")):
            for kind, n in ((PERSON, people), (COLLECTIVE, collectives)):
                if n:
                    k = (unit_id, int(year), figure_key(issuer_id, form, kind))
                    out[k] = out.get(k, 0) + int(n)
    return out


#: the subtree sums of these rows (ADR 0036)
SUMS = Rolled("a", "honours_awardfigure", "key", "awards", wide=True)

_KEEPER: DifferenceKeeper[Figures] = DifferenceKeeper(
    "award_figures", compute=_compute,
    write=lambda after, before: yearly_add(SUMS, subtract(after, before)))


def award_figures(decision_ids: Iterable[int]) -> AbstractContextManager[None]:
    """Around a change to these decisions' awards (a revocation): their figures computed before
    and after, the difference added. Nested, the outermost one writes, once."""
    return _KEEPER.track(decision_ids)


def award_figures_add(decision_ids: Iterable[int]) -> None:
    """Count the awards of new decisions (nothing to count before): with the change around
    them, or now."""
    _KEEPER.add_new(decision_ids)


def rebuild(*, sums: bool = True) -> int:
    """The whole table recomputed from the records (data written without the services), and
    its subtree sums (`sums=False`: a migration older than them)."""
    n = replace_yearly(AwardFigure, _compute(), key="key", value="awards")
    if sums:
        rolled_rebuild(SUMS)
    return n


def differences() -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, 31/12 of the year, label, kept, recomputed) for every wrong row; the label
    names the form, the kind of recipient and the issuer's code."""
    kept: Figures = {(u, y, k): int(n) for u, y, k, n in
                     AwardFigure.objects.values_list("unit_id", "year", "key", "awards")}
    expected = _compute()
    issuers = {key_parts(k).issuer_id for *_, k in {*kept, *expected}}
    codes = dict(Unit.objects.filter(pk__in=issuers).values_list("pk", "code"))

    def label(key: str) -> str:
        parts = key_parts(key)
        kind = "cá nhân" if parts.kind == PERSON else "tập thể"
        return (f"khen thưởng {parts.form} ({kind}) của "
                f"{codes.get(parts.issuer_id, parts.issuer_id)}")

    return (yearly_differences(kept, expected, label=label)
            + rolled_differences(SUMS, expected, label=label))


AWARD_FIGURES = DependentFigures(name="awards", track=no_roster_dependence,
                                 differences=differences, rebuild=rebuild)
# for `figures-check` and `figures_rebuild`; imported from HonoursConfig.ready
register_dependent(AWARD_FIGURES)


def unit_award_totals(*, unit_ids: Any, year: int) -> dict[int, int]:
    """Awards of `year` by home unit among `unit_ids`, every issuer and form: one GROUP BY."""
    return {uid: int(n) for uid, n in
            AwardFigure.objects.filter(year=year, unit_id__in=unit_ids).order_by()
            .values_list("unit_id").annotate(n=Sum("awards"))}
