"""Reads of targets, welfare, Party development and family titles: scoped lists and details for
the pages, and the per-unit, per-year figures the dashboard and the year-end report call.

"A unit's subtree in year Y" is the tree as it stood on 31/12/Y (or on the unit's last day, if
it ended during Y): a CĐCS moved away in 2025 still counts in its 2017 parent's figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from thidua.evaluation.models import TitleResult
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import restrict_queryset
from thidua.org.rollups import at_year_end, rolled_sums
from thidua.org.selectors import access_unit, children_at
from thidua.people.models import Employment, Membership, Person, by_name
from thidua.platform.actor import Visitor
from thidua.platform.api import MAX_ID
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.reads import remembered
from thidua.platform.years import check_year
from thidua.reports import kept
from thidua.reports.measures import Measure, codes, measure
from thidua.reports.models import (
    Beneficiary,
    FamilyCultureTitle,
    PartyCandidate,
    StatisticsReport,
    Target,
    WelfareActivity,
    WelfareOccasion,
    YearFigure,
)

# --- the tree as it stood in a year ------------------------------------------------------------


def year_day(version_from: dt.date, version_to: dt.date | None, year: int) -> dt.date | None:
    """The day a year's tree is read at for a version alive [from, to): 31/12, or its last day
    when it ended during the year; None when it was not alive in the year."""
    end = dt.date(year, 12, 31)
    if version_from > end or (version_to is not None and version_to <= dt.date(year, 1, 1)):
        return None
    if version_to is not None and version_to <= end:
        return version_to - dt.timedelta(days=1)
    return end


@remembered
def version_in_year(unit: Unit, year: int) -> tuple[UnitVersion, dt.date] | None:
    """The unit's version as the year's tree has it and the day it is read at (one query)."""
    for version in unit.versions.filter(valid_from__lte=dt.date(year, 12, 31)).order_by("-valid_from"):
        day = year_day(version.valid_from, version.valid_to, year)
        return (version, day) if day is not None else None
    return None


@remembered
def _paths_by_year(unit: Unit, years: range) -> dict[int, tuple[str, dt.date]]:
    """(path, day) of the unit in each year it was alive (one query)."""
    versions = list(unit.versions.order_by("valid_from").values_list("path", "valid_from", "valid_to"))
    out: dict[int, tuple[str, dt.date]] = {}
    for year in years:
        for path, start, end in reversed(versions):
            day = year_day(start, end, year)
            if day is not None and start <= dt.date(year, 12, 31):
                out[year] = (path, day)
                break
    return out


def subtree_units(path: str, day: dt.date) -> QuerySet[UnitVersion, Any]:
    """Ids of the units in the subtree at `path` on `day` (a subquery)."""
    return UnitVersion.objects.at(day).filter(path__startswith=path).values("unit_id")


def _in_subtree(unit: Unit, years: range, *, field_name: str, date_field: str | None = None,
                ) -> Q:
    """Rows of the unit's subtree as it stood each year, dated in that year (`date_field`) or
    of that year (`year`). Matches nothing when the unit did not exist in any of the years."""
    q = Q(pk__in=[])
    for year, (path, day) in _paths_by_year(unit, years).items():
        when = (Q(**{f"{date_field}__year": year}) if date_field else Q(year=year))
        q |= when & Q(**{f"{field_name}__in": subtree_units(path, day)})
    return q


def _year_sums(unit: Unit, years: range, keys: Iterable[str]) -> dict[tuple[int, str], int]:
    """(year, key) -> the report figures of the unit's subtree as it stood each year: the kept
    subtree sums (ADR 0036) for the years the unit was alive on 31/12, the subtree's rows
    summed for a year it ended in (read on its last day). Two or three queries."""
    keys = list(keys)
    paths = _paths_by_year(unit, years)
    at_end = [year for year, (_path, day) in paths.items() if at_year_end(day)]
    out = {(year, key): n for (_unit, year, key), n in
           rolled_sums(kept.SUMS, unit_ids=[unit.pk], years=at_end, keys=keys).items()}
    where = Q(pk__in=[])
    for year, (path, day) in paths.items():
        if not at_year_end(day):
            where |= Q(year=year, unit_id__in=subtree_units(path, day))
    if len(at_end) < len(paths):
        out.update(kept.subtree_sums(where, keys))
    return out


def access_unit_year(user: Visitor, code: str, year: int) -> Unit:
    """The unit if the user may see it and the year is one the system takes; NotFoundError
    otherwise (the same for a missing unit and one out of sight)."""
    unit = access_unit(user, code)
    try:
        check_year(year)
    except ApplicationError:
        raise NotFoundError() from None
    return unit


def subtree_people(unit: Unit) -> QuerySet[Person]:
    """People ever on the roster (employment or union membership) of a unit of the subtree, as
    the tree stands today: those the unit's officers may record."""
    employed = Employment.objects.filter(unit__path__startswith=unit.path, person=OuterRef("pk"))
    member = Membership.objects.filter(unit__path__startswith=unit.path, person=OuterRef("pk"))
    return Person.objects.filter(Q(Exists(employed)) | Q(Exists(member)))


def person_by_number(unit: Unit, who: str) -> Person | None:
    """The person of the unit's subtree with this CCCD or member code (as typed in a form)."""
    text = "".join(who.split()).upper()
    if not text:
        return None
    found: Person | None = subtree_people(unit).filter(Q(cccd=text) | Q(member_code=text)).first()
    return found


# --- targets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInForce:
    """A target as it applies to a unit: its own, or inherited from `set_by` above it."""

    target: Target
    measure: Measure | None
    inherited: bool

    @property
    def set_by(self) -> Unit:
        return self.target.unit


@remembered
def targets_in_force(unit: Unit, year: int) -> list[TargetInForce]:
    """The unit's targets for the year, one per measure: its own, else the nearest level's
    above it as the tree stood that year (three queries), in catalogue order."""
    found = version_in_year(unit, year)
    chain: list[int] = [unit.pk]
    if found is not None:
        version, day = found
        prefixes = [version.path[:i] for i in range(4, len(version.path), 4)]
        chain += list(UnitVersion.objects.at(day).filter(path__in=prefixes)
                      .order_by("-depth").values_list("unit_id", flat=True))
    rank = {uid: i for i, uid in enumerate(chain)}  # 0: the unit itself, 1: its parent…
    best: dict[str, Target] = {}
    for t in Target.objects.filter(unit_id__in=chain, year=year).select_related("unit"):
        held = best.get(t.measure)
        if held is None or rank[t.unit_id] < rank[held.unit_id]:
            best[t.measure] = t
    order = {m: i for i, m in enumerate(_catalogue_codes())}
    return [TargetInForce(target=t, measure=measure(code), inherited=t.unit_id != unit.pk)
            for code, t in sorted(best.items(), key=lambda kv: (order.get(kv[0], 999), kv[0]))]


def _catalogue_codes() -> list[str]:
    return codes()


def targets_for(user: Visitor) -> QuerySet[Target]:
    return restrict_queryset(Target.objects.all(), user)


def access_target(user: Visitor, pk: int) -> Target:
    return _get(targets_for(user).select_related("unit"), pk)


M = TypeVar("M", Target, WelfareActivity, PartyCandidate, FamilyCultureTitle)


def _get(qs: QuerySet[M], pk: int) -> M:
    if not 0 < pk <= MAX_ID:
        raise NotFoundError()
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist:
        raise NotFoundError() from None


# --- welfare -------------------------------------------------------------------------------------


def welfare_for(user: Visitor) -> QuerySet[WelfareActivity]:
    return restrict_queryset(WelfareActivity.objects.all(), user)


def access_welfare(user: Visitor, pk: int) -> WelfareActivity:
    return _get(welfare_for(user).select_related("unit"), pk)


def welfare_list(user: Visitor, unit: Unit, year: int) -> QuerySet[WelfareActivity]:
    """The activities of the unit's subtree in the year, with their beneficiaries' number and
    total amount (one query)."""
    return (welfare_for(user).filter(_in_subtree(unit, range(year, year + 1), field_name="unit_id"))
            .select_related("unit")
            .annotate(people=Count("beneficiaries"), total=Sum("beneficiaries__amount"))
            .order_by("-date", "-pk"))


def access_beneficiary(user: Visitor, pk: int) -> Beneficiary:
    """A beneficiary of an activity the user may see; NotFoundError otherwise."""
    if not 0 < pk <= MAX_ID:
        raise NotFoundError()
    try:
        found: Beneficiary = restrict_queryset(
            Beneficiary.objects.select_related("activity__unit"), user,
            field="activity__unit__path").get(pk=pk)
    except Beneficiary.DoesNotExist:
        raise NotFoundError() from None
    return found


def beneficiaries_of(activity: WelfareActivity) -> QuerySet[Beneficiary]:
    return activity.beneficiaries.select_related("person").order_by("pk")


@dataclass
class WelfareFigure:
    activities: int = 0
    beneficiaries: int = 0
    amount: int = 0


@dataclass
class WelfareCounts:
    """Welfare of a subtree over years: per occasion code, and the totals."""

    by_occasion: dict[str, WelfareFigure] = field(default_factory=dict)
    total: WelfareFigure = field(default_factory=WelfareFigure)

    def occasions(self) -> list[tuple[str, str, WelfareFigure]]:
        """(code, Vietnamese label, figure) of the occasions with records, in the fixed order."""
        return [(code, str(label), self.by_occasion[code])
                for code, label in WelfareOccasion.choices if code in self.by_occasion]


def welfare_counts(unit: Unit, year_from: int, year_to: int) -> WelfareCounts:
    """Activities, beneficiaries and amounts (đồng) by occasion in the unit's subtree as it stood
    each year, from `year_from` to `year_to` inclusive: the kept sums (`_year_sums`)."""
    out = WelfareCounts()
    for (_year, key), n in sorted(_year_sums(unit, range(year_from, year_to + 1),
                                             kept.WELFARE_KEYS).items()):
        occasion, what = kept.welfare_parts(key)
        _welfare_add(out.by_occasion.setdefault(occasion, WelfareFigure()), what, n)
    for figure in out.by_occasion.values():
        out.total.activities += figure.activities
        out.total.beneficiaries += figure.beneficiaries
        out.total.amount += figure.amount
    return out


def _welfare_add(figure: WelfareFigure, what: str, n: int) -> None:
    if what == kept.ACTIVITIES:
        figure.activities += n
    elif what == kept.BENEFICIARIES:
        figure.beneficiaries += n
    else:
        figure.amount += n


# --- Party development ---------------------------------------------------------------------------


def party_for(user: Visitor) -> QuerySet[PartyCandidate]:
    return restrict_queryset(PartyCandidate.objects.all(), user)


def access_party_candidate(user: Visitor, pk: int) -> PartyCandidate:
    return _get(party_for(user).select_related("unit", "person"), pk)


def party_list(user: Visitor, unit: Unit, year: int) -> QuerySet[PartyCandidate]:
    """Candidates of the unit's subtree (as it stood that year) introduced or admitted in the
    year (one query)."""
    years = range(year, year + 1)
    where = (_in_subtree(unit, years, field_name="unit_id", date_field="introduced_on")
             | _in_subtree(unit, years, field_name="unit_id", date_field="admitted_on"))
    return (party_for(user).filter(where).select_related("person", "unit")
            .order_by("-introduced_on", *by_name("person__"), "pk"))


@dataclass
class PartyCounts:
    """Members introduced and admitted in a subtree over years, in total and per year."""

    introduced: int = 0
    admitted: int = 0
    by_year: dict[int, tuple[int, int]] = field(default_factory=dict)  # year → (introduced, admitted)


def party_counts(unit: Unit, year_from: int, year_to: int) -> PartyCounts:
    """Outstanding members introduced for Party admission, and admitted, in the unit's subtree as
    it stood each year, from `year_from` to `year_to` inclusive: the kept sums (`_year_sums`). A
    member introduced in one year and admitted the next counts in each year for what happened
    then."""
    found = _year_sums(unit, range(year_from, year_to + 1),
                       (kept.PARTY_INTRODUCED, kept.PARTY_ADMITTED))
    out = PartyCounts()
    for year in sorted({y for y, _ in found}):
        introduced = found.get((year, kept.PARTY_INTRODUCED), 0)
        admitted = found.get((year, kept.PARTY_ADMITTED), 0)
        out.by_year[year] = (introduced, admitted)
        out.introduced += introduced
        out.admitted += admitted
    return out


# --- family culture titles -----------------------------------------------------------------------


def family_titles_for(user: Visitor) -> QuerySet[FamilyCultureTitle]:
    return restrict_queryset(FamilyCultureTitle.objects.all(), user)


def access_family_title(user: Visitor, pk: int) -> FamilyCultureTitle:
    return _get(family_titles_for(user).select_related("unit", "person"), pk)


def family_titles_list(user: Visitor, unit: Unit, year: int) -> QuerySet[FamilyCultureTitle]:
    """The families recognised for the year in the unit's subtree as it stood then (one query)."""
    return (family_titles_for(user)
            .filter(_in_subtree(unit, range(year, year + 1), field_name="unit_id"))
            .select_related("person", "unit").order_by(*by_name("person__"), "pk"))


def family_title_count(unit: Unit, year: int) -> int:
    """Families recognised "Gia đình văn hóa" for the year, recorded in the unit's subtree as it
    stood that year (two queries)."""
    return family_title_counts(unit, year)[0]


def family_title_counts(unit: Unit, year: int) -> tuple[int, int]:
    """(all, of women workers) of `family_title_count`: the kept sums (`_year_sums`). A unit that
    recognises only the women's families (as the Hai Bà Trưng article reports, "trên 98% gia
    đình nữ CBCCVC, NLĐ") is reported over the women."""
    found = _year_sums(unit, range(year, year + 1), (kept.FAMILY, kept.FAMILY_WOMEN))
    return found.get((year, kept.FAMILY), 0), found.get((year, kept.FAMILY_WOMEN), 0)


AGENCY_CULTURE_TITLE = "CQ_VAN_HOA"  # rules/titles.toml, group van_hoa


def agency_culture_count(unit: Unit, year: int) -> int:
    """Units of the subtree (as it stood in the year) holding "Cơ quan, đơn vị văn hóa" for the
    year: the collective title `CQ_VAN_HOA`, recorded as an evaluation title result (two
    queries)."""
    return TitleResult.objects.filter(
        _in_subtree(unit, range(year, year + 1), field_name="subject_unit_id"),
        title=AGENCY_CULTURE_TITLE, revoked=False).count()


# --- per child, for the dashboard's table of children ---------------------------------------------


@dataclass(frozen=True)
class Children:
    """A unit's direct children as the year's tree has them (`year_children`): the unit's
    version and the day the tree is read at, and the children's versions in tree order."""

    version: UnitVersion
    day: dt.date
    versions: list[UnitVersion]

    @property
    def by_path(self) -> dict[str, int]:
        return {v.path: v.unit_id for v in self.versions}


def year_children(unit: Unit, year: int) -> Children | None:
    """The unit's children in the year's tree (two queries); None when the unit was not alive
    in the year."""
    found = version_in_year(unit, year)
    if found is None:
        return None
    version, day = found
    return Children(version, day, children_at(version, day))


def by_child(rows: QuerySet[Any, Any], children: Children, *, through: str = "unit"
             ) -> QuerySet[Any, Any]:
    """`rows` (of a table with a unit at `through`) of the units below the children's parent,
    annotated with `child`, the path of the child each lies under, as the year's tree has it.
    Group by `child` in SQL: the database folds the subtree's rows, however many units it has,
    into one row per child (before, every unit's row was read and folded in Python)."""
    version, day = children.version, children.day
    at = f"{through}__versions__"
    # one filter() call: the conditions bind the same version row, which the annotation reuses
    below = rows.filter(Q(**{f"{at}path__startswith": version.path,
                             f"{at}depth__gt": version.depth,
                             f"{at}valid_from__lte": day})
                        & (Q(**{f"{at}valid_to__isnull": True}) | Q(**{f"{at}valid_to__gt": day})))
    cut = len(version.path) + Unit.steplen
    out: QuerySet[Any, Any] = below.annotate(child=Substr(f"{at}path", 1, cut)).order_by()
    return out


def _kept_by_child(unit: Unit, year: int, keys: Iterable[str],
                   children: Children | None) -> list[tuple[int, str, int]]:
    """(child unit id, key, value) of the kept rows below the unit's children in the year
    (one query, three without `children`)."""
    if children is None:
        children = year_children(unit, year)
    if children is None or not children.versions:
        return []
    if at_year_end(children.day):  # the children's kept subtree sums (ADR 0036)
        return [(unit_id, key, n) for (unit_id, _year, key), n in rolled_sums(
            kept.SUMS, unit_ids=[v.unit_id for v in children.versions], years=[year],
            keys=keys).items()]
    child_id = children.by_path
    rows = by_child(YearFigure.objects.filter(year=year, key__in=list(keys)), children)
    return [(child_id[child], key, int(n)) for child, key, n in
            rows.values_list("child", "key").annotate(n=Sum("value")).values_list(
                "child", "key", "n")]


def party_counts_by_child(unit: Unit, year: int, *, children: Children | None = None
                          ) -> dict[int, tuple[int, int]]:
    """(introduced, admitted) in the year under each child of the unit as the tree stood then,
    by child unit id; children with nothing are left out."""
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for cid, key, n in _kept_by_child(unit, year, (kept.PARTY_INTRODUCED, kept.PARTY_ADMITTED),
                                      children):
        out[cid][0 if key == kept.PARTY_INTRODUCED else 1] += n
    return {cid: (v[0], v[1]) for cid, v in out.items()}


def welfare_by_child(unit: Unit, year: int, *, children: Children | None = None
                     ) -> dict[int, WelfareFigure]:
    """Welfare activities, beneficiaries and amounts in the year under each child of the unit
    as the tree stood then, by child unit id."""
    out: dict[int, WelfareFigure] = {}
    for cid, key, n in _kept_by_child(unit, year, kept.WELFARE_KEYS, children):
        _welfare_add(out.setdefault(cid, WelfareFigure()), kept.welfare_parts(key)[1], n)
    return out


def family_titles_by_child(unit: Unit, year: int, *, children: Children | None = None
                           ) -> dict[int, int]:
    """Families recognised in the year under each child of the unit as the tree stood then."""
    out: dict[int, int] = defaultdict(int)
    for cid, _key, n in _kept_by_child(unit, year, (kept.FAMILY,), children):
        out[cid] += n
    return dict(out)


def target_display(value: Decimal | None) -> str:
    """90.00 → "90", 87.50 → "87,5" (the way a target is written)."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


# --- saved statistics reports --------------------------------------------------------------------


def statistics_reports(unit: Unit) -> QuerySet[StatisticsReport]:
    """The statistics reports saved for the unit (the caller has checked the unit is in sight)."""
    return (StatisticsReport.objects.filter(unit=unit)
            .select_related("subtree", "issuer", "created_by").order_by("name", "pk"))


def access_statistics_report(user: Visitor, report_id: int) -> StatisticsReport:
    """A saved report of a unit the user may see; NotFoundError for a missing one and one out
    of sight alike."""
    if not 0 < report_id <= MAX_ID:
        raise NotFoundError()
    qs = restrict_queryset(StatisticsReport.objects.select_related("unit", "subtree", "issuer"),
                           user, field="unit__path")
    found = qs.filter(pk=report_id).first()
    if found is None:
        raise NotFoundError()
    return found


def in_subtree_by_year(unit: Unit, years: range, *, field_name: str) -> Q:
    """Rows of `years` (their `year`) whose `field_name` unit was in the unit's subtree as the
    tree stood in that year (the statistics reports' filter)."""
    return _in_subtree(unit, years, field_name=field_name)


def paths_by_year(unit: Unit, years: range) -> dict[int, tuple[str, dt.date]]:
    """(path, day) of the unit in each of `years` it was alive (one query)."""
    return _paths_by_year(unit, years)
