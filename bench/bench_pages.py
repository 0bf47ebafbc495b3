"""The tree page and a unit's page on a large database, beside a trivial view in the same run.

    .venv/bin/python bench/bench_pages.py [--members 1000000] [--requests 30]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

Builds the tree of `bench_counts.py` (1 province → ~30 cấp trên → ~3.000 CĐCS → ~15.000 tổ with
`--members` union members; raw bulk inserts, then `figures_rebuild`), logs the Django test
Client in as an officer of the root, and requests, interleaved, `--requests` times each:

- the trivial view: the login page (a form, no query of the roster), which the target is
  measured against;
- a second trivial view, for the same logged-in officer: the password-change form (the
  session and the user are read, as on every page the officer opens): printed beside, so the
  share of a page that is the login itself is visible;
- the tree page (`/don-vi/`): the root with its ~30 children and their figures;
- the root's unit page (`/don-vi/BENCH/`): its figures, unit types, children;
- a cấp trên's unit page (`/don-vi/B-1/`): the same one level down, ~100 children;
- the member list (`/nguoi-lao-dong/`) of the whole root and of one cấp trên: the first page of
  50 in Vietnamese name order, with the total; then the same searched for "lao động 3".

It prints each page's p95 and its ratio to the trivial view's p95; target ≤ 3× (exit 1 when
missed). The first request of each is a warm-up and is not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from bench_counts import build_tree
from common import database_label, fresh_database, peak_rss_mb, table, timer, vn

TARGET = 3.0


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2024, 12, 31))
    args = parser.parse_args()

    cleanup = fresh_database("pages")
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from thidua.accounts.models import RoleGrant
        from thidua.org.models import Unit

        with timer() as t_build:
            built = build_tree(args.members)
        print(f"{database_label()}: cây thử tải {vn(built['units'])} đơn vị, "
              f"{vn(built['workers'])} CBCCVCLĐ, {vn(built['members'])} đoàn viên — dựng trong "
              f"{vn(t_build['seconds'], 1)} s (figures_rebuild {vn(built['rebuild_seconds'], 1)} "
              f"s, {vn(built['figure_rows'])} dòng)", flush=True)
        from django.db import connection

        if connection.vendor == "postgresql":
            # autovacuum analyzes a production database's tables; the fixture's bulk writes
            # leave them without statistics until it comes round
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        root = Unit.objects.get(pk=built["root"])
        user = get_user_model().objects.create_user("canbo_bench", password="x")
        RoleGrant.objects.create(user=user, unit=root, role="officer")
        client = Client()
        client.force_login(user)
        anonymous = Client()
        day = {"ngay": args.date.isoformat()}
        pages = {
            "trivial: trang đăng nhập": (anonymous, reverse("login"), {}),
            "trivial, đã đăng nhập: đổi mật khẩu": (client, reverse("password_change"), {}),
            "cây đơn vị (/don-vi/)": (client, reverse("org:tree"), day),
            "trang đơn vị gốc": (client, reverse("org:unit", args=[root.code]), day),
            "trang một cấp trên cơ sở": (client, reverse("org:unit", args=["B-1"]), day),
            # a page of 50 in Vietnamese name order: walks the `person_order` index
            "danh sách người lao động (gốc)": (client, reverse("people:list"), day),
            "danh sách người lao động (cấp trên)": (client, reverse("people:list"),
                                                    day | {"don_vi": "B-1"}),
            # a search: ~11 % of the people match, 3.645 of the cấp trên's 33.906 at 1 M
            "tìm «lao động 3» (gốc)": (client, reverse("people:list"), day | {"q": "lao động 3"}),
            "tìm «lao động 3» (cấp trên)": (client, reverse("people:list"),
                                            day | {"don_vi": "B-1", "q": "lao động 3"}),
        }
        samples: dict[str, list[float]] = {name: [] for name in pages}
        for i in range(args.requests + 1):
            for name, (who, url, query) in pages.items():
                started = time.perf_counter()
                response = who.get(url, query)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (name, response.status_code)
                if i:
                    samples[name].append(elapsed)
        base = p95(samples["trivial: trang đăng nhập"])
        logged_in = p95(samples["trivial, đã đăng nhập: đổi mật khẩu"])
        rows = [["trang", "p95", "trung vị", "so với trang đăng nhập", "so với trang đổi mật khẩu"]]
        worst = worst_logged_in = 0.0
        for name, values in samples.items():
            ratio = p95(values) / base
            if not name.startswith("trivial"):
                worst = max(worst, ratio)
                worst_logged_in = max(worst_logged_in, p95(values) / logged_in)
            rows.append([name, f"{vn(p95(values) * 1000, 1)} ms",
                         f"{vn(sorted(values)[len(values) // 2] * 1000, 1)} ms",
                         f"{vn(ratio, 2)}×", f"{vn(p95(values) / logged_in, 2)}×"])
        print(table(rows))
        # the figures' share of a page: the reads the pages make, timed alone
        from thidua.org.selectors import kept_children, kept_subtree, version_at

        version = version_at(root, args.date)
        assert version is not None
        reads: dict[str, list[float]] = {"kept_subtree(gốc)": [], "kept_children(gốc)": []}
        for _ in range(args.requests):
            with timer() as t:
                kept_subtree(unit_path=version.path, day=args.date)
            reads["kept_subtree(gốc)"].append(t["seconds"])
            with timer() as t:
                kept_children(version, args.date)
            reads["kept_children(gốc)"].append(t["seconds"])
        print("; ".join(f"{name} p95 {vn(p95(v) * 1000, 2)} ms" for name, v in reads.items()))
        print(f"pages: {vn(args.members)} members, {args.requests} requests each; worst page p95 "
              f"{vn(worst, 2)}× the login page's (target ≤ {vn(TARGET, 0)}×), "
              f"{vn(worst_logged_in, 2)}× the logged-in password form's; peak RSS "
              f"{vn(peak_rss_mb())} MB")
        return 0 if worst <= TARGET else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
