"""The year-end report's awards (`honours.selectors_lists.award_counts`, read from the kept
award figures, ADR 0034) beside a hand-written count of the awards themselves.

    .venv/bin/python bench/bench_awards.py [--reuse DATABASE | --members 1000000] [--year 2024]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

On a database kept by `bench_report.py --keep` (its awards, decisions and kept figures), or
one built the same way in a fresh database (`--members`, then the award figures rebuilt), times,
alternating, best and median of `--repeat`, for the root's subtree as it stood on 31/12 of
`--year`, over that year and over the five years to it (a congress term's report):
(a) `award_counts(unit_ids=subtree, years, day)`: the kept figures summed, the issuers read;
(b) the baseline: one GROUP BY over `honours_award` (not revoked) whose home unit is in the
    subtree, by issuer and form, with the issuer's name on the day — what the report ran
    before the figures were kept.
Both must give the same rows (issuer, form, collectives, individuals; exit 1 otherwise); prints
the ratio. No target of its own: issue 13 §1's is the pages' (`bench_pages.py`)."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from typing import Any

from bench_counts import build_tree
from bench_report import SUBTREE, fill_year, reuse_database
from common import database_label, fresh_database, table, vn

BASELINE = SUBTREE + """
SELECT u.code, a.form,
       SUM(CASE WHEN a.subject_unit_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.person_id IS NOT NULL THEN 1 ELSE 0 END)
FROM honours_award a JOIN org_unit u ON u.id = a.issuer_id
LEFT JOIN org_unitversion v ON v.unit_id = u.id AND v.valid_from <= %(day)s
     AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
WHERE a.home_unit_id IN (SELECT unit_id FROM sub) AND a.year IN ({years}) AND NOT a.revoked
GROUP BY u.code, COALESCE(v.name, u.name), a.form"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", metavar="DATABASE")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if args.reuse:
        reuse_database(args.reuse)
        return run(args)
    cleanup = fresh_database("awards")
    try:
        from thidua.honours.figures import rebuild

        fill_year(build_tree(args.members), args.year)
        rebuild()
        return run(args)
    finally:
        cleanup()


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    from thidua.honours.selectors_lists import award_counts
    from thidua.org.models import Unit, UnitVersion

    root = Unit.objects.get(code="BENCH")
    day = dt.date(args.year, 12, 31)
    version = root.versions.get(valid_to__isnull=True)
    subtree = UnitVersion.objects.at(day).subtree(version.path).values("unit_id")
    rows = [["năm", "award_counts (trung vị / tốt nhất)", "baseline (trung vị / tốt nhất)",
             "tỉ lệ trung vị", "khen thưởng"]]
    worst = 0.0
    for years in ([args.year], list(range(args.year - 4, args.year + 1))):
        params = {"like": version.path + "%", "day": day}
        sql = BASELINE.replace("{hint}", "NOT MATERIALIZED" if connection.vendor == "postgresql"
                               else "").replace("{years}", ", ".join(map(str, years)))

        def ours(years: list[int] = years) -> Any:
            return award_counts(unit_ids=subtree, years=years, day=day)

        def theirs(sql: str = sql, params: dict[str, Any] = params) -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        times: dict[str, list[float]] = {"ours": [], "base": []}
        got, base = ours(), theirs()  # warm
        for _ in range(args.repeat):
            for name, run in (("ours", ours), ("base", theirs)):
                started = time.perf_counter()
                result = run()
                times[name].append(time.perf_counter() - started)
                if name == "ours":
                    got = result
                else:
                    base = result
        mine = sorted((r["issuer"], r["form"], r["collectives"], r["individuals"]) for r in got)
        assert mine == sorted((c, f, int(t), int(i)) for c, f, t, i in base), "totals differ"
        ratio = statistics.median(times["ours"]) / statistics.median(times["base"])
        worst = max(worst, ratio)
        rows.append([f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
                     f"{vn(statistics.median(times['ours']) * 1000, 1)} / "
                     f"{vn(min(times['ours']) * 1000, 1)} ms",
                     f"{vn(statistics.median(times['base']) * 1000, 1)} / "
                     f"{vn(min(times['base']) * 1000, 1)} ms",
                     f"{vn(ratio, 2)}×", vn(sum(r[2] + r[3] for r in mine))])
    print(f"{database_label()}: {args.reuse or vn(args.members) + ' đoàn viên'}")
    print(table(rows))
    print(f"awards: award_counts(root) at most {vn(worst, 2)}× the count over honours_award")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
