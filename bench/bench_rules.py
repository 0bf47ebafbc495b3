"""The rules engine over N person-years with a realistic spread of outcomes, streamed in batches
over both cores, beside merely reading the same rows from the database.

    .venv/bin/python bench/bench_rules.py [--n 1000000] [--workers 2] [--batch 5000]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

1. Generates N person-years: N/5 people over 2021–2025 (three state rule sets and the
   union's), each simulated year by year from 2015: ratings, absence in half days, maternity
   leave, months of service, registrations (LĐTT, CSTĐCS, CSTĐ tỉnh, DVXS, GVNĐVN), recognised
   initiatives at three levels, discipline periods of every form, matters under way, the
   "đảm việc nhà" half, union membership and the titles of the six years before. Rows are
   generated and written in chunks (COPY on PostgreSQL, executemany on SQLite) into a table of
   a fresh database; the script prints how many distinct inputs there are (rows without the
   person id) and how many distinct outcomes the engine wrote.
2. **Baseline (load)**: the same SELECT the engine's workers run, over every row, fetched as
   tuples in batches, in one process: reading, no fact objects.
3. **Engine**, twice: with the cache of whole answers, then without it; each run between two
   loads, its ratio taken against their mean (`--rounds R`: R such pairs, the verdict on the
   median ratio of each mode). `--workers` processes
   (fork) each take key ranges of person ids, read them in pages of `--batch` people by keyset
   (`person_id >= lo AND person_id < hi`; a server-side cursor on PostgreSQL), build the
   engine's `Facts` (sharing the pieces that repeat from row to row), judge them and keep
   only counts: memory does not grow with N. Rule sets are compiled and caches empty in each
   run (the rule set files are read once, in the parent). Both runs must give the same counts.
Target: each engine run takes at most 3× the load. Peak RSS is printed for the parent and for
the largest worker (run it at several N to see that it stays flat). On a shared machine the
wall clock counts the other tenants too: the CPU seconds of the workers, per worker, are
printed against the load's CPU seconds as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing as mp
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from common import fresh_database, peak_rss_mb, timer, vn

# bound once (`common` has put src/ on the path): an import statement in `facts_of` ran for every
# row, nearly half of its cost
from thidua.rules.facts import Discipline, Facts, Initiative, Pending, Person

YEARS = range(2021, 2026)
HISTORY = 6  # years of earlier titles carried per row (the longest streak any rule reads)
COLUMNS = ("person_id, year, gender, member, rating, absence_days, maternity_days, "
           "service_months, family, registered_codes, titles_codes, initiatives, discipline, "
           "pending")
NCOLS = len(COLUMNS.split(","))
INPUTS = COLUMNS.replace("person_id, ", "")
EMPTY: dict[int, Any] = {}
RATINGS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
FORMS = ["khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "sa_thai"]
LEVELS = ["co_so", "tinh", "toan_quoc"]
PENDING = ["xem_xet_ky_luat", "thanh_tra", "kiem_tra", "khieu_nai_to_cao"]
WRITE_CHUNK = 50_000


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def person_years(n: int, seed: int = 2025) -> Iterator[tuple[Any, ...]]:
    """Rows for n person-years, person by person."""
    rng = random.Random(seed)
    for pid in range(1, n // len(YEARS) + 1):
        woman = rng.random() < 0.55
        member = rng.random() < 0.93
        titles: dict[int, list[str]] = {}
        initiatives: list[tuple[int, str]] = []
        discipline: list[tuple[str, dt.date, dt.date | None]] = []
        strength = rng.gauss(0, 1)  # some people are rated well year after year
        cstdcs_run = 0
        for year in range(2015, YEARS[-1] + 1):
            best = strength + rng.gauss(0, 1)
            rating = RATINGS[0 if best > 1.1 else 1 if best > -0.9 else 2 if best > -1.9 else 3]
            absence = 0.0 if rng.random() < 0.5 else rng.randrange(1, 140) / 2
            maternity = 0
            if woman and rng.random() < 0.05:
                maternity = rng.randrange(60, 132)
                absence += maternity
            service = 12 if rng.random() < 0.88 else rng.randint(1, 11)
            family = None if not woman else rng.random() < 0.8
            registered = []
            if rng.random() < 0.85:
                registered.append("LDTT")
            if rng.random() < 0.3 + 0.1 * strength:
                registered.append("CSTDCS")
            if cstdcs_run >= 2 and rng.random() < 0.7:
                registered.append("CSTD_TINH")
            if rng.random() < 0.55:
                registered.append("DVXS")
            if woman and rng.random() < 0.75:
                registered.append("GVNDVN")
            if rng.random() < 0.1 + 0.05 * max(strength, 0):
                initiatives.append((year, rng.choices(LEVELS, [85, 13, 2])[0]))
            if rng.random() < 0.035:
                start = _day(rng, year)
                end = None if rng.random() < 0.2 else start + dt.timedelta(
                    days=rng.choice([90, 180, 365, 540]))
                discipline.append((rng.choice(FORMS), start, end))
            pending = ""
            if year in YEARS and rng.random() < 0.012:
                pending = f"{rng.choice(PENDING)}:{_day(rng, year).isoformat()}"
            if year in YEARS:
                earlier = ";".join(f"{y}:{','.join(titles[y])}"
                                   for y in range(year - HISTORY, year) if titles.get(y))
                inits = ";".join(f"{y}:{lv}" for y, lv in initiatives if y > year - HISTORY)
                disc = ";".join(f"{f}:{s.isoformat()}:{e.isoformat() if e else ''}"
                                for f, s, e in discipline if s.year > year - 3)
                yield (pid, year, "nu" if woman else "nam", int(member), rating, absence,
                       maternity, service, family, ",".join(registered), earlier, inits, disc,
                       pending)
            got = []
            disciplined = any(s.year <= year and (e is None or e.year >= year)
                              for _, s, e in discipline)
            if (rating in ("HTXSNV", "HTTNV") and absence - maternity < 40 and service >= 10
                    and not disciplined):
                got.append("LDTT")
                if (rating == "HTXSNV" and "CSTDCS" in registered
                        and any(y == year for y, _ in initiatives)):
                    got.append("CSTDCS")
            cstdcs_run = cstdcs_run + 1 if "CSTDCS" in got else 0
            if cstdcs_run >= 3 and rng.random() < 0.3:
                got.append("CSTD_TINH")
            if "LDTT" in got and "DVXS" in registered and member and rng.random() < 0.7:
                got.append("DVXS")
            if got:
                titles[year] = got


def write(n: int) -> int:
    from django.db import connection, transaction

    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_rule_facts (person_id integer NOT NULL, year integer NOT NULL, "
            "gender varchar(3) NOT NULL, member integer NOT NULL, rating varchar(8) NOT NULL, "
            "absence_days real NOT NULL, maternity_days real NOT NULL, service_months real NOT "
            "NULL, family boolean, registered_codes varchar(200) NOT NULL, titles_codes "
            "varchar(400) NOT NULL, initiatives varchar(400) NOT NULL, discipline varchar(400) "
            "NOT NULL, pending varchar(100) NOT NULL)")
        rows = person_years(n)
        placeholders = ", ".join(["%s"] * NCOLS)
        while True:
            chunk = [row for _, row in zip(range(WRITE_CHUNK), rows, strict=False)]
            if not chunk:
                break
            count += len(chunk)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY bench_rule_facts ({COLUMNS}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO bench_rule_facts ({COLUMNS}) VALUES "
                                   f"({placeholders})", chunk)
        # serves the workers' key ranges: WHERE person_id >= lo AND person_id < hi ORDER BY
        cursor.execute("CREATE INDEX bench_rule_facts_key ON bench_rule_facts "
                       "(person_id, year)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bench_rule_facts" if connection.vendor == "postgresql"
                       else "ANALYZE")
    return count


SELECT = (f"SELECT {COLUMNS} FROM bench_rule_facts WHERE person_id >= %s AND person_id < %s "
          "ORDER BY person_id, year")


def read_range(lo: int, hi: int, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of people [lo, hi) in pages of `batch` people (keyset on the person id)."""
    from django.db import connection

    for start in range(lo, hi, batch):
        with connection.cursor() as cursor:
            cursor.execute(SELECT, [start, min(start + batch, hi)])
            while True:
                rows = cursor.fetchmany(20_000)
                if not rows:
                    break
                yield rows


# --- building the engine's facts from a row --------------------------------------------------

_dates: dict[str, dt.date] = {}
# The pieces of the facts that repeat from row to row (a rating in a year, a history of
# titles…) are built once and shared between rows: the engine only reads them. Bounded, so
# that memory stays flat in N.
SHARED_LIMIT = 200_000


def _date(text: str) -> dt.date:
    found = _dates.get(text)
    if found is None:
        found = _dates[text] = dt.date.fromisoformat(text)
    return found


def _titles(text: str) -> dict[int, tuple[str, ...]]:
    if not text:
        return EMPTY
    out = {}
    for part in text.split(";"):
        year, codes = part.split(":")
        out[int(year)] = tuple(codes.split(","))
    return out


def _initiatives(text: str) -> tuple[Any, ...]:
    return tuple(Initiative(int(p[:4]), p[5:]) for p in text.split(";"))


def _discipline(text: str) -> tuple[Any, ...]:
    return tuple(Discipline(f, _date(s), _date(e) if e else None)
                 for f, s, e in (p.split(":") for p in text.split(";")))


def _pending(text: str) -> tuple[Any, ...]:
    return (Pending(text[:-11], _date(text[-10:])),)


def _put(table: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(table) >= SHARED_LIMIT:
        table.clear()
    table[key] = value
    return value


# one table per kind of piece (and per year for the year-keyed ones): a lookup by the row's own
# value, no key tuple built per row
_by_year: dict[int, tuple[dict[Any, Any], ...]] = {}
_titles_seen: dict[str, Any] = {}
_initiatives_seen: dict[str, Any] = {}
_discipline_seen: dict[str, Any] = {}
_pending_seen: dict[str, Any] = {}
_people: dict[tuple[str, int], Any] = {}


def _year_tables(year: int) -> tuple[dict[Any, Any], ...]:
    return _by_year.setdefault(year, tuple({} for _ in range(6)))


def _shared_clear() -> None:
    for table in (_by_year, _titles_seen, _initiatives_seen, _discipline_seen, _pending_seen,
                  _people):
        table.clear()


def facts_of(row: tuple[Any, ...]) -> Any:
    (_pid, year, gender, member, rating, absence, maternity, service, family, registered,
     titles, inits, disc, pending) = row
    person = _people.get((gender, member))
    if person is None:
        person = _people[(gender, member)] = Person(gender=gender, member=bool(member))
    ratings, regs, absences, services, maternities, families = (
        _by_year.get(year) or _year_tables(year))
    if family is not None:
        # bool(): SQLite returns the boolean column as 0/1, and the rule reads `is True`
        family = bool(family)
        family_of = families.get(family) or _put(families, family, {year: family})
    return Facts(
        year, person,
        ratings.get(rating) or _put(ratings, rating, {year: rating}),
        (regs.get(registered) or _put(regs, registered, {year: tuple(registered.split(","))}))
        if registered else EMPTY,
        (_titles_seen.get(titles) or _put(_titles_seen, titles, _titles(titles)))
        if titles else EMPTY,
        (_initiatives_seen.get(inits) or _put(_initiatives_seen, inits, _initiatives(inits)))
        if inits else (),
        (_discipline_seen.get(disc) or _put(_discipline_seen, disc, _discipline(disc)))
        if disc else (),
        absences.get(absence) or _put(absences, absence, {year: absence}),
        services.get(service) or _put(services, service, {year: service}),
        (maternities.get(maternity) or _put(maternities, maternity, {year: maternity}))
        if maternity else EMPTY,
        (_pending_seen.get(pending) or _put(_pending_seen, pending, _pending(pending)))
        if pending else (),
        family_of if family is not None else EMPTY)


# --- the workers -----------------------------------------------------------------------------

def _judge_range(task: tuple[int, int, int]) -> tuple[Counter[str], int, int, float, float]:
    """One worker's share: read, build, judge, count; returns (counts, rows, distinct answers
    this worker wrote, its peak RSS in MB, the CPU seconds it took)."""
    from thidua.rules.engine import evaluate_many
    from thidua.rules.gcpause import gc_paused

    cpu = time.process_time()
    lo, hi, batch = task
    counts: Counter[str] = Counter()
    n = 0
    # the whole share with the cycle collector paused (the facts too: the engine's own batch
    # pauses only its part): a pause per batch ended each batch with a collection that walked
    # the engine's caches again
    with gc_paused():
        for rows in read_range(lo, hi, batch):
            evaluations = evaluate_many(list(map(facts_of, rows)))
            n += len(rows)
            for e in evaluations:
                counts[e.rule_set] += 1
                for code, o in e.titles.items():
                    if o.eligible:
                        counts[code] += 1
                    elif o.held:
                        counts["held"] += 1
    return counts, n, _written(), peak_rss_mb(), time.process_time() - cpu


def _written() -> int:
    """Distinct outcomes built in this process so far (every title's cache, all rule sets)."""
    from thidua.rules.engine import compile_rulesets

    total = 0
    for rs_tuple in _seen_rulesets:
        compiled = compile_rulesets(rs_tuple)
        total += sum(len(t.cache) for t in (*compiled.person, *compiled.unit))
    return total


_seen_rulesets: list[Any] = []


def _init_worker(no_answer_cache: bool) -> None:
    from django.db import connections

    from thidua.rules import engine
    from thidua.rules.ruleset import resolve

    connections.close_all()  # the parent's connection is not ours: open our own
    # the parent's objects, inherited by the fork, are never freed here: left out of every
    # collection, which would otherwise walk them again and again as the batches allocate
    gc.freeze()
    engine.clear_caches()
    if no_answer_cache:
        engine.ANSWER_CACHE_LIMIT = 0
    _seen_rulesets.clear()
    _seen_rulesets.extend({resolve(None, y) for y in YEARS})


def run_engine(people: int, workers: int, batch: int, no_answer_cache: bool
               ) -> tuple[Counter[str], int, int, float, float]:
    from django.db import connections

    from thidua.rules.ruleset import resolve

    connections.close_all()
    for year in YEARS:  # the rule set files read here once, as a long-running process would
        resolve(None, year)
    # many small ranges, so that both workers stay busy to the end
    step = max(batch, people // (workers * 8) or 1)
    tasks = [(lo, min(lo + step, people + 1), batch) for lo in range(1, people + 1, step)]
    counts: Counter[str] = Counter()
    n = written = 0
    worst = cpu = 0.0
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(no_answer_cache,),
                  maxtasksperchild=None) as pool:
        for c, rows, w, rss, seconds in pool.imap_unordered(_judge_range, tasks):
            cpu += seconds
            counts.update(c)
            n += rows
            written = max(written, w)
            worst = max(worst, rss)
    return counts, n, written, worst, cpu


def timed_load(people: int, batch: int, n: int) -> tuple[float, float]:
    """The baseline once: (wall seconds, CPU seconds)."""
    cpu = time.process_time()
    with timer() as t:
        assert load(people, batch) == n
    return t["seconds"], time.process_time() - cpu


def load(people: int, batch: int) -> int:
    """The baseline: the workers' SELECT over every row, as tuples, in one process."""
    n = 0
    for rows in read_range(1, people + 1, batch):
        n += len(rows)
    return n


def distinct_inputs() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT DISTINCT {INPUTS} FROM bench_rule_facts) d")
        return int(cursor.fetchone()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="person-years (default 1.000.000)")
    parser.add_argument("--workers", type=int, default=2, help="engine processes (default 2)")
    parser.add_argument("--batch", type=int, default=5000, help="people per page (default 5000)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="engine runs of each mode, each between two loads (default 1)")
    args = parser.parse_args()
    cleanup = fresh_database("rules")
    try:
        from common import database_label

        with timer() as t_write:
            n = write(args.n)
        people = n // len(YEARS)
        distinct = distinct_inputs()
        print(f"{database_label()}: {vn(n)} person-years ({vn(people)} people × "
              f"{YEARS[0]}–{YEARS[-1]}), generated and written in {vn(t_write['seconds'], 1)} s; "
              f"distinct inputs {vn(distinct)} ({vn(100 * distinct / n, 1)}% of the rows)")
        # Each engine run is bracketed by a load, and its ratio is taken against the mean of
        # the load just before and just after it: on a shared machine the speed drifts by 20 %
        # and more within minutes, and a single load at the start compared runs made at
        # different speeds. With --rounds R the verdict is the median ratio of each mode.
        loads = [timed_load(people, args.batch, n)]
        results = {}
        ratios: dict[str, list[float]] = {}
        for round_no in range(1, args.rounds + 1):
            modes = (("with the answer cache", False), ("without the answer cache", True))
            # the modes take turns at going first: neither is always the run that follows the
            # parent's first load
            for label, off in (modes if round_no % 2 else modes[::-1]):
                with timer() as t:
                    counts, rows, written, worker_rss, cpu = run_engine(people, args.workers,
                                                                        args.batch, off)
                assert rows == n
                before = loads[-1]
                loads.append(timed_load(people, args.batch, n))
                after = loads[-1]
                load_s = (before[0] + after[0]) / 2
                load_cpu = (before[1] + after[1]) / 2
                if label in results:
                    assert results[label] == counts, "a later round gave other counts"
                results[label] = counts
                ratio = t["seconds"] / load_s
                ratios.setdefault(label, []).append(ratio)
                print(f"round {round_no}, engine {label}: {vn(n)} person-years in "
                      f"{vn(t['seconds'], 1)} s on {args.workers} processes, between loads of "
                      f"{vn(before[0], 2)} and {vn(after[0], 2)} s; ratio {vn(ratio, 2)}× the "
                      f"load (target ≤ 3×); distinct outcomes written (largest worker) "
                      f"{vn(written)}; worker peak RSS {vn(worker_rss)} MB")
                # On a shared machine the wall clock counts the other tenants too: the CPU
                # seconds of the workers, spread over them, against the load's CPU seconds.
                print(f"  CPU: {vn(cpu, 1)} s in the workers, {vn(cpu / args.workers, 1)} s "
                      f"each; {vn(cpu / args.workers / load_cpu, 2)}× the load's CPU")
        print(f"load (SELECT of every row as tuples, 1 process, pages of {vn(args.batch)} "
              f"people), {len(loads)} times: " + ", ".join(vn(s, 2) for s, _ in loads) + " s")
        ratios = {k: ratios[k] for k, _ in modes}
        medians = [statistics.median(r) for r in ratios.values()]
        ok = all(m <= 3 for m in medians)
        first, second = results["with the answer cache"], results["without the answer cache"]
        assert first == second, "the answer cache changed an outcome"
        eligible = {k: v for k, v in first.items() if k.isupper() and "-" not in k}
        print("  eligible: " + ", ".join(f"{code} {vn(count)}" for code, count in
                                         sorted(eligible.items(), key=lambda kv: -kv[1]))
              + f"; held (matters under way) {vn(first.get('held', 0))} title answers")
        for key in sorted(k for k in first if "-" in k):
            print(f"  {key}: {vn(first[key])}")
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS: parent {vn(peak_rss_mb())} MB, largest worker {vn(children)} MB")
        # the summary last: both ratios against the load of the same run
        spread = "" if args.rounds == 1 else (
            f" (median of {args.rounds} rounds: " + "; ".join(
                ", ".join(vn(r, 2) for r in rs) for rs in ratios.values()) + ")")
        print(f"rules: {vn(n)} person-years; engine {vn(medians[0], 2)}× the load with the "
              f"answer cache, {vn(medians[1], 2)}× without (target ≤ 3×){spread} — "
              + ("OK" if ok else "MISSED"))
        return 0 if ok else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
