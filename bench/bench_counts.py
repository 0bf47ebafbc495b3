"""Subtree counts of every node of a large tree, beside one hand-written GROUP BY.

    .venv/bin/python bench/bench_counts.py [--members 1000000] [--date 2024-12-31] [--repeat 3]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

Builds, in a fresh database, 1 province → ~30 cấp trên → ~3.000 CĐCS → ~15.000 tổ công đoàn
with about `--members` union members (plus 2 % workers who are not members, some people who
left in 2019, some suspended members, some units renamed in 2020), then times:

(a) `people.rollup.subtree_counts_all(day)` (read from the maintained figures): workers, women, members, women members and members by
    status of the subtree of every node, as the tree stood at the date;
(b) the baseline: the same direct counts per unit written by hand — one GROUP BY unit_id over
    employments and one over memberships at the date, joined to the unit versions of the date
    and to people (for women) — without any roll-up to the ancestors;
(c) `people.stats.unit_stats` of the root.
The fixture bypasses the services, so it ends with `figures_rebuild` (timed apart).
Each is run `--repeat` times (alternating) and the best time is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from common import database_label, fresh_database, peak_rss_mb, table, timer, vn

D = dt.date
START = D(2015, 1, 1)
STEPS = (30, 100, 5)  # children per node: cấp trên per province, CĐCS per cấp trên, tổ per CĐCS

BASELINE_SQL = """
SELECT t.unit_id, COUNT(*), SUM(CASE WHEN p.gender = 'nu' THEN 1 ELSE 0 END){extra}
FROM {table} t
JOIN org_unitversion v ON v.unit_id = t.unit_id
     AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
JOIN people_person p ON p.id = t.person_id
WHERE t.valid_from <= %s AND (t.valid_to IS NULL OR t.valid_to > %s)
GROUP BY t.unit_id
"""


def insert(model: type, fields: list[str], rows: list[tuple]) -> None:
    """Raw bulk insert (COPY on PostgreSQL, executemany on SQLite).

    This is a benchmark fixture: it bypasses the services on purpose (a million people through
    the import would take minutes and measure something else)."""
    from django.db import connection

    meta = model._meta
    columns = ", ".join(meta.get_field(f).column for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {meta.db_table} ({columns}) VALUES ({marks})"
            for i in range(0, len(rows), 50_000):
                cursor.executemany(sql, rows[i:i + 50_000])


def build_tree(members: int) -> dict[str, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from thidua.org.models import Unit, UnitVersion
    from thidua.people.models import Employment, Membership, Person
    from thidua.platform.collation import person_order_key

    rng = random.Random(1_000_000)
    ops = connection.ops
    day = ops.adapt_datefield_value
    now = ops.adapt_datetimefield_value(timezone.now())
    scale = members / 1_000_000
    n_cap = max(1, round(STEPS[0] * scale))
    n_cdcs = max(1, round(STEPS[1] * STEPS[0] * scale / n_cap))

    units: list[tuple] = []  # id, path, depth, numchild, code, name, type, valid_from
    versions: list[tuple] = []
    leaves: list[int] = []  # units where people sit (tổ, and the CĐCS themselves)
    renamed = D(2020, 1, 1)

    def add(path: str, depth: int, numchild: int, code: str, name: str, type_: str,
            parent: int | None) -> int:
        uid = len(units) + 1
        units.append((uid, path, depth, numchild, code, name, "", type_, day(START), None, now))
        if type_ == "cdcs" and rng.random() < 0.05:
            versions.append((uid, parent, name, "", path, depth, day(START), day(renamed)))
            versions.append((uid, parent, name + " (tên mới)", "", path, depth, day(renamed), None))
        else:
            versions.append((uid, parent, name, "", path, depth, day(START), None))
        return uid

    root_path = Unit._get_path("", 1, 1)
    root = add(root_path, 1, n_cap, "BENCH", "Liên đoàn Lao động tỉnh (thử tải)", "ldld_tinh",
               None)
    for c in range(1, n_cap + 1):
        cap_path = Unit._get_path(root_path, 2, c)
        cap = add(cap_path, 2, n_cdcs, f"B-{c}", f"Công đoàn cấp trên {c}", "cap_tren_co_so",
                  root)
        for s in range(1, n_cdcs + 1):
            cdcs_path = Unit._get_path(cap_path, 3, s)
            n_to = STEPS[2]
            cdcs = add(cdcs_path, 3, n_to, f"B-{c}-{s}", f"Công đoàn cơ sở {c}.{s}", "cdcs", cap)
            leaves.append(cdcs)
            for t in range(1, n_to + 1):
                leaves.append(add(Unit._get_path(cdcs_path, 4, t), 4, 0, f"B-{c}-{s}-{t}",
                                  f"Tổ công đoàn {c}.{s}.{t}", "to_cd", cdcs))

    workers = members + members // 50
    left = day(D(2019, 6, 30))
    with transaction.atomic():
        insert(Unit, ["id", "path", "depth", "numchild", "code", "name", "short_name", "type",
                      "valid_from", "valid_to", "created_at"], units)
        insert(UnitVersion, ["unit", "parent", "name", "short_name", "path", "depth",
                             "valid_from", "valid_to"], versions)
        for first in range(1, workers + 1, 100_000):  # in chunks: memory stays flat
            people, employments, memberships = [], [], []
            for pid in range(first, min(first + 100_000, workers + 1)):
                female = rng.random() < 0.6
                birth = D(1960 + rng.randrange(40), 1, 1) + dt.timedelta(days=rng.randrange(365))
                people.append((pid, f"Người lao động {pid}", f"nguoi lao dong {pid}",
                               person_order_key(f"Người lao động {pid}"), day(birth),
                               "nu" if female else "nam", f"0{pid:011d}", "Kinh", "Chuyên viên",
                               "", "", None, None, 1, now, now))
                unit = rng.choice(leaves)
                gone = rng.random() < 0.02
                employments.append((pid, pid, unit, day(START), left if gone else None))
                if pid <= members:
                    status = "suspended" if rng.random() < 0.01 else "active"
                    memberships.append((pid, pid, unit, status, "join", "", day(START),
                                        left if gone else None, ""))
            insert(Person, ["id", "full_name", "name_folded", "sort_name", "birth_date", "gender",
                            "cccd",
                            "ethnicity", "position", "phone", "email", "member_code", "user",
                            "version", "created_at", "updated_at"], people)
            insert(Employment, ["id", "person", "unit", "valid_from", "valid_to"], employments)
            insert(Membership, ["id", "person", "unit", "status", "opened_by", "closed_by",
                                "valid_from", "valid_to", "note"], memberships)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # the rows above bypass the services, so the maintained figures are recomputed in bulk
    from thidua.people.services import figures_rebuild

    started = time.perf_counter()
    figure_rows = figures_rebuild(actor=None)
    rebuilt = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"units": len(units), "root": root, "workers": workers, "members": members,
            "figure_rows": figure_rows, "rebuild_seconds": rebuilt}


def baseline(day: dt.date) -> dict[int, tuple]:
    from django.db import connection

    out: dict[int, tuple] = {}
    params = [day, day, day, day]
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL.format(table="people_employment", extra=""), params)
        for unit_id, n, women in cursor.fetchall():
            out[unit_id] = (n, women)
        extra = ", SUM(CASE WHEN t.status = 'suspended' THEN 1 ELSE 0 END)"
        cursor.execute(BASELINE_SQL.format(table="people_membership", extra=extra), params)
        for unit_id, n, women, suspended in cursor.fetchall():
            out[unit_id] = (*out.get(unit_id, (0, 0)), n, women, suspended)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=D(2024, 12, 31))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    cleanup = fresh_database("counts")
    try:
        from thidua.org.models import Unit
        from thidua.people.rollup import subtree_counts_all
        from thidua.people.stats import unit_stats

        with timer() as t_build:
            built = build_tree(args.members)
        print(f"{database_label()}: cây thử tải {vn(built['units'])} đơn vị, "
              f"{vn(built['workers'])} CBCCVCLĐ, {vn(built['members'])} đoàn viên "
              f"— dựng trong {vn(t_build['seconds'], 1)} s (trong đó figures_rebuild "
              f"{vn(built['rebuild_seconds'], 1)} s, {vn(built['figure_rows'])} dòng số liệu)",
              flush=True)
        root = Unit.objects.get(pk=built["root"])
        best = {"rollup": float("inf"), "baseline": float("inf"), "root": float("inf")}
        for _ in range(args.repeat):
            with timer() as t:
                direct = baseline(args.date)
            best["baseline"] = min(best["baseline"], t["seconds"])
            with timer() as t:
                counts = subtree_counts_all(day=args.date)
            best["rollup"] = min(best["rollup"], t["seconds"])
            with timer() as t:
                stats = unit_stats(root, args.date)
            best["root"] = min(best["root"], t["seconds"])
        # the three agree
        top = counts[root.pk]
        assert top["workers"] == stats["workers"] == sum(v[0] for v in direct.values())
        assert top["members"] == stats["members"] == sum(v[2] for v in direct.values()
                                                         if len(v) > 2)
        assert top["women"] == stats["women"]
        ratio = best["rollup"] / best["baseline"]
        rows = [
            ["phép đo", "thời gian", "ghi chú"],
            ["subtree_counts_all (mọi nút)", f"{vn(best['rollup'], 2)} s",
             f"{vn(len(counts))} nút"],
            ["baseline: GROUP BY viết tay", f"{vn(best['baseline'], 2)} s",
             f"{vn(len(direct))} đơn vị có người (chưa cộng dồn)"],
            ["unit_stats(gốc)", f"{vn(best['root'], 2)} s",
             f"{vn(stats['members'])} đoàn viên tại {args.date.strftime('%d/%m/%Y')}"],
        ]
        print(table(rows))
        print(f"counts: {vn(len(counts))} nodes in {vn(best['rollup'], 2)} s; "
              f"baseline {vn(best['baseline'], 2)} s; ratio {vn(ratio, 2)}× (target ≤ 1,5×); "
              f"unit_stats(root) {vn(best['root'], 2)} s; peak RSS {vn(peak_rss_mb())} MB")
        return 0 if ratio <= 1.5 else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
