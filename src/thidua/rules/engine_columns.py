"""Person-years judged column by column (`Compiled.evaluate_people`): each title's outcomes for
a whole batch by dictionary lookups on its rules' keys, the situations not seen before decided
together, rule by rule, and each row's answer built from the titles' columns.

Split from `engine.py`; it reads the engine's compiled titles and creates no outcome itself
(`_Title.decide_all` does).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import compress, repeat
from operator import itemgetter, setitem
from typing import TYPE_CHECKING, Any

from thidua.rules.checks import Check, derived

if TYPE_CHECKING:
    from thidua.rules.engine import Compiled, Outcome, _Title
    from thidua.rules.facts import Facts

_passed = itemgetter(0)
_grade = itemgetter(1)


def judge_columns(c: Compiled, facts: Sequence[Facts], years: list[int], genders: list[str],
                  cols: list[list[Any]], todo: list[int],
                  answers: list[dict[str, Outcome] | None], limit: int) -> None:
    """Every title's outcome for the rows `todo`, title by title, into `answers`."""
    if len(todo) < len(facts):
        facts = [facts[i] for i in todo]
        years = [years[i] for i in todo]
        genders = [genders[i] for i in todo]
        cols = [[col[i] for i in todo] for col in cols]
    results: dict[str, list[Outcome | None]] = {}
    skips: list[tuple[str, set[int]]] = []
    index = c.person_part_index
    nothing = [None] * len(years)
    distinct_years, distinct_genders = set(years), set(genders)
    rows_at = range(len(years))

    def part(check: Check) -> list[Any]:
        return cols[index[check.part_id]]

    def outcome(code: str) -> list[Any]:
        return results.get(code) or nothing

    for t in c.person:
        skip = {y for y in distinct_years if not t.spec.applies_in(y)}
        wrong = {g for g in distinct_genders if t.gender and g and g != t.gender}
        skipped: set[int] = set()
        if skip:
            skipped.update(compress(rows_at, map(skip.__contains__, years)))
        if wrong:
            skipped.update(compress(rows_at, map(wrong.__contains__, genders)))
        if skipped:
            skips.append((t.code, skipped))
        rule_keys = [check.key_column(part, outcome) for check in t.checks]
        if all(k is not None for k in rule_keys):
            results[t.code] = by_rule_keys(t, years, rule_keys, skipped, limit)  # type: ignore[arg-type]
            continue
        outcomes = [results[d] for d in t.dep_codes]
        deps: list[list[Any]] = list(outcomes)
        for i in t.dep_met:
            deps[i] = [o is not None and o.eligible for o in deps[i]]
        keys = list(zip(years, *[cols[i] if of is None else derived(cols[i], of)
                                 for i, of in t.part_idx], *deps, strict=True))
        get = t.by_parts.get
        found: list[Outcome | None] = list(map(get, keys))
        for i in skipped:
            found[i] = None
        for i in [i for i, o in enumerate(found) if o is None]:
            if i in skipped:
                continue
            fast = keys[i]
            o = get(fast)  # decided earlier in this batch
            if o is None:
                outs = {d: dep[i] for d, dep in zip(t.dep_codes, outcomes, strict=True)
                        if dep[i] is not None}
                o = t.answer_miss(fast, facts[i], years[i], outs)  # type: ignore[arg-type]
            found[i] = o
        results[t.code] = found
    # each row's answer a dict of its own: copies of one made to size (a dict grown key by key
    # is resized on the way), filled title by title without a step per row in Python
    rows: list[dict[str, Outcome | None]] = list(map(dict.copy, repeat(dict.fromkeys(results),
                                                                       len(years))))
    for code, found in results.items():
        deque(map(setitem, rows, repeat(code), found), maxlen=0)
    # a title that does not apply to a row (its years, the other gender) is not in its answer
    for code, skipped in skips:
        for i in skipped:
            del rows[i][code]
    if len(todo) == len(answers):
        answers[:] = rows  # type: ignore[assignment]
    else:
        for i, answer in zip(todo, rows, strict=True):
            answers[i] = answer  # type: ignore[assignment]


def by_rule_keys(t: _Title, years: list[int], rule_keys: list[list[Any]], skipped: set[int],
                 limit: int) -> list[Outcome | None]:
    """A title's outcomes found by its rules' keys, read as columns: the same keys as the
    reference path's, so the same cache. The keys not found are decided together, each once."""
    keys = list(zip(years, *rule_keys, strict=True))
    cache = t.cache
    found: list[Outcome | None] = list(map(cache.get, keys))
    for i in skipped:
        found[i] = None
    missing = [i for i, o in enumerate(found) if o is None]
    if skipped:
        missing = [i for i in missing if i not in skipped]
    if not missing:
        return found
    fresh = list(dict.fromkeys(map(keys.__getitem__, missing)))
    made = dict(zip(fresh, t.decide_all(fresh), strict=True))
    for i, o in zip(missing, map(made.__getitem__, map(keys.__getitem__, missing)), strict=True):
        found[i] = o
    if len(cache) + len(made) > limit:
        cache.clear()
    cache.update(made)
    return found


def decisions(t: _Title, keys: list[tuple[Any, ...]], limit: int
              ) -> tuple[list[bool], list[str | None]]:
    """(eligible, grade) of each of a title's keys (year, then one key per rule), from its
    rules' decisions, each cached by (year, rule key): every rule's decisions read as a column,
    the texts left to be written when read."""
    if not keys:
        return [], []
    years = [k[0] for k in keys]
    passed: list[list[bool]] = []
    grades: list[list[str | None]] = []
    for rule, column in zip(t.rules, list(zip(*keys, strict=True))[1:], strict=True):
        table = rule.decisions
        pairs = list(zip(years, column, strict=True))
        found: list[Any] = list(map(table.get, pairs))
        missing = [i for i, d in enumerate(found) if d is None]
        if missing:
            made = {}
            for y, k in dict.fromkeys(map(pairs.__getitem__, missing)):
                if rule.decides:
                    made[y, k] = rule.check.decide(k, y)
                else:
                    reason, _lacking, grade = t._verdict(rule, k, y, t._capped(y))
                    made[y, k] = (reason.passed, grade)
            for i, d in zip(missing, map(made.__getitem__, map(pairs.__getitem__, missing)),
                            strict=True):
                found[i] = d
            if len(table) + len(made) > limit:
                table.clear()
            table.update(made)
        passed.append(list(map(_passed, found)))
        graded = list(map(_grade, found))
        if graded.count(None) < len(graded):
            grades.append(graded)
    eligible = list(map(all, zip(*passed, strict=True))) if passed else [True] * len(keys)
    if not grades:
        return eligible, [None] * len(keys)
    # the last rule that gives a grade gives the title's
    return eligible, [next((g for g in reversed(row) if g is not None), None)
                      for row in zip(*grades, strict=True)]
