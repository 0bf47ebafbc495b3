"""The figures of the year-end report (issue 11 §4): one plain dict per unit and year(s), read
through the other apps' selectors from the tree as it stood on 31/12 of the last year. The JSON
export prints it as is; `compose` turns it into prose; the dashboard reads the same selectors.

Keys: "unit" ({"code", "name"}), "year", "since", "years", "as_of", "units" (unit-type code ->
units of that type strictly below), "direct_units" (the same for the units directly below),
"workers", "members", "women" (workers who are women), "awards", "initiatives", "titles",
"movements", "level_names". "awards" lists {"issuer", "issuer_name", "form", "form_name",
"collectives", "individuals", "issuer_type", "issuer_below"}: `issuer` is the code of the
issuing unit (as `thidua awards list` prints it), not its level — the report names who gave the
award ("Công đoàn Viên chức Việt Nam"), and a level would merge two issuers of one level; the
pages and documents read those strictly below the unit grouped by type when they are many
(`grouped`: every CĐCS of a province gives its Giấy khen). Titles are those of the last year
(titles are yearly); awards, initiatives and movements cover every year from `since` to
`year`.

"party_introduced", "party_admitted": members introduced for, and admitted to, the Party over
the years covered. "welfare": {"occasions": [{"code", "name", "activities", "beneficiaries",
"amount"}], "total": {"activities", "beneficiaries", "amount"}} over the years covered, amounts
in đồng. "titles" also holds "GDVH" (families recognised "Gia đình văn hóa", over the workers:
not a title of the catalogue, recorded as `FamilyCultureTitle`) and the agency culture title
`CQ_VAN_HOA` over the grassroots unions. "actuals": measure code (measures.toml) -> {"actual",
and "done"/"of" for a percentage} for the last year, every measure, a target set or not. "targets": the targets in force for the last year, each
{"code", "name", "kind", "comparison", "target" (a number, [from, to] for a range), "actual",
"done"/"of" (percentages), "met", "inherited_from"} (`reports.actuals`); "next_targets": those of
the year after, without the actual, when any is set. The composer leaves out the sentence of
any figure that is absent or zero."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from thidua.evaluation.figures import ANY_WORKER_TITLE
from thidua.evaluation.selectors import title_counts
from thidua.honours.selectors_lists import award_counts
from thidua.initiatives.selectors import initiative_counts, initiative_year_sums
from thidua.movements.selectors_coverage import movement_coverage
from thidua.org.models import Unit, UnitVersion
from thidua.org.selectors import ancestors_at, child_types_at, kept_subtree, version_at
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date
from thidua.platform.years import check_year
from thidua.reports.actuals import (
    AGENCY_CULTURE_TITLE,
    FAMILY_TITLE,
    GRASSROOTS,
    actuals_json,
    measure_actuals,
    next_targets,
    targets_with_actuals,
)
from thidua.reports.compose import NAMED_ISSUERS_MAX
from thidua.reports.selectors import family_title_counts, party_counts, welfare_counts
from thidua.rules.titles import by_code

#: the longest span one report may cover (a congress term is five years)
MAX_SPAN = 5


def report_years(year: object, since: object = None) -> list[int]:
    """The years a report covers, checked: `since` .. `year`, at most MAX_SPAN of them."""
    last = check_year(year, what="Năm báo cáo")
    first = last if since is None else check_year(since, what="Năm bắt đầu", field="since")
    if first > last:
        raise ApplicationError(f"Năm bắt đầu ({first}) không được sau năm báo cáo ({last}).",
                               field="since")
    if last - first + 1 > MAX_SPAN:
        raise ApplicationError(f"Một báo cáo gồm tối đa {MAX_SPAN} năm.", field="since")
    return list(range(first, last + 1))


def year_figures(unit: Unit, year: int | str, since: int | str | None = None, *,
                 grouped: bool = False) -> dict[str, Any]:
    """The figures of `unit`'s subtree for `since`..`year` (see the module's note for the keys).
    A fixed number of queries whatever the size of the subtree. `grouped` (what people read:
    the pages, the prose, the .docx): the award rows of the issuers below the unit come
    grouped by type when a type has more than `NAMED_ISSUERS_MAX` of them
    (`award_counts(group_over=…)`; `compose.award_groups` names the groups); the exports that
    keep every issuer (JSON, spreadsheets) leave it off."""
    years = report_years(year, since)
    last = years[-1]
    day = dt.date(last, 12, 31)
    version = version_at(unit, day)
    if version is None:
        raise ApplicationError(_not_alive(unit, day), field="unit")
    kept = kept_subtree(unit_path=version.path, day=day)
    units, roster = kept.units_below(), kept.people
    direct = child_types_at(version, day)
    subtree = UnitVersion.objects.at(day).subtree(version.path).values("unit_id")
    held = title_counts(unit_id=unit.pk, year=last)
    party = party_counts(unit, years[0], last)
    families, women_families = family_title_counts(unit, last)
    actuals = measure_actuals(unit, last, units=units, roster=roster, titles=held,
                              party=party.by_year.get(last, (0, 0)), families=families)
    titles: dict[str, dict[str, Any]] = dict(_titles(units, roster, {
        code: n for code, n in held.items() if code != ANY_WORKER_TITLE}))
    if families:
        titles[FAMILY_TITLE] = {"count": families, "of": roster["workers"],
                                "women": {"count": women_families, "of": roster["women"]}}
    out = {
        "unit": {"code": unit.code, "name": version.name},
        "year": last,
        "since": years[0],
        "years": years,
        "as_of": day.isoformat(),
        "units": dict(sorted(units.items())),
        "direct_units": dict(sorted(direct.items())),
        "workers": roster["workers"],
        "members": roster["members"],
        "women": roster["women"],
        "awards": award_counts(unit_ids=subtree, years=years, day=day, root=unit.pk,
                               within=version.path,
                               group_over=NAMED_ISSUERS_MAX if grouped else None),
        "initiatives": _initiatives(unit, years, subtree),
        "level_names": level_names([*ancestors_at(version, day), version]),
        "titles": titles,
        "movements": movement_coverage(issuer=unit, years=years),
        "party_introduced": party.introduced,
        "party_admitted": party.admitted,
        "welfare": _welfare(unit, years),
        "actuals": actuals_json(actuals),
        "targets": targets_with_actuals(unit, last, actuals),
    }
    upcoming = next_targets(unit, last)
    if upcoming:
        out["next_targets"] = upcoming
    return out


def _not_alive(unit: Unit, day: dt.date) -> str:
    """Why there is no report: the unit had ended (say since when, and which year-end is the
    last one it can report on), or was not yet set up."""
    if unit.valid_to is not None and unit.valid_to <= day:
        last_end = unit.valid_to.year - 1
        earlier = (f" Báo cáo được lập đến năm {last_end}, theo cây tổ chức ngày 31/12/{last_end}."
                   if last_end >= unit.valid_from.year else "")
        return (f"Đơn vị «{unit.name}» đã kết thúc hoạt động từ ngày {vn_date(unit.valid_to)}; "
                f"không có số liệu để báo cáo năm {day.year}.{earlier}")
    return (f"Đơn vị «{unit.name}» không hoạt động vào ngày {vn_date(day)}; "
            f"không có số liệu để báo cáo năm {day.year}.")


#: the words of a unit's name that say which local level it is, by the level it stands for
_PLACE = {"tinh": re.compile(r"\b(Thành phố|thành phố|tỉnh|Tỉnh)\b"),
          "huyen": re.compile(r"\b(quận|Quận|huyện|Huyện|thị xã|Thị xã)\b")}
_LEVEL_OF_TYPE = {"ldld_tinh": "tinh", "cap_tren_co_so": "huyen"}


def level_names(chain: list[UnitVersion]) -> dict[str, str]:
    """Initiative level code -> the level as this unit's own tree names it: under "Liên đoàn Lao
    động Thành phố Hà Nội" and "Liên đoàn Lao động quận Hai Bà Trưng" the provincial level is
    "cấp Thành phố" and the district level "cấp quận", as the Hai Bà Trưng article writes
    ("89 sáng kiến, sáng tạo cấp Thành phố và cấp quận"). A level whose unit's name says nothing
    (a sectoral union, "Công đoàn Viên chức thành phố" which is not a district) keeps the
    generic label."""
    out: dict[str, str] = {}
    for version in chain:
        level = _LEVEL_OF_TYPE.get(version.unit.type)
        found = _PLACE[level].search(version.name) if level else None
        if level and found and level not in out:
            out[level] = f"cấp {found.group(1)}"
    return out


def _welfare(unit: Unit, years: list[int]) -> dict[str, Any]:
    counts = welfare_counts(unit, years[0], years[-1])
    return {
        "occasions": [{"code": code, "name": name, **dataclasses.asdict(figure)}
                      for code, name, figure in counts.occasions()],
        "total": dataclasses.asdict(counts.total),
    }


def _initiatives(unit: Unit, years: list[int], subtree: Any) -> dict[str, int]:
    """Recognised initiatives by level code, "total" (each initiative once, whatever the number of
    levels that recognised it) and "proposed_for_awards" (those put forward in an award dossier).
    An initiative belongs to the subtree its unit was in on 31/12 of the last year: for one
    year, the unit's kept subtree sums (ADR 0036); over several, counted from the records (the
    sums of each year follow that year's tree)."""
    if len(years) == 1:
        by_level, total, proposed = initiative_year_sums(unit=unit, year=years[0])
    else:
        counts = initiative_counts(unit=unit, years=years, unit_ids=subtree, children=False)
        by_level, total, proposed = (counts.by_level, counts.recognized,
                                     counts.used_for_commendation)
    out = {level: n for level, n in by_level.items() if n}
    out["total"] = total
    out["proposed_for_awards"] = proposed
    return out


def _titles(units: dict[str, int], roster: dict[str, int], counts: dict[str, int]) -> dict[str, dict[str, int]]:
    """Title code -> {"count", "of"}: an individual title over the workers (the women for a title
    meant for women, GVNDVN), a collective one over the units below of the types that may hold
    it, the agency culture title over the grassroots unions (an agency is represented by its
    CĐCS). Titles nobody holds are left out; the others in the catalogue's order."""
    catalogue = by_code()
    out: dict[str, dict[str, int]] = {}
    order = {code: i for i, code in enumerate(catalogue)}
    for code, n in sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        title = catalogue.get(code)
        if title is None or title.individual:
            of = roster["women"] if title is not None and title.gender == "nu" else roster["workers"]
        else:
            types = (GRASSROOTS if code == AGENCY_CULTURE_TITLE
                     else title.unit_types or tuple(units))
            of = sum(units.get(t, 0) for t in types)
        out[code] = {"count": n, "of": of}
    return out
