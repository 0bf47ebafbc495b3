"""`thidua dump` / `thidua load`: a unit's subtree (or the whole tree) with its people, their
employment and membership periods, and the tables the apps above register (ratings, titles:
`evaluation/exchange.py`), in the exchange format (people/exchange_format.py,
docs/exchange-format.md). Dump streams with COPY … TO on PostgreSQL; load validates every file
first and then writes everything or nothing, with COPY on PostgreSQL."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.org.figures import units_figures_add
from thidua.org.models import Unit, UnitVersion
from thidua.people.exchange_format import (
    EXTENSIONS,
    FILES,
    JSON_KINDS,
    STEP,
    TABLES,
    DumpCounts,
    LoadCounts,
    Loaded,
    Problems,
    check_files,
    columns,
    csv_line,
    left_out,
    next_ids,
    open_exchange,
    read_rows,
    reset_sequences,
    step_path,
    write_manifest,
)
from thidua.people.figures import people_figures_add
from thidua.people.imports.rows import fold_name
from thidua.people.imports.write import insert_rows, ranges
from thidua.people.models import Employment, Membership, Person
from thidua.people.services.privacy import CCCD_VIEW_ACTION, cccd_export_record
from thidua.platform.actor import Actor
from thidua.platform.collation import person_order_key
from thidua.platform.errors import ApplicationError
from thidua.platform.files import open_stored, remove_stored
from thidua.platform.planner import fresh_statistics, without_jit
from thidua.platform.text import vn_number

IN_SUBTREE = "u.path LIKE {like}"
PEOPLE_OF_SUBTREE = (
    "SELECT e.person_id FROM people_employment e JOIN org_unit u ON u.id = e.unit_id "
    f"WHERE {IN_SUBTREE} UNION SELECT m.person_id FROM people_membership m "
    f"JOIN org_unit u ON u.id = m.unit_id WHERE {IN_SUBTREE}")
DUMP_SQL = {
    "units": "SELECT u.id, SUBSTR(u.path, {cut}), u.numchild, u.code, u.name, u.short_name, "
             f"u.type, u.valid_from, u.valid_to, u.founded_on FROM org_unit u WHERE {IN_SUBTREE} "
             "ORDER BY u.path",
    # the periods a unit spent inside the subtree: earlier periods elsewhere (before a merger
    # brought it in) are the other subtree's history and stay out
    "unit_versions": "SELECT v.unit_id, CASE WHEN p.path LIKE {like} THEN v.parent_id END, "
                     "v.name, v.short_name, SUBSTR(v.path, {cut}), v.valid_from, v.valid_to "
                     "FROM org_unitversion v JOIN org_unit u ON u.id = v.unit_id "
                     f"LEFT JOIN org_unit p ON p.id = v.parent_id WHERE {IN_SUBTREE} "
                     "AND v.path LIKE {like} ORDER BY u.path, v.valid_from",
    "persons": "SELECT p.id, p.full_name, p.birth_date, p.gender, {cccd}, p.ethnicity, "
               "p.position, p.phone, p.email, p.member_code, p.union_joined_on "
               f"FROM people_person p WHERE p.id IN ({PEOPLE_OF_SUBTREE}) ORDER BY p.id",
    "employments": "SELECT e.person_id, e.unit_id, e.valid_from, e.valid_to "
                   "FROM people_employment e JOIN org_unit u ON u.id = e.unit_id "
                   f"WHERE {IN_SUBTREE} ORDER BY e.person_id, e.valid_from",
    "memberships": "SELECT m.person_id, m.unit_id, m.status, m.opened_by, m.closed_by, "
                   "m.valid_from, m.valid_to, m.note FROM people_membership m "
                   f"JOIN org_unit u ON u.id = m.unit_id WHERE {IN_SUBTREE} "
                   "ORDER BY m.person_id, m.valid_from",
}


def _copy_stored(name: str, files: Path) -> tuple[str, int] | None:
    """A stored file copied into the dump's `files/` under the SHA-256 of its bytes (once,
    however many rows name it): its digest and size; None when the storage no longer has it."""
    files.mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    part = files / f".{uuid.uuid4().hex}.part"
    try:
        with open_stored(name) as src, part.open("xb") as out:
            for block in src.chunks():
                digest.update(block)
                size += len(block)
                out.write(block)
    except (FileNotFoundError, OSError):
        part.unlink(missing_ok=True)
        return None
    target = files / digest.hexdigest()
    if target.exists():
        part.unlink()
    else:
        part.rename(target)
    return digest.hexdigest(), size


def _with_files(table: str, rows: list[list[Any]], places: list[int], files: Path,
                counts: DumpCounts, copied: set[str]) -> list[list[Any]]:
    """The rows with each file cell's stored name replaced by the digest of the copy in
    `files/`; a file the storage lacks is named in `counts.missing`, and its row left out when
    the file is what the row is (a required column), kept without it otherwise (a score's
    evidence: the score stays)."""
    kept = []
    spec = TABLES[table]
    for row in rows:
        for i in places:
            if not row[i]:
                continue
            found = _copy_stored(row[i], files)
            if found is None:
                counts.missing.append({"table": table, "name": row[i]})
                if not spec[i].required:
                    row[i] = None
                    continue
                break
            row[i] = found[0]
            if found[0] not in copied:
                copied.add(found[0])
                counts.files += 1
                counts.file_bytes += found[1]
        else:
            kept.append(row)
    return kept


def _dump_table(sql: str, path: Path, table: str, counts: DumpCounts,
                copied: set[str]) -> int:
    header = csv_line(columns(table)).encode()
    places = [i for i, c in enumerate(TABLES[table]) if c.kind == "file"]
    with path.open("wb") as out, connection.cursor() as cursor:
        out.write(header)
        if connection.vendor == "postgresql" and not places:
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    out.write(block)
            return int(cursor.cursor.rowcount)
        cursor.execute(sql)
        # SQLite keeps JSON as Django wrote it, non-ASCII letters as \u escapes; the file is
        # read by people too ("Xếp loại", not "X\u1ebfp lo\u1ea1i"), as PostgreSQL's jsonb
        # prints it
        texts = [i for i, c in enumerate(TABLES[table]) if c.kind in JSON_KINDS]
        count = 0
        while rows := cursor.fetchmany(5000):
            lines = [list(r) for r in rows]
            if places:
                lines = _with_files(table, lines, places, path.parent / FILES, counts, copied)
            for line in lines:
                for i in texts:
                    if line[i] is not None and not isinstance(line[i], str):
                        # PostgreSQL's driver gives a jsonb cell as the list (this path, not
                        # COPY's, serves its tables with files)
                        line[i] = json.dumps(line[i], ensure_ascii=False)
                    elif line[i] and "\\u" in line[i]:
                        line[i] = json.dumps(json.loads(line[i]), ensure_ascii=False)
            out.write("".join(csv_line(line) for line in lines).encode())
            count += len(lines)
        return count


def exchange_dump(*, actor: Actor | None, unit: Unit | None, out: Path,
                  with_cccd: bool = True) -> DumpCounts:
    """Write the subtree of `unit` (every unit when None) to `out`: a folder, or a .tar when the
    name ends in .tar, with the attached files its rows name in `files/`. The files hold
    personal data: owner-only modes, and a dump carrying whole CCCD numbers is audited like a
    spreadsheet export (ADR 0017)."""
    tar = out.suffix == ".tar"
    if out.exists():
        raise ApplicationError(f"«{out}» đã có: hãy chọn tên khác (không ghi đè).")
    folder = Path(tempfile.mkdtemp(prefix="thidua-dump-")) if tar else out
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    prefix = unit.path if unit else ""
    cut = len(prefix) - STEP + 1 if unit else 1
    # a literal, not a parameter: COPY takes none (a path has letters and digits only)
    like_sql = "'" + prefix.replace("'", "''") + "%'"
    params = {"like": like_sql, "cut": str(cut),
              "cccd": "p.cccd" if with_cccd else "NULL",
              "people": PEOPLE_OF_SUBTREE.format(like=like_sql)}
    counts = DumpCounts()
    copied: set[str] = set()
    old_mask = os.umask(0o077)
    try:
        # one snapshot for all files (REPEATABLE READ not needed: the dump's foreign keys only
        # point inside it). JIT off: the candidates' statement (people of the subtree looked up
        # in three subplans) is costed in millions for 1.568 rows, and PostgreSQL spent 1,6 s
        # compiling it before 0,1 s of reading (bench/README.md, session 41)
        with transaction.atomic(), without_jit():
            for table in TABLES:
                sql = DUMP_SQL[table] if table in DUMP_SQL else EXTENSIONS[table].dump_sql
                counts[table] = _dump_table(sql.format(**params), folder / f"{table}.csv",
                                            table, counts, copied)
            write_manifest(folder, unit.code if unit else None, counts, with_cccd)
            if with_cccd and counts["persons"]:
                first_root = Unit.objects.filter(depth=1).values_list("pk", flat=True).first()
                where = unit.pk if unit else first_root or 0
                if actor is not None:
                    cccd_export_record(actor=actor, unit_id=where, where="exchange:dump",
                                       rows=counts["persons"])
                else:  # the command line without --user
                    audit_record(actor=None, action=CCCD_VIEW_ACTION, object_type="unit",
                                 object_id=where, unit_id=where,
                                 after={"where": "exchange:dump", "rows": counts["persons"]})
        if tar:
            with tarfile.open(out, "w") as archive:
                for child in sorted(folder.iterdir()):
                    archive.add(child, arcname=child.name)  # files/ with what it holds
    finally:
        os.umask(old_mask)
        if tar:
            shutil.rmtree(folder, ignore_errors=True)
    return counts


# --- load ---------------------------------------------------------------------------------------

NULLABLE_TEXT = {"cccd", "member_code"}


def _rows(folder: Path, manifest: dict[str, Any], problems: Problems) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {}
    for entry in manifest["tables"]:
        if entry["name"] not in TABLES:
            continue
        rows = list(read_rows(folder, entry, problems))
        if len(rows) != entry.get("rows"):
            problems.add(f"{entry['file']}: có {len(rows)} dòng dữ liệu, danh mục ghi "
                         f"{entry.get('rows')}.")
        out[entry["name"]] = rows
    return out


def _check_references(data: dict[str, list[list[Any]]], problems: Problems,
                      leaving: dict[str, set[int]]) -> None:
    """The dump's references; `leaving`: the rows a load `without_above` leaves out (table ->
    indexes), still checked but not against the target database."""
    unit_ids = {r[0] for r in data["units"]}
    person_ids = {r[0] for r in data["persons"]}
    rel = {r[0]: r[1] for r in data["units"]}
    for line, r in enumerate(data["units"], start=2):
        path = r[1] or ""
        if len(path) % STEP or not path:
            problems.add(f"units.csv, dòng {line}: rel_path «{path}» không hợp lệ.")
    paths = set(rel.values())
    roots = [p for p in paths if p and len(p) == STEP]
    if not roots:
        problems.add("units.csv: không có đơn vị gốc (rel_path dài đúng một bậc).")
    for line, r in enumerate(data["units"], start=2):
        path = r[1] or ""
        if len(path) > STEP and path[:-STEP] not in paths:
            problems.add(f"units.csv, dòng {line}: đơn vị cấp trên của «{r[3]}» không có trong tệp.")
    for line, r in enumerate(data["unit_versions"], start=2):
        path = r[4] or ""
        if len(path) % STEP or path[:STEP] not in roots:
            problems.add(f"unit_versions.csv, dòng {line}: rel_path «{path}» không nằm trong cây.")
    for table, checks in (("unit_versions", ((0, unit_ids), (1, unit_ids))),
                          ("employments", ((0, person_ids), (1, unit_ids))),
                          ("memberships", ((0, person_ids), (1, unit_ids)))):
        for line, r in enumerate(data[table], start=2):
            for index, known in checks:
                if r[index] is not None and r[index] not in known:
                    problems.add(f"{table}.csv, dòng {line}: mã tham chiếu {r[index]} "
                                 f"(cột «{TABLES[table][index].name}») không có trong tệp.")
    ids_of = {"persons": person_ids, "units": unit_ids}
    for name, extension in EXTENSIONS.items():
        rows = data.get(name, [])
        if extension.columns[0].name == "id":  # referred to by itself or a later table
            ids_of[name] = {r[0] for r in rows}
        for line, r in enumerate(rows, start=2):
            for index, of in extension.references:
                if r[index] is not None and r[index] not in ids_of[of]:
                    problems.add(f"{name}.csv, dòng {line}: mã tham chiếu {r[index]} "
                                 f"(cột «{TABLES[name][index].name}») không có trong tệp.")
        def add(line: int, text: str, name: str = name) -> None:
            problems.add(f"{name}.csv, dòng {line}: {text}")

        leave = leaving.get(name, set())

        def add_held(line: int, text: str, name: str = name, leave: set[int] = leave) -> None:
            if line - 2 not in leave:  # left out: not checked against the target
                add(line, text, name)

        if extension.check is not None and rows:
            extension.check(rows, add)
        if extension.check_dump is not None and rows:
            # against the dump's other tables and the target database
            extension.check_dump(data, add_held)


def _taken(table: str, column: str, values: list[str]) -> list[str]:
    """Which of `values` the table's column already holds (raw SQL: an ORM `IN` of 100.000
    parameters costs more to build than to run)."""
    found: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)",  # noqa: S608
                           [values])
            return [r[0] for r in cursor.fetchall()]
        for i in range(0, len(values), 900):  # SQLite's parameter limit
            chunk = values[i:i + 900]
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IN "  # noqa: S608
                           f"({', '.join(['%s'] * len(chunk))})", chunk)
            found += [r[0] for r in cursor.fetchall()]
    return found


def _check_conflicts(data: dict[str, list[list[Any]]], problems: Problems) -> None:
    taken = _taken("org_unit", "code", [r[3] for r in data["units"]])
    if taken:
        problems.add(f"{vn_number(len(taken))} mã đơn vị đã có trong cơ sở dữ liệu (ví dụ "
                     f"«{sorted(taken)[0]}»).")
    existing = _taken("people_person", "cccd", [r[4] for r in data["persons"] if r[4]])
    if existing:
        problems.add(f"{vn_number(len(existing))} số CCCD trong tệp đã có trong cơ sở dữ liệu: "
                     "hãy chuyển sinh hoạt những người này thay vì nạp lại.")
    if _taken("people_person", "member_code", [r[9] for r in data["persons"] if r[9]]):
        problems.add("Có mã đoàn viên trong tệp đã có trong cơ sở dữ liệu.")


@transaction.atomic
def exchange_load(*, actor: Actor | None, source: Path, under: Unit | None = None,
                  without_above: bool = False) -> LoadCounts:
    """Load an exchange folder or .tar: its root unit(s) become the last children of `under`
    (or new roots). Everything is checked before the first row is written; any problem raises
    ApplicationError and nothing is written. A row naming by natural key what a body above the
    subtree issued is a problem when the target lacks it; `without_above` leaves such rows out
    instead, with the rows hanging on them (`LoadCounts.left_out`, and the audit entry). The
    attached files are checked with the rows, and saved in the storage only once everything
    is; a load that fails removes those it saved."""
    with tempfile.TemporaryDirectory(prefix="thidua-load-") as work:
        folder, manifest = open_exchange(source, Path(work))
        stored: list[str] = []
        try:
            return _load(folder, manifest, stored, actor=actor, source=source, under=under,
                         without_above=without_above)
        except BaseException:
            for name in stored:
                with contextlib.suppress(OSError):
                    remove_stored(name)
            raise


def _load(folder: Path, manifest: dict[str, Any], stored: list[str], *, actor: Actor | None,
          source: Path, under: Unit | None, without_above: bool) -> LoadCounts:
    problems = Problems()
    data = _rows(folder, manifest, problems)
    problems.raise_if_any()
    leaving, report = left_out(data) if without_above else ({}, [])
    _check_references(data, problems, leaving)
    _check_conflicts(data, problems)
    problems.raise_if_any()
    for name, indexes in leaving.items():
        data[name] = [r for i, r in enumerate(data[name]) if i not in indexes]
    check_files(folder, data, problems)
    problems.raise_if_any()

    if under is not None:
        under = Unit.objects.select_for_update().get(pk=under.pk)
    base_path = under.path if under is not None else ""
    # after the last sibling's step, not after numchild: a child moved away leaves a gap that
    # numchild no longer counts, and reusing its step would clash with a later sibling
    last = (Unit.objects.filter(path__startswith=base_path, depth=len(base_path) // STEP + 1)
            .order_by("-path").values_list("path", flat=True).first())
    taken = int(last[-STEP:], 36) if last else 0
    unit_base, version_base, person_base, emp_base, mem_base = next_ids(
        Unit, UnitVersion, Person, Employment, Membership)
    new_unit = {r[0]: unit_base + i for i, r in enumerate(data["units"])}
    root_steps: dict[str, str] = {}

    def place(rel: str) -> str:
        head = rel[:STEP]
        if head not in root_steps:
            root_steps[head] = step_path(base_path, taken + len(root_steps) + 1)
        return root_steps[head] + rel[STEP:]

    units = []
    new_path: dict[int, str] = {}
    for r in sorted(data["units"], key=lambda r: r[1]):
        path = place(r[1])
        new_path[r[0]] = path
        units.append((new_unit[r[0]], path, len(path) // STEP, r[2], r[3], r[4], r[5] or "",
                      r[6], r[7], r[8], r[9]))
    parent_of_root = under.pk if under is not None else None
    versions = []
    for i, r in enumerate(data["unit_versions"]):
        path = place(r[4])
        parent = new_unit[r[1]] if r[1] is not None else parent_of_root
        versions.append((version_base + i, new_unit[r[0]], parent, r[2], r[3] or "", path,
                         len(path) // STEP, r[5], r[6]))
    new_person = {r[0]: person_base + i for i, r in enumerate(data["persons"])}
    persons = [(new_person[r[0]], r[1], fold_name(r[1]), person_order_key(r[1]), r[2], r[3],
                r[4], r[5] or "", r[6] or "", r[7] or "", r[8] or "", r[9], r[10], 1)
               for r in data["persons"]]
    employments = [(emp_base + i, new_person[r[0]], new_unit[r[1]], r[2], r[3])
                   for i, r in enumerate(data["employments"])]
    memberships = [(mem_base + i, new_person[r[0]], new_unit[r[1]], r[2], r[3], r[4] or "",
                    r[5], r[6], r[7] or "") for i, r in enumerate(data["memberships"])]
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    insert_rows(Unit, ["id", "path", "depth", "numchild", "code", "name", "short_name", "type",
                       "valid_from", "valid_to", "founded_on", "created_at"],
                [(*u, stamp) for u in units])
    insert_rows(UnitVersion, ["id", "unit", "parent", "name", "short_name", "path", "depth",
                              "valid_from", "valid_to"], versions)
    insert_rows(Person, ["id", "full_name", "name_folded", "sort_name", "birth_date", "gender",
                         "cccd", "ethnicity", "position", "phone", "email", "member_code",
                         "union_joined_on", "version", "created_at", "updated_at"],
                [(*p, stamp, stamp) for p in persons])
    insert_rows(Employment, ["id", "person", "unit", "valid_from", "valid_to"], employments)
    insert_rows(Membership, ["id", "person", "unit", "status", "opened_by", "closed_by",
                             "valid_from", "valid_to", "note"], memberships)
    if under is not None:
        Unit.objects.filter(pk=under.pk).update(numchild=under.numchild + len(root_steps))
    reset_sequences(Unit, UnitVersion, Person, Employment, Membership)
    fresh_statistics({Unit: len(units), UnitVersion: len(versions), Person: len(persons),
                      Employment: len(employments), Membership: len(memberships)})
    # the loaded units and people are new: their versions and periods are added to the kept
    # figures of the loaded units and of `under` and its ancestors (ADR 0025, 0035), in this
    # transaction
    units_figures_add([v[0] for v in versions])
    people_figures_add(list(new_person.values()))
    # the other apps' tables (ratings, titles…), each keeping its own figures
    new_ids: dict[str, dict[int, int]] = {}
    for name, extension in EXTENSIONS.items():
        if data.get(name):
            ids = extension.load(Loaded(rows=data[name], new_person=new_person,
                                        new_unit=new_unit, stamp=stamp, new_ids=new_ids,
                                        files=folder / FILES, stored=stored))
            if ids is not None:
                new_ids[name] = ids
    counts = {t: len(data.get(t, [])) for t in TABLES}
    after: dict[str, Any] = {"source": source.name, "root": manifest.get("root"), "rows": counts,
                             "units": ranges([u[0] for u in units]),
                             "people": ranges(list(new_person.values())),
                             "files": len(stored)}
    if without_above:
        after["left_out"] = [{"table": o.table, "rows": o.rows, "why": o.why} for o in report]
    audit_record(actor=actor, action="unit.import", object_type="unit",
                 object_id=units[0][0] if units else "", unit_id=parent_of_root, after=after)
    return LoadCounts(counts, report)
