"""The rules engine: judges a person-year or a unit-year against rule sets.

    evaluate(facts, ruleset=None) -> Evaluation
    evaluate_many(list_of_facts, ruleset=None) -> list[Evaluation]

`facts` is a `Facts`, a `UnitFacts` or a FACTS.json dictionary; `ruleset` is None (the rule
sets in force on 31/12 of the judged year: the state law's, then the union's), an id, ids
joined by "+" (the first one's titles win), or a `RuleSet`. Every outcome lists its reasons,
each naming its rule, its source and its confidence; `missing` says what is lacking.

Rule sets are compiled once (cached by id). An evaluation depends only on the few facts its
rules read (this year's rating, registrations, absence…, the streak years): those facts are the
key of a cache of whole answers, and each title's outcome is cached by its own rules' keys.
Many person-years are judged column by column (`Compiled.evaluate_people`, `engine_columns`):
each fact read once per person into a list, each title's outcomes found by its rules' keys for
all of them, and only the situations not seen before decided, together. An outcome's reasons
and what is missing (the Vietnamese texts) are written the first time they are read, exactly as
`LAZY = False` writes them at once: a year-end run stores texts only for what it shows or keeps.
Outcomes and reasons are immutable and may be shared between evaluations.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any

from thidua.rules.checks import Check, compile_check
from thidua.rules.engine_columns import decisions, judge_columns
from thidua.rules.facts import PENDING_KINDS, Facts, UnitFacts, facts_from_dict, title_short
from thidua.rules.gcpause import gc_paused
from thidua.rules.ruleset import (
    CONFIDENCE_RANK,
    Override,
    RuleSet,
    RuleSetError,
    TitleSpec,
    judged_on,
    resolve,
    with_settings,
)

#: False: every outcome keyed by its rules' own keys and its reasons written at once (the
#: reference the tests compare the lazy path with)
LAZY = True
CACHE_LIMIT = 100_000  # outcomes kept per title before that cache starts afresh
ANSWER_CACHE_LIMIT = 200_000  # whole answers kept per compiled rule set
ANSWER_PROBES = 20_000  # person-years looked up before judging whether that cache pays
#: Below this share of hits the whole-answer cache costs more than it saves: the titles' own
#: caches already make a seen situation cheap, and the answer's key, its copy and its memory
#: come on top. Measured (bench_rules.py data, 1 process): 53 % hits 25,3 µs a person-year
#: against 17,4 µs without the cache; 62 % hits (1 M person-years) 28,9 against 19,1 µs; from
#: 73 % hits on, the cache gained 4–25 %.
ANSWER_HIT_RATE = 0.7

@dataclass(frozen=True, slots=True)
class Reason:
    """One rule's verdict. `text_vi` is fit for official output (minutes, decisions): it never
    carries working notes nor confidence marks; `source` names the text and article; `note`
    holds the working notes ("Giả định: …", "chưa đối chiếu …", how a clause was read) and
    `confidence` the mark C/L/G — for officers on screen, never for documents."""

    rule_id: str
    text_vi: str
    source: str
    confidence: str  # C | L | G
    passed: bool
    note: str = ""

    def render(self) -> str:
        """One line naming the verdict, the rule and its source (with the confidence mark: for
        the command line and the officers' screens, not for documents)."""
        mark = "Đạt" if self.passed else "Chưa đạt"
        return f"{mark}: {self.text_vi} [{self.rule_id} — {self.source}; {self.confidence}]"

    def to_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "text": self.text_vi, "source": self.source,
                "confidence": self.confidence, "passed": self.passed, "note": self.note}


class Outcome:
    """One title's answer. `eligible`, `held` and `grade` are decided at once; `reasons` and
    `missing` (the Vietnamese texts) are written the first time they are read: a year-end run
    stores them only for the titles granted, and most answers are only counted. Immutable
    once written."""

    __slots__ = ("eligible", "grade", "held", "_reasons", "_missing", "_write")

    eligible: bool
    grade: str | None  # the band of a grading title (e.g. "vung_manh", "HTTNV")
    # Held (tạm hoãn xét): a matter under way holds the review until it ends (NĐ 152/2025
    # Điều 4 khoản 4): neither eligible nor refused; `missing` starts with "Tạm hoãn xét: …".
    held: bool

    def __init__(self, eligible: bool, reasons: tuple[Reason, ...] | None = None,
                 missing: tuple[str, ...] | None = None, grade: str | None = None,
                 held: bool = False, *,
                 write: Callable[[], tuple[tuple[Reason, ...], tuple[str, ...]]] | None = None):
        """Either `reasons` and `missing` (what is lacking, in Vietnamese; empty when eligible)
        or `write`, which returns them when first asked."""
        self.eligible = eligible
        self.grade = grade
        self.held = held
        self._reasons = reasons
        self._missing = missing
        self._write = write if reasons is None else None

    def _written(self) -> tuple[tuple[Reason, ...], tuple[str, ...]]:
        if self._reasons is None or self._missing is None:
            assert self._write is not None
            self._reasons, self._missing = self._write()
            self._write = None
        return self._reasons, self._missing

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self._written()[0]

    @property
    def missing(self) -> tuple[str, ...]:
        """What is lacking, in Vietnamese; empty when eligible."""
        return self._written()[1]

    def __reduce__(self) -> tuple[Any, ...]:
        # sent between processes written out: the writer holds the compiled rule set
        return (Outcome, (self.eligible, self.reasons, self.missing, self.grade, self.held))

    def __repr__(self) -> str:
        return (f"Outcome(eligible={self.eligible!r}, reasons={self.reasons!r}, "
                f"missing={self.missing!r}, grade={self.grade!r}, held={self.held!r})")

    def to_dict(self, name: str = "", details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if name:
            out["name"] = name
        out["eligible"] = self.eligible
        out["held"] = self.held
        if self.grade is not None:
            out["grade"] = self.grade
        out["reasons"] = [r.render() for r in self.reasons]
        out["missing"] = list(self.missing)
        if details:
            out["details"] = [r.to_dict() for r in self.reasons]
        return out


@dataclass(slots=True)
class Evaluation:
    year: int
    rule_set: str  # the ids that judged it, joined by "+"
    titles: dict[str, Outcome]
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    # Priority where achievements are equal (NĐ 152/2025 Điều 4 khoản 6): a woman, a
    # collective with enough women; None when none applies. Callers order ties by it.
    priority: Reason | None = None

    def eligible(self) -> list[str]:
        return [code for code, o in self.titles.items() if o.eligible]

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        out = {"year": self.year, "rule_set": self.rule_set,
               "titles": {code: o.to_dict(self.names.get(code, ""), details)
                          for code, o in self.titles.items()}}
        if self.priority is not None:
            out["priority"] = self.priority.to_dict()
        return out


class _Rule:
    __slots__ = ("spec", "check", "origin", "verdicts", "decisions", "decides")

    def __init__(self, spec: Any, check: Check, origin: RuleSet):
        self.spec = spec
        self.check = check
        self.origin = origin
        # (year, key) -> (reason, missing, grade): a rule's verdict is shared by every title
        # outcome whose other rules differ (people are mostly distinct as a whole, rarely rule
        # by rule)
        self.verdicts: dict[Any, tuple[Reason, tuple[str, ...], str | None]] = {}
        # (year, key) -> (passed, grade): what the lazy path needs; from the check's own
        # `decide` when it has one (checks whose keys are many), else from the verdict
        self.decisions: dict[Any, tuple[bool, str | None]] = {}
        self.decides = type(check).decide is not Check.decide


class _Title:
    """A title compiled from its rule set: its checks, and outcomes cached by their keys."""

    def __init__(self, spec: TitleSpec, origin: RuleSet, defined: frozenset[str]):
        self.spec = spec
        self.code = spec.code
        self.origin = origin
        subject = "person" if spec.subject == "ca_nhan" else "unit"
        self.rules = [_Rule(r, compile_check(r, origin, defined, subject), origin)
                      for r in spec.rules]
        self.checks = [r.check for r in self.rules]
        self.deps = {d for c in self.checks for d in c.deps}
        self.dep_codes = tuple(sorted(self.deps))
        whole = {d for c in self.checks for d in c.whole_deps()}
        # the deps read only as met or not: keyed so, not by their outcome objects
        self.dep_met = tuple(i for i, d in enumerate(self.dep_codes) if d not in whole)
        # positions of the parts its rules read in the evaluation's parts (set by Compiled)
        self.part_idx: tuple[tuple[int, Callable[[Any], Any] | None], ...] = ()
        self.lookback = max((c.lookback for c in self.checks), default=0)
        self.gender = spec.gender
        self.unit_types = frozenset(spec.unit_types)
        self.cache: dict[Any, Outcome] = {}
        self.by_parts: dict[Any, Outcome] = {}
        self.quota_reason: Reason | None = None
        if spec.quota is not None:
            q = spec.quota
            self.quota_reason = Reason(
                f"{spec.code}.chi_tieu",
                f"Chỉ tiêu: số người đạt {spec.short} của đơn vị không vượt quá {q.percent:g}% "
                f"số người đạt {_short(origin, q.of)}; áp dụng khi bình xét cả đơn vị.",
                q.source, q.confidence, True, q.note)

    def answer(self, parts: Sequence[Any], f: Any, y: int, outs: Mapping[str, Outcome]
               ) -> Outcome:
        """The outcome, found by the parts of the facts its rules read (computed once per
        evaluation for all titles) and the outcomes of the titles it reads; decided on a miss,
        its reasons written only when read."""
        deps: list[Any] = [outs.get(d) for d in self.dep_codes]
        for i in self.dep_met:
            deps[i] = deps[i] is not None and deps[i].eligible
        fast = (y, *[parts[i] if of is None else of(parts[i]) for i, of in self.part_idx], *deps)
        found = self.by_parts.get(fast)
        if found is None:
            found = self.answer_miss(fast, f, y, outs)
        return found

    def answer_miss(self, fast: tuple[Any, ...], f: Any, y: int, outs: Mapping[str, Outcome]
                    ) -> Outcome:
        # parts are finer than the rules' keys: one outcome object per rules' key, so that the
        # titles reading this one find it again
        key = (y, *[c.key(f, y, outs) for c in self.checks])
        found = self.cache.get(key)
        if found is None:
            found = self.decide(key, y)
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            self.cache[key] = found
        if len(self.by_parts) >= CACHE_LIMIT:
            self.by_parts.clear()
        self.by_parts[fast] = found
        return found

    def decide(self, key: tuple[Any, ...], y: int) -> Outcome:
        """Eligible and grade from the rules' decisions (each cached by its own key); the texts
        are left to `write`, which gives exactly those of `build`."""
        return self.decide_all([key])[0]

    def decide_all(self, keys: list[tuple[Any, ...]]) -> list[Outcome]:
        """`decide` of many keys (year first), their rules' decisions read as columns."""
        write = self._write
        return [Outcome(eligible, grade=grade, write=functools.partial(write, key, key[0]))
                for eligible, grade, key in zip(*decisions(self, keys, CACHE_LIMIT), keys,
                                                strict=True)]

    def _write(self, key: tuple[Any, ...], y: int) -> tuple[tuple[Reason, ...], tuple[str, ...]]:
        built = self.build(key, y)
        return built.reasons, built.missing

    def outcome(self, f: Any, y: int, outs: Mapping[str, Outcome]) -> Outcome:
        """The reference path (`LAZY = False`): keyed by the rules' own keys, written at once."""
        key = (y, *[c.key(f, y, outs) for c in self.checks])
        found = self.cache.get(key)
        if found is None:
            found = self.build(key, y)
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            self.cache[key] = found
        return found

    def _capped(self, y: int) -> bool:
        unverified = self.origin.unverified
        return unverified is not None and judged_on(y) >= unverified.since

    def _verdict(self, rule: _Rule, k: Any, y: int, capped: bool
                 ) -> tuple[Reason, tuple[str, ...], str | None]:
        found = rule.verdicts.get((y, k))
        if found is None:
            verdict = rule.check.judge(k, y)
            source, confidence, note = rule.spec.source, rule.spec.confidence, rule.spec.note
            if capped:
                unverified = self.origin.unverified
                assert unverified is not None
                note = " ".join(filter(None, (note, f"Chưa đối chiếu {unverified.by}.")))
                if CONFIDENCE_RANK[unverified.confidence] < CONFIDENCE_RANK[confidence]:
                    confidence = unverified.confidence
            found = (Reason(rule.spec.id, verdict.text, source, confidence, verdict.passed,
                            note), verdict.missing, verdict.grade)
            if len(rule.verdicts) >= CACHE_LIMIT:
                rule.verdicts.clear()
            rule.verdicts[(y, k)] = found
        return found

    def build(self, key: tuple[Any, ...], y: int) -> Outcome:
        capped = self._capped(y)
        reasons = []
        missing: list[str] = []
        grade = None
        for rule, k in zip(self.rules, key[1:], strict=True):
            reason, lacking, verdict_grade = self._verdict(rule, k, y, capped)
            reasons.append(reason)
            if not reason.passed:
                missing.extend(m for m in lacking if m not in missing)
            if verdict_grade is not None:
                grade = verdict_grade
        # The quota line only for whoever meets the title's standard: it limits how many of
        # them may receive it, and says nothing to the others.
        if self.quota_reason is not None and all(r.passed for r in reasons):
            reasons.append(self.quota_reason)
        eligible = all(r.passed for r in reasons)
        return Outcome(eligible, tuple(reasons), () if eligible else tuple(missing), grade)


def _short(rs: RuleSet, code: str) -> str:
    spec = rs.titles.get(code)
    return spec.short if spec is not None else title_short(code)


def _order(titles: list[_Title]) -> list[_Title]:
    """Titles after the titles they read (LĐTT before CSTĐCS before CSTĐ tỉnh…)."""
    by_code = {t.code: t for t in titles}
    done: dict[str, _Title] = {}
    visiting: set[str] = set()

    def visit(t: _Title) -> None:
        if t.code in done:
            return
        if t.code in visiting:
            raise RuleSetError(f"{t.origin.path}: danh hiệu {t.code} phụ thuộc vòng tròn.")
        visiting.add(t.code)
        for d in sorted(t.deps):
            if d in by_code:
                visit(by_code[d])
        visiting.discard(t.code)
        done[t.code] = t

    for t in titles:
        visit(t)
    return list(done.values())


class Compiled:
    """One or more rule sets compiled together (the first one's titles win on a shared code)."""

    def __init__(self, rulesets: Sequence[RuleSet]):
        self.rulesets = tuple(rulesets)
        self.id = "+".join(rs.id for rs in rulesets)
        chosen: dict[str, tuple[TitleSpec, RuleSet]] = {}
        for rs in rulesets:
            for code, spec in rs.titles.items():
                chosen.setdefault(code, (spec, rs))
        defined = {s: frozenset(c for c, (t, _) in chosen.items() if t.subject == s)
                   for s in ("ca_nhan", "tap_the")}
        compiled = [_Title(spec, rs, defined[spec.subject]) for spec, rs in chosen.values()]
        self.person = _order([t for t in compiled if t.spec.subject == "ca_nhan"])
        self.unit = _order([t for t in compiled if t.spec.subject == "tap_the"])
        self.names = {t.code: t.spec.name for t in compiled}
        self.by_code = {t.code: t for t in compiled}
        self.lookback = max((t.lookback for t in compiled), default=0)
        self.person_part_index: dict[Any, int] = {}
        self.person_parts = self._parts(self.person)
        self.unit_parts = self._parts(self.unit)
        self.person_columns = self._columns(self.person)
        self.woman_priority: Reason | None = None
        self.person_answers: dict[Any, dict[str, Outcome]] = {}
        self.unit_answers: dict[Any, dict[str, Outcome]] = {}
        self.hold = _param(self.rulesets, "hold_pending_matters")
        self.priority = _param(self.rulesets, "priority_women_percent")
        self.held_answers: dict[Any, dict[str, Outcome]] = {}
        # the whole-answer cache is kept while it pays: one in five person-years found there
        self.use_answers = True
        self.probes = self.hits = 0

    def _answers_do_not_pay(self) -> bool:
        return self.probes >= ANSWER_PROBES and self.hits < ANSWER_HIT_RATE * self.probes

    def _parts(self, titles: list[_Title]) -> list[Any]:
        """One reader per distinct part of the facts the titles' rules read; each title learns
        where its own parts are."""
        found: dict[Any, Any] = {}
        for t in titles:
            for c in t.checks:
                for p in c.parts():
                    if p.part_id not in found:
                        found[p.part_id] = p.reader()
        index = {part_id: i for i, part_id in enumerate(found)}
        if titles and titles[0].spec.subject == "ca_nhan":
            self.person_part_index = index
        for t in titles:
            sources: dict[tuple[int, Callable[[Any], Any] | None], None] = {}
            for c in t.checks:
                for p in c.parts():
                    # the check's key where it is coarser than the part (one registration
                    # matched, not all of them): fewer distinct situations
                    sources.setdefault((index[p.part_id], p.key_of_part), None)
            t.part_idx = tuple(sources)
        return list(found.values())

    @staticmethod
    def _columns(titles: list[_Title]) -> list[Any]:
        """`Check.column` of each distinct part, in the order of `_parts`."""
        found: dict[Any, Any] = {}
        for t in titles:
            for c in t.checks:
                for p in c.parts():
                    found.setdefault(p.part_id, p.column)
        return list(found.values())

    def evaluate(self, f: Facts | UnitFacts) -> Evaluation:
        y = f.year
        if f.kind == "person" and LAZY:
            return self.evaluate_people([f])[0]  # type: ignore[list-item]
        if f.kind == "person":
            gender = f.person.gender  # type: ignore[union-attr]
            key: Any = None
            outs = None
            if self.use_answers and ANSWER_CACHE_LIMIT:
                key = (y, gender, *[part(f, y) for part in self.person_parts])
                outs = self.person_answers.get(key)
                self.probes += 1
                if outs is not None:
                    self.hits += 1
                elif self._answers_do_not_pay():
                    self.use_answers = False
                    self.person_answers.clear()
            if outs is None:
                outs = {}
                for t in self.person:
                    if t.gender and gender and gender != t.gender:
                        continue
                    if not t.spec.applies_in(y):
                        continue
                    outs[t.code] = t.outcome(f, y, outs)
                if key is not None and self.use_answers:
                    _store(self.person_answers, key, outs)
            pending = (tuple(sorted({m.kind for m in f.pending if m.open}))  # type: ignore[union-attr]
                       if f.pending else ())  # type: ignore[union-attr]
            if pending and self.hold is not None and self.hold.value:
                outs = self._held(key, outs, pending)
            priority = self._priority_person(gender)
        else:
            unit_type = f.unit_type  # type: ignore[union-attr]
            parts = [part(f, y) for part in self.unit_parts]
            key = (y, unit_type, *parts)
            outs = self.unit_answers.get(key)
            if outs is None:
                outs = {}
                for t in self.unit:
                    if t.unit_types and unit_type and unit_type not in t.unit_types:
                        continue
                    if not t.spec.applies_in(y):
                        continue
                    outs[t.code] = (t.answer(parts, f, y, outs) if LAZY
                                    else t.outcome(f, y, outs))
                _store(self.unit_answers, key, outs)
            priority = self._priority_unit(f.roster)  # type: ignore[union-attr]
        return Evaluation(y, self.id, dict(outs), self.names, priority)

    def evaluate_people(self, facts: Sequence[Facts]) -> list[Evaluation]:
        """Person-years judged column by column: each part of the facts read once per person,
        then each title's outcomes for all of them by dictionary lookups on those parts; only
        situations not seen before are decided, and no text is written until read."""
        years = [f.year for f in facts]
        genders = [f.person.gender for f in facts]
        cols = [column(facts) for column in self.person_columns]
        answers: list[dict[str, Outcome] | None] = [None] * len(facts)
        keys: list[Any] = [None] * len(facts)
        todo: list[int] = []
        copies: list[tuple[int, int]] = []
        if self.use_answers and ANSWER_CACHE_LIMIT:
            first: dict[Any, int] = {}
            for i, key in enumerate(zip(years, genders, *cols, strict=True)):
                if not self.use_answers:
                    todo.append(i)
                    continue
                keys[i] = key
                self.probes += 1
                found = self.person_answers.get(key)
                if found is None and key in first:
                    copies.append((i, first[key]))  # seen earlier in this batch
                    self.hits += 1
                    continue
                if found is not None:
                    self.hits += 1
                    answers[i] = found
                    continue
                if self._answers_do_not_pay():
                    self.use_answers = False
                    self.person_answers.clear()
                first[key] = i
                todo.append(i)
        else:
            todo = list(range(len(facts)))
        if todo:
            judge_columns(self, facts, years, genders, cols, todo, answers, CACHE_LIMIT)
            if self.use_answers:
                for i in todo:
                    if keys[i] is not None:
                        _store(self.person_answers, keys[i], answers[i])  # type: ignore[arg-type]
        for i, j in copies:
            answers[i] = answers[j]
        # a copy of what the caches share (the answer cache's, one answer for several rows, the
        # held answers); the answers judged for this call alone are its own
        if copies or keys.count(None) < len(keys):
            answers = [dict(o) for o in answers]  # type: ignore[arg-type]
        if self.hold is not None and self.hold.value:
            for i in [i for i, f in enumerate(facts) if f.pending]:
                pending = tuple(sorted({m.kind for m in facts[i].pending if m.open}))
                if pending:
                    answers[i] = dict(self._held(keys[i], answers[i], pending))  # type: ignore[arg-type]
        priority = {"nu": self._priority_person("nu")}.get
        return list(map(Evaluation, years, repeat(self.id), answers,  # type: ignore[arg-type]
                        repeat(self.names), map(priority, genders)))

    def _held(self, key: Any, outs: dict[str, Outcome], kinds: tuple[str, ...]
              ) -> dict[str, Outcome]:
        """Every title held while a matter is under way: the rules' reasons kept, the hold
        first in what is missing."""
        found = self.held_answers.get((key, kinds)) if key is not None else None
        if found is not None:
            return found
        hold = self.hold
        assert hold is not None
        what = "; ".join(PENDING_KINDS[k] for k in kinds)
        line = f"Tạm hoãn xét: đang {what}; xét lại khi kết thúc."
        reason = Reason("TAM_HOAN", f"Đang {what}: tạm hoãn xét cho đến khi kết thúc.",
                        hold.source, hold.confidence, False, hold.note)
        found = {code: Outcome(False, grade=o.grade, held=True,
                               write=functools.partial(_held_texts, o, reason, line))
                 for code, o in outs.items()}
        if key is not None:
            _store(self.held_answers, (key, kinds), found)
        return found

    def _priority_person(self, gender: str) -> Reason | None:
        p = self.priority
        if p is None or not p.value or gender != "nu":
            return None
        if self.woman_priority is None:
            self.woman_priority = Reason(
                "UU_TIEN", "Lao động nữ: được ưu tiên khi thành tích như nhau.", p.source,
                p.confidence, True, p.note)
        return self.woman_priority

    def _priority_unit(self, roster: Any) -> Reason | None:
        p = self.priority
        if p is None or not p.value or not roster.members:
            return None
        need = float(p.value)
        if roster.women * 100 < need * roster.members:
            return None
        share = _percent(roster.women, roster.members)
        return Reason("UU_TIEN", f"Tập thể có {roster.women}/{roster.members} = {share} là nữ "
                                 f"(từ {need:g}%): được ưu tiên khi thành tích như nhau.",
                      p.source, p.confidence, True, p.note)


def _held_texts(o: Outcome, reason: Reason, line: str
                ) -> tuple[tuple[Reason, ...], tuple[str, ...]]:
    return (*o.reasons, reason), (line, *o.missing)


def _param(rulesets: Sequence[RuleSet], name: str) -> Any:
    """The first of the rule sets (state law first) that states parameter `name`."""
    return next((rs.params[name] for rs in rulesets if name in rs.params), None)


def _percent(part: int, whole: int) -> str:
    value = round(part * 100 / whole, 1)
    return (f"{value:g}".replace(".", ",")) + "%"


def _store(cache: dict[Any, dict[str, Outcome]], key: Any, outs: dict[str, Outcome]) -> None:
    if len(cache) >= ANSWER_CACHE_LIMIT:
        cache.clear()
    cache[key] = outs


@functools.lru_cache(maxsize=64)
def compile_rulesets(rulesets: tuple[RuleSet, ...]) -> Compiled:
    """Compile (once per process) the given rule sets together."""
    return Compiled(rulesets)


Overrides = Mapping[str, Override] | None


def compiled_for(ruleset: str | RuleSet | None, year: int,
                 overrides: Overrides = None) -> Compiled:
    """The rule sets judging `year`, compiled; `overrides` (an issuer's settings, by parameter
    name) replace the defaults of the parameters marked `setting = true`."""
    sets = resolve(ruleset, year)
    if overrides:
        sets = tuple(with_settings(rs, overrides) for rs in sets)
    return compile_rulesets(sets)


def clear_caches() -> None:
    compile_rulesets.cache_clear()


def _as_facts(facts: Facts | UnitFacts | Mapping[str, Any]) -> tuple[Facts | UnitFacts, Any]:
    if isinstance(facts, Facts | UnitFacts):
        return facts, None
    return facts_from_dict(facts), facts.get("rule_set")


def evaluate(facts: Facts | UnitFacts | Mapping[str, Any],
             ruleset: str | RuleSet | None = None, *, overrides: Overrides = None
             ) -> Evaluation:
    """Judge one person-year or unit-year. A FACTS.json dictionary may name its own
    `rule_set`; the argument wins. `overrides` are the issuer's settings (see
    `ruleset.with_settings`). Raises FactsError or RuleSetError (Vietnamese messages)."""
    f, named = _as_facts(facts)
    return compiled_for(ruleset if ruleset is not None else named, f.year,
                        overrides).evaluate(f)


def evaluate_many(facts: Iterable[Facts | UnitFacts | Mapping[str, Any]],
                  ruleset: str | RuleSet | None = None, *, overrides: Overrides = None
                  ) -> list[Evaluation]:
    """Judge many person-years or unit-years (any mix of years), in order, all with the same
    issuer's `overrides`."""
    with gc_paused():
        return _evaluate_many(facts, ruleset, overrides)


def _evaluate_many(facts: Iterable[Facts | UnitFacts | Mapping[str, Any]],
                   ruleset: str | RuleSet | None, overrides: Overrides) -> list[Evaluation]:
    if LAZY and type(facts) is list and all(type(f) is Facts for f in facts):
        return _evaluate_people(facts, ruleset, overrides)
    by_year: dict[int, Compiled] = {}
    out: list[Evaluation | None] = []
    append = out.append
    # person-years gathered per compiled rule set and judged column by column
    people: dict[int, tuple[Compiled, list[int], list[Facts]]] = {}
    for item in facts:
        if type(item) is Facts or isinstance(item, Facts | UnitFacts):
            f, named = item, None
        else:
            f, named = _as_facts(item)
        if named is not None and ruleset is None:
            append(compiled_for(named, f.year, overrides).evaluate(f))
            continue
        compiled = by_year.get(f.year)
        if compiled is None:
            compiled = by_year[f.year] = compiled_for(ruleset, f.year, overrides)
        if LAZY and type(f) is Facts:
            group = people.get(id(compiled))
            if group is None:
                group = people[id(compiled)] = (compiled, [], [])
            group[1].append(len(out))
            group[2].append(f)
            append(None)
        else:
            append(compiled.evaluate(f))
    for compiled, places, group_facts in people.values():
        for i, e in zip(places, compiled.evaluate_people(group_facts), strict=True):
            out[i] = e
    return out  # type: ignore[return-value]


def _evaluate_people(facts: list[Facts], ruleset: str | RuleSet | None,
                     overrides: Overrides) -> list[Evaluation]:
    """Person-years only (the bulk case): grouped by compiled rule set with a comprehension
    per group (not a step per row), each group judged column by column."""
    years = [f.year for f in facts]
    compiled = {y: compiled_for(ruleset, y, overrides) for y in set(years)}
    by_id: dict[int, tuple[Compiled, set[int]]] = {}
    for y, c in compiled.items():
        by_id.setdefault(id(c), (c, set()))[1].add(y)
    if len(by_id) == 1:
        only, _years = next(iter(by_id.values()))
        return only.evaluate_people(facts)
    out: list[Evaluation] = [None] * len(facts)  # type: ignore[list-item]
    for c, group_years in by_id.values():
        where = list(compress(range(len(years)), map(group_years.__contains__, years)))
        deque(map(out.__setitem__, where, c.evaluate_people(list(map(facts.__getitem__, where)))),
              maxlen=0)
    return out


def quota_limit(title: str, base_count: int, *, year: int,
                ruleset: str | RuleSet | None = None) -> int | None:
    """How many people of a unit may receive `title` when `base_count` of them hold the quota's
    base title (e.g. CSTĐCS ≤ 15 % of the LĐTT under NĐ 91/2017, rounded down); None when the
    rule set sets no quota for that title."""
    compiled = compiled_for(ruleset, year)
    t = compiled.by_code.get(title)
    if t is None or t.spec.quota is None:
        return None
    return math.floor(t.spec.quota.percent * base_count / 100 + 1e-9)


def lookback_years(ruleset: str | RuleSet | None = None, *, year: int) -> int:
    """How many years before the judged one the rules may read (streaks, initiatives)."""
    return compiled_for(ruleset, year).lookback
