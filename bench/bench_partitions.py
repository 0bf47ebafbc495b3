"""Does partitioning the yearly tables by year help the queries the pages make? (issue 13 §5)

    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua python bench/bench_partitions.py \
        [--persons 1000000] [--years 5] [--repeat 5]

On a fresh PostgreSQL database it builds the shape of `evaluation_rating` (the largest yearly
table: one row per person and year; titles, awards and audit entries are smaller or read the
same way) twice with the same rows: as one table with the app's indexes (the baseline) and
partitioned by LIST (year), one partition per year, with the same indexes. It then times, warm,
the median of --repeat runs of each query a page makes:
  * the whole nation's figures of a year (dashboard / year-end report of the TLĐ),
  * a provincial federation's figures of a year (~1/60 of the units),
  * one CĐCS's year (its page, its review),
  * one person's history over all years (the person's page, the rules engine),
  * removing the oldest year (archiving: DELETE against DETACH PARTITION; rolled back).
Ratios are partitioned / one table: below 1 partitioning helps."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import table, vn  # noqa: E402

COLUMNS = """person_id bigint NOT NULL, year smallint NOT NULL, unit_id integer NOT NULL,
    code varchar(6) NOT NULL, absence_days smallint NOT NULL, maternity_days smallint NOT NULL,
    note varchar(255) NOT NULL"""


def build(cur: psycopg.Cursor, persons: int, first: int, years: int) -> None:
    cur.execute(f"CREATE TABLE r_one (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, {COLUMNS})")
    cur.execute(f"CREATE TABLE r_part (id bigint GENERATED ALWAYS AS IDENTITY, {COLUMNS}, "
                "PRIMARY KEY (id, year)) PARTITION BY LIST (year)")
    for y in range(first, first + years):
        cur.execute(f"CREATE TABLE r_part_{y} PARTITION OF r_part FOR VALUES IN ({y})")
    # ~90 people per CĐCS; codes spread as the year-end review spreads them
    rows = f"""SELECT p, y, (p / 90)::int,
        (ARRAY['HTXS','HTT','HTT','HTT','HT','HT','KHT'])[1 + (hashint4((p * 7 + y)::int) & 2147483647) % 7],
        ((p + y) % 20)::smallint, 0::smallint, ''
        FROM generate_series(1, {persons}) p, generate_series({first}, {first + years - 1}) y"""
    for t in ("r_one", "r_part"):
        cur.execute(f"INSERT INTO {t} (person_id, year, unit_id, code, absence_days, "
                    f"maternity_days, note) {rows}")
        # the app's own indexes (evaluation.Rating): UNIQUE (person, year), (unit, year)
        cur.execute(f"CREATE UNIQUE INDEX ON {t} (person_id, year)")
        cur.execute(f"CREATE INDEX ON {t} (unit_id, year)")
        cur.execute(f"VACUUM ANALYZE {t}")


def timed(cur: psycopg.Cursor, sql: str, repeat: int) -> float:
    runs = []
    cur.execute(sql)  # warm
    cur.fetchall()
    for _ in range(repeat):
        start = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def archive(conn: psycopg.Connection, sql: str) -> float:
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        start = time.perf_counter()
        cur.execute(sql)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = urlparse(os.environ.get("THIDUA_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    dsn = f"host={url.hostname or '127.0.0.1'} port={url.port or 5432} user={url.username or 'postgres'}"
    db = f"thidua_bench_partitions_{os.getpid()}"
    with psycopg.connect(dsn + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {db}")
    first, last = 2020, 2020 + args.years - 1
    units = args.persons // 90
    try:
        with psycopg.connect(f"{dsn} dbname={db}", autocommit=True) as conn:
            with conn.cursor() as cur:
                start = time.perf_counter()
                build(cur, args.persons, first, args.years)
                built = time.perf_counter() - start
                fed = (units // 2, units // 2 + units // 60)
                queries = {
                    "the nation's figures of a year":
                        f"SELECT code, count(*) FROM {{t}} WHERE year = {last} GROUP BY code",
                    "a federation's figures of a year (1/60 of the units)":
                        f"SELECT code, count(*) FROM {{t}} WHERE year = {last} AND unit_id "
                        f"BETWEEN {fed[0]} AND {fed[1]} GROUP BY code",
                    "one CĐCS's year":
                        f"SELECT * FROM {{t}} WHERE year = {last} AND unit_id = {units // 3}",
                    "one person's history, all years":
                        f"SELECT * FROM {{t}} WHERE person_id = {args.persons // 2} ORDER BY year",
                }
                rows = [["query", "one table", "partitioned", "partitioned / one"]]
                for label, sql in queries.items():
                    one = timed(cur, sql.format(t="r_one"), args.repeat)
                    part = timed(cur, sql.format(t="r_part"), args.repeat)
                    rows.append([label, f"{vn(one * 1000, 2)} ms", f"{vn(part * 1000, 2)} ms",
                                 vn(part / one, 2)])
                # the stronger baseline: one table with an index for that query
                cur.execute("CREATE INDEX ON r_one (year, code)")
                cur.execute("VACUUM ANALYZE r_one")
                sql = queries["the nation's figures of a year"]
                one = timed(cur, sql.format(t="r_one"), args.repeat)
                part = timed(cur, sql.format(t="r_part"), args.repeat)
                rows.append(["the nation's year, one table with an index (year, code)",
                             f"{vn(one * 1000, 2)} ms", f"{vn(part * 1000, 2)} ms",
                             vn(part / one, 2)])
            one = archive(conn, f"DELETE FROM r_one WHERE year = {first}")
            part = archive(conn, f"ALTER TABLE r_part DETACH PARTITION r_part_{first}")
            rows.append([f"remove the year {first} (rolled back)", f"{vn(one * 1000, 1)} ms",
                         f"{vn(part * 1000, 1)} ms", vn(part / one, 4)])
            with conn.cursor() as cur:
                cur.execute("SELECT pg_total_relation_size('r_one'), "
                            "(SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                            "WHERE inhparent = 'r_part'::regclass)")
                size_one, size_part = cur.fetchone()  # type: ignore[misc]
    finally:
        with psycopg.connect(dsn + " dbname=postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db}")
    print(f"{vn(args.persons * args.years)} ratings ({vn(args.persons)} persons × {args.years} "
          f"years), built both ways in {vn(built, 1)} s; sizes {vn(size_one / 2**20)} MB / "
          f"{vn(size_part / 2**20)} MB; median of {args.repeat} warm runs")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
