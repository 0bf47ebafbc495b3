"""The lists the API and the command line answer, built on the scoped reads of `selectors`:
proposals filtered (or the caller's inbox), decisions by year and issuer, and a unit's awards
and decisions — those given to recipients in its subtree or issued by a unit of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from thidua.honours import catalogue
from thidua.honours.figures import COLLECTIVE, PERSON
from thidua.honours.figures import SUMS as AWARD_SUMS
from thidua.honours.models import (
    Award,
    AwardChange,
    Candidate,
    Decision,
    DecisionKind,
    Proposal,
)
from thidua.honours.selectors import inbox, restrict_awards, restrict_decisions, restrict_proposals
from thidua.org.models import Unit
from thidua.org.rollups import at_year_end
from thidua.platform.actor import Visitor
from thidua.platform.planner import without_jit


class FormNames:
    """Forms' Vietnamese names from one snapshot of the catalogue in force (its edits are read
    once for a whole list); the code itself for a form the catalogue no longer knows."""

    def __init__(self) -> None:
        self._catalogue = catalogue.current()
        self._names: dict[str, str] = {}

    def __call__(self, code: str) -> str:
        if code not in self._names:
            try:
                self._names[code] = self._catalogue.form(code).name
            except KeyError:
                self._names[code] = code
        return self._names[code]


def form_name(code: str) -> str:
    return FormNames()(code)


def _count_of(model: type[Candidate] | type[Award] | type[AwardChange], key: str,
              what: str = "pk") -> Coalesce:
    """A per-row count as a subquery: a join would be narrowed by the scope's own filters."""
    rows = (model.objects.filter(**{key: OuterRef("pk")}).order_by().values(key)
            .annotate(n=Count(what, distinct=True)).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _recipient_count() -> Any:
    """The people and collectives a decision names: those it awards, revokes or corrects."""
    return (_count_of(Award, "decision") + _count_of(Award, "revoked_by")
            + _count_of(AwardChange, "decision", "award"))


@dataclass(frozen=True)
class ProposalFilter:
    year: int | None = None
    status: str = ""
    unit_path: str = ""  # sender or recipient in this subtree
    inbox: bool = False  # only what waits for the caller as a receiving officer


def proposal_list(user: Visitor, f: ProposalFilter) -> QuerySet[Proposal]:
    qs = inbox(user) if f.inbox else restrict_proposals(user)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit_path:
        qs = qs.filter(Q(unit__path__startswith=f.unit_path)
                       | Q(recipient__path__startswith=f.unit_path))
    return (qs.annotate(candidate_count=_count_of(Candidate, "proposal"))
            .order_by("-year", "-pk"))


def decision_list(user: Visitor, *, year: int | None = None, issuer: str = ""
                  ) -> QuerySet[Decision]:
    qs = restrict_decisions(user)
    if year:
        qs = qs.filter(year=year)
    if issuer:
        qs = qs.filter(issuer__code=issuer.strip().upper())
    return (qs.annotate(recipient_count=_recipient_count())
            .order_by("-date", "-pk"))


def decision_recipient_count(decision: Decision) -> int:
    found = (Decision.objects.filter(pk=decision.pk).annotate(n=_recipient_count())
             .values_list("n", flat=True).first())
    return int(found or 0)


def decision_recipients(user: Visitor, decision: Decision) -> QuerySet[Award]:
    """The awards the decision gives, revokes or corrects, as far as the user may see them (all
    of them for the issuer's officers)."""
    named = (Q(decision=decision) | Q(revoked_by=decision)
             | Q(pk__in=AwardChange.objects.filter(decision=decision).values("award_id")))
    return (restrict_awards(user).filter(named).select_related("revoked_by")
            .order_by("golden_book_no", "pk"))


def _touching(unit: Unit) -> Q:
    return Q(home_unit__path__startswith=unit.path) | Q(issuer__path__startswith=unit.path)


def awards_of_subtree(user: Visitor, unit: Unit, *, year: int | None = None,
                      issuer: str = "") -> QuerySet[Award]:
    """Awards to people and collectives of `unit`'s subtree, or issued by a unit of it."""
    qs = restrict_awards(user).filter(_touching(unit))
    if year:
        qs = qs.filter(year=year)
    if issuer:
        qs = qs.filter(issuer__code=issuer.strip().upper())
    return qs.order_by("issuer__path", "decision__date", "decision_id", "golden_book_no", "pk")


def decisions_of_subtree(user: Visitor, unit: Unit, *, year: int | None = None
                         ) -> QuerySet[Decision]:
    """Decisions issued by a unit of `unit`'s subtree or naming a recipient in it (awarding,
    revoking or correcting)."""
    held = Award.objects.filter(home_unit__path__startswith=unit.path)
    qs = restrict_decisions(user).filter(
        Q(issuer__path__startswith=unit.path) | Q(pk__in=held.values("decision_id"))
        | Q(pk__in=held.filter(revoked_by__isnull=False).values("revoked_by_id"))
        | Q(pk__in=AwardChange.objects.filter(award__in=held).values("decision_id")))
    if year:
        qs = qs.filter(year=year)
    return (qs.annotate(recipient_count=_recipient_count())
            .order_by("date", "issuer__path", "pk"))


def award_counts(*, unit_ids: Any, years: list[int], day: dt.date,
                 root: int | None = None, within: str | None = None,
                 group_over: int | None = None) -> list[dict[str, Any]]:
    """Awards (not revoked) of `years` to people and collectives whose home unit is in `unit_ids`
    (ids or a subquery: the caller picks the tree of the date it reports on), by issuing unit and
    form, the issuer named as it was on `day`: the kept figures (ADR 0034) summed, split and
    ordered in one statement (`_GROUPED`), the issuers named in another. Rows by the issuer's
    level (the highest first), then, within a level, by the date of the issuer's first decision
    of those years (the order the awards came in, as a report lists them: the Hà Nội article
    names Công đoàn Viên chức Việt Nam, which decided first, before Liên đoàn Lao động Thành
    phố), then in tree order, then by form. Each row also gives the issuer's unit type
    (`issuer_type`) and whether it stood strictly below the unit at the path `within` on `day`
    (`issuer_below`).

    `group_over` (the pages, not the exports): the issuers strictly below `within` of a type
    that has more than `group_over` of them come grouped, one row per type and form, where the
    first of them stood (`issuer` "*<type>", `issuers` of this form, `type_issuers` of the type;
    `reports.compose.award_groups` names them). The rule written out row by row is the tests'
    oracle, `reports/tests/award_fold.py`. At the nation's size the rows by issuer are 81.000
    issuers' (bench/README.md); the groups are a few rows."""
    marks = ", ".join(["%s"] * len(years))
    if root is not None and years == [day.year] and at_year_end(day):
        # `unit_ids` is the subtree of `root` on 31/12 of the one year: its kept sums (ADR 0036)
        source = _ROOT_SUMS
        source_params = [len(AWARD_SUMS.prefix) + 1, root, day.year, AWARD_SUMS.prefix + "%"]
    else:
        units, units_params = _subquery(unit_ids)
        source = _UNIT_SUMS.format(years=marks, units=units)
        source_params = [*years, *units_params]
    grouping = within is not None and group_over is not None
    path = within or ""
    # the figures are read where the router reads the page's (a replica for a dashboard or a
    # report when one is configured), the statement and its JIT setting together
    db = router.db_for_read(Award)
    bar = _POSITION[connections[db].vendor]
    sql = _GROUPED.format(source=source, years=marks, key_bar=bar.format(x="s.key"),
                          rest_bar=bar.format(x="rest"))
    params: list[Any] = [*source_params, len(path), path, len(path), day, day,
                         DecisionKind.KHEN_THUONG, *years,
                         group_over if grouping else _NO_GROUP, COLLECTIVE, PERSON]
    with without_jit(using=db), connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    named = _issuer_names(sorted({row[0] for row in found if row[0] is not None}), day, db)
    names = FormNames()
    out: list[tuple[int, str, dict[str, Any]]] = []
    for issuer_id, unit_type, form, collectives, individuals, issuers, of_type, rank, below \
            in found:
        row: dict[str, Any] = {"form": form, "form_name": names(form),
                               "collectives": int(collectives), "individuals": int(individuals),
                               "issuer_type": unit_type}
        if issuer_id is None:
            row.update(issuer=f"*{unit_type}", issuer_name="", issuer_below=True,
                       issuers=int(issuers), type_issuers=int(of_type))
        else:
            code, name = named[issuer_id]
            row.update(issuer=code, issuer_name=name,
                       issuer_below=within is not None and bool(below))
        out.append((int(rank), form, row))
    return [row for _rank, _form, row in sorted(out, key=lambda x: (x[0], x[1]))]


_ISSUER_NAMES = """
SELECT u.id, u.code, COALESCE(v.name, u.name) FROM org_unit u
LEFT JOIN org_unitversion v ON v.unit_id = u.id AND v.valid_from <= %s
     AND (v.valid_to IS NULL OR v.valid_to > %s)
WHERE u.id {ids}"""


def _issuer_names(ids: list[int], day: dt.date, db: str = DEFAULT_DB_ALIAS
                  ) -> dict[int, tuple[str, str]]:
    """Id -> (code, name as it was on `day`) of a report's issuing units (thousands in an
    export: every CĐCS gives its Giấy khen) in one statement per 400 ids; on PostgreSQL one,
    the ids as an array (a literal list of thousands of parameters costs more to build than
    to run)."""
    if connections[db].vendor == "postgresql":
        batches, test = [ids], "= ANY(%s)"
    else:
        batches, test = [ids[i:i + 400] for i in range(0, len(ids), 400)], ""
    out: dict[int, tuple[str, str]] = {}
    with connections[db].cursor() as cursor:
        for batch in batches:
            where = test or f"IN ({', '.join(['%s'] * len(batch))})"
            cursor.execute(_ISSUER_NAMES.format(ids=where),
                           [day, day, *([batch] if test else batch)])
            for pk, code, name in cursor.fetchall():
                out[pk] = (code, name)
    return out


#: a threshold no type reaches: every issuer named (the exports)
_NO_GROUP = 2**31 - 1

_POSITION = {"postgresql": "strpos({x}, '|')", "sqlite": "instr({x}, '|')"}

#: The award figures of a report, "<issuer>|<form>|<kind>" -> awards: the root's kept subtree
#: sums of one year at its end (ADR 0036), or the kept rows of the subtree's units summed
#: (several years; a unit read on its last day).
_ROOT_SUMS = ("SELECT substr(s.key, %s) AS key, s.value AS n FROM org_subtreefigure s "
              "WHERE s.unit_id = %s AND s.year = %s AND s.key LIKE %s AND s.value <> 0")
_UNIT_SUMS = ("SELECT a.key, SUM(a.awards) AS n FROM honours_awardfigure a "
              "WHERE a.year IN ({years}) AND a.unit_id IN ({units}) "
              "GROUP BY a.key HAVING SUM(a.awards) <> 0")

#: Those figures with their issuers, folded in the database: the issuers strictly below the
#: report's unit (its path `within` on the report's day) of a type with more than `group_over`
#: of them into one row per type and form, the others one row per issuer and form. `rank`: the
#: issuer's place in the report's order (level, first decision of the years, tree order), a
#: group's that of its first issuer.
_GROUPED = """
WITH s AS ({source}),
k AS (
  SELECT CAST(substr(s.key, 1, {key_bar} - 1) AS integer) AS issuer_id,
         substr(s.key, {key_bar} + 1) AS rest, s.n FROM s),
r AS (
  SELECT issuer_id, substr(rest, 1, {rest_bar} - 1) AS form,
         substr(rest, {rest_bar} + 1) AS kind, n FROM k),
i AS (
  SELECT u.id, u.type, u.depth, u.path,
         (v.path IS NOT NULL AND substr(v.path, 1, %s) = %s AND length(v.path) > %s) AS below
  FROM org_unit u
  LEFT JOIN org_unitversion v ON v.unit_id = u.id AND v.valid_from <= %s
       AND (v.valid_to IS NULL OR v.valid_to > %s)
  WHERE u.id IN (SELECT issuer_id FROM k)),
f AS (
  SELECT d.issuer_id, MIN(d.date) AS first FROM k
  JOIN honours_decision d ON d.issuer_id = k.issuer_id
  WHERE d.kind = %s AND d.year IN ({years}) GROUP BY d.issuer_id),
o AS (
  SELECT i.id, i.type, i.below, ROW_NUMBER() OVER (
    ORDER BY i.depth, CASE WHEN f.first IS NULL THEN 1 ELSE 0 END, f.first, i.path) AS rank
  FROM i LEFT JOIN f ON f.issuer_id = i.id),
t AS (SELECT type, COUNT(*) AS issuers FROM o WHERE below GROUP BY type HAVING COUNT(*) > %s)
SELECT CASE WHEN t.type IS NULL THEN o.id END AS named, o.type, r.form,
       SUM(CASE WHEN r.kind = %s THEN r.n ELSE 0 END),
       SUM(CASE WHEN r.kind = %s THEN r.n ELSE 0 END),
       COUNT(DISTINCT o.id), MAX(t.issuers), MIN(o.rank), MAX(CASE WHEN o.below THEN 1 ELSE 0 END)
FROM r JOIN o ON o.id = r.issuer_id LEFT JOIN t ON o.below AND t.type = o.type
GROUP BY CASE WHEN t.type IS NULL THEN o.id END, o.type, r.form"""


def _subquery(unit_ids: Any) -> tuple[str, list[Any]]:
    """`unit_ids` (a QuerySet of ids, or ids) as SQL for `IN (…)` and its parameters."""
    if isinstance(unit_ids, QuerySet):
        sql, params = unit_ids.query.sql_with_params()
        return sql, list(params)
    ids = list(unit_ids)
    return (", ".join(["%s"] * len(ids)) or "NULL"), ids
