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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from thidua.org.models import Unit, UnitType
from thidua.people.models import Gender, MembershipEvent, MembershipStatus
from thidua.platform.errors import ApplicationError

FORMAT = "thidua-exchange"
VERSION = 1
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text | int | date | choice
    required: bool = False
    choices: tuple[str, ...] = ()


def _c(name: str, kind: str = "text", required: bool = False,
       choices: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, required, choices)


EVENTS = tuple(MembershipEvent.values)
TABLES: dict[str, list[Column]] = {
    "units": [_c("id", "int", True), _c("rel_path", required=True), _c("numchild", "int", True),
              _c("code", required=True), _c("name", required=True), _c("short_name"),
              _c("type", "choice", True, tuple(UnitType.values)),
              _c("valid_from", "date", True), _c("valid_to", "date"), _c("founded_on", "date")],
    "unit_versions": [_c("unit_id", "int", True), _c("parent_id", "int"),
                      _c("name", required=True), _c("short_name"), _c("rel_path", required=True),
                      _c("valid_from", "date", True), _c("valid_to", "date")],
    "persons": [_c("id", "int", True), _c("full_name", required=True), _c("birth_date", "date"),
                _c("gender", "choice", True, tuple(Gender.values)), _c("cccd"),
                _c("ethnicity"), _c("position"), _c("phone"), _c("email"), _c("member_code"),
                _c("union_joined_on", "date")],
    "employments": [_c("person_id", "int", True), _c("unit_id", "int", True),
                    _c("valid_from", "date", True), _c("valid_to", "date")],
    "memberships": [_c("person_id", "int", True), _c("unit_id", "int", True),
                    _c("status", "choice", True, tuple(MembershipStatus.values)),
                    _c("opened_by", "choice", True, EVENTS),
                    _c("closed_by", "choice", False, EVENTS), _c("valid_from", "date", True),
                    _c("valid_to", "date"), _c("note")],
}
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


def _parse(col: Column, text: str, where: str, problems: Problems) -> Any:
    if text == "":
        if col.required:
            problems.add(f"{where}: thiếu giá trị cột «{col.name}».")
        return None
    if col.kind == "int":
        try:
            return int(text)
        except ValueError:
            problems.add(f"{where}: cột «{col.name}» phải là số nguyên, có «{text[:20]}».")
            return None
    if col.kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            problems.add(f"{where}: cột «{col.name}» phải là ngày dạng YYYY-MM-DD, có "
                         f"«{text[:20]}».")
            return None
    if col.kind == "choice" and text not in col.choices:
        problems.add(f"{where}: cột «{col.name}» có giá trị không hợp lệ «{text[:20]}».")
        return None
    return text


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
        plain = [c.kind == "text" for c in spec]
        for line, raw in enumerate(reader, start=2):
            if len(raw) != len(spec):
                problems.add(f"{name}, dòng {line}: có {len(raw)} cột, cần {len(spec)}.")
                continue
            # plain text needs no parsing: only typed or required cells go through _parse
            yield [v if plain[i] and v else _parse(spec[i], v, f"{name}, dòng {line}", problems)
                   for i, v in enumerate(raw)]


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
    if manifest.get("version") != VERSION:
        raise ApplicationError(f"{MANIFEST}: phiên bản {manifest.get('version')} chưa được hỗ "
                               f"trợ (phiên bản đọc được: {VERSION}).")
    entries = {e.get("name"): e for e in manifest.get("tables", [])}
    for table in TABLES:
        entry = entries.get(table)
        if entry is None:
            raise ApplicationError(f"{MANIFEST}: thiếu bảng «{table}».")
        path = folder / str(entry.get("file", ""))
        if not path.is_file():
            raise ApplicationError(f"Thiếu tệp «{entry.get('file')}» của bảng «{table}».")
        if entry.get("columns") != columns(table):
            raise ApplicationError(f"{MANIFEST}: các cột của bảng «{table}» không đúng định dạng "
                                   f"phiên bản {VERSION}.")
        if entry.get("sha256") != sha256_of(path):
            raise ApplicationError(f"Tệp «{entry['file']}» đã bị thay đổi hoặc hỏng (mã kiểm tra "
                                   "SHA-256 không khớp với danh mục).")
    return folder, manifest


def write_manifest(folder: Path, root: str | None, counts: dict[str, int],
                   with_cccd: bool) -> dict[str, Any]:
    manifest = {
        "format": FORMAT, "version": VERSION, "root": root, "with_cccd": with_cccd,
        "steplen": STEP, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": [{"name": t, "file": f"{t}.csv", "columns": columns(t), "rows": counts[t],
                    "sha256": sha256_of(folder / f"{t}.csv")} for t in TABLES],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return manifest


def csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["" if v is None else v for v in values])
    return buffer.getvalue()
