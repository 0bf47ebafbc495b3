"""The dashboard of a unit's year (issue 11 §3): the unit's own figures (`year_figures`) and a
table of its direct children as the tree stood on 31/12 of the year (or the unit's last day),
each row with its roster, titles, Party, welfare, awards and initiatives and, for the measures
the table can count, a met / not met flag against the target in force for that child.

Every figure of the table comes from a fixed number of GROUP BY queries whatever the number of
children: each groups the rows of the subtree by the child they lie under (`by_child`), in the
database, so the page reads one row per child and never the descendants themselves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from thidua.evaluation.figures import ANY_WORKER_TITLE
from thidua.evaluation.figures import SUMS as TITLE_SUMS
from thidua.evaluation.models import Grading, TitleFigure, TitleResult
from thidua.evaluation.unit_figures import (
    AGENCY_CULTURE_TITLE,
    CULTURE,
    GRADED,
    GRADED_STRONG,
    GRADED_WEAK,
    GRASSROOTS,
    STRONG,
    WEAK,
)
from thidua.evaluation.unit_figures import SUMS as UNIT_SUMS
from thidua.honours.figures import SUMS as AWARD_SUMS
from thidua.honours.models import AwardFigure
from thidua.initiatives.figures import RECOGNISED
from thidua.initiatives.figures import SUMS as INITIATIVE_SUMS
from thidua.initiatives.models import Recognition
from thidua.movements.figures import CULTURE_REGISTERED, LAUNCHED, REGISTERED
from thidua.movements.figures import SUMS as MOVEMENT_SUMS
from thidua.movements.models import Deployment, Registration
from thidua.org.models import Unit
from thidua.org.rollups import at_year_end, rolled_sums, rolled_totals
from thidua.org.selectors import kept_children
from thidua.reports.actuals import Actual, is_met, number, share
from thidua.reports.figures import year_figures
from thidua.reports.measures import measure
from thidua.reports.models import Target
from thidua.reports.selectors import (
    Children,
    by_child,
    family_titles_by_child,
    party_counts_by_child,
    targets_in_force,
    welfare_by_child,
    year_children,
)

#: the measures the children's table counts per child (the others stay with the unit's cards)
ROW_MEASURES = ("cdcs_phat_dong", "cdcs_dang_ky", "nld_danh_hieu", "nu_gvndvn",
                "gia_dinh_van_hoa", "co_quan_dang_ky_van_hoa", "co_quan_van_hoa",
                "cdcs_vung_manh", "cdcs_yeu", "dang_gioi_thieu", "dang_ket_nap")


@dataclass
class ChildRow:
    unit_id: int
    code: str
    name: str
    type: str
    grassroots: int = 0  # CĐCS strictly below
    base: int = 0  # the CĐCS a "% of CĐCS" is taken over: those below, and the child if it is one
    launched: int = 0  # CĐCS that launched a movement of the year
    registered: int = 0  # CĐCS that registered for titles
    culture_registered: int = 0  # … for «Cơ quan, đơn vị văn hóa»
    culture: int = 0  # … recognised «Cơ quan, đơn vị văn hóa»
    workers: int = 0
    members: int = 0
    women: int = 0
    worker_titles: int = 0
    gvndvn: int = 0
    families: int = 0
    party_introduced: int = 0
    party_admitted: int = 0
    welfare_beneficiaries: int = 0
    welfare_amount: int = 0
    awards: int = 0
    initiatives: int = 0
    graded: int = 0
    strong: int = 0
    weak: int = 0
    actuals: dict[str, Actual] = field(default_factory=dict)
    met: dict[str, bool | None] = field(default_factory=dict)  # measure code -> flag

    def share(self, code: str) -> float | None:
        a = self.actuals.get(code)
        return a.value if a is not None else None


def dashboard(unit: Unit, year: int) -> dict[str, Any]:
    """The unit's figures for the year and its children's rows (see the module's note)."""
    return {"figures": year_figures(unit, year, grouped=True),
            "children": children_rows(unit, year)}


def children_rows(unit: Unit, year: int) -> list[ChildRow]:
    """The unit's direct children as the tree stood in the year, in tree order, with their
    figures and target flags. A fixed number of queries whatever the number of children, each
    folding the subtree's rows into one row per child in the database."""
    children = year_children(unit, year)
    if children is None or not children.versions:
        return []
    version, day = children.version, children.day
    rows = {v.unit_id: ChildRow(unit_id=v.unit_id, code=v.unit.code, name=v.name,
                                type=v.unit.type) for v in children.versions}
    at = {path: rows[uid] for path, uid in children.by_path.items()}
    # each child's people and CĐCS from the kept figures (ADR 0025, 0035): one query
    for child in kept_children(version, day):
        row, counts = at[child.path], child.kept.units
        row.base = sum(counts.get(t, 0) for t in GRASSROOTS)
        row.grassroots = row.base - (row.type in GRASSROOTS)
        people = child.kept.people
        row.workers, row.members, row.women = people["workers"], people["members"], people["women"]
    _titles(rows, at, children, year)
    _gradings(rows, at, children, year)
    _grassroots_measures(rows, at, children, year)
    for cid, (introduced, admitted) in party_counts_by_child(unit, year,
                                                             children=children).items():
        rows[cid].party_introduced, rows[cid].party_admitted = introduced, admitted
    for cid, figure in welfare_by_child(unit, year, children=children).items():
        rows[cid].welfare_beneficiaries, rows[cid].welfare_amount = (figure.beneficiaries,
                                                                     figure.amount)
    for cid, n in family_titles_by_child(unit, year, children=children).items():
        rows[cid].families = n
    _awards(rows, at, children, year)
    _initiatives(rows, at, children, year)
    for row in rows.values():
        row.actuals = _actuals(row)
    _flags(unit, year, rows)
    return list(rows.values())


def _initiatives(rows: dict[int, ChildRow], at: dict[str, ChildRow], children: Children,
                 year: int) -> None:
    """The initiatives recognised in the year under each child, once whatever the number of
    levels that recognised them: the children's kept subtree sums (ADR 0036), one query; the
    year a unit ended in, counted from the records."""
    if at_year_end(children.day):
        for (uid, _y, _key), n in rolled_sums(INITIATIVE_SUMS, unit_ids=list(rows), years=[year],
                                               keys=[RECOGNISED]).items():
            rows[uid].initiatives += n
        return
    for path, n in (by_child(Recognition.objects.filter(year=year), children,
                             through="initiative__unit")
                    .values_list("child").annotate(n=Count("initiative_id", distinct=True))):
        at[path].initiatives += n


def _titles(rows: dict[int, ChildRow], at: dict[str, ChildRow], children: Children,
            year: int) -> None:
    """Workers on the roster on 31/12 holding a worker title, and those holding GVNĐVN, by the
    unit they work in: the children's kept subtree sums (ADR 0031, 0036), one query; for the
    year a unit ended in, its subtree's kept rows on its last day."""
    keys = [ANY_WORKER_TITLE, "GVNDVN"]
    found: list[tuple[ChildRow, str, int]]
    if at_year_end(children.day):
        found = [(rows[uid], title, n) for (uid, _y, title), n in
                 rolled_sums(TITLE_SUMS, unit_ids=list(rows), years=[year], keys=keys).items()]
    else:
        found = [(at[path], title, n) for path, title, n in (
            by_child(TitleFigure.objects.filter(year=year, title__in=keys), children)
            .values_list("child", "title").annotate(n=Sum("holders")))]
    for row, title, n in found:
        if title == ANY_WORKER_TITLE:
            row.worker_titles += n
        else:
            row.gvndvn += n


def _awards(rows: dict[int, ChildRow], at: dict[str, ChildRow], children: Children,
            year: int) -> None:
    """The year's awards (not revoked) under each child, every issuer and form: the children's
    kept subtree sums (ADR 0034, 0036), one query; the year a unit ended in, as `_titles`."""
    if at_year_end(children.day):
        for uid, n in rolled_totals(AWARD_SUMS, unit_ids=list(rows), year=year).items():
            rows[uid].awards += n
        return
    for path, n in (by_child(AwardFigure.objects.filter(year=year), children)
                    .values_list("child").annotate(n=Sum("awards"))):
        at[path].awards += n


def _gradings(rows: dict[int, ChildRow], at: dict[str, ChildRow], children: Children,
              year: int) -> None:
    """The year's CĐCS gradings, strong and weak, and the CĐCS holding «Cơ quan, đơn vị văn
    hóa», by child: the children's kept subtree sums (ADR 0036), one query; the year a unit
    ended in, counted from the records (two queries)."""
    if at_year_end(children.day):
        slot = {GRADED: "graded", GRADED_STRONG: "strong", GRADED_WEAK: "weak",
                CULTURE: "culture"}
        for (uid, _y, key), n in rolled_sums(UNIT_SUMS, unit_ids=list(rows), years=[year],
                                              keys=list(slot)).items():
            setattr(rows[uid], slot[key], getattr(rows[uid], slot[key]) + n)
        return
    found = (by_child(Grading.objects.filter(year=year, unit__type__in=GRASSROOTS)
                      .exclude(label=""), children)
             .values_list("child")
             .annotate(n=Count("pk"), strong=Count("pk", filter=Q(label__in=STRONG)),
                       weak=Count("pk", filter=Q(label__in=WEAK))))
    for path, n, strong, weak in found:
        row = at[path]
        row.graded += n
        row.strong += strong
        row.weak += weak
    for path, n in (by_child(TitleResult.objects.filter(year=year, revoked=False,
                                                        title=AGENCY_CULTURE_TITLE,
                                                        subject_unit__type__in=GRASSROOTS),
                             children, through="subject_unit")
                    .values_list("child").annotate(n=Count("subject_unit_id", distinct=True))):
        at[path].culture += n


def _grassroots_measures(rows: dict[int, ChildRow], at: dict[str, ChildRow],
                         children: Children, year: int) -> None:
    """The CĐCS that launched a movement, registered for titles, registered for «Cơ quan, đơn vị
    văn hóa», by child: the children's kept subtree sums (ADR 0036), one query, as
    `actuals.measure_actuals` reads them for the whole subtree; the year a unit ended in,
    counted from the records (two queries)."""
    if at_year_end(children.day):
        slot = {LAUNCHED: "launched", REGISTERED: "registered",
                CULTURE_REGISTERED: "culture_registered"}
        for (uid, _y, key), n in rolled_sums(MOVEMENT_SUMS, unit_ids=list(rows), years=[year],
                                              keys=list(slot)).items():
            setattr(rows[uid], slot[key], getattr(rows[uid], slot[key]) + n)
        return
    for path, n in (by_child(Deployment.objects.filter(plan__year=year, launched_at__isnull=False,
                                                       unit__type__in=GRASSROOTS), children)
                    .values_list("child").annotate(n=Count("unit_id", distinct=True))):
        at[path].launched += n
    for path, n, culture in (
            by_child(Registration.objects.filter(year=year, unit__type__in=GRASSROOTS), children)
            .values_list("child")
            .annotate(n=Count("unit_id", distinct=True),
                      c=Count("unit_id", distinct=True,
                              filter=Q(titles__code=AGENCY_CULTURE_TITLE)))):
        at[path].registered += n
        at[path].culture_registered += culture


def _actuals(row: ChildRow) -> dict[str, Actual]:
    return {
        "cdcs_phat_dong": share(row.launched, row.base),
        "cdcs_dang_ky": share(row.registered, row.base),
        "co_quan_dang_ky_van_hoa": share(row.culture_registered, row.base),
        "co_quan_van_hoa": share(row.culture, row.base),
        "nld_danh_hieu": share(row.worker_titles, row.workers),
        "nu_gvndvn": share(row.gvndvn, row.women),
        "gia_dinh_van_hoa": share(row.families, row.workers),
        "cdcs_vung_manh": share(row.strong, row.graded),
        "cdcs_yeu": Actual(row.weak if row.graded else None),
        "dang_gioi_thieu": Actual(row.party_introduced),
        "dang_ket_nap": Actual(row.party_admitted),
    }


def _flags(unit: Unit, year: int, rows: dict[int, ChildRow]) -> None:
    """Each child's targets are the unit's in force, overridden by the child's own (four
    queries: the unit's targets in force, then every child's own at once)."""
    inherited = {t.target.measure: t.target for t in targets_in_force(unit, year)}
    own: dict[int, dict[str, Target]] = defaultdict(dict)
    for t in Target.objects.filter(unit_id__in=list(rows), year=year):
        own[t.unit_id][t.measure] = t
    for cid, row in rows.items():
        for code, target in {**inherited, **own[cid]}.items():
            if code not in ROW_MEASURES or measure(code) is None:
                continue
            low = number(target.value)
            assert low is not None
            row.met[code] = is_met(target.comparison, low, row.actuals[code].value)
