"""The bridge to the rules engine (src/thidua/rules, no Django inside): facts dicts in, plain
JSON-ready outcomes out, so they can be stored with a result and shown as "vì sao"."""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import multiprocessing
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from thidua.evaluation.models import TitleCode
from thidua.rules import engine
from thidua.rules.facts import TITLES
from thidua.rules.ruleset import Override, RuleSetError, get_ruleset, list_rulesets

Overrides = Mapping[str, Override] | None


def _reason_dict(r: Any) -> dict[str, Any]:
    """`text` is fit for documents; `note` (working notes) and `confidence` are for officers'
    screens only."""
    return {"rule_id": r.rule_id, "text": r.text_vi, "source": r.source,
            "confidence": r.confidence, "passed": bool(r.passed), "note": r.note}


def evaluation_dict(evaluation: Any) -> dict[str, Any]:
    """An engine Evaluation as {"year", "rule_set", "titles": {code: {eligible, held,
    reasons, missing, grade}}, "priority"}; reasons as {"rule_id", "text", "source",
    "confidence", "passed", "note"}; `held` (tạm hoãn xét) is neither eligible nor refused;
    `priority` the reason a woman or a collective with enough women goes first on equal merit
    (None when none applies)."""
    return {
        "year": evaluation.year,
        "rule_set": evaluation.rule_set,
        "titles": {code: {"eligible": bool(o.eligible), "held": bool(o.held),
                          "reasons": [_reason_dict(r) for r in o.reasons],
                          "missing": list(o.missing), "grade": o.grade}
                   for code, o in evaluation.titles.items()},
        "priority": (_reason_dict(evaluation.priority)
                     if evaluation.priority is not None else None),
    }


def evaluate_person(facts: dict[str, Any], ruleset: Any = None, *,
                    overrides: Overrides = None) -> dict[str, Any]:
    return evaluation_dict(engine.evaluate(facts, ruleset, overrides=overrides))


def evaluate_people(facts: dict[int, dict[str, Any]], ruleset: Any = None, *,
                    overrides: Overrides = None) -> dict[int, dict[str, Any]]:
    """`overrides`: the issuer's settings (`services.settings.overrides_for(unit, year)`),
    replacing the rule sets' defaults of the parameters each body may set."""
    keys = list(facts)
    results = engine.evaluate_many([facts[k] for k in keys], ruleset, overrides=overrides)
    return {k: evaluation_dict(e) for k, e in zip(keys, results, strict=True)}


def _judge_batch(task: tuple[dict[int, dict[str, Any]], Overrides]) -> dict[int, dict[str, Any]]:
    facts, overrides = task
    return evaluate_people(facts, overrides=overrides)


def evaluate_people_batches(batches: Iterable[dict[int, dict[str, Any]]], *,
                            overrides: Overrides = None, workers: int = 1,
                            ) -> Iterator[tuple[dict[int, dict[str, Any]],
                                                dict[int, dict[str, Any]]]]:
    """(facts, outcomes) of each batch of people's facts, in order. With `workers` > 1 the
    engine runs in that many forked processes while this one reads the next batches (at most
    `workers` + 1 batches in memory at once), so a whole year uses every core and its memory
    stays that of a few batches. Pure computation in the workers: no database there."""
    if workers <= 1:
        for facts in batches:
            yield facts, evaluate_people(facts, overrides=overrides)
        return
    ctx = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        waiting: collections.deque[tuple[dict[int, dict[str, Any]], Any]] = collections.deque()
        for facts in batches:
            waiting.append((facts, pool.submit(_judge_batch, (facts, overrides))))
            if len(waiting) > workers:
                done, future = waiting.popleft()
                yield done, future.result()
        while waiting:
            done, future = waiting.popleft()
            yield done, future.result()


def evaluate_units(facts: dict[int, dict[str, Any]], ruleset: Any = None, *,
                   overrides: Overrides = None) -> dict[int, dict[str, Any]]:
    return evaluate_people(facts, ruleset, overrides=overrides)


def lookback(year: int) -> int:
    """Years before `year` the rules in force may read (streaks, initiatives)."""
    return engine.lookback_years(year=year)


def quota_limit(title: str, base_count: int, year: int) -> int | None:
    return engine.quota_limit(title, base_count, year=year)


@functools.lru_cache(maxsize=1)
def title_labels() -> dict[str, str]:
    """Vietnamese names of the title codes, from the engine's vocabulary and rule sets."""
    labels = {code: name for code, (name, _short) in TITLES.items()}
    for rs in list_rulesets():
        for code, spec in rs.titles.items():
            labels.setdefault(code, spec.name)
    for c in TitleCode:
        labels.setdefault(c.value, c.label)
    return labels


def rule_set_text(ids: str) -> str:
    """"luat-2022-nd98-2023+tld-1689-2019" as their titles, for people to read."""
    parts = []
    for rid in [p.strip() for p in ids.replace(",", "+").split("+") if p.strip()]:
        try:
            parts.append(get_ruleset(rid).title)
        except RuleSetError:
            parts.append(rid)
    return "; ".join(dict.fromkeys(parts))


def title_order() -> Any:
    """An ORDER BY expression putting titles in the engine's order (LĐTT before CSTĐ…)."""
    from django.db.models import Case, IntegerField, Value, When

    labels = list(title_labels())
    return Case(*[When(title=code, then=Value(i)) for i, code in enumerate(labels)],
                default=Value(len(labels)), output_field=IntegerField())
