"""`thidua dump` / `thidua load` of the whole tree beside a raw copy of the same rows.

    .venv/bin/python bench/bench_exchange.py [--scale 0.005] [--phases]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

Builds the national data set at `--scale` in a fresh database (`thidua national`), then times:
(a) `exchange_dump` of everything (units, unit versions, people, employments, memberships,
    ratings, titles, decisions, awards, award changes, initiatives with their authors, trial
    participants, recognitions and uses, the report's Party candidates, family titles, welfare
    activities and beneficiaries, the registrations with their titles, commitments and pledges,
    the movements, plans and their deployments, the CĐCS grading templates, criteria, gradings
    and answers) against the baseline: the same thirty-one tables' rows written out raw — COPY … TO
    STDOUT on PostgreSQL, SELECT + csv.writer on SQLite;
(b) after emptying the database, the baseline load: those raw rows written back into the same
    tables — COPY … FROM STDIN on PostgreSQL, executemany on SQLite (the strongest plain way on
    each); then, emptied again, `exchange_load` of the dump (validation, new ids and paths,
    COPY/executemany, the kept figures of the loaded people and awards, one audit entry).
    Target: each ≤ 2× its baseline. The load writes the kept figures (`org_figuredelta`, ADR
    0025, the title figures `evaluation_titlefigure`, ADR 0031, the award figures
    `honours_awardfigure`, ADR 0034, their subtree sums `org_subtreefigure`, ADR 0036, who has
    registered `org_datedfigure`, ADR 0037), the
    issuers' number sequences and the certificates beside
    the thirty-one tables, so the baseline writes those tables' rows too: the same rows into
    the same tables (since format version 7 the load also writes the subtree sums of the
    launches and the CĐCS gradings: all of `org_subtreefigure`).
    (The load also records the new initiatives for the novelty index, one row each, which the
    baseline does not write.)
`--phases`: afterwards, one more load with each of its steps timed, and one more raw copy with
its commit timed (where the time of a load beyond the raw copy goes; not the measured runs).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

from common import database_label, fresh_database, peak_rss_mb, table, timer, vn

NULL = "\\N"
TABLES = ["org_unit", "org_unitversion", "people_person", "people_employment",
          "people_membership", "evaluation_rating", "evaluation_titleresult", "honours_decision",
          "honours_award", "honours_awardchange", "initiatives_initiative", "initiatives_author",
          "initiatives_trialparticipant", "initiatives_recognition", "initiatives_initiativeuse",
          "reports_partycandidate", "reports_familyculturetitle", "reports_welfareactivity",
          "reports_beneficiary", "movements_registration", "movements_registeredtitle",
          "movements_commitment", "movements_pledge", "movements_movement", "movements_plan",
          "movements_plan_movements", "movements_deployment", "evaluation_gradingtemplate",
          "evaluation_gradingcriterion", "evaluation_grading", "evaluation_gradinganswer",
          "initiatives_attachment", "movements_attachment", "councils_council",
          "councils_member", "initiatives_criterion", "councils_subject", "initiatives_review",
          "councils_vote", "initiatives_score", "evaluation_review", "evaluation_candidate",
          "evaluation_reviewevent", "honours_proposal", "honours_candidate",
          "honours_dossieritem", "honours_deadline", "platform_transitionevent",
          "clusters_clusterrules", "clusters_cluster", "clusters_membership",
          "clusters_criterion", "clusters_unittarget", "clusters_score", "clusters_nomination"]


def columns(name: str) -> list[str]:
    from django.apps import apps
    from django.db import connection

    model = next(m for m in apps.get_models(include_auto_created=True)
                 if m._meta.db_table == name)
    # quoted: a column may be named as a keyword ("order")
    return [connection.ops.quote_name(f.column) for f in model._meta.concrete_fields]


# not tables of the exchange format: the load computes them (the kept figures, the issuers'
# numbering) or writes them from a column (the certificates' codes)
FIGURES = ["org_figuredelta", "org_figureyear", "org_subtreefigure", "evaluation_titlefigure",
           "honours_awardfigure", "honours_numbersequence", "honours_certificate",
           "reports_yearfigure", "org_datedfigure"]


def raw_out(folder: Path) -> dict[str, int]:
    from django.db import connection

    rows = {}
    with connection.cursor() as cursor:
        for name in [*TABLES, *FIGURES]:
            cols = ", ".join(columns(name))
            with (folder / f"{name}.csv").open("wb") as out:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(
                            f"COPY (SELECT {cols} FROM {name}) TO STDOUT "
                            "WITH (FORMAT csv)") as cp:
                        for block in cp:
                            out.write(block)
                    rows[name] = cursor.cursor.rowcount
                    continue
                cursor.execute(f"SELECT {cols} FROM {name}")  # noqa: S608
                rows[name] = 0
                with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as text:
                    writer = csv.writer(text)
                    while batch := cursor.fetchmany(5000):
                        # NULL apart from empty text, as COPY's csv format does
                        writer.writerows([NULL if v is None else v for v in r] for r in batch)
                        rows[name] += len(batch)
    return rows


def raw_in(folder: Path) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for name in [*TABLES, *FIGURES]:
            cols = columns(name)
            if connection.vendor == "postgresql":
                with (folder / f"{name}.csv").open("rb") as src, cursor.cursor.copy(
                        f"COPY {name} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)") as cp:
                    while block := src.read(1 << 20):
                        cp.write(block)
                continue
            sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as src:
                reader = csv.reader(src)
                batch: list[list[str | None]] = []
                for row in reader:
                    batch.append([None if v == NULL else v for v in row])
                    if len(batch) == 5000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)


def raw_commit(folder: Path) -> tuple[float, float]:
    """The raw copy once more: (its time, its commit's), the commit being where PostgreSQL
    checks the deferred foreign keys of the rows, as it does for the load's."""
    import time

    from django.db import connection

    empty()
    spent = [0.0]
    commit = connection.commit

    def timed() -> None:
        start = time.perf_counter()
        commit()
        spent[0] += time.perf_counter() - start

    connection.commit = timed  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        raw_in(folder)
        return time.perf_counter() - start, spent[0]
    finally:
        del connection.commit


def load_phases(source: Path) -> list[tuple[str, float]]:
    """`exchange_load` once more, its steps timed by wrappers (no profiler: cProfile inflates
    the per-cell Python work several times): the commit (where PostgreSQL checks the deferred
    foreign keys), the roster's kept figures, reading the files, each other app's table…"""
    import time
    from collections import Counter
    from collections.abc import Callable
    from typing import Any

    from django.db import connection

    from thidua.people.services import exchange

    spent: Counter[str] = Counter()

    def timed(label: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start
        return run

    steps = {"_rows": "đọc và kiểm tra các tệp", "_check_references": "kiểm tra tham chiếu",
             "_check_conflicts": "kiểm tra trùng mã, CCCD",
             "insert_rows": "COPY đơn vị, phiên bản, người, quá trình",
             "units_figures_add": "số liệu giữ sẵn: đơn vị",
             "people_figures_add": "số liệu giữ sẵn: người lao động, đoàn viên",
             "fresh_statistics": "ANALYZE các bảng vừa ghi"}
    saved = {name: getattr(exchange, name) for name in steps}
    loads = {name: e.load for name, e in exchange.EXTENSIONS.items()}
    empty()
    try:
        for name, label in steps.items():
            setattr(exchange, name, timed(label, saved[name]))
        for name, e in exchange.EXTENSIONS.items():
            object.__setattr__(e, "load", timed(f"bảng {name} và số liệu của nó", loads[name]))
        # on the instance: the transaction's end calls connection.commit()
        connection.commit = timed("COMMIT (kiểm tra khóa ngoại hoãn lại)",  # type: ignore[method-assign]
                                  connection.commit)
        start = time.perf_counter()
        exchange.exchange_load(actor=None, source=source)
        total = time.perf_counter() - start
    finally:
        for name, f in saved.items():
            setattr(exchange, name, f)
        for name, e in exchange.EXTENSIONS.items():
            object.__setattr__(e, "load", loads[name])
        del connection.commit  # the class's again
    rest = total - sum(spent.values())
    return [("thidua load (toàn bộ)", total), *spent.most_common(), ("còn lại", rest)]


def empty() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.005)
    parser.add_argument("--phases", action="store_true",
                        help="then load once more with each step timed (not the measured load)")
    args = parser.parse_args()
    cleanup = fresh_database("exchange")
    work = Path(tempfile.mkdtemp(prefix="thidua-bench-exchange-"))
    try:
        from thidua.demo.national.generate import national_generate
        from thidua.people.services.exchange import exchange_dump, exchange_load

        with timer() as t_gen:
            report = national_generate(scale=args.scale, seed=2025, say=lambda _: None)
        print(f"{database_label()}: hệ số {vn(args.scale, 3)}, {vn(report.persons)} người — "
              f"tạo trong {vn(t_gen['seconds'], 1)} s", flush=True)
        (work / "raw").mkdir()
        with timer() as t_raw_out:
            raw = raw_out(work / "raw")
        kept_rows = {name: raw.pop(name) for name in FIGURES}
        figure_rows = sum(kept_rows.values())
        raw_rows = sum(raw.values())
        with timer() as t_dump:
            counts = exchange_dump(actor=None, unit=None, out=work / "dump")
        assert sum(counts.values()) == raw_rows, (counts, raw_rows)
        empty()
        with timer() as t_raw_in:
            raw_in(work / "raw")
        empty()
        with timer() as t_load:
            loaded = exchange_load(actor=None, source=work / "dump")
        assert loaded == counts
        from django.db import connection

        with connection.cursor() as cursor:
            for name, rows in kept_rows.items():
                cursor.execute(f"SELECT COUNT(*) FROM {name}")  # noqa: S608
                assert cursor.fetchone()[0] == rows, (name, rows)
        out_ratio = t_dump["seconds"] / t_raw_out["seconds"]
        in_ratio = t_load["seconds"] / t_raw_in["seconds"]
        print(table([
            ["phép đo", "thời gian", "số dòng"],
            ["thidua dump (toàn bộ)", f"{vn(t_dump['seconds'], 2)} s", vn(raw_rows)],
            ["baseline: xuất thô cùng các dòng", f"{vn(t_raw_out['seconds'], 2)} s", vn(raw_rows)],
            ["thidua load (toàn bộ)", f"{vn(t_load['seconds'], 2)} s", vn(raw_rows)],
            ["baseline: ghi thô cùng các dòng", f"{vn(t_raw_in['seconds'], 2)} s",
             f"{vn(raw_rows)} + {vn(figure_rows)} số liệu"],
        ]))
        print(f"exchange: {vn(raw_rows)} rows (+ {vn(figure_rows)} rows of kept figures); dump {vn(out_ratio, 2)}× raw out, load "
              f"{vn(in_ratio, 2)}× raw in (target ≤ 2×); peak RSS {vn(peak_rss_mb())} MB")
        if args.phases:
            raw_s, raw_commit_s = raw_commit(work / "raw")
            print(table([["bước của lần nạp thêm", "thời gian"],
                         *([label, f"{vn(seconds, 2)} s"]
                           for label, seconds in load_phases(work / "dump")),
                         ["baseline: ghi thô cùng các dòng", f"{vn(raw_s, 2)} s"],
                         ["  trong đó COMMIT", f"{vn(raw_commit_s, 2)} s"]]))
        return 0 if out_ratio <= 2 and in_ratio <= 2 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
