"""Members-list import through the real import path, beside the strongest baseline of each
database, measured in the same run.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--profile] [--memory 20000,100000,300000]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

1. Generates a roster of `--rows` people as .xlsx in the import layout (Vietnamese names with
   diacritics, real Excel dates, CCCD as text, a tổ công đoàn column).
2. **Baseline** (issue 13 §3): read that file with python-calamine and write the same rows to
   the same tables the import writes — `people_person` (with the folded name, the Vietnamese
   sort key, the member code and join date), `people_employment` and `people_membership` (with
   the event that opened it and its note) — in one transaction, with the fastest way each
   database offers: one prepared INSERT run by executemany on SQLite, COPY on PostgreSQL. No ORM,
   no checks.
3. For information, the baseline used before: the same read and ONE Django `bulk_create` of the
   people only.
4. The real path: `people.imports.roster_import_file` into a fresh database (validation,
   people, employments, memberships with member codes, the audit entry), then the same file
   again (every row found by CCCD, nothing written).
Each phase runs in its own process, so each peak memory (ru_maxrss) is its own. Target: the
import takes at most twice the baseline. `--memory` runs the import (and the baseline) on
rosters of those sizes and prints the peak memory of each, which must not grow with N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import (
    existing,
    fresh_database,
    peak_rss_mb,
    run_phase,
    setup_django,
    table,
    timer,
    vn,
)

D = dt.date
HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Dân tộc", "Chức vụ",
           "Ngày vào Công đoàn", "Đoàn viên", "Tổ công đoàn", "Ghi chú"]
GROUPS = 10
EFFECTIVE = D(2024, 1, 1)
UNIT = "BENCH-CDCS"
TARGET = 2.0
FOUNDED = D(2020, 1, 1)  # after every unit of the national tree (2015)


#: The roster's CCCD serials start here. The national generator numbers each CCCD prefix
#: (province, century and gender, year of birth) from 1, and a prefix holds some ten thousand
#: people at scale 1; the demo generator draws serials at random from the whole range. With
#: the row's number as serial, the roster can be imported into the national database
#: (`THIDUA_BENCH_EXISTING=1`) without meeting a number already there: drawn at random,
#: 50.000 rows met one on the 62nd row (`people_person_cccd_key`).
ROSTER_SERIAL = 500_000


def roster_cccd(number: str, row: int) -> str:
    """`number` with its serial replaced by ROSTER_SERIAL + row: distinct for each row (up to
    499.999 rows), of the same province, gender and year of birth."""
    if not 0 < row < 1_000_000 - ROSTER_SERIAL:
        raise ValueError(f"row {row} out of the roster's serial range")
    return f"{number[:6]}{ROSTER_SERIAL + row:06d}"


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
            sheet.write_string(i, 4, roster_cccd(p["cccd"], i))
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


def make_units() -> tuple[Any, Any]:
    """The admin, the CĐCS and its 10 tổ, through the services (not timed). In an existing
    database (`existing()`), the CĐCS goes under its first open cấp trên cơ sở."""
    from django.contrib.auth import get_user_model

    from thidua.org.models import Unit
    from thidua.org.services import unit_create

    parent = (Unit.objects.filter(type="cap_tren_co_so", valid_to__isnull=True)
              .order_by("path").first() if existing() else None)
    admin = get_user_model().objects.create_superuser("bench", password="bench-bench-2026")
    unit = unit_create(actor=admin, code=UNIT, name="Công đoàn cơ sở (thử tải)", type="cdcs",
                       parent=parent, valid_from=FOUNDED)
    for g in range(1, GROUPS + 1):
        unit_create(actor=admin, code=f"{UNIT}-T{g:02d}", name=f"Tổ công đoàn số {g}",
                    type="to_cd", parent=unit, valid_from=FOUNDED)
    return admin, unit


_BEFORE: dict[str, int] = {}


def _table_counts() -> dict[str, int]:
    from thidua.people.models import Employment, Membership, Person

    return {"rows": Person.objects.count(), "employments": Employment.objects.count(),
            "memberships": Membership.objects.count(),
            "coded": Person.objects.filter(member_code__isnull=False).count()}


def mark_counts() -> None:
    """In an existing database, what the phase writes is counted from here."""
    if existing():
        _BEFORE.update(_table_counts())


def counts() -> dict[str, int]:
    return {k: v - _BEFORE.get(k, 0) for k, v in _table_counts().items()}


def baseline_bulk_create(path: Path) -> dict[str, object]:
    """The baseline used until issue 13: calamine, then one bulk_create of the people only."""
    cleanup = fresh_database("baseline_orm")
    try:
        mark_counts()
        from python_calamine import CalamineWorkbook

        from thidua.people.models import Person
        from thidua.platform.collation import person_order_key
        from thidua.platform.text import fold

        with timer() as t:
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            col = {h: i for i, h in enumerate(rows[0])}
            name, gender, birth, cccd, ethnicity, position = (
                col["Họ và tên"], col["Giới tính"], col["Ngày sinh"], col["Số CCCD"],
                col["Dân tộc"], col["Chức vụ"])
            Person.objects.bulk_create([
                Person(full_name=r[name], name_folded=fold(r[name]),
                       sort_name=person_order_key(r[name]),
                       gender="nu" if r[gender] == "Nữ" else "nam", birth_date=r[birth],
                       cccd=str(r[cccd]), ethnicity=r[ethnicity], position=r[position])
                for r in rows[1:]
            ])
        return {"seconds": t["seconds"], **counts(), "rss_mb": peak_rss_mb()}
    finally:
        cleanup()


def baseline(path: Path) -> dict[str, object]:
    """calamine, then the same rows into the same three tables, in one transaction: executemany
    on SQLite, COPY on PostgreSQL. Ids are given (the next ones after the table's last), member
    codes follow the installation's counter as the import's do."""
    cleanup = fresh_database("baseline")
    try:
        mark_counts()
        from django.db import connection, transaction
        from django.utils import timezone
        from python_calamine import CalamineWorkbook

        from thidua.people.models import MembershipEvent, MembershipStatus
        from thidua.people.services import member_codes_allocate
        from thidua.platform.collation import person_order_key
        from thidua.platform.text import fold, vn_date

        _, unit = make_units()
        from thidua.org.models import Unit

        unit_ids = dict(Unit.objects.values_list("code", "pk"))
        pg = connection.vendor == "postgresql"
        qn = connection.ops.quote_name
        person_cols = ["id", "full_name", "name_folded", "sort_name", "birth_date", "gender", "cccd",
                       "ethnicity", "position", "phone", "email", "member_code",
                       "union_joined_on", "version", "created_at", "updated_at"]
        employment_cols = ["person_id", "unit_id", "valid_from"]
        membership_cols = ["person_id", "unit_id", "status", "opened_by", "closed_by",
                           "valid_from", "note"]

        def write(cursor: Any, table_name: str, cols: list[str], rows: list[tuple[Any, ...]]
                  ) -> None:
            names = ", ".join(qn(c) for c in cols)
            if pg:
                with cursor.cursor.copy(f"COPY {qn(table_name)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {qn(table_name)} ({names}) VALUES "
                                   f"({', '.join(['%s'] * len(cols))})", rows)

        with timer() as t:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            col = {h: i for i, h in enumerate(sheet[0])}
            name, gender, birth, cccd, ethnicity, position, joined, member, group = (
                col["Họ và tên"], col["Giới tính"], col["Ngày sinh"], col["Số CCCD"],
                col["Dân tộc"], col["Chức vụ"], col["Ngày vào Công đoàn"], col["Đoàn viên"],
                col["Tổ công đoàn"])
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            day = connection.ops.adapt_datefield_value
            effective = day(EFFECTIVE)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
                first = cursor.fetchone()[0] + 1
                codes = iter(member_codes_allocate(sum(1 for r in sheet[1:] if r[member] == "Có")))
                people, employments, memberships = [], [], []
                for pk, r in enumerate(sheet[1:], first):
                    is_member = r[member] == "Có"
                    unit_id = unit_ids.get(r[group]) or unit.pk
                    people.append((
                        pk, r[name], fold(r[name]), person_order_key(r[name]), day(r[birth]),
                        "nu" if r[gender] == "Nữ" else "nam", str(r[cccd]), r[ethnicity],
                        r[position], "", "", next(codes) if is_member else None,
                        day(r[joined]) if is_member else None, 1, now, now))
                    employments.append((pk, unit_id, effective))
                    if is_member:
                        opened, note = ((MembershipEvent.JOIN.value, "")
                                        if r[joined] >= EFFECTIVE else
                                        (MembershipEvent.TRANSFER.value,
                                         f"Vào Công đoàn ngày {vn_date(r[joined])}"))
                        memberships.append((pk, unit_id, MembershipStatus.ACTIVE.value, opened,
                                            "", effective, note))
                write(cursor, "people_person", person_cols, people)
                write(cursor, "people_employment", employment_cols, employments)
                write(cursor, "people_membership", membership_cols, memberships)
                if pg:
                    cursor.execute("SELECT setval(pg_get_serial_sequence('people_person', 'id'), "
                                   "(SELECT MAX(id) FROM people_person))")
        return {"seconds": t["seconds"], **counts(), "rss_mb": peak_rss_mb()}
    finally:
        cleanup()


def real_import(path: Path, profile: bool, again: bool = True, small_cache: bool = False
                ) -> dict[str, object]:
    cleanup = fresh_database("import")
    try:
        mark_counts()
        from django.db import connection

        from thidua.people.imports import roster_import_file

        admin, unit = make_units()
        if small_cache and connection.vendor == "sqlite":
            # SQLite's default page cache, not the installation's 256 MB and memory-mapped
            # reads: the pages of the growing database are then not counted as the import's
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-2000")
                cursor.execute("PRAGMA mmap_size=0")

        def run() -> Any:
            return roster_import_file(actor=admin, unit=unit, path=path,
                                      effective_date=EFFECTIVE, file_name=path.name)

        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            with timer() as t:
                result = profiler.runcall(run)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
        else:
            with timer() as t:
                result = run()
        if result.errors:
            raise SystemExit(f"the import refused the file: {result.errors[:5]}")
        written = counts()
        rss = peak_rss_mb()
        again_seconds = 0.0
        if again:
            with timer() as t_again:  # the same file again: every row found by CCCD, nothing written
                second = run()
            assert second.created == 0 and second.unchanged == second.total, second.summary()
            assert written == counts()
            again_seconds = t_again["seconds"]
        return {"seconds": t["seconds"], "again_seconds": again_seconds, **written,
                "created": result.created, "rss_mb": rss}
    finally:
        cleanup()


def import_export_phase(path: Path) -> dict[str, object]:
    """The peer a Django developer would reach for: django-import-export 4 (ModelResource,
    use_bulk, tablib reading the .xlsx with openpyxl), people only, keyed by CCCD. Not a
    dependency: `--import-export DIR` names a folder holding it (pip install --target DIR
    django-import-export tablib openpyxl et-xmlfile diff-match-patch)."""
    cleanup = fresh_database("import_export")
    try:
        mark_counts()
        import tablib
        from import_export import resources

        from thidua.people.models import Person
        from thidua.platform.collation import person_order_key
        from thidua.platform.text import fold

        class PersonResource(resources.ModelResource):  # type: ignore[misc]
            def before_import_row(self, row: Any, **kwargs: Any) -> None:
                row["name_folded"] = fold(row["full_name"])
                row["sort_name"] = person_order_key(row["full_name"])
                row["gender"] = "nu" if row["gender"] == "Nữ" else "nam"

            class Meta:
                model = Person
                fields = ("full_name", "name_folded", "sort_name", "gender", "birth_date", "cccd",
                          "ethnicity", "position")
                import_id_fields = ("cccd",)
                use_bulk = True
                batch_size = 1000

        names = {"Họ và tên": "full_name", "Giới tính": "gender", "Ngày sinh": "birth_date",
                 "Số CCCD": "cccd", "Dân tộc": "ethnicity", "Chức vụ": "position"}
        with timer() as t:
            with open(path, "rb") as f:
                data = tablib.Dataset().load(f.read(), format="xlsx")
            data.headers = [names.get(h, h) for h in data.headers]
            result = PersonResource().import_data(data, dry_run=False, use_transactions=True)
        assert not result.has_errors()
        return {"seconds": t["seconds"], **counts(), "rss_mb": peak_rss_mb()}
    finally:
        cleanup()


PHASES = {
    "generate": lambda a: generate(a.file, a.rows),
    "baseline-bulk-create": lambda a: baseline_bulk_create(a.file),
    "baseline": lambda a: baseline(a.file),
    "import": lambda a: real_import(a.file, a.profile),
    "import-once": lambda a: real_import(a.file, a.profile, again=False),
    "import-small-cache": lambda a: real_import(a.file, a.profile, again=False, small_cache=True),
    "import-export": lambda a: import_export_phase(a.file),
}


def memory_series(script: Path, sizes: list[int]) -> int:
    where = "PostgreSQL" if os.environ.get("THIDUA_DATABASE_URL") else "SQLite"
    sqlite = where == "SQLite"
    out = [["số dòng", "nhập thật", "RSS đỉnh (nhập)", "baseline", "RSS đỉnh (baseline)",
            "tỉ lệ thời gian"] + (["RSS đỉnh (nhập, cache SQLite 2 MB)"] if sqlite else [])]
    peaks = []
    small_peaks = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="thidua-bench-xlsx-") as tmp:
            path = Path(tmp) / f"danh_sach_{n}.xlsx"
            args = ["--file", str(path), "--rows", str(n)]
            run_phase(script, "--phase", "generate", *args)
            base = run_phase(script, "--phase", "baseline", *args)
            real = run_phase(script, "--phase", "import-once", *args)
            small = run_phase(script, "--phase", "import-small-cache", *args) if sqlite else {}
        assert real["rows"] == base["rows"] == n, (real, base)
        peaks.append(float(real["rss_mb"]))
        out.append([vn(n), f"{vn(float(real['seconds']), 1)} s", f"{vn(float(real['rss_mb']))} MB",
                    f"{vn(float(base['seconds']), 1)} s", f"{vn(float(base['rss_mb']))} MB",
                    f"{vn(float(real['seconds']) / float(base['seconds']), 2)}×"])
        if small:
            small_peaks.append(float(small["rss_mb"]))
            out[-1].append(f"{vn(float(small['rss_mb']))} MB")
        print(" | ".join(out[-1]), file=sys.stderr, flush=True)
    print(f"{where}: bộ nhớ đỉnh theo số dòng")
    print(table(out))
    growth = peaks[-1] - peaks[0]
    per_row = growth * 1024 * 1024 / (sizes[-1] - sizes[0]) if len(sizes) > 1 else 0.0
    print(f"import memory: peak RSS {' / '.join(vn(p) for p in peaks)} MB at "
          f"{' / '.join(vn(n) for n in sizes)} rows; growth {vn(growth)} MB "
          f"({vn(per_row)} bytes a row)")
    if len(small_peaks) > 1:
        growth = small_peaks[-1] - small_peaks[0]
        per_row = growth * 1024 * 1024 / (sizes[-1] - sizes[0])
        print(f"import memory with SQLite's default 2 MB page cache (no mmap): peak RSS "
              f"{' / '.join(vn(p) for p in small_peaks)} MB; growth {vn(growth)} MB "
              f"({vn(per_row)} bytes a row)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true",
                        help="profile the import (cProfile, printed on stderr)")
    parser.add_argument("--memory", help="sizes for the memory series, e.g. 20000,100000,300000")
    parser.add_argument("--no-old-baseline", action="store_true",
                        help="skip the old bulk_create baseline (information only)")
    parser.add_argument("--import-export", type=Path, metavar="DIR",
                        help="folder holding django-import-export: also time it (people only)")
    parser.add_argument("--phase", choices=list(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.import_export:
        sys.path.insert(0, str(args.import_export))
    if args.phase:
        import json

        print(json.dumps(PHASES[args.phase](args)))
        return 0

    script = Path(__file__).resolve()
    if args.memory:
        return memory_series(script, [int(n) for n in args.memory.split(",")])
    with tempfile.TemporaryDirectory(prefix="thidua-bench-xlsx-") as tmp:
        path = Path(tmp) / f"danh_sach_{args.rows}.xlsx"
        common_args = ["--file", str(path), "--rows", str(args.rows)]
        gen = run_phase(script, "--phase", "generate", *common_args)
        base = run_phase(script, "--phase", "baseline", *common_args)
        extra = ["--profile"] if args.profile else []
        real = run_phase(script, "--phase", "import", *common_args, *extra)
        old = (None if args.no_old_baseline
               else run_phase(script, "--phase", "baseline-bulk-create", *common_args))
        peer = (None if args.import_export is None else
                run_phase(script, "--phase", "import-export", "--import-export",
                          str(args.import_export), *common_args))
    where = "PostgreSQL" if os.environ.get("THIDUA_DATABASE_URL") else "SQLite"
    how = "COPY" if where == "PostgreSQL" else "executemany"
    for key in ("rows", "employments", "memberships", "coded"):
        assert base[key] == real[key], (key, base, real)
    assert real["rows"] == args.rows
    ratio = float(real["seconds"]) / float(base["seconds"])

    def rate(phase: dict[str, object], seconds: str = "seconds") -> str:
        return vn(args.rows / float(phase[seconds]))

    def line(label: str, phase: dict[str, object], note: str) -> list[str]:
        return [label, f"{vn(float(phase['seconds']), 1)} s", rate(phase),
                f"{vn(float(phase['rss_mb']))} MB", note]

    written = (f"{vn(int(real['rows']))} person, {vn(int(real['employments']))} employment, "
               f"{vn(int(real['memberships']))} membership")
    rows = [
        ["giai đoạn", "thời gian", "dòng/s", "RSS đỉnh", "ghi chú"],
        line(f"baseline: calamine + {how}, 3 bảng", base, written + ", một giao dịch"),
        line("nhập thật: roster_import_file", real, written + ", kiểm tra từng dòng"),
        [f"nhập lại cùng tệp (không đổi {vn(args.rows)} dòng)",
         f"{vn(float(real['again_seconds']), 1)} s", rate(real, "again_seconds"), "",
         "tìm theo CCCD, không ghi gì"],
    ]
    if old is not None:
        rows.append(line("(cũ) calamine + 1 bulk_create", old, "chỉ bảng people_person"))
    if peer is not None:
        rows.append(line("django-import-export (use_bulk)", peer, "chỉ bảng people_person"))
    print(f"{where}: tệp {path.name} — {vn(args.rows)} dòng, {vn(int(gen['bytes']) / 2**20, 1)} MB"
          f" (tạo trong {vn(float(gen['seconds']), 1)} s)")
    print(table(rows))
    old_text = ("" if old is None else
                f"; old bulk_create baseline (people only) {vn(float(old['seconds']), 1)} s: "
                f"{vn(float(real['seconds']) / float(old['seconds']), 2)}×")
    print(f"import: {vn(args.rows)} rows in {vn(float(real['seconds']), 1)} s ({rate(real)} rows/s);"
          f" baseline calamine + {how} of the same rows into the same 3 tables "
          f"{vn(float(base['seconds']), 1)} s ({rate(base)} rows/s); ratio {vn(ratio, 2)}× "
          f"(target ≤ {vn(TARGET)}×); peak RSS {vn(float(real['rss_mb']))} MB (baseline "
          f"{vn(float(base['rss_mb']))} MB); re-import of the same file "
          f"{vn(float(real['again_seconds']), 1)} s{old_text}")
    if peer is not None:
        print(f"second line: django-import-export (use_bulk, people only) {rate(peer)} rows/s "
              f"({vn(float(peer['seconds']), 1)} s), ours {rate(real)} rows/s with the two other "
              f"tables and the checks: {vn(float(peer['seconds']) / float(real['seconds']), 1)}× "
              "faster")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
