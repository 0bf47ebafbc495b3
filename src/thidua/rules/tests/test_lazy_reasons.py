"""Reasons written lazily (only when read) and outcomes found column by column give exactly the
answers of the reference path (`engine.LAZY = False`: every outcome keyed by its rules' own
keys and written at once), on a varied sample of person-years and unit-years."""

from __future__ import annotations

import datetime as dt
import pickle
import random
from typing import Any

import pytest

from thidua.rules import checks, engine
from thidua.rules.facts import Discipline, Facts, Initiative, Pending, Person, facts_from_dict
from thidua.rules.tests.factories import unit

CODES = ["LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ", "DVXS", "GVNDVN"]
RATINGS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
FORMS = ["khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "sa_thai"]


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _person(rng: random.Random) -> Facts:
    year = rng.randint(2017, 2026)
    strong = rng.random() < 0.5  # long runs of titles, so that the streak rules pass too
    titles: dict[int, Any] = {}
    for y in range(year - 12, year + 1):
        if rng.random() < (0.9 if strong else 0.4):
            got = ["LDTT"] + (["CSTDCS"] if rng.random() < (0.85 if strong else 0.3) else [])
            got += [c for c in ("CSTD_TINH", "CSTD_TQ", "DVXS") if rng.random() < 0.2]
            titles[y] = rng.choice([tuple, frozenset, list])(got)
    absent = rng.choice([0, 0, rng.randrange(1, 120) / 2])
    maternity = rng.choice([0, 0, 0, rng.randrange(0, int(absent) + 1)])
    registered = rng.sample(CODES, rng.randint(0, len(CODES)))
    return Facts(
        year=year,
        person=Person(gender=rng.choice(["nam", "nu", "nu", ""]), member=rng.random() < 0.9),
        ratings={year: rng.choice(RATINGS)} if rng.random() < 0.95 else {},
        registered={year: rng.choice([tuple, frozenset, list])(registered)}
        if rng.random() < 0.9 else {},
        titles=titles,
        initiatives=tuple(Initiative(rng.randint(year - 6, year),
                                     rng.choice(["co_so", "co_so", "tinh", "toan_quoc"]))
                          for _ in range(rng.choice([0, 0, 1, 2]))),
        discipline=tuple(Discipline(rng.choice(FORMS), s,
                                    rng.choice([None, s + dt.timedelta(days=rng.choice(
                                        [30, 180, 400]))]))
                         for s in [_day(rng, rng.randint(year - 2, year))
                                   for _ in range(rng.choice([0, 0, 0, 1, 2]))]),
        absence_days={year: absent} if rng.random() < 0.9 else {},
        service_months={year: rng.choice([12, 12, 12, 11, 9.5, 6])} if rng.random() < 0.95
        else {},
        maternity_days={year: maternity} if maternity else {},
        pending=(Pending(rng.choice(["thanh_tra", "kiem_tra", "xem_xet_ky_luat"]),
                         _day(rng, year), rng.choice([None, dt.date(year, 12, 31)])),)
        if rng.random() < 0.08 else (),
        family={year: rng.choice([True, False])} if rng.random() < 0.6 else {})


def _unit(rng: random.Random) -> Any:
    year = rng.randint(2018, 2026)
    members = rng.randint(5, 60)
    return facts_from_dict(unit(
        year, ratings={str(year): rng.choice(RATINGS)},
        registered={str(year): rng.sample(["TTLDTT", "TTLDXS"], rng.randint(0, 2))},
        roster={"members": members, "ldtt": rng.randint(0, members),
                "cstdcs": rng.randint(0, 3), "completed_tasks": rng.randint(0, members),
                "women": rng.randint(0, members),
                "disciplined": {"khien_trach": 1} if rng.random() < 0.2 else {}},
        grading={"C1": rng.randint(20, 40), "C2": rng.randint(20, 35),
                 "C3": rng.randint(10, 25)}))


def sample(n: int = 1500, seed: int = 13) -> list[Any]:
    rng = random.Random(seed)
    out = [_person(rng) for _ in range(n)]
    out += [_unit(rng) for _ in range(n // 10)]
    out += out[: n // 5]  # the same situations again: answers found in the caches
    return out


def answers(facts: list[Any], *, lazy: bool, order: int = 1) -> list[dict[str, Any]]:
    """Every evaluation written out in full; with order -1 the texts are read last first
    (after every outcome has been decided), so a lazy text is written long after its outcome."""
    engine.clear_caches()
    engine.LAZY = lazy
    try:
        evaluations = engine.evaluate_many(facts)
        return [e.to_dict(details=True) for e in evaluations[::order]][::order]
    finally:
        engine.LAZY = True
        engine.clear_caches()


@pytest.fixture(scope="module")
def facts() -> list[Any]:
    return sample()


@pytest.fixture(scope="module")
def eager(facts: list[Any]) -> list[dict[str, Any]]:
    return answers(facts, lazy=False)


def test_the_sample_is_varied(eager):
    outcomes = [o for e in eager for o in e["titles"].values()]
    texts = {line for o in outcomes for line in o["reasons"]}
    assert len(texts) > 1500
    for code in ("LDTT", "CSTDCS", "CSTD_TINH", "DVXS", "GVNDVN", "TTLDTT"):
        met = {o["eligible"] for e in eager for c, o in e["titles"].items() if c == code}
        assert met == {True, False}, code
    assert any(o["held"] for o in outcomes)
    assert any(e.get("priority") for e in eager)


@pytest.mark.parametrize("order", [1, -1])
@pytest.mark.parametrize("answer_cache", [True, False])
def test_lazy_reasons_are_the_eager_ones(facts, eager, monkeypatch, order, answer_cache):
    if not answer_cache:
        monkeypatch.setattr(engine, "ANSWER_CACHE_LIMIT", 0)
    assert answers(facts, lazy=True, order=order) == eager


def test_the_same_when_the_caches_start_afresh_often(facts, eager, monkeypatch):
    monkeypatch.setattr(engine, "CACHE_LIMIT", 40)
    monkeypatch.setattr(engine, "ANSWER_CACHE_LIMIT", 30)
    assert answers(facts, lazy=True, order=-1) == eager


def test_one_at_a_time_is_the_same(facts, eager):
    engine.clear_caches()
    try:
        one = [engine.evaluate(f).to_dict(details=True) for f in facts]
    finally:
        engine.clear_caches()
    assert one == eager


def test_the_comparison_sees_a_wrong_part(facts, eager, monkeypatch):
    """The lazy path keyed by a part that misreads the facts (every registration read as
    none): the comparison above must fail."""
    monkeypatch.setattr(checks.Registered, "column", lambda self, fs: [None] * len(fs))
    assert answers(facts, lazy=True) != eager


def test_an_outcome_travels_written_out(facts):
    engine.clear_caches()
    try:
        e = engine.evaluate_many(facts[:50])[7]
        o = next(iter(e.titles.values()))
        back = pickle.loads(pickle.dumps(o))
        assert (back.eligible, back.held, back.grade, back.reasons, back.missing) == (
            o.eligible, o.held, o.grade, o.reasons, o.missing)
    finally:
        engine.clear_caches()
