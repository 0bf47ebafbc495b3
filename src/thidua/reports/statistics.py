"""Statistics of the awards register (issue 11 §4): the awards (not revoked) given to people and
collectives of a subtree — as the tree stood on 31/12 of each year, like the other reports —
counted by one dimension down the rows and, optionally, one across the columns.

Dimensions: the issuer (the union body, or the authority above the union a decision records),
the issuer's level (its unit type; «Cấp Nhà nước» for the forms decided above the union,
«Thủ trưởng cơ quan, đơn vị» for the agency head's Giấy khen — the catalogue's `decider`),
the form, the form's family (Nhà nước / Công đoàn), the year, and the unit directly below the
subtree's root the recipient belongs to. Values: collectives, individuals, their total, cash
(đồng).

`statistics_table` runs in a fixed number of queries whatever the number of awards: the root's
versions, one GROUP BY over the awards, the catalogue's edits, and (for those dimensions) the
issuers' names and the subtree's versions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from thidua.honours import catalogue
from thidua.honours.models import Award
from thidua.org.models import Unit, UnitType, UnitVersion
from thidua.org.selectors import award_issuers
from thidua.platform.errors import ApplicationError
from thidua.platform.forms import UnitOptions, unit_options
from thidua.platform.text import vn_date
from thidua.platform.years import check_year
from thidua.reports.models import RecipientKind
from thidua.reports.selectors import in_subtree_by_year, paths_by_year

#: the longest span one statistics report may cover
MAX_YEARS = 10

STATE = "nha_nuoc"  # level of the forms decided above the union (catalogue decider cap_tren)
AGENCY_HEAD = "thu_truong"  # level of the agency head's forms (decider thu_truong)
LEVELS: dict[str, str] = {
    STATE: "Cấp Nhà nước (Chủ tịch nước, Thủ tướng Chính phủ)",
    **{t.value: str(t.label) for t in UnitType},
    AGENCY_HEAD: "Thủ trưởng cơ quan, đơn vị",
}
LEVEL_ORDER = {key: i for i, key in enumerate(LEVELS)}

FAMILIES = {"nha_nuoc": "Hình thức khen thưởng của Nhà nước",
            "cong_doan": "Hình thức khen thưởng của Công đoàn"}

DIMENSIONS: dict[str, str] = {
    "issuer": "Đơn vị khen thưởng",
    "level": "Cấp khen thưởng",
    "form": "Hình thức khen thưởng",
    "family": "Loại hình thức",
    "year": "Năm",
    "child": "Đơn vị trực thuộc",
}
VALUES: dict[str, str] = {
    "collectives": "Tập thể",
    "individuals": "Cá nhân",
    "total": "Tổng số",
    "cash": "Tiền thưởng (đồng)",
}


@dataclass(frozen=True)
class Params:
    """What a report counts and how it lays the counts out (a saved report's fields)."""

    subtree: Unit
    year_from: int
    year_to: int
    rows: str
    values: tuple[str, ...]
    columns: str = ""
    issuer_levels: tuple[str, ...] = ()
    issuer: Unit | None = None
    forms: tuple[str, ...] = ()
    family: str = ""
    recipients: str = RecipientKind.BOTH

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)


def form_choices() -> list[tuple[str, str]]:
    """The catalogue's forms of commendation and the titles recorded as awards, by name."""
    return [(f.code, f.name) for f in catalogue.forms()]


def issuer_units(unit: Unit) -> QuerySet[Unit]:
    """The issuers a report of `unit` may name: those who award the unit (its ancestors and
    award lines, `org.selectors.award_issuers`), and the unit and the units below it."""
    above = [u.pk for u in award_issuers(unit, timezone.localdate())]
    units: QuerySet[Unit] = Unit.objects.filter(Q(pk__in=above) | Q(path__startswith=unit.path))
    return units


def issuer_options(unit: Unit) -> UnitOptions:
    """The issuer field's offer: every issuer in a select when they are few; else a typed code
    suggesting those above and the unit with the level below it (the TLĐ's report would list
    every unit of the nation)."""
    units = issuer_units(unit)
    near = units.filter(~Q(path__startswith=unit.path) | Q(depth__lte=unit.depth + 1))
    return unit_options(units.order_by("path"), near)


def params_problems(p: Params) -> list[tuple[str, str]]:
    """(field, message) for every parameter a report may not hold."""
    problems: list[tuple[str, str]] = []
    for name, year, what in (("year_from", p.year_from, "Từ năm"),
                             ("year_to", p.year_to, "Đến năm")):
        try:
            check_year(year, what=what, field=name)
        except ApplicationError as exc:
            problems.append((name, exc.message))
    if not problems:
        if p.year_from > p.year_to:
            problems.append(("year_to", "«Đến năm» phải không trước «Từ năm»."))
        elif p.year_to - p.year_from + 1 > MAX_YEARS:
            problems.append(("year_to", f"Một báo cáo thống kê tính tối đa {MAX_YEARS} năm."))
    if p.rows not in DIMENSIONS:
        problems.append(("rows", "Hãy chọn cách chia dòng trong danh sách."))
    if p.columns and p.columns not in DIMENSIONS:
        problems.append(("columns", "Hãy chọn cách chia cột trong danh sách."))
    elif p.columns and p.columns == p.rows:
        problems.append(("columns", "Cột và dòng phải chia theo hai cách khác nhau."))
    if not p.values:
        problems.append(("values", "Hãy chọn ít nhất một số liệu (tập thể, cá nhân, tổng số, "
                                   "tiền thưởng)."))
    elif any(v not in VALUES for v in p.values):
        problems.append(("values", "Số liệu không hợp lệ; hãy chọn lại trong danh sách."))
    unknown_levels = [lv for lv in p.issuer_levels if lv not in LEVELS]
    if unknown_levels:
        problems.append(("issuer_levels", "Cấp khen thưởng không hợp lệ: "
                         + ", ".join(unknown_levels) + "."))
    if p.family and p.family not in FAMILIES:
        problems.append(("family", "Loại hình thức không hợp lệ."))
    if p.recipients not in RecipientKind.values:
        problems.append(("recipients", "Đối tượng không hợp lệ."))
    problems.extend(_form_problems(p))
    return problems


def _form_problems(p: Params) -> list[tuple[str, str]]:
    known = {f.code: f for f in catalogue.forms()}
    unknown = [code for code in p.forms if code not in known]
    if unknown:
        return [("forms", "Hình thức không có trong danh mục: " + ", ".join(unknown) + ".")]
    out: list[tuple[str, str]] = []
    wanted = {"tap_the": "tap_the", "ca_nhan": "ca_nhan"}.get(p.recipients, "")
    for code in p.forms:
        f = known[code]
        if p.family and f.family != p.family:
            whose = "Nhà nước" if p.family == "nha_nuoc" else "Công đoàn"
            out.append(("forms", f"«{f.name}» không phải hình thức khen thưởng của {whose}; bỏ "
                                 "hình thức này hoặc đổi loại hình thức."))
        if wanted and wanted not in f.recipients:
            whom = "tập thể" if wanted == "tap_the" else "cá nhân"
            out.append(("forms", f"«{f.name}» không khen {whom}; bỏ hình thức này hoặc đổi "
                                 "đối tượng."))
    return out


def check_params(p: Params) -> None:
    problems = params_problems(p)
    if problems:
        field_name, message = problems[0]
        raise ApplicationError(message, field=field_name)


# --- running a report ----------------------------------------------------------------------------


@dataclass
class Line:
    key: Any
    label: str
    cells: list[int]


@dataclass
class Table:
    """The counts laid out: `headers` over the value cells (each (column label, value label));
    `rows` then `totals` (the last row). With a column dimension, a «Cộng» block closes each
    row."""

    row_header: str
    headers: list[tuple[str, str]]
    value_keys: list[str]
    rows: list[Line] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    awards: int = 0
    as_of: str = ""

    @property
    def column_groups(self) -> list[tuple[str, int]]:
        """(column label, number of value cells under it), left to right."""
        return [(label, len(list(cells))) for label, cells in groupby(self.headers,
                                                                      key=lambda h: h[0])]


def _deciders(forms: Iterable[catalogue.AwardForm]) -> dict[str, str]:
    return {f.code: f.decider for f in forms}


def _level(issuer_type: str, decider: str | None, external: str) -> str:
    if decider == "cap_tren" or (decider is None and external):
        return STATE
    if decider == "thu_truong":
        return AGENCY_HEAD
    return issuer_type


def _level_q(levels: tuple[str, ...], deciders: dict[str, str]) -> Q:
    state = [c for c, d in deciders.items() if d == "cap_tren"]
    head = [c for c, d in deciders.items() if d == "thu_truong"]
    q = Q(pk__in=[])
    types = [lv for lv in levels if lv not in (STATE, AGENCY_HEAD)]
    if types:
        q |= Q(issuer__type__in=types) & ~Q(form__in=state + head) & Q(decision__external_issuer="")
    if STATE in levels:
        q |= Q(form__in=state) | (~Q(form__in=list(deciders)) & ~Q(decision__external_issuer=""))
    if AGENCY_HEAD in levels:
        q |= Q(form__in=head)
    return q


def _groups(p: Params, forms: tuple[catalogue.AwardForm, ...], *, by_home: bool
            ) -> list[dict[str, Any]]:
    deciders = _deciders(forms)
    qs = Award.objects.filter(in_subtree_by_year(p.subtree, p.years, field_name="home_unit_id"),
                              revoked=False)
    if p.forms:
        qs = qs.filter(form__in=p.forms)
    if p.family:
        qs = qs.filter(form__in=[f.code for f in forms if f.family == p.family])
    if p.recipients == RecipientKind.COLLECTIVE:
        qs = qs.filter(subject_unit__isnull=False)
    elif p.recipients == RecipientKind.INDIVIDUAL:
        qs = qs.filter(person__isnull=False)
    if p.issuer is not None:
        qs = qs.filter(issuer=p.issuer)
    if p.issuer_levels:
        qs = qs.filter(_level_q(p.issuer_levels, deciders))
    keys = ["year", "issuer_id", "issuer__type", "form", "decision__external_issuer"]
    if by_home:
        keys.append("home_unit_id")
    return list(qs.order_by().values(*keys).annotate(
        collectives=Count("id", filter=Q(subject_unit__isnull=False)),
        individuals=Count("id", filter=Q(person__isnull=False)),
        cash=Sum("cash_amount")))


def _issuer_names(ids: set[int], day: dt.date) -> dict[int, tuple[str, str]]:
    """(name on `day`, tree path) of each issuing unit (one query)."""
    then = Subquery(UnitVersion.objects.at(day).filter(unit_id=OuterRef("pk")).values("name")[:1])
    return {r["pk"]: (r["then"] or r["name"], r["path"]) for r in
            Unit.objects.filter(pk__in=ids).annotate(then=then).values("pk", "name", "then",
                                                                          "path")}


def _children(p: Params) -> tuple[dict[tuple[int, int], tuple[int, str, str]], str]:
    """For each (year, unit of the subtree then): (child unit id, its name then, its path then) —
    the unit directly below the root it sits under, or the root itself (one query for the
    versions, one for the root's)."""
    paths = paths_by_year(p.subtree, p.years)
    if not paths:
        return {}, p.subtree.name
    q = Q(pk__in=[])
    for path, day in paths.values():
        q |= Q(path__startswith=path, valid_from__lte=day) & (
            Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    versions = list(UnitVersion.objects.filter(q).values("unit_id", "name", "path", "valid_from",
                                                         "valid_to"))
    out: dict[tuple[int, int], tuple[int, str, str]] = {}
    root_name = p.subtree.name
    for year, (root_path, day) in sorted(paths.items()):
        alive = [v for v in versions if v["path"].startswith(root_path)
                 and v["valid_from"] <= day and (v["valid_to"] is None or v["valid_to"] > day)]
        by_path = {v["path"]: v for v in alive}
        root = by_path.get(root_path)
        if root is not None:
            root_name = root["name"]
        width = len(root_path) + Unit.steplen
        for v in alive:
            top = by_path.get(v["path"][:width]) if len(v["path"]) >= width else None
            top = top or root or v
            out[(year, v["unit_id"])] = (top["unit_id"], top["name"], top["path"])
    return out, root_name


def statistics_table(p: Params) -> Table:
    """Run the report: the table of counts, its totals and the number of awards counted."""
    check_params(p)
    snapshot = catalogue.current()
    forms = snapshot.forms()
    deciders = _deciders(forms)
    order = {f.code: i for i, f in enumerate(forms)}
    names = {f.code: f.name for f in forms}
    families = {f.code: f.family for f in forms}
    dims = [d for d in (p.rows, p.columns) if d]
    groups = _groups(p, forms, by_home="child" in dims)
    last_day = dt.date(p.year_to, 12, 31)
    issuers = (_issuer_names({g["issuer_id"] for g in groups}, last_day)
               if "issuer" in dims and groups else {})
    children, root_name = _children(p) if "child" in dims and groups else ({}, p.subtree.name)

    def key_of(dim: str, g: dict[str, Any]) -> tuple[Any, str]:
        """(sort key, label) of a group along a dimension."""
        external = g["decision__external_issuer"]
        if dim == "issuer":
            if external:
                return (0, external), external
            name, path = issuers.get(g["issuer_id"], (str(g["issuer_id"]), ""))
            return (1, path), name
        if dim == "level":
            level = _level(g["issuer__type"], deciders.get(g["form"]), external)
            return LEVEL_ORDER.get(level, 99), LEVELS.get(level, level)
        if dim == "form":
            return (order.get(g["form"], len(order)), g["form"]), names.get(g["form"], g["form"])
        if dim == "family":
            fam = families.get(g["form"], "")
            return (0 if fam == "nha_nuoc" else 1 if fam == "cong_doan" else 2), FAMILIES.get(
                fam, "Hình thức khác")
        if dim == "year":
            return g["year"], str(g["year"])
        found = children.get((g["year"], g["home_unit_id"]))
        if found is None:
            return ("~",), "Không xác định"
        unit_id, name, path = found
        if unit_id == p.subtree.pk:
            return ("",), f"Trực tiếp {root_name}"
        return (path, unit_id), name

    sums: dict[tuple[Any, Any], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    row_labels: dict[Any, str] = {}
    col_labels: dict[Any, str] = {}
    awards = 0
    for g in groups:
        rk, rl = key_of(p.rows, g)
        row_labels.setdefault(rk, rl)
        ck: Any = None
        if p.columns:
            ck, cl = key_of(p.columns, g)
            col_labels.setdefault(ck, cl)
        cell = sums[(rk, ck)]
        cell["collectives"] += g["collectives"]
        cell["individuals"] += g["individuals"]
        cell["total"] += g["collectives"] + g["individuals"]
        cell["cash"] += int(g["cash"] or 0)
        awards += g["collectives"] + g["individuals"]
    values = list(p.values)
    col_keys: list[Any] = sorted(col_labels) if p.columns else [None]
    headers = [(col_labels[ck] if p.columns else "", VALUES[v]) for ck in col_keys for v in values]
    if p.columns:
        headers += [("Cộng", VALUES[v]) for v in values]
    table = Table(row_header=DIMENSIONS[p.rows], headers=headers, value_keys=values * (
        len(col_keys) + (1 if p.columns else 0)), awards=awards, as_of=vn_date(last_day))

    def cells(rks: list[Any]) -> list[int]:
        out = [sum(sums.get((rk, ck), {}).get(v, 0) for rk in rks) for ck in col_keys
               for v in values]
        if p.columns:
            out += [sum(sums.get((rk, ck), {}).get(v, 0) for rk in rks for ck in col_keys)
                    for v in values]
        return out

    for rk in sorted(row_labels):
        table.rows.append(Line(rk, row_labels[rk], cells([rk])))
    table.totals = cells(list(row_labels))
    return table


def params_of(report: Any) -> Params:
    """The parameters of a saved `StatisticsReport`."""
    return Params(subtree=report.subtree, year_from=report.year_from, year_to=report.year_to,
                  rows=report.rows, columns=report.columns, values=tuple(report.values),
                  issuer_levels=tuple(report.issuer_levels), issuer=report.issuer,
                  forms=tuple(report.forms), family=report.family, recipients=report.recipients)


def runnable_params(report: Any) -> Params:
    """The parameters of a saved report to run; refused when its subtree root has since left
    the unit's subtree (the report would count another branch's awards)."""
    if not report.subtree.path.startswith(report.unit.path):
        raise ApplicationError(f"«{report.subtree.name}» không còn trực thuộc «{report.unit.name}»;"
                               " hãy sửa điều kiện của báo cáo.", field="subtree")
    return params_of(report)


def describe(p: Params) -> list[tuple[str, str]]:
    """The parameters as (label, text) lines, for the page and the workbook."""
    names = dict(form_choices())
    years = (str(p.year_from) if p.year_from == p.year_to
             else f"{p.year_from}–{p.year_to}")
    return [
        ("Đơn vị", f"{p.subtree.name} và các đơn vị trực thuộc (theo cây tổ chức ngày 31/12 "
                   "của từng năm)"),
        ("Năm khen thưởng", years),
        ("Cấp khen thưởng", ", ".join(LEVELS.get(lv, lv) for lv in p.issuer_levels) or "Tất cả"),
        ("Đơn vị khen thưởng", p.issuer.name if p.issuer is not None else "Tất cả"),
        ("Loại hình thức", FAMILIES.get(p.family, "Tất cả")),
        ("Hình thức", "; ".join(names.get(c, c) for c in p.forms) or "Tất cả"),
        ("Đối tượng", RecipientKind(p.recipients).label if p.recipients in RecipientKind.values
         else p.recipients),
        ("Dòng theo", DIMENSIONS.get(p.rows, p.rows)),
        ("Cột theo", DIMENSIONS.get(p.columns, "Chỉ số liệu") if p.columns else "Chỉ số liệu"),
    ]
