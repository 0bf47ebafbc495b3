"""Backup and restore of one installation: the database, the media folder and the audit
checkpoints in one archive (`thidua backup -o FILE`, `thidua restore FILE`).

The archive is a .tar.gz holding `database/` (a SQLite copy taken by the online backup API, or a
`pg_dump -Fc`), `media/`, `audit/` and, last, `manifest.json`: format, app version, engine,
creation time, the applied migrations and the sha256 of every member. The secret key and the
audit key are never in it: they are kept apart, so a stolen archive cannot forge the chain.

A restore reads and checks the whole archive into a staging folder before it touches anything:
the manifest must be ours, every member's hash must match and no member may be missing or extra,
the engine must be the one configured, and no migration may be newer than the code. Only then is
the database replaced in one step (the SQLite backup API writing into the live file, which other
connections see all at once; `pg_restore --single-transaction` on PostgreSQL), then the folders
swapped by renames."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from thidua.platform.errors import ApplicationError

FORMAT = "thidua-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/thidua.sqlite3"
PG_MEMBER = "database/thidua.pgdump"
FOLDERS = ("media", "audit")
_CHUNK = 1024 * 1024

FOREIGN = ("Tệp «{name}» không phải bản sao lưu của Thi Đua (thiếu tệp mô tả manifest.json hoặc "
           "tệp mô tả không đúng định dạng). Chưa thay đổi gì.")
CORRUPT = "Bản sao lưu «{name}» bị hỏng: {why}. Chưa thay đổi gì."


def app_version() -> str:
    try:
        return version("thidua")
    except PackageNotFoundError:
        return "0"


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def audit_dir() -> Path:
    return Path(getattr(settings, "THIDUA_AUDIT_DIR", Path(settings.HOME) / "audit"))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- the database ---------------------------------------------------------------------------

def _sqlite_connect(name: str) -> sqlite3.Connection:
    # the test database lives in memory under a shared-cache URI
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=60)


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return [*args, "-d", str(db["NAME"])], env


def _run_pg(program: str, args: list[str]) -> None:
    conn_args, env = _pg_args()
    proc = subprocess.run([program, *conn_args, *args], env=env, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise ApplicationError(f"{program} không chạy được: {proc.stderr.strip()[:2000]}")


def _dump_database(staging: Path) -> tuple[str, dict[str, list[str]]]:
    """Write the database into `staging`; returns its member name and the applied migrations."""
    if engine() == "sqlite":
        out = staging / SQLITE_MEMBER
        out.parent.mkdir(parents=True)
        with closing(_sqlite_connect(str(connection.settings_dict["NAME"]))) as src, \
                closing(sqlite3.connect(out)) as dst:
            src.backup(dst)  # a consistent snapshot while others keep writing
        with closing(sqlite3.connect(out)) as copy:
            rows = copy.execute("SELECT app, name FROM django_migrations").fetchall()
            copy.execute("PRAGMA journal_mode=DELETE")
        return SQLITE_MEMBER, _migration_map(rows)
    out = staging / PG_MEMBER
    out.parent.mkdir(parents=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
    _run_pg("pg_dump", ["-Fc", "--no-owner", "--no-privileges", "-f", str(out)])
    return PG_MEMBER, _migration_map(rows)


def _migration_map(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in rows:
        out.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(out.items())}


# --- writing an archive ---------------------------------------------------------------------

class _HashingReader:
    """Hands tarfile the file's bytes while hashing exactly those bytes."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> str:
    info = tar.gettarinfo(str(path), arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with open(path, "rb") as f:
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


@dataclass
class BackupResult:
    path: Path
    files: int
    size: int
    manifest: dict[str, Any] = field(default_factory=dict)


def backup_create(*, output: Path) -> BackupResult:
    """Write the archive to `output` (through a temporary file beside it, renamed at the end)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="thidua-backup-") as tmp:
        staging = Path(tmp)
        db_member, migrations = _dump_database(staging)
        partial = output.with_name(f".{output.name}.partial")
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                hashes[db_member] = _add_file(tar, staging / db_member, db_member)
                for folder, root in (("media", media_root()), ("audit", audit_dir())):
                    if not root.is_dir():
                        continue
                    for path in _walk(root):
                        arcname = f"{folder}/{path.relative_to(root).as_posix()}"
                        hashes[arcname] = _add_file(tar, path, arcname)
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION,
                    "app_version": app_version(), "engine": engine(),
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "database": db_member, "migrations": migrations, "files": hashes,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
                tar.addfile(info, _BytesReader(data))
            partial.chmod(0o600)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(output, len(hashes), output.stat().st_size, manifest)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        chunk, self.pos = self.data[self.pos:end], min(end, len(self.data))
        return chunk


# --- reading and checking an archive --------------------------------------------------------

def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (not path.is_absolute() and ".." not in path.parts and bool(path.parts)
            and (name == MANIFEST or path.parts[0] in {"database", *FOLDERS}))


@dataclass
class Staged:
    """A checked archive unpacked into `root`, ready to be put in place."""

    root: Path
    manifest: dict[str, Any]

    @property
    def database(self) -> Path:
        return self.root / str(self.manifest["database"])


def _unpack(archive: Path, staging: Path) -> dict[str, Any]:
    name = archive.name
    seen: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_member(member.name):
                    raise ApplicationError(FOREIGN.format(name=name))
                f = tar.extractfile(member)
                assert f is not None
                if member.name == MANIFEST:
                    try:
                        manifest = json.loads(f.read(16 * 1024 * 1024))
                    except ValueError:
                        raise ApplicationError(FOREIGN.format(name=name)) from None
                    continue
                if member.name in seen:
                    raise ApplicationError(CORRUPT.format(
                        name=name, why=f"tệp «{member.name}» có hai lần"))
                target = staging / member.name
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                digest = hashlib.sha256()
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    while chunk := f.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                seen[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise ApplicationError(CORRUPT.format(name=name, why="tệp nén không đọc trọn được "
                                              "(bị cắt ngắn hoặc sai byte)")) from exc
    except OSError as exc:
        if exc.errno is None:  # gzip's own checks (bad CRC, bad header)
            raise ApplicationError(CORRUPT.format(
                name=name, why="tệp nén không đọc trọn được (bị cắt ngắn hoặc sai byte)")) from exc
        raise ApplicationError(f"Không đọc hoặc không giải nén được «{name}»: "
                               f"{exc.strerror}. Chưa thay đổi gì.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or not isinstance(manifest.get("files"), dict):
        raise ApplicationError(FOREIGN.format(name=name))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ApplicationError(f"Bản sao lưu «{name}» có định dạng phiên bản "
                               f"{manifest.get('format_version')}, phiên bản phần mềm này chỉ "
                               f"đọc được định dạng {FORMAT_VERSION}. Chưa thay đổi gì.")
    expected: dict[str, str] = manifest["files"]
    for member_name, expected_hash in expected.items():
        if member_name not in seen:
            raise ApplicationError(CORRUPT.format(name=name, why=f"thiếu tệp «{member_name}»"))
        if seen[member_name] != expected_hash:
            raise ApplicationError(CORRUPT.format(
                name=name, why=f"tệp «{member_name}» không khớp mã băm đã ghi"))
    if extra := sorted(set(seen) - set(expected)):
        raise ApplicationError(CORRUPT.format(name=name, why=f"có tệp lạ «{extra[0]}»"))
    if manifest.get("database") not in expected:
        raise ApplicationError(CORRUPT.format(name=name, why="không có cơ sở dữ liệu"))
    return manifest


def _check_compatible(manifest: dict[str, Any], name: str) -> list[str]:
    """Refuses an archive of another engine or with migrations the code does not know; returns
    the migrations the code has and the archive lacks (the restore then applies them)."""
    if manifest.get("engine") != engine():
        labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise ApplicationError(
            f"Bản sao lưu «{name}» là của cơ sở dữ liệu {labels.get(str(manifest.get('engine')), '?')},"
            f" hệ thống đang dùng {labels[engine()]}: không khôi phục chéo được. Chưa thay đổi gì.")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    archived = {(app, m) for app, names in dict(manifest.get("migrations") or {}).items()
                for m in names}
    newer = sorted(archived - known)
    if newer:
        app, mig = newer[0]
        raise ApplicationError(
            f"Bản sao lưu «{name}» được tạo bởi phiên bản phần mềm mới hơn "
            f"({manifest.get('app_version')}; có bước cập nhật cơ sở dữ liệu {app}.{mig} mà "
            f"phiên bản này chưa có). Hãy cập nhật phần mềm rồi khôi phục. Chưa thay đổi gì.")
    return sorted(f"{a}.{m}" for a, m in known - archived)


def _check_sqlite_file(path: Path, name: str) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError:
        result = None
    if not result or result[0] != "ok":
        raise ApplicationError(CORRUPT.format(name=name, why="cơ sở dữ liệu bên trong bị hỏng"))


@contextmanager
def backup_check(*, archive: Path, staging_parent: Path | None = None) -> Iterator[Staged]:
    """Unpack and check `archive`; yields it staged, then removes the staging folder."""
    archive = Path(archive)
    if not archive.is_file():
        raise ApplicationError(f"Không có tệp «{archive}».")
    parent = staging_parent or Path(settings.HOME)
    parent.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=".thidua-restore-", dir=parent))
    try:
        root.chmod(0o700)
        manifest = _unpack(archive, root)
        staged = Staged(root, manifest)
        if manifest["database"] == SQLITE_MEMBER:
            _check_sqlite_file(staged.database, archive.name)
        yield staged
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- putting it in place --------------------------------------------------------------------

def _swap_folder(source: Path | None, target: Path) -> None:
    """Make `target` hold exactly `source` (None: an empty folder) by renames beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    if source is not None and source.is_dir():
        fresh.rmdir()
        try:
            source.rename(fresh)
        except OSError:  # another file system: copy, still beside the target
            shutil.copytree(source, fresh)
    fresh.chmod(0o700)
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _restore_database(staged: Staged) -> None:
    for conn in connections.all():
        conn.close()
    if engine() == "sqlite":
        with closing(sqlite3.connect(staged.database)) as src, \
                closing(_sqlite_connect(str(connection.settings_dict["NAME"]))) as dst:
            # one write transaction on the live file: other connections see the old database
            # or the restored one, never a mix
            src.backup(dst)
        return
    _run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                           "--single-transaction", "--exit-on-error", str(staged.database)])


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    migrated: list[str]


def backup_restore(*, archive: Path, confirm: Callable[[dict[str, Any]], bool] | None = None,
                   migrate: Callable[[], None] | None = None) -> RestoreResult | None:
    """Check `archive` completely, ask `confirm` (None: go ahead), then replace the database,
    the media folder and the audit folder. Returns None when the operator declined."""
    archive = Path(archive)
    with backup_check(archive=archive) as staged:
        missing = _check_compatible(staged.manifest, archive.name)
        if confirm is not None and not confirm(staged.manifest):
            return None
        _restore_database(staged)
        _swap_folder(staged.root / "media", media_root())
        has_audit = any(m.startswith("audit/") for m in staged.manifest["files"])
        if has_audit or audit_dir().exists():
            _swap_folder(staged.root / "audit", audit_dir())
        if missing and migrate is not None:
            migrate()
        return RestoreResult(staged.manifest, len(staged.manifest["files"]), missing)


# --- a canonical view of the data, to compare a round trip ----------------------------------

def database_fingerprint() -> str:
    """sha256 over every row of every table, in a fixed order: equal fingerprints, equal data."""
    digest = hashlib.sha256()
    # A model registered without a table (a test's own model between its module's tests) has
    # no rows to compare.
    tables = set(connection.introspection.table_names())
    for model in sorted(apps.get_models(include_auto_created=True),
                        key=lambda m: m._meta.db_table):
        if not model._meta.managed or model._meta.proxy or model._meta.db_table not in tables:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        digest.update(f"\n#{model._meta.db_table}\n".encode())
        for row in model._base_manager.order_by("pk").values_list(*fields).iterator(2000):
            digest.update(json.dumps(row, default=str, ensure_ascii=False).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def folder_fingerprint(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha256_file(p) for p in _walk(root)} \
        if root.is_dir() else {}
