"""The rules engine over N person-years, beside loading the same facts from the database.

    .venv/bin/python bench/bench_rules.py [--n 1000000] [--profile]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

1. Generates N person-years: N/5 people over 2021–2025 (the years of three state rule sets and
   the union's), with a rating, absence, months of service, registrations and the titles of the
   six years before, simulated year by year so that streaks are realistic.
2. Writes them with raw SQL into a table of a fresh database (the evaluation app's tables are
   not used: this is the baseline's own table)::

       bench_rule_facts(person_id, year, rating, gender, absence_days, service_months,
                        registered_codes, titles_codes)

3. Load (the baseline): `SELECT …` of every row and building the engine's `Facts` objects.
4. Engine: `evaluate_many` on those facts, from a cold start (rule sets compiled in the run,
   empty caches). `--no-answer-cache` switches off the cache of whole answers, so every
   person-year is judged title by title (each title's own cache stays).
Target: the engine takes at most 3× the load.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import Counter
from typing import Any

from common import fresh_database, peak_rss_mb, timer, vn

YEARS = range(2021, 2026)
HISTORY = 6  # years of earlier titles carried per row (the longest streak any rule reads)
COLUMNS = ("person_id, year, rating, gender, absence_days, service_months, registered_codes, "
           "titles_codes")
EMPTY: dict[int, Any] = {}


def generate(n: int, seed: int = 2025) -> list[tuple[Any, ...]]:
    """Rows for n person-years; each person is simulated from 2015 so the rows of 2021 already
    carry six years of titles."""
    rng = random.Random(seed)
    ratings = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    weights = [15, 70, 12, 3]
    rows = []
    people = n // len(YEARS)
    for pid in range(1, people + 1):
        gender = "nu" if rng.random() < 0.55 else "nam"
        history: dict[int, list[str]] = {}
        cstdcs_run = 0
        for year in range(2015, YEARS[-1] + 1):
            rating = rng.choices(ratings, weights)[0]
            absence = 0 if rng.random() < 0.85 else rng.randint(1, 60)
            service = 12 if rng.random() < 0.95 else rng.randint(1, 11)
            registered = ["LDTT"] if rng.random() < 0.75 else ["CSTDCS"]
            if cstdcs_run >= 2:
                registered.append("CSTD_TINH")
            if rng.random() < 0.6:
                registered.append("DVXS")
            if gender == "nu" and rng.random() < 0.9:
                registered.append("GVNDVN")
            if year in YEARS:
                earlier = ";".join(f"{y}:{','.join(history[y])}"
                                   for y in range(year - HISTORY, year) if history.get(y))
                rows.append((pid, year, rating, gender, absence, service, ",".join(registered),
                             earlier))
            got = []
            if rating in ("HTXSNV", "HTTNV") and absence < 40 and service >= 10:
                got.append("LDTT")
                if rating == "HTXSNV" and "CSTDCS" in registered:
                    got.append("CSTDCS")
            cstdcs_run = cstdcs_run + 1 if "CSTDCS" in got else 0
            if cstdcs_run >= 3 and rng.random() < 0.3:
                got.append("CSTD_TINH")
            if got:
                history[year] = got
    return rows


def write(rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_rule_facts (person_id integer NOT NULL, year integer "
                       "NOT NULL, rating varchar(8) NOT NULL, gender varchar(3) NOT NULL, "
                       "absence_days real NOT NULL, service_months real NOT NULL, "
                       "registered_codes varchar(200) NOT NULL, titles_codes varchar(400) "
                       "NOT NULL)")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY bench_rule_facts ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO bench_rule_facts ({COLUMNS}) VALUES "
                               "(%s, %s, %s, %s, %s, %s, %s, %s)", rows)


def _titles(text: str) -> dict[int, tuple[str, ...]]:
    if not text:
        return EMPTY
    out = {}
    for part in text.split(";"):
        year, codes = part.split(":")
        out[int(year)] = tuple(codes.split(","))
    return out


def load() -> list[Any]:
    """The baseline: read every row and build the engine's facts."""
    from django.db import connection

    from thidua.rules.facts import Facts, Person

    facts = []
    append = facts.append
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM bench_rule_facts ORDER BY person_id, year")
        while True:
            chunk = cursor.fetchmany(50_000)
            if not chunk:
                break
            for _pid, year, rating, gender, absence, service, registered, titles in chunk:
                append(Facts(year=year, person=Person(gender=gender), ratings={year: rating},
                             registered={year: tuple(registered.split(","))},
                             titles=_titles(titles), absence_days={year: absence},
                             service_months={year: service}, maternity_days=EMPTY))
    return facts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="person-years (default 1.000.000)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the engine (cProfile, printed on stderr)")
    parser.add_argument("--no-answer-cache", action="store_true",
                        help="switch off the cache of whole answers (titles' caches stay)")
    args = parser.parse_args()
    cleanup = fresh_database("rules")
    try:
        from common import database_label

        from thidua.rules import engine
        from thidua.rules.engine import evaluate_many

        if args.no_answer_cache:
            engine.ANSWER_CACHE_LIMIT = 0

        with timer() as t_gen:
            rows = generate(args.n)
        with timer() as t_write:
            write(rows)
        n = len(rows)
        del rows
        with timer() as t_load:
            facts = load()
        assert len(facts) == n
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            with timer() as t_engine:
                evaluations = profiler.runcall(evaluate_many, facts)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(20)
        else:
            with timer() as t_engine:
                evaluations = evaluate_many(facts)
        assert len(evaluations) == n
        eligible: Counter[str] = Counter()
        by_rule_set: Counter[str] = Counter()
        for e in evaluations:
            by_rule_set[e.rule_set] += 1
            eligible.update(code for code, o in e.titles.items() if o.eligible)
        answers = len({id(e.titles[code]) for e in evaluations for code in e.titles})
        load_s, engine_s = t_load["seconds"], t_engine["seconds"]
        ratio = engine_s / load_s
        print(f"{database_label()}: {vn(n)} person-years ({vn(n // len(YEARS))} people × "
              f"{YEARS[0]}–{YEARS[-1]}); generated in {vn(t_gen['seconds'], 1)} s, written in "
              f"{vn(t_write['seconds'], 1)} s")
        for rule_set, count in sorted(by_rule_set.items()):
            print(f"  {rule_set}: {vn(count)}")
        print("  eligible: " + ", ".join(f"{code} {vn(count)}"
                                         for code, count in eligible.most_common()))
        print(f"  distinct outcomes (title answers written): {vn(answers)}; peak RSS "
              f"{vn(peak_rss_mb())} MB")
        print(f"engine: {vn(n)} person-years in {vn(engine_s, 1)} s; load {vn(load_s, 1)} s; "
              f"ratio {vn(ratio, 2)}× (target ≤ 3×)")
        return 0 if ratio <= 3 else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
