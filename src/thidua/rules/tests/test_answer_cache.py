"""The cache of whole answers: used while it pays, dropped when people are mostly distinct, and
never a cause of a different outcome."""

from __future__ import annotations

import datetime as dt
import random

from thidua.rules import engine
from thidua.rules.facts import Discipline, Facts, Initiative, Person


def _varied(n: int, seed: int) -> list[Facts]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year = 2022 + i % 4
        out.append(Facts(
            year=year, person=Person(gender=rng.choice(["nam", "nu"])),
            ratings={year: rng.choice(["HTXSNV", "HTTNV", "HTNV"])},
            registered={year: ("LDTT", "CSTDCS", "DVXS", "GVNDVN")},
            titles={year - k: ("LDTT", "CSTDCS") for k in range(1, rng.randint(1, 6))},
            initiatives=(Initiative(year, rng.choice(["co_so", "tinh"])),)
            if rng.random() < 0.5 else (),
            discipline=(Discipline("khien_trach", dt.date(year, 3, 1)),)
            if rng.random() < 0.1 else (),
            absence_days={year: rng.randrange(0, 120) / 2}, service_months={year: 12}))
    return out


def _plain(evaluations: list[engine.Evaluation]) -> list[dict[str, object]]:
    return [e.to_dict(details=True) for e in evaluations]


def test_outcomes_are_the_same_with_and_without_the_answer_cache(monkeypatch):
    facts = _varied(400, 1)
    engine.clear_caches()
    cached = _plain(engine.evaluate_many(facts))
    engine.clear_caches()
    monkeypatch.setattr(engine, "ANSWER_CACHE_LIMIT", 0)
    assert _plain(engine.evaluate_many(facts)) == cached
    engine.clear_caches()


def test_the_answer_cache_is_dropped_when_it_does_not_pay(monkeypatch):
    monkeypatch.setattr(engine, "ANSWER_PROBES", 100)
    engine.clear_caches()
    facts = _varied(400, 2)
    compiled = engine.compiled_for(None, facts[0].year)
    engine.evaluate_many([f for f in facts if f.year == facts[0].year])
    assert not compiled.use_answers and not compiled.person_answers
    same = [facts[0]] * 300  # one situation again and again: the cache pays
    engine.clear_caches()
    engine.evaluate_many(same)
    compiled = engine.compiled_for(None, facts[0].year)
    assert compiled.use_answers and compiled.hits == 299
    engine.clear_caches()


def test_half_the_person_years_seen_before_is_not_enough(monkeypatch):
    # measured: at 53–62 % hits the cache made a batch slower (ANSWER_HIT_RATE)
    monkeypatch.setattr(engine, "ANSWER_PROBES", 100)
    engine.clear_caches()
    year = 2023
    twice = [f for f in _varied(400, 3) if f.year == year for _ in (0, 1)]
    compiled = engine.compiled_for(None, year)
    engine.evaluate_many(twice)
    assert compiled.probes >= 100 and compiled.hits >= compiled.probes * 0.3
    assert not compiled.use_answers and not compiled.person_answers
    engine.clear_caches()
