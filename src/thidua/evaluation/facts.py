"""The facts builder: what the database knows about people and units, in the shape the rules
engine reads (FACTS.json of issue 3 §4), then the engine's answer as plain data.

A whole unit is read with a fixed handful of queries (people, ratings, titles, initiatives,
discipline, employments, registrations), whatever its size; IN lists are cut in chunks on
SQLite, whose statements take at most 999 parameters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from thidua.evaluation.engine import lookback
from thidua.evaluation.models import (
    RATING_RANK,
    Discipline,
    Grading,
    PendingMatter,
    Rating,
    RatingCode,
    RecognizedInitiative,
    TitleResult,
    UnitRating,
    year_end,
)
from thidua.movements.selectors import registered_titles, unit_registered_titles
from thidua.org.models import Unit, UnitEvent, UnitEventKind, alive_at
from thidua.people.models import Employment, Membership, Person
from thidua.rules.ruleset import RuleSetError

# How far back the history goes at least: the longest streak rule known (CSTĐ toàn quốc under
# QĐ 1689 Art. 26: 6 consecutive CSTĐ cơ sở) plus the year itself; more if the rules ask.
HISTORY_YEARS = 7

Registrations = Callable[..., dict[tuple[int, int], set[str]]]


def history_start(year: int) -> int:
    """The first year whose facts are read: as far back as the rules in force look."""
    try:
        back = lookback(year)
    except RuleSetError:  # no rule set for that year: nothing will judge it anyway
        back = 0
    return year - max(back, HISTORY_YEARS - 1)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    size = 20_000 if connection.vendor == "postgresql" else 900
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _default_registrations(*, person_ids: list[int], years: list[int]
                           ) -> dict[tuple[int, int], set[str]]:
    return registered_titles(person_ids=person_ids, years=years)


def _default_unit_registrations(*, unit_ids: list[int], years: list[int]
                                ) -> dict[tuple[int, int], set[str]]:
    return unit_registered_titles(unit_ids=unit_ids, years=years)


def _default_initiatives(*, person_ids: list[int], years: list[int]
                         ) -> dict[int, list[dict[str, Any]]]:
    """Initiatives recognised in the initiatives app (issue 4), when it is installed."""
    from django.apps import apps

    if not apps.is_installed("thidua.initiatives"):
        return {}
    # lazy, not a cycle: initiatives is an optional app; importing its models when it is not
    # installed would fail
    from thidua.initiatives.selectors import recognized_initiatives

    return recognized_initiatives(person_ids=person_ids, years=years)


LEVEL_RANK = {"co_so": 0, "tinh": 1, "toan_quoc": 2}


def service_months_in(periods: Iterable[tuple[dt.date, dt.date | None]], year: int) -> int:
    """Months worked in `year` from employment periods [from, to): days covered, scaled to 12."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    days = 0
    covered: list[tuple[dt.date, dt.date]] = []
    for a, b in periods:
        lo, hi = max(a, start), min(b or end, end)
        if lo < hi:
            covered.append((lo, hi))
    covered.sort()
    last = start
    for lo, hi in covered:  # overlapping periods (a move on the same day) count once
        lo = max(lo, last)
        if lo < hi:
            days += (hi - lo).days
            last = hi
    return min(12, round(days * 12 / (end - start).days))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def build_person_facts(
    *, person_ids: Iterable[int], year: int, registrations: Registrations | None = None,
    initiatives: Callable[..., dict[int, list[dict[str, Any]]]] | None = None,
) -> dict[int, dict[str, Any]]:
    """Facts of each person for `year` as a FACTS.json dict (year keys as text). Initiatives
    are those recognised in the initiatives app and the stand-in records of this app."""
    ids = sorted(set(person_ids))
    first = history_start(year)
    years = list(range(first, year + 1))
    facts: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        for pk, gender, birth in Person.objects.filter(pk__in=chunk).order_by("pk").values_list(
                "pk", "gender", "birth_date"):
            facts[pk] = {
                "year": year,
                "person": {"gender": gender, "birth_date": _iso(birth), "member": False},
                "ratings": {}, "registered": {}, "titles": {}, "initiatives": [],
                "discipline": [], "absence_days": {}, "service_months": {},
                "maternity_days": {}, "pending": [], "family": {},
            }
    found = sorted(facts)
    stored_months: dict[int, int] = {}
    for chunk in _chunks(found):
        for pid, y, code, absent, maternity, months, family in (
                Rating.objects.filter(person_id__in=chunk, year__gte=first, year__lte=year)
                .order_by("year")
                .values_list("person_id", "year", "code", "absence_days", "maternity_days",
                             "service_months", "family_ok")):
            f = facts[pid]
            key = str(y)
            if family is not None:
                f["family"][key] = family
            if code:
                f["ratings"][key] = code
            # the engine counts maternity leave inside the days absent, then discounts it
            f["absence_days"][key] = absent + maternity
            f["maternity_days"][key] = maternity
            if months is not None:
                f["service_months"][key] = months
                if y == year:
                    stored_months[pid] = months
        for pid, y, title in (
                TitleResult.objects.filter(person_id__in=chunk, year__gte=first, year__lt=year,
                                           revoked=False)
                .order_by("year", "title").values_list("person_id", "year", "title")):
            facts[pid]["titles"].setdefault(str(y), []).append(title)
        for pid, y, level in (
                RecognizedInitiative.objects.filter(person_id__in=chunk, year__lte=year)
                .order_by("year", "level", "id").values_list("person_id", "year", "level")):
            facts[pid]["initiatives"].append({"year": y, "level": level})
        for pid, form, start, end in (
                Discipline.objects.filter(person_id__in=chunk, valid_from__lte=dt.date(year, 12, 31))
                .order_by("valid_from", "id").values_list("person_id", "form", "valid_from",
                                                         "valid_to")):
            facts[pid]["discipline"].append({"form": form, "from": _iso(start), "to": _iso(end)})
        # matters under way today hold the review until they end (NĐ 152/2025 Điều 4 khoản 4)
        today = timezone.localdate()
        for pid, kind, start in (
                PendingMatter.objects.filter(person_id__in=chunk, valid_from__lte=today)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
                .order_by("valid_from", "id").values_list("person_id", "kind", "valid_from")):
            facts[pid]["pending"].append({"kind": kind, "from": _iso(start)})
        for pid in (Membership.objects.filter(alive_at(year_end(year)), person_id__in=chunk)
                    .values_list("person_id", flat=True)):
            facts[pid]["person"]["member"] = True
        # months of service this year, unless the officer entered them
        periods: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for pid, start, end in (
                Employment.objects.filter(person_id__in=chunk, valid_from__lte=dt.date(year, 12, 31))
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=dt.date(year, 1, 1)))
                .values_list("person_id", "valid_from", "valid_to")):
            periods[pid].append((start, end))
        for pid in chunk:
            if pid not in stored_months:
                facts[pid]["service_months"][str(year)] = service_months_in(periods[pid], year)
    registered = (registrations or _default_registrations)(person_ids=found, years=years)
    for (pid, y), codes in registered.items():
        if pid in facts and first <= y <= year:
            facts[pid]["registered"][str(y)] = sorted(codes)
    recognised = (initiatives or _default_initiatives)(
        person_ids=found, years=list(range(min(first, 1990), year + 1)))
    for pid, items in recognised.items():
        if pid in facts:
            merged = facts[pid]["initiatives"] + [
                {"year": int(i["year"]), "level": i["level"]} for i in items
                if int(i["year"]) <= year]
            merged.sort(key=lambda i: (i["year"], LEVEL_RANK.get(i["level"], 9)))
            facts[pid]["initiatives"] = merged
    return facts


DISCIPLINE_RANK = {"khien_trach": 1, "canh_cao": 2, "ha_bac_luong": 3, "giang_chuc": 4,
                   "cach_chuc": 5, "buoc_thoi_viec": 6, "sa_thai": 6}


def roster_summary(facts: dict[int, dict[str, Any]], outcomes: dict[int, dict[str, Any]],
                   year: int, decided: dict[int, set[str]] | None = None) -> dict[str, Any]:
    """The `roster` of a unit's facts from its people's facts: how many, how many completed
    their tasks (HTNV or better), how many reach LĐTT and CSTĐ cơ sở (the titles already
    decided for the year, else the engine's answer), and per discipline form the people whose
    heaviest discipline in effect during the year is that form."""
    key = str(year)
    start, end = dt.date(year, 1, 1).isoformat(), dt.date(year + 1, 1, 1).isoformat()
    completed = ldtt = cstdcs = women = 0
    disciplined: dict[str, int] = {}
    for pid, f in facts.items():
        code = f["ratings"].get(key)
        if code and RATING_RANK[RatingCode(code)] >= RATING_RANK[RatingCode.HTNV]:
            completed += 1
        titles = (decided or {}).get(pid)
        if titles is None:
            titles = {c for c, o in outcomes.get(pid, {}).get("titles", {}).items()
                      if o.get("eligible")}
        women += f["person"]["gender"] == "nu"
        ldtt += "LDTT" in titles
        cstdcs += "CSTDCS" in titles
        forms = [d["form"] for d in f["discipline"]
                 if d["from"] < end and (d["to"] is None or d["to"] > start)]
        if forms:
            heaviest = max(forms, key=lambda x: DISCIPLINE_RANK.get(x, 0))
            disciplined[heaviest] = disciplined.get(heaviest, 0) + 1
    return {"members": len(facts), "ldtt": ldtt, "cstdcs": cstdcs, "completed_tasks": completed,
            "women": women, "disciplined": dict(sorted(disciplined.items()))}


def _months_between(start: dt.date, end: dt.date) -> int:
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + (end.day >= start.day)


def build_unit_facts(
    *, unit_ids: Iterable[int], year: int,
    rosters: dict[int, dict[str, Any]] | None = None,
    registrations: Registrations | None = None,
) -> dict[int, dict[str, Any]]:
    """Facts of each unit for `year` (the engine's unit FACTS.json): code and type, months of
    operation by the year's end and whether it came from a merger or split, its ratings,
    registrations and earlier collective titles, the grading points per criterion code, and
    `rosters[unit_id]` (see `roster_summary`) when given."""
    ids = sorted(set(unit_ids))
    first = history_start(year)
    years = list(range(first, year + 1))
    day = year_end(year)
    facts: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        for uid, code, type_, valid_from in Unit.objects.filter(pk__in=chunk).values_list(
                "pk", "code", "type", "valid_from"):
            facts[uid] = {
                "kind": "unit", "year": year,
                "unit": {"code": code, "type": type_,
                         "operating_months": _months_between(valid_from, day),
                         "reorganised": False},
                "ratings": {}, "registered": {}, "titles": {}, "grading": {},
                "roster": (rosters or {}).get(uid, {}),
            }
    found = sorted(facts)
    for chunk in _chunks(found):
        for uid in (UnitEvent.objects.filter(units_after__in=chunk, date__lte=day,
                                             kind__in=[UnitEventKind.MERGE, UnitEventKind.SPLIT])
                    .values_list("units_after", flat=True)):
            if uid in facts:
                facts[uid]["unit"]["reorganised"] = True
        for uid, y, code in (UnitRating.objects.filter(unit_id__in=chunk, year__gte=first,
                                                       year__lte=year)
                             .values_list("unit_id", "year", "code")):
            facts[uid]["ratings"][str(y)] = code
        for uid, y, title in (
                TitleResult.objects.filter(subject_unit_id__in=chunk, year__gte=first,
                                           year__lt=year, revoked=False)
                .order_by("year", "title").values_list("subject_unit_id", "year", "title")):
            facts[uid]["titles"].setdefault(str(y), []).append(title)
        for uid, code, points in (
                Grading.objects.filter(unit_id__in=chunk, year=year)
                .values_list("unit_id", "answers__criterion__code", "answers__points")):
            if code:
                grading = facts[uid]["grading"]
                grading[code] = grading.get(code, 0.0) + float(points)
    registered = (registrations or _default_unit_registrations)(unit_ids=found, years=years)
    for (uid, y), codes in registered.items():
        if uid in facts and first <= y <= year:
            facts[uid]["registered"][str(y)] = sorted(codes)
    return facts
