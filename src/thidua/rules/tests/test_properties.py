"""Properties over generated facts (hypothesis): a better rating never loses a title; a year no
rule reads never changes the answer; every outcome has reasons and every reason a source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.rules import evaluate, lookback_years
from thidua.rules.facts import DISCIPLINE_FORMS, LEVELS, RATING_RANK, TITLES

RATINGS_WORST_FIRST = sorted(RATING_RANK, key=RATING_RANK.__getitem__)
PERSON_CODES = ["LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ", "DVXS", "GVNDVN"]
UNIT_CODES = ["TTLDTT", "TTLDXS"]
RULE_SETS = [None, "luat-2003-nd91-2017", "luat-2022-nd98-2023", "luat-2022-nd152-2025",
             "tld-1689-2019", "luat-2022-nd98-2023+tld-1689-2019"]
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

codes = st.lists(st.sampled_from(PERSON_CODES), max_size=4, unique=True)


@st.composite
def person_facts(draw: Any) -> dict[str, Any]:
    year = draw(st.integers(2018, 2027))
    span = range(year - 8, year + 1)
    maybe_years = st.lists(st.sampled_from(list(span)), unique=True, max_size=9)
    ratings = {str(y): draw(st.sampled_from(RATINGS_WORST_FIRST)) for y in draw(maybe_years)}
    ratings[str(year)] = draw(st.sampled_from(RATINGS_WORST_FIRST))
    discipline = []
    for _ in range(draw(st.integers(0, 2))):
        start = dt.date(draw(st.integers(year - 3, year)), draw(st.integers(1, 12)), 1)
        months = draw(st.integers(1, 24))
        end = dt.date(start.year + (start.month - 1 + months) // 12,
                      (start.month - 1 + months) % 12 + 1, 1)
        item = {"form": draw(st.sampled_from(list(DISCIPLINE_FORMS))),
                "from": start.isoformat()}
        if draw(st.booleans()):
            item["to"] = end.isoformat()
        discipline.append(item)
    absence = draw(st.integers(0, 120))
    return {
        "year": year,
        "person": {"gender": draw(st.sampled_from(["nam", "nu", ""])),
                   "member": draw(st.booleans())},
        "ratings": ratings,
        "registered": {str(year): draw(codes)},
        "titles": {str(y): draw(codes) for y in draw(maybe_years) if y < year},
        "initiatives": [{"year": draw(st.sampled_from(list(span))),
                         "level": draw(st.sampled_from(list(LEVELS)))}
                        for _ in range(draw(st.integers(0, 3)))],
        "discipline": discipline,
        "absence_days": {str(year): absence},
        "maternity_days": {str(year): draw(st.integers(0, absence))},
        "service_months": {str(year): draw(st.integers(0, 12))},
    }


@st.composite
def unit_facts(draw: Any) -> dict[str, Any]:
    year = draw(st.integers(2018, 2027))
    members = draw(st.integers(0, 60))
    return {
        "kind": "unit",
        "year": year,
        "unit": {"code": "U", "type": draw(st.sampled_from(["cdcs", "to_cd", ""])),
                 "operating_months": draw(st.integers(0, 60))},
        "ratings": {str(year): draw(st.sampled_from(RATINGS_WORST_FIRST))},
        "registered": {str(year): draw(st.lists(st.sampled_from(UNIT_CODES), unique=True))},
        "roster": {"members": members, "ldtt": draw(st.integers(0, members)),
                   "cstdcs": draw(st.integers(0, members)),
                   "completed_tasks": draw(st.integers(0, members)),
                   "disciplined": {draw(st.sampled_from(list(DISCIPLINE_FORMS))):
                                   draw(st.integers(0, 2))}},
        "grading": {c: draw(st.integers(0, m)) for c, m in
                    [("C1", 40), ("C2", 35), ("C3", 25), ("T1", 20), ("T2", 15), ("T3", 10),
                     ("T4", 15), ("T5", 10), ("T6", 10), ("T7", 10), ("T8", 10)]},
    }


def eligible(data: dict[str, Any], rule_set: str | None) -> set[str]:
    return set(evaluate(data, rule_set).eligible())


@SETTINGS
@given(person_facts(), st.sampled_from(RULE_SETS))
def test_a_better_rating_never_loses_a_title(data, rule_set):
    """Monotonic in the judged year's rating (HTXSNV > HTTNV > HTNV > KHTNV), all else equal."""
    year = str(data["year"])
    previous: set[str] | None = None
    for rating in RATINGS_WORST_FIRST:
        data["ratings"][year] = rating
        now = eligible(data, rule_set)
        if previous is not None:
            assert previous <= now, (rating, previous - now)
        previous = now


@SETTINGS
@given(unit_facts(), st.sampled_from([None, "luat-2003-nd91-2017", "luat-2022-nd98-2023"]))
def test_a_better_unit_rating_never_loses_a_title(data, rule_set):
    year = str(data["year"])
    previous: set[str] | None = None
    for rating in RATINGS_WORST_FIRST:
        data["ratings"][year] = rating
        now = eligible(data, rule_set)
        if previous is not None:
            assert previous <= now
        previous = now


@SETTINGS
@given(person_facts(), st.sampled_from(RULE_SETS), st.booleans(), st.integers(1, 10),
       st.sampled_from(RATINGS_WORST_FIRST), st.lists(st.sampled_from(list(TITLES)), max_size=4),
       st.sampled_from(list(LEVELS)), st.sampled_from(list(DISCIPLINE_FORMS)))
def test_an_unrelated_year_never_changes_the_answer(data, rule_set, later, distance, rating,
                                                     title_codes, level, form):
    """A year after the judged one, or before the furthest year any rule reads, adds ratings,
    registrations, titles, absence, service, an initiative and a discipline inside that year:
    the answer for the judged year stays the same, word for word."""
    year = data["year"]
    before = evaluate(data, rule_set).to_dict(details=True)
    far = year + distance if later else \
        year - lookback_years(rule_set, year=year) - distance
    key = str(far)
    data["ratings"][key] = rating
    data["registered"][key] = title_codes
    data["titles"][key] = title_codes
    data["absence_days"][key] = 200
    data["maternity_days"][key] = 100
    data["service_months"][key] = 1
    data["initiatives"].append({"year": far, "level": level})
    data["discipline"].append({"form": form, "from": f"{far}-03-01", "to": f"{far}-10-01"})
    assert evaluate(data, rule_set).to_dict(details=True) == before


@SETTINGS
@given(st.one_of(person_facts(), unit_facts()), st.sampled_from(RULE_SETS))
def test_every_outcome_has_reasons_and_every_reason_a_source(data, rule_set):
    ev = evaluate(data, rule_set)
    assert ev.titles, "some title is always judged"
    for code, outcome in ev.titles.items():
        assert outcome.reasons, code
        assert outcome.eligible == all(r.passed for r in outcome.reasons)
        assert bool(outcome.missing) is not outcome.eligible, code
        for r in outcome.reasons:
            assert r.source.strip() and r.text_vi.strip() and r.rule_id.strip()
            assert r.confidence in ("C", "L", "G")
