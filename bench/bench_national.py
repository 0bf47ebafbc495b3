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
(d) member search: `people.selectors.people_search` of 10 folded names, the first 50 in name
    order (`people_by_name`), p95, against `SELECT … WHERE name_folded LIKE 'q%' LIMIT 50`, p95;
(e) with `--pages N`: the web pages an officer of the TLĐ opens (Django's test client, the
    whole request: middleware, session, template), interleaved N times each after a warm-up,
    p95 beside two trivial views of the same run: the login page, and the password form of the
    same logged-in officer (issue 13 §1's target: tree and unit pages ≤ 3×). The officer
    `bench_national` is created with a grant on the TLĐ if missing (the only write).
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
    parser.add_argument("--pages", type=int, default=0,
                        help="requests of each web page (0: the reads only)")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from thidua.org.models import Unit
    from thidua.people import selectors as people_selectors
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
    # in name order as the picker and the API ask for it (`people_by_name`: sorted or walked
    # by the number of matches); a commit before it had only the model's order (walked)
    ordered = getattr(people_selectors, "people_by_name", lambda qs, q: qs)
    search = [timed(lambda q=q: list(ordered(people_search(Person.objects.all(), q, user=anon), q)  # type: ignore[misc]
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
    if args.pages:
        pages(root, args.pages, day, year)
    return 0


def _person(ids: list[int], i: int) -> int:
    """A person that exists: the i-th drawn id, or the next one above it."""
    from thidua.people.models import Person

    found: int = Person.objects.filter(pk__gte=ids[i % len(ids)]).order_by("pk").values_list(
        "pk", flat=True).first() or 1
    return found


def pages(root: Any, requests: int, day: dt.date, year: int) -> None:
    """(e): the pages, interleaved, beside the two trivial views."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from thidua.accounts.models import RoleGrant
    from thidua.org.models import Unit, UnitVersion

    user, _ = get_user_model().objects.get_or_create(username="bench_national")
    RoleGrant.objects.get_or_create(user=user, unit=root, role="officer")
    client, anonymous = Client(), Client()
    client.force_login(user)
    alive = UnitVersion.objects.at(day)
    # the province with the most direct children, and its cấp trên with the most
    province = max(Unit.objects.filter(type="ldld_tinh", valid_to__isnull=True),
                   key=lambda u: alive.filter(parent=u).count())
    above = max(Unit.objects.filter(type="cap_tren_co_so", path__startswith=province.path,
                                    valid_to__isnull=True),
                key=lambda u: alive.filter(parent=u).count())
    rng = random.Random(2)
    cdcs = list(alive.filter(unit__type="cdcs").values_list("unit__code", flat=True))
    grassroots = rng.sample(cdcs, min(requests, len(cdcs)))
    from thidua.people.models import Person
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    people = [rng.randint(1, last) for _ in range(requests + 1)]
    when = {"ngay": day.isoformat()}
    plan: dict[str, Callable[[int], tuple[Any, str, dict[str, str]]]] = {
        "trivial: trang đăng nhập": lambda i: (anonymous, reverse("login"), {}),
        "trivial, đã đăng nhập: đổi mật khẩu": lambda i: (client, reverse("password_change"), {}),
        "cây đơn vị (/don-vi/)": lambda i: (client, reverse("org:tree"), when),
        "trang đơn vị TLĐ": lambda i: (client, reverse("org:unit", args=[root.code]), when),
        f"trang LĐLĐ tỉnh ({province.code})": lambda i: (
            client, reverse("org:unit", args=[province.code]), when),
        f"trang cấp trên ({above.code})": lambda i: (
            client, reverse("org:unit", args=[above.code]), when),
        # the page draws 50 children; "Xem thêm" loads the next 50 (HTMX)
        f"«Xem thêm» đơn vị 51–100 của {above.code}": lambda i: (
            client, reverse("org:tree-children", args=[above.code]), {**when, "tu": "50"}),
        "trang một CĐCS (mỗi lần một CĐCS khác)": lambda i: (
            client, reverse("org:unit", args=[grassroots[i % len(grassroots)]]), when),
        # the commendation lists: since session 41 the national data has proposals
        "hồ sơ đề nghị khen thưởng (trang đầu)": lambda i: (
            client, reverse("honours:proposals"), {}),
        "quyết định khen thưởng (trang đầu)": lambda i: (
            client, reverse("honours:decisions"), {}),
        "tìm đoàn viên (cả nước, trang đầu)": lambda i: (
            client, reverse("people:list"), {"q": NAMES[i % len(NAMES)]}),
        # pages with a unit field: every unit of the scope in a select before session 42
        "trang một người (mỗi lần một người khác)": lambda i: (
            client, reverse("people:detail", args=[_person(people, i)]), {}),
        # read from the kept figures since ADR 0037 (a scan of the subtree's periods before);
        # the generator registers most people for this year (REGISTRATION_YEAR)
        f"đăng ký thi đua TLĐ {year}": lambda i: (
            client, reverse("movements:registration", args=[root.code, year]), {}),
        f"đăng ký thi đua {province.code} {year}": lambda i: (
            client, reverse("movements:registration", args=[province.code, year]),
            {}),
        f"thống kê khen thưởng TLĐ {year}": lambda i: (
            client, reverse("reports:statistics", args=[root.code, year]), {}),
    }
    samples: dict[str, list[float]] = {name: [] for name in plan}
    for i in range(requests + 1):
        for name, make in plan.items():
            who, url, query = make(i)
            began = time.perf_counter()
            response = who.get(url, query)
            elapsed = time.perf_counter() - began
            assert response.status_code == 200, (name, url, response.status_code)
            if i:
                samples[name].append(elapsed)
    base = p95(samples["trivial: trang đăng nhập"])
    logged_in = p95(samples["trivial, đã đăng nhập: đổi mật khẩu"])
    rows = [["trang", "p95", "trung vị", "so với đăng nhập", "so với đổi mật khẩu"]]
    for name, values in samples.items():
        rows.append([name, f"{vn(p95(values) * 1000, 1)} ms",
                     f"{vn(statistics.median(values) * 1000, 1)} ms",
                     f"{vn(p95(values) / base, 2)}×", f"{vn(p95(values) / logged_in, 2)}×"])
    print(f"pages, {requests} requests each (officer of {root.code}, date {day.isoformat()}):")
    print(table(rows))
    # the dashboard and the year-end report page of the whole nation: a few requests
    heavy = {f"bảng điều khiển TLĐ {year}": reverse("reports:dashboard", args=[root.code, year]),
             f"báo cáo tổng kết TLĐ {year}": reverse("reports:summary", args=[root.code, year])}
    for name, url in heavy.items():
        times = []
        for _ in range(3):
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, (name, response.status_code)
        print(f"{name}: {' / '.join(vn(t, 2) for t in times)} s")


if __name__ == "__main__":
    sys.exit(main())
