"""Titles decided by the rules: the engine's answer for a unit's roster and its direct children,
quotas cut in a stated order, and titles decided outside the system brought in."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction

from thidua.audit.services import audit_record
from thidua.evaluation import facts as facts_mod
from thidua.evaluation import permissions
from thidua.evaluation.engine import (
    evaluate_people_batches,
    evaluate_units,
    quota_limit,
    title_labels,
)
from thidua.evaluation.figures import results_bulk_create
from thidua.evaluation.issuer_settings import overrides_for
from thidua.evaluation.models import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    RATING_RANK,
    DecidedBy,
    RatingCode,
    TitleResult,
    year_end,
)
from thidua.evaluation.selectors import (
    locks_below,
    roster_units,
    year_roster,
    year_version,
)
from thidua.evaluation.services.common import (
    by,
    check_eval_year,
    ensure_open,
    locked_message,
)
from thidua.org.models import Unit, UnitVersion
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date, vn_number
from thidua.rules.engine import compiled_for
from thidua.rules.ruleset import RuleSetError

Registrations = facts_mod.Registrations


# People judged at once in a whole roster's run: memory holds a few such batches, whatever the
# roster's size (a CĐCS fits in one; a federation's year streams through).
BATCH = 2000


def roster_pages(unit: Unit, year: int, *, size: int | None = None) -> Iterator[list[int]]:
    """The ids of the people on the unit's roster on 31/12, in pages by keyset on the id."""
    size = size or BATCH
    ids = (year_roster(unit, year).order_by("person_id")
           .values_list("person_id", flat=True).distinct())
    last = 0
    while True:
        page = list(ids.filter(person_id__gt=last)[:size])
        if not page:
            return
        yield page
        last = page[-1]


def evaluate_roster_batches(unit: Unit, year: int, *,
                            registrations: Registrations | None = None,
                            workers: int | None = None,
                            ) -> Iterator[tuple[dict[int, dict[str, Any]],
                                                dict[int, dict[str, Any]]]]:
    """Facts and outcomes of the roster on 31/12, one batch of `BATCH` people at a time; the
    engine runs on `workers` processes (default: the setting THIDUA_ENGINE_WORKERS, 1) when
    the roster spans several batches."""
    pages = roster_pages(unit, year)
    first = next(pages, None)
    if first is None:
        return
    second = next(pages, None)
    if second is None:  # one batch: no process worth starting
        workers = 1
    elif workers is None:
        workers = int(getattr(settings, "THIDUA_ENGINE_WORKERS", 1))

    def facts_batches() -> Iterator[dict[int, dict[str, Any]]]:
        for page in itertools.chain([first], [second] if second else [], pages):
            yield facts_mod.build_person_facts(person_ids=page, year=year,
                                               registrations=registrations)

    yield from evaluate_people_batches(facts_batches(), overrides=overrides_for(unit, year),
                                       workers=workers)


def evaluate_roster(unit: Unit, year: int, *, registrations: Registrations | None = None
                    ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Facts and the engine's outcome for everyone on the unit's roster on 31/12, all at once
    (a review's list needs them together; a whole year's run streams instead)."""
    facts: dict[int, dict[str, Any]] = {}
    outcomes: dict[int, dict[str, Any]] = {}
    for f, o in evaluate_roster_batches(unit, year, registrations=registrations):
        facts.update(f)
        outcomes.update(o)
    return facts, outcomes


def evaluate_child_units(unit: Unit, year: int, *, person_facts: dict[int, dict[str, Any]],
                         person_outcomes: dict[int, dict[str, Any]],
                         registrations: Registrations | None = None,
                         ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Facts and outcomes of the unit's direct children (collective titles), each summarised
    from the people of its subtree on 31/12 (already evaluated by the caller)."""
    day = year_end(year)
    version = year_version(unit, year)
    children = list(UnitVersion.objects.at(day).children_of(version)
                    .values_list("unit_id", "path"))
    if not children:
        return {}, {}
    homes = roster_units(unit, year)
    paths = dict(UnitVersion.objects.at(day).filter(unit_id__in=set(homes.values()))
                 .values_list("unit_id", "path"))
    decided: dict[int, set[str]] = {}
    for pid, title in TitleResult.objects.filter(person_id__in=list(homes), year=year,
                                                 revoked=False).values_list("person_id", "title"):
        decided.setdefault(pid, set()).add(title)
    rosters: dict[int, dict[str, Any]] = {}
    for uid, path in children:
        ids = [pid for pid, home in homes.items() if paths.get(home, "").startswith(path)]
        rosters[uid] = facts_mod.roster_summary(
            {p: person_facts[p] for p in ids if p in person_facts},
            {p: person_outcomes[p] for p in ids if p in person_outcomes}, year,
            {p: decided[p] for p in ids if p in decided} if decided else None)
    unit_facts = facts_mod.build_unit_facts(unit_ids=[u for u, _ in children], year=year,
                                            rosters=rosters, registrations=registrations)
    return unit_facts, evaluate_units(unit_facts, overrides=overrides_for(unit, year))


def quota_order(facts: dict[str, Any], year: int, pid: int,
                outcome: dict[str, Any] | None = None) -> tuple[Any, ...]:
    """Who goes first when a quota cuts a list: the better rating, more recognised initiatives
    that year, then those with priority on equal merit (the engine's `priority`: women, NĐ
    152/2025 Điều 4 khoản 6; before that a setting, default on), then the oldest record.
    Without the engine's answer, a woman has priority."""
    code = facts["ratings"].get(str(year))
    rank = RATING_RANK[RatingCode(code)] if code else -1
    initiatives = sum(1 for i in facts["initiatives"] if i["year"] == year)
    if outcome is not None:
        first = outcome.get("priority") is not None
    else:
        first = facts["person"]["gender"] == "nu"
    return (-rank, -initiatives, not first, pid)


def apply_quotas(eligible: dict[str, list[int]], facts: dict[int, dict[str, Any]], year: int,
                 held: dict[str, int] | None = None,
                 outcomes: dict[int, dict[str, Any]] | None = None, *,
                 counts: dict[str, int] | None = None) -> dict[str, list[int]]:
    """Cut each title's list to the rule set's quota (e.g. CSTĐ cơ sở ≤ 15 % of the LĐTT under
    NĐ 91/2017), keeping the first by `quota_order`; returns what was cut, by title. A base
    title absent from `eligible` is counted from `counts` (a streamed run keeps no list of
    the titles without a quota)."""
    cut: dict[str, list[int]] = {}
    for title, ids in eligible.items():
        try:
            base_title = quota_base(title, year)
        except RuleSetError:
            continue
        if base_title is None:
            continue
        listed = (len(eligible[base_title]) if base_title in eligible
                  else (counts or {}).get(base_title, 0))
        base = listed + (held or {}).get(base_title, 0)
        limit = quota_limit(title, base, year)
        taken = (held or {}).get(title, 0)
        if limit is None or len(ids) + taken <= limit:
            continue
        ordered = sorted(ids, key=lambda p: quota_order(facts[p], year, p,
                                                        (outcomes or {}).get(p)))
        keep = max(0, limit - taken)
        eligible[title], cut[title] = ordered[:keep], ordered[keep:]
    return cut


def quota_base(title: str, year: int) -> str | None:
    spec = compiled_for(None, year).by_code.get(title)
    return spec.spec.quota.of if spec is not None and spec.spec.quota is not None else None


@transaction.atomic
def results_from_engine(*, actor: Actor, unit: Unit, year: int,
                        titles: Iterable[str] = INDIVIDUAL_TITLES,
                        registrations: Registrations | None = None,
                        workers: int | None = None) -> int:
    """Store, as decided by the rules, the titles the engine grants to people of the roster
    (where no result of that title exists yet), a title with a quota cut to it. Returns how
    many were stored. The roster streams through in batches (see `evaluate_roster_batches`):
    titles without a quota are written batch by batch; only the people eligible for a title
    with a quota are kept, with their facts, until the cut."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    below = locks_below(unit, year)
    if below:
        raise ApplicationError(locked_message(below[0]), field="year")
    wanted = set(titles)
    quota_titles = {t for t in wanted if _has_quota(t, year)}
    held: dict[str, int] = {}
    counts: dict[str, int] = {}
    waiting: dict[str, list[int]] = {}  # title with a quota -> eligible people, engine order
    kept_facts: dict[int, dict[str, Any]] = {}
    kept_outcomes: dict[int, dict[str, Any]] = {}
    stored = 0
    for facts, outcomes in evaluate_roster_batches(unit, year, registrations=registrations,
                                                   workers=workers):
        held_pairs = set(TitleResult.objects.filter(person_id__in=list(outcomes), year=year,
                                                    revoked=False)
                         .values_list("person_id", "title"))
        for _, t in held_pairs:
            held[t] = held.get(t, 0) + 1
        rows = []
        for pid, outcome in outcomes.items():
            for code, o in outcome["titles"].items():
                if code not in wanted or not o["eligible"] or (pid, code) in held_pairs:
                    continue
                counts[code] = counts.get(code, 0) + 1
                if code in quota_titles:
                    waiting.setdefault(code, []).append(pid)
                    kept_facts[pid], kept_outcomes[pid] = facts[pid], outcome
                else:
                    rows.append(_engine_row(actor, unit, year, pid, code, outcome))
        results_bulk_create(rows)
        stored += len(rows)
    cut = apply_quotas(waiting, kept_facts, year, held, kept_outcomes, counts=counts)
    rows = [_engine_row(actor, unit, year, pid, code, kept_outcomes[pid])
            for code, ids in waiting.items() for pid in ids]
    results_bulk_create(rows)
    stored += len(rows)
    for code, ids in cut.items():
        counts[code] -= len(ids)
    audit_record(actor=actor, action="title.engine", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, after={"year": year, "counts": counts,
                                         "cut_by_quota": {t: len(v) for t, v in cut.items()}})
    return stored


def _has_quota(title: str, year: int) -> bool:
    try:
        return quota_base(title, year) is not None
    except RuleSetError:
        return False


def _engine_row(actor: Actor, unit: Unit, year: int, pid: int, code: str,
                outcome: dict[str, Any]) -> TitleResult:
    return TitleResult(person_id=pid, year=year, title=code, unit=unit, how=DecidedBy.ENGINE,
                       reasons=outcome["titles"][code]["reasons"],
                       rule_set=outcome["rule_set"], created_by=by(actor))


@transaction.atomic
def unit_results_from_engine(*, actor: Actor, unit: Unit, year: int,
                             registrations: Registrations | None = None,
                             unit_registrations: Registrations | None = None) -> int:
    """Store the collective titles (TTLĐTT, TTLĐXS) the engine grants to the unit's direct
    children, from their ratings and their people's results. Returns how many were stored."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    person_facts, outcomes = evaluate_roster(unit, year, registrations=registrations)
    _, unit_outcomes = evaluate_child_units(unit, year, person_facts=person_facts,
                                            person_outcomes=outcomes,
                                            registrations=unit_registrations)
    held = set(TitleResult.objects.filter(subject_unit_id__in=list(unit_outcomes), year=year,
                                          revoked=False).values_list("subject_unit_id", "title"))
    rows = []
    for uid, outcome in unit_outcomes.items():
        for code, o in outcome["titles"].items():
            if code in COLLECTIVE_TITLES and o["eligible"] and (uid, code) not in held:
                rows.append(TitleResult(subject_unit_id=uid, year=year, title=code, unit=unit,
                                        how=DecidedBy.ENGINE, reasons=o["reasons"],
                                        rule_set=outcome["rule_set"],
                                        created_by=by(actor)))
    results_bulk_create(rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.title] = counts.get(r.title, 0) + 1
    audit_record(actor=actor, action="title.engine_units", object_type="unit",
                 object_id=unit.code, unit_id=unit.pk, after={"year": year, "counts": counts})
    return len(rows)


@transaction.atomic
def results_import(*, actor: Actor, unit: Unit, year: int, title: str, person_ids: list[int],
                   how: str = DecidedBy.IMPORTED, note: str = "") -> int:
    """Titles decided outside this system (earlier years' records, a council on paper), for
    people on the unit's roster on 31/12 of `year`. Already held titles are left alone."""
    permissions.require_entry(actor, unit)
    check_eval_year(year)
    ensure_open(unit, year)
    if how not in (DecidedBy.IMPORTED, DecidedBy.COUNCIL):
        raise ApplicationError("Chỉ nhập được kết quả từ dữ liệu cũ hoặc của Hội đồng.")
    if title not in title_labels() or title in COLLECTIVE_TITLES:
        raise ApplicationError("Danh hiệu cá nhân không có trong danh mục.", field="title")
    homes = roster_units(unit, year)
    outside = [p for p in person_ids if p not in homes]
    if outside:
        raise ApplicationError(f"Có {vn_number(len(outside))} người không thuộc danh sách của "
                               f"«{unit.name}» ngày {vn_date(year_end(year))}.", field="person")
    held = set(TitleResult.objects.filter(person_id__in=person_ids, year=year, title=title,
                                          revoked=False).values_list("person_id", flat=True))
    rows = [TitleResult(person_id=p, year=year, title=title, unit=unit, how=how,
                        note=clean_spaces(note)[:255],
                        created_by=by(actor))
            for p in sorted(set(person_ids)) if p not in held]
    results_bulk_create(rows)
    audit_record(actor=actor, action="title.import", object_type="unit", object_id=unit.code,
                 unit_id=unit.pk, after={"year": year, "title": title, "how": how,
                                         "count": len(rows), "note": note})
    return len(rows)
