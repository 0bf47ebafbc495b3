"""National-size reads on a database made by `thidua national`, each beside a baseline in the
same run (by hand; the data set takes long to build, so this script only reads):

    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/NATIONAL_DB \\
        .venv/bin/python bench/bench_national.py [--repeat 5] [--date 2025-12-31]

(a) whole-nation figures (the dashboard's and the tree's root): `people.stats.unit_stats(TLĐ)`
    against the hand-written GROUP BY of bench_counts.py (direct counts, no roll-up);
(b) year-end figures of the whole nation: `reports.figures.year_figures(TLĐ, year)` against
    a hand-written GROUP BY of the year's titles and awards;
(c) a unit's page figures: `unit_stats` of 30 random CĐCS, p95, against a trivial query (the
    unit by id), p95;
(d) member search: `people.selectors.people_search` of 10 folded names (first 50 in order),
    p95, against `SELECT … WHERE name_folded LIKE 'q%' LIMIT 50`, p95.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench_counts import BASELINE_SQL
from common import database_label, peak_rss_mb, setup_django, table, vn

NAMES = ["nguyen thi hoa", "tran van nam", "le thi", "pham minh", "hoang", "vu thi lan",
         "dang van", "bui thi hai", "do quang", "ngo thi mai"]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any]) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2025, 12, 31))
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from thidua.org.models import Unit
    from thidua.people.models import Person
    from thidua.people.selectors import people_search
    from thidua.people.stats import unit_stats
    from thidua.reports.figures import year_figures

    day, year = args.date, args.date.year - 1
    root = Unit.objects.get(code="TLD")
    people = Person.objects.count()

    def baseline_counts() -> None:
        with connection.cursor() as cursor:
            for tbl in ("people_employment", "people_membership"):
                cursor.execute(BASELINE_SQL.format(table=tbl, extra=""), [day] * 4)
                cursor.fetchall()

    def baseline_year() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT title, COUNT(*) FROM evaluation_titleresult WHERE year = %s "
                           "AND NOT revoked GROUP BY title", [year])
            cursor.fetchall()
            cursor.execute("SELECT form, COUNT(*) FROM honours_award WHERE year = %s "
                           "AND NOT revoked GROUP BY form", [year])
            cursor.fetchall()

    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for key, fn in (("stats", lambda: unit_stats(root, day)), ("stats_base", baseline_counts),
                        ("year", lambda: year_figures(root, year)), ("year_base", baseline_year)):
            best[key] = min(best.get(key, float("inf")), timed(fn))
    rng = random.Random(1)
    cdcs = list(Unit.objects.filter(type="cdcs").values_list("pk", flat=True))
    sample = [Unit.objects.get(pk=pk) for pk in rng.sample(cdcs, min(30, len(cdcs)))]
    page = [timed(lambda u=u: unit_stats(u, day)) for u in sample]  # type: ignore[misc]
    trivial = [timed(lambda u=u: Unit.objects.get(pk=u.pk)) for u in sample]  # type: ignore[misc]
    anon = AnonymousUser()
    search = [timed(lambda q=q: list(people_search(Person.objects.all(), q, user=anon)  # type: ignore[misc]
                                     .values_list("pk", flat=True)[:50])) for q in NAMES]

    def raw(q: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM people_person WHERE name_folded LIKE %s LIMIT 50",
                           [q + "%"])
            cursor.fetchall()

    search_base = [timed(lambda q=q: raw(q)) for q in NAMES]  # type: ignore[misc]
    rows = [["phép đo", "thời gian", "baseline", "tỷ lệ"]]
    for label, a, b in (
        ("số liệu toàn quốc (unit_stats TLĐ)", best["stats"], best["stats_base"]),
        (f"số liệu tổng kết năm {year} (year_figures TLĐ)", best["year"], best["year_base"]),
        ("trang đơn vị CĐCS, p95", p95(page), p95(trivial)),
        ("tìm đoàn viên theo tên, p95", p95(search), p95(search_base)),
    ):
        rows.append([label, f"{vn(a * 1000, 1)} ms", f"{vn(b * 1000, 1)} ms", f"{vn(a / b, 1)}×"])
    print(f"{database_label()}: {vn(people)} người, {vn(Unit.objects.count())} đơn vị")
    print(table(rows))
    print(f"national reads: stats {vn(best['stats'], 2)} s vs {vn(best['stats_base'], 2)} s; "
          f"year {vn(best['year'], 2)} s vs {vn(best['year_base'], 2)} s; unit page p95 "
          f"{vn(p95(page) * 1000, 1)} ms; search p95 {vn(p95(search) * 1000, 1)} ms vs "
          f"{vn(p95(search_base) * 1000, 1)} ms; peak RSS {vn(peak_rss_mb())} MB; "
          f"median search {vn(statistics.median(search) * 1000, 1)} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
