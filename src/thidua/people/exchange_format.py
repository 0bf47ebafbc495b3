"""The bulk exchange format (docs/exchange-format.md): a folder, or a .tar of it, holding
`manifest.json` and one CSV file per table. Paths are relative to the dumped subtree, ids are
the source's and serve only the references inside the dump."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files import File

from thidua.org.models import Unit, UnitType
from thidua.people.models import Gender, MembershipEvent, MembershipStatus
from thidua.platform.errors import ApplicationError
from thidua.platform.files import (
    FileRules,
    StoredFile,
    max_bytes,
    size_text,
    sniff_kind,
    store_upload,
)
from thidua.platform.text import vn_number

FORMAT = "thidua-exchange"
#: 2 added the tables other apps register (ratings, titles), 3 the decisions and awards, 4 the
#: initiatives, 5 the report's Party, family and welfare records, 6 the registrations, 7 the
#: movements, plans, deployments and CĐCS gradings, 8 the files attached to initiatives,
#: movements and plans (`files/`); an older dump lacks the tables added since and is still read
VERSION = 9
READABLE = (1, 2, 3, 4, 5, 6, 7, 8, 9)
MANIFEST = "manifest.json"
#: the attached files' folder in a dump: each file once, named by the SHA-256 of its bytes
FILES = "files"


@dataclass(frozen=True)
class Column:
    name: str
    # text | int | decimal | date | time | datetime | choice | bool | json (a list) | object (a
    # JSON object) | file
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()  # choice: the values; file: the kinds (platform.files) taken
    limits: tuple[int, int] | None = None  # int, decimal: the smallest and largest value allowed
    max_length: int | None = None  # text: as the model's field
    places: int = 0  # decimal: digits allowed after the point


#: the JSON cell kinds and the value each holds
JSON_KINDS: dict[str, type] = {"json": list, "object": dict}


def col(name: str, kind: str = "text", required: bool = False,
       choices: tuple[str, ...] = (), *, limits: tuple[int, int] | None = None,
       max_length: int | None = None, places: int = 0) -> Column:
    return Column(name, kind, required, choices, limits, max_length, places)


EVENTS = tuple(MembershipEvent.values)
TABLES: dict[str, list[Column]] = {
    "units": [col("id", "int", True), col("rel_path", required=True), col("numchild", "int", True),
              col("code", required=True), col("name", required=True), col("short_name"),
              col("type", "choice", True, tuple(UnitType.values)),
              col("valid_from", "date", True), col("valid_to", "date"), col("founded_on", "date")],
    "unit_versions": [col("unit_id", "int", True), col("parent_id", "int"),
                      col("name", required=True), col("short_name"), col("rel_path", required=True),
                      col("valid_from", "date", True), col("valid_to", "date")],
    "persons": [col("id", "int", True), col("full_name", required=True), col("birth_date", "date"),
                col("gender", "choice", True, tuple(Gender.values)), col("cccd"),
                col("ethnicity"), col("position"), col("phone"), col("email"), col("member_code"),
                col("union_joined_on", "date")],
    "employments": [col("person_id", "int", True), col("unit_id", "int", True),
                    col("valid_from", "date", True), col("valid_to", "date")],
    "memberships": [col("person_id", "int", True), col("unit_id", "int", True),
                    col("status", "choice", True, tuple(MembershipStatus.values)),
                    col("opened_by", "choice", True, EVENTS),
                    col("closed_by", "choice", False, EVENTS), col("valid_from", "date", True),
                    col("valid_to", "date"), col("note")],
}
CORE = tuple(TABLES)


@dataclass(frozen=True)
class Loaded:
    """What an extension table's loader is given: its parsed rows and the new ids of the
    dump's people and units; called inside the load's transaction, after the people's rows
    and figures are written."""

    rows: list[list[Any]]
    new_person: dict[int, int]
    new_unit: dict[int, int]
    stamp: Any  # created_at / updated_at of the load, adapted for the database
    #: the new ids of the extension tables loaded before this one (those whose loader
    #: returned them): table name -> dump id -> new id
    new_ids: dict[str, dict[int, int]]
    #: the dump's `files/` folder (a file column's cell names a file in it, checked before the
    #: load writes anything), and the names the load has put in the storage so far (removed
    #: again if the load fails)
    files: Path | None = None
    stored: list[str] = field(default_factory=list)

    def store(self, digest: str, original_name: str, rules: FileRules) -> StoredFile:
        """The dumped file `digest` saved in this installation's storage under `rules.folder`,
        judged by its bytes and size as an upload is."""
        assert self.files is not None
        path = self.files / digest
        with path.open("rb") as fh:
            stored = store_upload(File(fh, name=original_name), rules)
        self.stored.append(stored.name)
        return stored


@dataclass(frozen=True)
class ExtensionTable:
    """A table another app adds to the format (registered from its AppConfig.ready, since the
    apps above `people` may not be imported here). `dump_sql` selects its rows of the subtree
    (placeholders: {like} a path pattern, {people} the subtree's person ids subquery);
    `references` the (column index, "persons" | "units" | an extension table registered
    before it, or itself, whose first column is `id`) the load checks against the dump;
    `check` adds the table's own problems (its file and line); `load` writes its rows and
    returns their new ids (dump id -> new id) when a later table refers to them; `since` is
    the format version that added the table (an older dump is read without it);
    `check_dump` adds the problems found against the dump's other tables (table name -> rows)
    or the target database (a row referring by natural key to what a body above the subtree
    issued), still before anything is written; `unheld` gives the indexes (0-based) of the
    table's rows whose natural-key reference the target database lacks, which a load
    `without_above` leaves out (`left_out`), `unheld_why` saying why in Vietnamese."""

    name: str
    columns: list[Column]
    dump_sql: str
    references: tuple[tuple[int, str], ...]
    load: Callable[[Loaded], dict[int, int] | None]
    check: Callable[[list[list[Any]], Callable[[int, str], None]], None] | None = None
    since: int = 2
    check_dump: Callable[[dict[str, list[list[Any]]], Callable[[int, str], None]], None] | None = None
    unheld: Callable[[dict[str, list[list[Any]]]], set[int]] | None = None
    unheld_why: str = ""


EXTENSIONS: dict[str, ExtensionTable] = {}
#: a row naming by natural key what a body above the dumped subtree issued, which the target
#: database lacks (`ExtensionTable.check_dump`, `unheld`)
NOT_HELD = "chưa có trong cơ sở dữ liệu"
ABOVE = (f"{NOT_HELD}: hãy nạp dữ liệu của cấp trên trước, hoặc nạp với --without-above để "
         "bỏ qua các dòng này.")


@dataclass(frozen=True)
class LeftOut:
    """Rows of one table a load `without_above` left out, and why (Vietnamese)."""

    table: str
    rows: int
    why: str

    def say(self) -> str:
        return f"Bỏ qua {vn_number(self.rows)} dòng {self.table}.csv: {self.why}."


class LoadCounts(dict[str, int]):
    """What a load wrote: the rows per table (a dict, as before `left_out`), and the rows a load
    `without_above` left out."""

    def __init__(self, counts: dict[str, int], left_out: list[LeftOut]) -> None:
        super().__init__(counts)
        self.left_out = left_out


class DumpCounts(dict[str, int]):
    """What a dump wrote: the rows per table, the attached files copied into `files/` (each
    once) and their bytes, and the files the storage no longer had (their rows left out,
    `missing`: table and stored name)."""

    def __init__(self) -> None:
        super().__init__()
        self.files = 0
        self.file_bytes = 0
        self.missing: list[dict[str, str]] = []

    def say_missing(self) -> str:
        """The warning about the missing files, in Vietnamese ("" when none)."""
        if not self.missing:
            return ""
        shown = ", ".join(f"{m['table']}: {m['name']}" for m in self.missing[:5])
        more = f" và {vn_number(len(self.missing) - 5)} tệp khác" if len(self.missing) > 5 else ""
        return (f"Cảnh báo: {vn_number(len(self.missing))} tệp đính kèm không còn trong kho "
                f"lưu trữ nên không được xuất (cùng dòng của chúng): {shown}{more}.")


def file_problem(path: Path, digest: str, kinds: tuple[str, ...], limit: int) -> str:
    """What is wrong with the dump's file `path` named `digest` for a column taking `kinds`
    ("" when nothing): absent, larger than this installation takes, bytes not those of its
    name, or not a kind the column takes (judged by the bytes, as an upload is)."""
    shown = f"«{FILES}/{digest[:12]}…»"
    if path.is_symlink() or not path.is_file():
        return f"thiếu tệp {shown} trong thư mục {FILES}/."
    if path.stat().st_size > limit:
        return f"tệp {shown} lớn quá giới hạn {size_text(limit)} của hệ thống này."
    if sha256_of(path) != digest:
        return f"tệp {shown} đã bị thay đổi hoặc hỏng (mã SHA-256 không khớp với tên tệp)."
    with path.open("rb") as fh:
        kind = sniff_kind(fh)
    if kind is None or kind not in kinds:
        return (f"nội dung tệp {shown} không phải loại được nhận "
                f"({', '.join(k.upper() for k in kinds)}).")
    return ""


def check_files(folder: Path, data: dict[str, list[list[Any]]], problems: Problems) -> None:
    """Each file a row names, checked before anything is written (`file_problem`); a file
    named by several rows is read once per kind of column."""
    limit = max_bytes()
    judged: dict[tuple[str, tuple[str, ...]], str] = {}
    for name, spec in TABLES.items():
        places = [i for i, c in enumerate(spec) if c.kind == "file"]
        for line, r in enumerate((data.get(name) or []) if places else [], start=2):
            for i in places:
                digest = r[i]
                if digest is None:
                    continue
                key = (digest, spec[i].choices)
                if key not in judged:
                    judged[key] = file_problem(folder / FILES / digest, digest, key[1], limit)
                if judged[key]:
                    problems.add(f"{name}.csv, dòng {line}: {judged[key]}")


def held_by_key(table: str, key_of: Callable[[list[Any]], Any],
                held: Callable[[set[Any]], dict[Any, int]], says: Callable[[Any], str]
                ) -> tuple[Callable[[dict[str, list[list[Any]]]], set[int]],
                           Callable[[dict[str, list[list[Any]]], Callable[[int, str], None]],
                                    None]]:
    """`unheld` and `check_dump` of a table whose rows may name, by its natural key
    (`key_of(row)`, None for a row that names nothing so), what a body above the subtree issued:
    the rows whose key the target lacks (`held(keys)` -> key -> id), and a problem for each
    (`says(key)`, ending with ABOVE) when the load does not leave them out."""

    def unheld(data: dict[str, list[list[Any]]]) -> set[int]:
        keys = [key_of(r) for r in data[table]]
        found = held({k for k in keys if k is not None})
        return {i for i, k in enumerate(keys) if k is not None and k not in found}

    def check(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]) -> None:
        rows = data[table]
        for i in sorted(unheld(data)):
            add(i + 2, says(key_of(rows[i])))

    return unheld, check


def left_out(data: dict[str, list[list[Any]]]) -> tuple[dict[str, set[int]], list[LeftOut]]:
    """The rows a load `without_above` leaves out: each extension's `unheld` rows, and with
    them, in registration order, the rows of the tables referring (`references`) to a row left
    out (a grading's answers) — table -> row indexes (0-based), and the counts with their
    reasons."""
    drop: dict[str, set[int]] = {}
    ids: dict[str, set[Any]] = {}  # the ids of the rows left out, of tables that have one
    report: list[LeftOut] = []
    for name, extension in EXTENSIONS.items():
        rows = data.get(name) or []
        if not rows:
            continue
        own = extension.unheld(data) if extension.unheld is not None else set()
        if own:
            report.append(LeftOut(name, len(own), extension.unheld_why))
        for of in dict.fromkeys(of for _, of in extension.references if ids.get(of)):
            columns = [i for i, o in extension.references if o == of]
            hanging = {i for i, r in enumerate(rows) if i not in own
                       and any(r[c] is not None and r[c] in ids[of] for c in columns)}
            if hanging:
                report.append(LeftOut(name, len(hanging), f"thuộc các dòng {of}.csv đã bỏ qua"))
                own = own | hanging
        if own:
            drop[name] = own
            if extension.columns[0].name == "id":
                ids[name] = {rows[i][0] for i in own}
    return drop, report


def check_once(rows: list[list[Any]], add: Callable[[int, str], None],
               key: Callable[[list[Any]], Any], say: Callable[[list[Any], int], str]) -> None:
    """An extension's check that a key appears once: each later row with the key of an earlier
    one (a key of None is not checked) is named, `say(row, first line)`."""
    seen: dict[Any, int] = {}
    for line, r in enumerate(rows, start=2):
        k = key(r)
        if k is None:
            continue
        if k in seen:
            add(line, say(r, seen[k]))
        seen.setdefault(k, line)


def next_ids(*models: type[Any]) -> list[int]:
    """The first free id of each model (rows are written with their ids, then
    `reset_sequences`); called inside the load's transaction."""
    from django.db.models import Max

    return [int(m._default_manager.aggregate(last=Max("pk"))["last"] or 0) + 1 for m in models]


def new_ids(model: type[Any], rows: list[list[Any]]) -> dict[int, int]:
    """Dump id (each row's first cell) -> the id its row is written with: the model's next
    free ids, in the rows' order."""
    base = next_ids(model)[0]
    return {r[0]: base + i for i, r in enumerate(rows)}


def moment(value: Any) -> Any:
    """A time read from the dump, as the database driver writes it (None stays None)."""
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(value) if value is not None else None


def reset_sequences(*models: type[Any]) -> None:
    """After rows were written with their ids: the models' id sequences moved past them
    (PostgreSQL; nothing to do on SQLite)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def register_table(table: ExtensionTable) -> None:
    """Add a table to every dump and load (in registration order, after the core tables)."""
    if table.name in CORE:
        raise ValueError(f"{table.name} is a core table")
    EXTENSIONS[table.name] = table
    TABLES[table.name] = table.columns


STEP = Unit.steplen
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
assert Unit.alphabet == ALPHABET  # treebeard's default: int(step, 36) reads a step back


def step_path(parent: str, position: int) -> str:
    """The path of the `position`-th child (1-based) of `parent`, as treebeard numbers it —
    refusing what treebeard silently allows: position 36⁴ would give a 5-character step and
    break the depth of every path below (docs/scaling.md, «Tree»)."""
    if not 0 < position < len(ALPHABET) ** STEP:
        raise ApplicationError(f"Một đơn vị không thể có quá {len(ALPHABET) ** STEP - 1} đơn vị "
                               "trực thuộc trực tiếp (giới hạn của đường dẫn cây).")
    digits = ""
    n = position
    while n:
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    return parent + digits.rjust(STEP, "0")


def columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Problems:
    """Errors found while reading, in Vietnamese, with file and line; at most `limit` kept."""

    def __init__(self, limit: int = 20) -> None:
        self.items: list[str] = []
        self.count = 0
        self.limit = limit

    def add(self, text: str) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append(text)

    def raise_if_any(self) -> None:
        if self.count:
            more = f" (và {self.count - len(self.items)} lỗi khác)" if self.count > len(self.items) else ""
            raise ApplicationError("Tệp trao đổi có lỗi, chưa ghi gì vào cơ sở dữ liệu:\n- "
                                   + "\n- ".join(self.items) + more)


def _within(col: Column, value: int | Decimal, where: str, problems: Problems) -> bool:
    if col.limits is not None and not col.limits[0] <= value <= col.limits[1]:
        problems.add(f"{where}: cột «{col.name}» phải từ {col.limits[0]} đến {col.limits[1]}, "
                     f"có {value}.")
        return False
    return True


def _parse(col: Column, text: str, where: str, problems: Problems) -> Any:
    if text == "":
        if col.required:
            problems.add(f"{where}: thiếu giá trị cột «{col.name}».")
        return None
    if col.kind == "int":
        try:
            value = int(text)
        except ValueError:
            problems.add(f"{where}: cột «{col.name}» phải là số nguyên, có «{text[:20]}».")
            return None
        return value if _within(col, value, where, problems) else None
    if col.kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        exponent = number.as_tuple().exponent
        if not number.is_finite() or not isinstance(exponent, int) or -exponent > col.places:
            problems.add(f"{where}: cột «{col.name}» phải là số có tối đa {col.places} chữ số "
                         f"sau dấu chấm, có «{text[:20]}».")
            return None
        return number if _within(col, number, where, problems) else None
    if col.kind == "datetime":
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            problems.add(f"{where}: cột «{col.name}» phải là thời điểm dạng YYYY-MM-DD "
                         f"HH:MM:SS+HH:MM, có «{text[:30]}».")
            return None
        return _aware(moment)
    if col.kind == "bool":
        if text not in ("true", "false"):
            problems.add(f"{where}: cột «{col.name}» phải là true hoặc false, có «{text[:20]}».")
            return None
        return text == "true"
    if col.kind in JSON_KINDS:
        try:
            value = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            problems.add(f"{where}: cột «{col.name}» không phải JSON hợp lệ.")
            return None
        if not isinstance(value, JSON_KINDS[col.kind]):
            shape = "danh sách" if col.kind == "json" else "đối tượng"
            problems.add(f"{where}: cột «{col.name}» phải là một {shape} JSON.")
            return None
        return json.dumps(value, ensure_ascii=False)
    if col.kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            problems.add(f"{where}: cột «{col.name}» phải là ngày dạng YYYY-MM-DD, có "
                         f"«{text[:20]}».")
            return None
    if col.kind == "time":
        try:
            return dt.time.fromisoformat(text).isoformat()
        except ValueError:
            problems.add(f"{where}: cột «{col.name}» phải là giờ dạng HH:MM:SS, có «{text[:20]}».")
            return None
    if col.kind == "file":
        if len(text) != 64 or not set(text) <= _HEX:
            problems.add(f"{where}: cột «{col.name}» phải là mã SHA-256 (64 chữ số hex, chữ "
                         f"thường) của một tệp trong thư mục {FILES}/, có «{text[:20]}».")
            return None
        return text
    if col.kind == "choice" and text not in col.choices:
        problems.add(f"{where}: cột «{col.name}» có giá trị không hợp lệ «{text[:20]}».")
        return None
    if col.max_length is not None and len(text) > col.max_length:
        problems.add(f"{where}: cột «{col.name}» dài quá {col.max_length} ký tự.")
        return None
    return text


class _Careful(ValueError):
    """A cell the quick conversion leaves to `_parse`, which says what is wrong."""


def _quick(col: Column) -> Callable[[str], Any]:
    """The conversion of a good cell, raising ValueError on anything else (the row is then
    read again cell by cell by `_parse`, which records each problem): most files have none,
    and this costs a fraction of `_parse`'s per-cell checks."""
    kind, required = col.kind, col.required

    def empty() -> Any:
        if required:
            raise _Careful
        return None

    longest, limits = col.max_length, col.limits
    if kind == "text" and longest is None:
        return (lambda v: v or empty()) if required else (lambda v: v or None)
    if kind == "text" and longest is not None:
        return lambda v: (v if len(v) <= longest else _careful()) if v else empty()
    if kind == "int" and limits is None:
        return int if required else (lambda v: int(v) if v else None)
    if kind == "int" and limits is not None:
        low, high = limits
        return lambda v: _between(int(v), low, high) if v else empty()
    if kind == "bool":
        return lambda v: _BOOLS[v] if v in _BOOLS else (_careful() if v else empty())
    if kind == "date":
        return lambda v: dt.date.fromisoformat(v).isoformat() if v else empty()
    if kind == "choice":
        allowed = frozenset(col.choices)
        return lambda v: (v if v in allowed else _careful()) if v else empty()
    if kind in JSON_KINDS:
        # the text as written (the database stores the value, not its spacing)
        shape = JSON_KINDS[kind]
        return lambda v: _json_of(v, shape) if v else empty()
    if kind == "datetime":
        return lambda v: _aware(dt.datetime.fromisoformat(v)) if v else empty()
    if kind == "time":
        return lambda v: dt.time.fromisoformat(v).isoformat() if v else empty()
    if kind == "file":
        return lambda v: (v if len(v) == 64 and set(v) <= _HEX else _careful()) if v else empty()
    return lambda v: _parse(col, v, "", _STRICT) if v or not required else empty()


def _json_of(text: str, shape: type) -> str:
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise _Careful from None
    if type(value) is not shape:
        raise _Careful
    return text


def _no_constant(name: str) -> Any:
    # NaN and Infinity are Python's JSON, not JSON: PostgreSQL refuses them
    raise ValueError(name)


def _aware(moment: dt.datetime) -> dt.datetime:
    # a time without its offset is UTC, as SQLite stores Django's times
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _careful() -> Any:
    raise _Careful


def _between(value: int, low: int, high: int) -> int:
    if low <= value <= high:
        return value
    raise _Careful


_BOOLS = {"true": True, "false": False}
_HEX = frozenset("0123456789abcdef")


class _Strict(Problems):
    """Problems that stop the quick conversion at the first one."""

    def add(self, text: str) -> None:
        raise _Careful


_STRICT = _Strict()


def read_rows(folder: Path, entry: dict[str, Any], problems: Problems) -> Iterator[list[Any]]:
    """Parsed rows of one table file; each problem is recorded with its line."""
    table = entry["name"]
    spec = TABLES[table]
    name = entry["file"]
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != [c.name for c in spec]:
            problems.add(f"{name}: dòng tiêu đề phải là «{','.join(c.name for c in spec)}».")
            return
        quick = [_quick(c) for c in spec]
        width = len(spec)
        for line, raw in enumerate(reader, start=2):
            if len(raw) != width:
                problems.add(f"{name}, dòng {line}: có {len(raw)} cột, cần {width}.")
                continue
            try:
                yield [convert(v) for convert, v in zip(quick, raw, strict=True)]
            except ValueError:
                where = f"{name}, dòng {line}"
                yield [_parse(spec[i], v, where, problems) for i, v in enumerate(raw)]


def _unpack(tar: tarfile.TarFile, workdir: Path, name: str) -> None:
    """Regular files and folders under relative names only (no link, device, absolute path or
    `..`): what `extractall(filter="data")` does on Pythons that have it (3.11.4+; Debian 12
    ships 3.11.2)."""
    for member in tar:
        parts = PurePosixPath(member.name).parts
        if (PurePosixPath(member.name).is_absolute() or ".." in parts or not parts
                or not (member.isfile() or member.isdir())):
            raise ApplicationError(f"«{name}» chứa mục không hợp lệ: «{member.name}».")
        target = workdir.joinpath(*parts)
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        reader = tar.extractfile(member)
        assert reader is not None
        with reader, open(target, "xb") as out:
            shutil.copyfileobj(reader, out)


def open_exchange(source: Path, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """The folder holding the files (a .tar is unpacked into `workdir`) and its checked
    manifest: format, version, every table's file, columns, row count and checksum."""
    if source.is_file():
        try:
            with tarfile.open(source) as tar:
                _unpack(tar, workdir, source.name)
        except tarfile.TarError as exc:
            raise ApplicationError(f"«{source.name}» không phải tệp .tar đọc được ({exc}).") from None
        inner = [p for p in workdir.iterdir() if p.is_dir()]
        folder = inner[0] if not (workdir / MANIFEST).exists() and len(inner) == 1 else workdir
    elif source.is_dir():
        folder = source
    else:
        raise ApplicationError(f"Không tìm thấy «{source}».")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ApplicationError(f"Thiếu tệp {MANIFEST} (danh mục các bảng).") from None
    except json.JSONDecodeError as exc:
        raise ApplicationError(f"{MANIFEST} không phải JSON hợp lệ (dòng {exc.lineno}).") from None
    if manifest.get("format") != FORMAT:
        raise ApplicationError(f"{MANIFEST}: không phải định dạng trao đổi «{FORMAT}».")
    version = manifest.get("version")
    if version not in READABLE:
        raise ApplicationError(f"{MANIFEST}: phiên bản {version} chưa được hỗ trợ (phiên bản "
                               f"đọc được: {', '.join(map(str, READABLE))}).")
    entries = {e.get("name"): e for e in manifest.get("tables", [])}
    for table in TABLES:
        entry = entries.get(table)
        if entry is None:
            if table in EXTENSIONS and version < EXTENSIONS[table].since:
                continue  # added after the dump's version
            raise ApplicationError(f"{MANIFEST}: thiếu bảng «{table}».")
        path = folder / str(entry.get("file", ""))
        if not path.is_file():
            raise ApplicationError(f"Thiếu tệp «{entry.get('file')}» của bảng «{table}».")
        if entry.get("columns") != columns(table):
            raise ApplicationError(f"{MANIFEST}: các cột của bảng «{table}» không đúng định dạng "
                                   f"phiên bản {version}.")
        if entry.get("sha256") != sha256_of(path):
            raise ApplicationError(f"Tệp «{entry['file']}» đã bị thay đổi hoặc hỏng (mã kiểm tra "
                                   "SHA-256 không khớp với danh mục).")
    return folder, manifest


def write_manifest(folder: Path, root: str | None, counts: DumpCounts,
                   with_cccd: bool) -> dict[str, Any]:
    manifest = {
        "format": FORMAT, "version": VERSION, "root": root, "with_cccd": with_cccd,
        "steplen": STEP, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": [{"name": t, "file": f"{t}.csv", "columns": columns(t), "rows": counts[t],
                    "sha256": sha256_of(folder / f"{t}.csv")} for t in TABLES],
        # for the reader: the load checks each file against its row and its own name
        "files": {"folder": FILES, "count": counts.files, "bytes": counts.file_bytes,
                  "missing": counts.missing},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return manifest


def csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["" if v is None else v for v in values])
    return buffer.getvalue()
