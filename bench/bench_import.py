"""Members-list import through the real import path, beside a baseline measured in the same run.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--profile]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

1. Generates a roster of `--rows` people as .xlsx in the import layout (Vietnamese names with
   diacritics, real Excel dates, CCCD as text, a tổ công đoàn column).
2. Baselines: read that file with python-calamine and insert the same people into the same
   table (`people_person`) in a fresh database, with ONE `bulk_create` — and, as a stricter
   baseline, with one prepared INSERT run by executemany over all rows (no ORM at all).
3. The real path: `people.imports.roster_import_file` into a fresh database (validation,
   people, employments, memberships with member codes, the audit entry).
Each phase runs in its own process, so each peak memory (ru_maxrss) is its own. Target: the
import takes at most twice the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from common import fresh_database, peak_rss_mb, run_phase, setup_django, table, timer, vn

D = dt.date
HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Dân tộc", "Chức vụ",
           "Ngày vào Công đoàn", "Đoàn viên", "Tổ công đoàn", "Ghi chú"]
GROUPS = 10
EFFECTIVE = D(2024, 1, 1)
UNIT = "BENCH-CDCS"


def generate(path: Path, rows: int) -> dict[str, object]:
    import xlsxwriter

    setup_django()  # to load the demo's name generator
    from thidua.demo.builder import PeopleGenerator

    gen = PeopleGenerator(seed=rows)
    with timer() as t:
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Danh sách")
        date_format = book.add_format({"num_format": "dd/mm/yyyy"})
        sheet.write_row(0, 0, HEADERS)
        for i in range(1, rows + 1):
            p = gen.person(kind="office", women_share=0.6, born=(1962, 2002),
                           joined_by=EFFECTIVE - dt.timedelta(days=1), member=i % 50 != 0)
            sheet.write_number(i, 0, i)
            sheet.write_string(i, 1, p["full_name"])
            sheet.write_string(i, 2, p["gender"])
            sheet.write_datetime(i, 3, dt.datetime.combine(p["birth_date"], dt.time()),
                                 date_format)
            sheet.write_string(i, 4, p["cccd"])
            sheet.write_string(i, 5, p["ethnicity"])
            sheet.write_string(i, 6, p["position"])
            if p["join_date"]:
                sheet.write_datetime(i, 7, dt.datetime.combine(p["join_date"], dt.time()),
                                     date_format)
            sheet.write_string(i, 8, p["is_member"])
            if i % 5:
                sheet.write_string(i, 9, f"{UNIT}-T{i % GROUPS + 1:02d}")
        book.close()
    return {"seconds": t["seconds"], "bytes": path.stat().st_size, "rss_mb": peak_rss_mb()}


def baseline(path: Path, method: str) -> dict[str, object]:
    """Read with calamine, then one bulk insert into people_person: Django's `bulk_create`
    (method "orm") or one prepared INSERT run with executemany over all rows (method "raw",
    the cheapest way through the database driver)."""
    cleanup = fresh_database(f"baseline_{method}")
    try:
        from django.db import connection, transaction
        from django.utils import timezone
        from python_calamine import CalamineWorkbook

        from thidua.people.models import Person
        from thidua.platform.collation import person_sort_name
        from thidua.platform.text import fold

        with timer() as t:
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            col = {h: i for i, h in enumerate(rows[0])}
            name, gender, birth, cccd, ethnicity, position = (
                col["Họ và tên"], col["Giới tính"], col["Ngày sinh"], col["Số CCCD"],
                col["Dân tộc"], col["Chức vụ"])
            if method == "orm":
                Person.objects.bulk_create([
                    Person(full_name=r[name], name_folded=fold(r[name]),
                           sort_name=person_sort_name(r[name]),
                           gender="nu" if r[gender] == "Nữ" else "nam", birth_date=r[birth],
                           cccd=str(r[cccd]), ethnicity=r[ethnicity], position=r[position])
                    for r in rows[1:]
                ])
            else:
                now = connection.ops.adapt_datetimefield_value(timezone.now())
                day = connection.ops.adapt_datefield_value
                values = [
                    (r[name], fold(r[name]), person_sort_name(r[name]),
                     "nu" if r[gender] == "Nữ" else "nam", day(r[birth]),
                     str(r[cccd]), r[ethnicity], r[position], "", "", 1, now, now)
                    for r in rows[1:]
                ]
                sql = ("INSERT INTO people_person (full_name, name_folded, sort_name, gender, "
                       "birth_date, cccd, ethnicity, position, phone, email, version, created_at, "
                       "updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(sql, values)
        return {"seconds": t["seconds"], "rows": Person.objects.count(), "rss_mb": peak_rss_mb()}
    finally:
        cleanup()


def real_import(path: Path, profile: bool) -> dict[str, object]:
    cleanup = fresh_database("import")
    try:
        from django.contrib.auth import get_user_model

        from thidua.org.services import unit_create
        from thidua.people.imports import roster_import_file
        from thidua.people.models import Employment, Membership, Person

        admin = get_user_model().objects.create_superuser("bench", password="bench-bench-2026")
        unit = unit_create(actor=admin, code=UNIT, name="Công đoàn cơ sở (thử tải)", type="cdcs",
                           valid_from=D(2010, 1, 1))
        for g in range(1, GROUPS + 1):
            unit_create(actor=admin, code=f"{UNIT}-T{g:02d}", name=f"Tổ công đoàn số {g}",
                        type="to_cd", parent=unit, valid_from=D(2010, 1, 1))

        def run() -> object:
            return roster_import_file(actor=admin, unit=unit, path=path,
                                      effective_date=EFFECTIVE, file_name=path.name)

        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            with timer() as t:
                result = profiler.runcall(run)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
        else:
            with timer() as t:
                result = run()
        errors = getattr(result, "errors", None)
        if errors:
            raise SystemExit(f"the import refused the file: {errors[:5]}")
        counts = (Person.objects.count(), Employment.objects.count(), Membership.objects.count())
        with timer() as again:  # the same file again: every row found by CCCD, nothing written
            second = run()
        assert second.created == 0 and second.unchanged == second.total, second.summary()
        assert counts == (Person.objects.count(), Employment.objects.count(),
                          Membership.objects.count())
        return {"seconds": t["seconds"], "again_seconds": again["seconds"],
                "rows": Person.objects.count(),
                "employments": Employment.objects.count(),
                "memberships": Membership.objects.count(),
                "created": getattr(result, "created", None), "rss_mb": peak_rss_mb()}
    finally:
        cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true",
                        help="profile the import (cProfile, printed on stderr)")
    parser.add_argument("--phase", choices=["generate", "baseline-orm", "baseline-raw", "import"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        import json

        phase = {"generate": lambda: generate(args.file, args.rows),
                 "baseline-orm": lambda: baseline(args.file, "orm"),
                 "baseline-raw": lambda: baseline(args.file, "raw"),
                 "import": lambda: real_import(args.file, args.profile)}[args.phase]
        print(json.dumps(phase()))
        return 0

    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory(prefix="thidua-bench-xlsx-") as tmp:
        path = Path(tmp) / f"danh_sach_{args.rows}.xlsx"
        n = str(args.rows)
        gen = run_phase(script, "--phase", "generate", "--file", str(path), "--rows", n)
        base = run_phase(script, "--phase", "baseline-orm", "--file", str(path), "--rows", n)
        raw = run_phase(script, "--phase", "baseline-raw", "--file", str(path), "--rows", n)
        extra = ["--profile"] if args.profile else []
        real = run_phase(script, "--phase", "import", "--file", str(path), "--rows", n, *extra)
    where = "PostgreSQL" if os.environ.get("THIDUA_DATABASE_URL") else "SQLite"
    assert base["rows"] == raw["rows"] == real["rows"] == args.rows, (base, raw, real)
    ratio = float(real["seconds"]) / float(base["seconds"])
    ratio_raw = float(real["seconds"]) / float(raw["seconds"])

    def rate(phase: dict[str, object]) -> str:
        return vn(args.rows / float(phase["seconds"]))

    def line(label: str, phase: dict[str, object], note: str) -> list[str]:
        return [label, f"{vn(float(phase['seconds']), 1)} s", rate(phase),
                f"{vn(float(phase['rss_mb']))} MB", note]

    print(f"{where}: tệp {path.name} — {vn(args.rows)} dòng, {vn(int(gen['bytes']) / 2**20, 1)} MB"
          f" (tạo trong {vn(float(gen['seconds']), 1)} s)")
    print(table([
        ["giai đoạn", "thời gian", "dòng/s", "RSS đỉnh", "ghi chú"],
        line("baseline: calamine + 1 bulk_create", base, "chỉ bảng people_person"),
        line("baseline thô: calamine + executemany", raw, "chỉ bảng people_person"),
        line("nhập thật: roster_import_file", real,
             f"{vn(int(real['employments']))} employment, {vn(int(real['memberships']))} "
             "membership, kiểm tra từng dòng"),
        [f"nhập lại cùng tệp (không đổi {vn(args.rows)} dòng)",
         f"{vn(float(real['again_seconds']), 1)} s",
         vn(args.rows / float(real["again_seconds"])), "", "tìm theo CCCD, không ghi gì"],
    ]))
    print(f"import: {vn(args.rows)} rows in {vn(float(real['seconds']), 1)} s ({rate(real)} rows/s);"
          f" baseline {vn(float(base['seconds']), 1)} s ({rate(base)} rows/s); ratio "
          f"{vn(ratio, 2)}× (target ≤ 2×); against the raw executemany baseline "
          f"{vn(float(raw['seconds']), 1)} s: {vn(ratio_raw, 2)}×; peak RSS "
          f"{vn(float(real['rss_mb']))} MB (baselines {vn(float(base['rss_mb']))} / "
          f"{vn(float(raw['rss_mb']))} MB); re-import of the same file "
          f"{vn(float(real['again_seconds']), 1)} s")
    return 0 if max(ratio, ratio_raw) <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
