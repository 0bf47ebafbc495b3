"""Title figures kept up to date (ADR 0031): `TitleFigure(unit, year, title)` holds how many
people on `unit`'s own roster on 31/12 of `year` hold each person title of that year (not
revoked), and, under the title "*", how many hold at least one worker title. The year-end
report, its measures and the dashboard sum a subtree's rows instead of joining the year's
titles to the subtree's roster.

The figures depend on two kinds of records: the titles (this app's services) and the periods
of the roster (people's services). Both keep them the same way as `people.figures` keeps the
roster's: the figures of the people a change touches are computed before and after it, in its
transaction, and the difference is added. The title services wrap their writes in
`title_figures(person_ids)`; people's `people_figures` enters it too (registered from
`EvaluationConfig.ready`), so a transfer dated before 31/12 moves the holder's titles with
them. `figures-check` recomputes everything from the records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from django.db import connection
from django.db.models import Sum

from thidua.evaluation.models import TitleFigure, TitleResult
from thidua.evaluation.unit_figures import unit_figures
from thidua.org.rollups import Rolled, rolled_differences, rolled_rebuild, yearly_add
from thidua.people.figures import DependentFigures, register_dependent
from thidua.platform.kept import (
    DifferenceKeeper,
    id_batches,
    replace_yearly,
    subtract,
    yearly_differences,
)

#: "CBCCVCLĐ đạt LĐTT, CSTĐ, Người tốt việc tốt": the catalogue has no "Người tốt, việc tốt"
#: title, so the individual titles of the union's review stand for it
WORKER_TITLES = ("LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ")
ANY_WORKER_TITLE = "*"  # TitleFigure.title of the workers holding any of WORKER_TITLES

Figures = dict[tuple[int, int, str], int]  # (unit id, year, title) -> holders

_YEAR_END = {"postgresql": "make_date(t.year, 12, 31)",
             "sqlite": "printf('%%04d-12-31', t.year)"}
_COMPUTE = """
SELECT e.unit_id, t.year, {title}, COUNT(DISTINCT t.person_id)
FROM evaluation_titleresult t
JOIN people_employment e ON e.person_id = t.person_id
     AND e.valid_from <= {end} AND (e.valid_to IS NULL OR e.valid_to > {end})
WHERE t.person_id IS NOT NULL AND NOT t.revoked {where}
GROUP BY e.unit_id, t.year{group}
"""


def _person_batches(person_ids: Iterable[int], limit: int = 500) -> list[tuple[str, list[int]]]:
    """Filters on these people, each with at most `limit` parameters (SQLite's bound): runs of
    consecutive ids (a load's or an import's new people) as ranges, the rest as lists, ORed
    into as few statements as the bound allows (`platform.kept.id_batches`)."""
    out: list[tuple[str, list[int]]] = []
    for batch in id_batches(person_ids, limit):
        terms = ["t.person_id BETWEEN %s AND %s"] * len(batch.ranges)
        if batch.singles:
            terms.append(f"t.person_id IN ({', '.join(['%s'] * len(batch.singles))})")
        params = [pk for run in batch.ranges for pk in run] + batch.singles
        out.append((f"AND ({' OR '.join(terms)})", params))
    return out


def _compute(person_ids: Iterable[int] | None = None) -> Figures:
    """The figures of these people's titles (all people: None), from the records."""
    end = _YEAR_END[connection.vendor]
    workers = ", ".join(["%s"] * len(WORKER_TITLES))
    batches: list[tuple[str, list[int]]] = [("", [])]
    if person_ids is not None:
        batches = _person_batches(person_ids)
    out: Figures = {}
    with connection.cursor() as cursor:
        for where, params in batches:
            # each title, then "*": the workers holding any worker title, once
            cursor.execute(_COMPUTE.format(title="t.title", end=end, where=where,
                                           group=", t.title"), params)
            rows = cursor.fetchall()
            cursor.execute(_COMPUTE.format(title="%s", end=end, group="",
                                           where=f"{where} AND t.title IN ({workers})"),
                           [ANY_WORKER_TITLE, *params, *WORKER_TITLES])
            for unit_id, year, code, n in [*rows, *cursor.fetchall()]:
                key = (unit_id, int(year), code)
                out[key] = out.get(key, 0) + int(n)
    return out


#: the subtree sums of these rows (ADR 0036)
SUMS = Rolled("t", "evaluation_titlefigure", "title", "holders")

_KEEPER: DifferenceKeeper[Figures] = DifferenceKeeper(
    "title_figures", compute=_compute,
    write=lambda after, before: yearly_add(SUMS, subtract(after, before)))


def title_figures(person_ids: Iterable[int]) -> AbstractContextManager[None]:
    """Around a change to these people's titles or periods: their title figures computed
    before and after, the difference added (`platform.kept`). Nested, the outermost one
    writes, once."""
    return _KEEPER.track(person_ids)


def title_figures_add(person_ids: Iterable[int]) -> None:
    """Count the titles of people who had none before (a load's new people): their figures
    after, no difference to compute."""
    _KEEPER.add_new(person_ids)


def rebuild(*, sums: bool = True) -> int:
    """The whole table recomputed from the records (data written without the services), and
    its subtree sums (`sums=False`: a migration older than them)."""
    n = replace_yearly(TitleFigure, _compute(), key="title", value="holders")
    if sums:
        rolled_rebuild(SUMS)
    return n


def differences() -> list[tuple[int, dt.date, str, int, int]]:
    """(unit id, 31/12 of the year, "danh hiệu <code>", kept, recomputed) for every wrong row."""
    kept: Figures = {(u, y, t): n for u, y, t, n in
                     TitleFigure.objects.values_list("unit_id", "year", "title", "holders")}
    expected = _compute()
    return (yearly_differences(kept, expected, label=lambda code: f"danh hiệu {code}")
            + rolled_differences(SUMS, expected, label=lambda code: f"danh hiệu {code}"))


TITLE_FIGURES = DependentFigures(name="titles", track=title_figures, differences=differences,
                                 rebuild=rebuild)
# the roster's changes of periods keep these figures too; imported from EvaluationConfig.ready
register_dependent(TITLE_FIGURES)


def subtree_title_figures(*, unit_ids: Any, year: int) -> dict[str, int]:
    """Holders of each title of `year` (and "*") among the people on the rosters of `unit_ids`
    (ids or a subquery of them) on 31/12: one GROUP BY over the kept rows."""
    return {title: int(n) for title, n in
            TitleFigure.objects.filter(year=year, unit_id__in=unit_ids).order_by()
            .values_list("title").annotate(n=Sum("holders"))}


def results_bulk_create(rows: list[Any], *, batch_size: int = 1000) -> None:
    """Store new `TitleResult` rows and keep the title figures of their holders, people's
    (ADR 0031) and units' (ADR 0036)."""
    with (title_figures(r.person_id for r in rows if r.person_id),
          unit_figures(r.subject_unit_id for r in rows if r.subject_unit_id)):
        TitleResult.objects.bulk_create(rows, batch_size=batch_size)
