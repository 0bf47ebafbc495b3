"""`thidua backup` / `thidua restore` (issue 10 §7): a round trip gives back the same data, the
attachments and the audit folder; a corrupt, foreign, cross-engine or newer archive is refused
before anything is overwritten. Runs on the configured engine (SQLite, or PostgreSQL through
pg_dump / pg_restore on the test database)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.audit.services import audit_verify
from thidua.movements import services as movements
from thidua.movements.models import Attachment
from thidua.movements.tests.helpers import movement
from thidua.org.models import Unit
from thidua.platform import backup
from thidua.platform.errors import ApplicationError
from thidua.testing import make_person, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home(settings: Any, tmp_path: Path) -> Path:
    settings.HOME = tmp_path / "home"
    settings.MEDIA_ROOT = tmp_path / "home" / "media"
    settings.THIDUA_AUDIT_DIR = tmp_path / "home" / "audit"
    settings.THIDUA_AUDIT_DIR.mkdir(parents=True)
    (settings.THIDUA_AUDIT_DIR / "checkpoints.jsonl").write_text('{"seq": 1}\n')
    return Path(settings.HOME)


def _data(home: Path) -> list[Attachment]:
    world = make_world()
    m = movement(world)
    return [movements.attachment_add(
        actor=world.officer_above, movement=m,
        upload=SimpleUploadedFile(f"tai-lieu-{i}.pdf", b"%PDF-1.7\n" + bytes([i]) * (500 + i)))
        for i in range(10)]


def _more() -> None:
    make_person(Unit.objects.get(code="TO-A1"), "Lê Văn Mới", birth=dt.date(1977, 7, 7))


def _state(home: Path) -> tuple[str, dict[str, str], dict[str, str]]:
    return (backup.database_fingerprint(), backup.folder_fingerprint(home / "media"),
            backup.folder_fingerprint(home / "audit"))


def test_round_trip_gives_back_the_same_data_files_and_audit(home: Path, tmp_path: Path):
    attachments = _data(home)
    before = _state(home)
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["engine"] == backup.engine() and manifest["files"]["audit/checkpoints.jsonl"]
    assert len([m for m in manifest["files"] if m.startswith("media/")]) == 10
    assert "secret_key" not in json.dumps(manifest)

    # afterwards: more data, a lost attachment, a changed checkpoint
    _more()
    (home / "media" / attachments[0].file.name).unlink()
    (home / "audit" / "checkpoints.jsonl").write_text('{"seq": 99}\n')
    (home / "media" / "la.txt").write_text("sau sao lưu")
    assert _state(home) != before

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "Đã khôi phục" in out.getvalue()
    assert _state(home) == before
    restored = {}
    for att in Attachment.objects.all():
        with att.file.open("rb") as f:
            restored[att.original_name] = f.read()
    assert len(restored) == 10, "every attachment is back"
    assert all(content == b"%PDF-1.7\n" + bytes([i]) * (500 + i)
               for i, content in enumerate(restored[f"tai-lieu-{i}.pdf"] for i in range(10)))
    verdict = audit_verify()
    assert verdict.ok and verdict.count > 10, verdict.message
    assert not list(home.glob(".thidua-restore-*")) and not list(home.glob(".media-*"))


def _rewrite(archive: Path, out: Path, change: Any) -> Path:
    """Copy `archive` to `out`, passing each (name, bytes) through `change` (None: drop it)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            changed = change(member.name, data)
            if changed is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(changed)
            dst.addfile(info, io.BytesIO(changed))
    return out


def _manifest(change: Any) -> Any:
    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        change(manifest)
        return json.dumps(manifest).encode()
    return edit


def _flip_media(name: str, data: bytes) -> bytes:
    return data[:-1] + b"X" if name.startswith("media/") else data


def _truncated(archive: Path, out: Path) -> Path:
    out.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return out


def _newer(manifest: dict[str, Any]) -> None:
    manifest["migrations"]["people"].append("9999_from_the_future")


def _other_engine(manifest: dict[str, Any]) -> None:
    manifest["engine"] = "sqlite" if backup.engine() == "postgresql" else "postgresql"


def _foreign(manifest: dict[str, Any]) -> None:
    manifest["format"] = "other-tool"


CASES = {
    "one attachment byte changed": (lambda a, o: _rewrite(a, o, _flip_media), "không khớp mã băm"),
    "cut in half": (_truncated, "bị hỏng"),
    "no manifest": (lambda a, o: _rewrite(a, o, lambda n, d: None if n == "manifest.json" else d),
                    "không phải bản sao lưu của Thi Đua"),
    "foreign manifest": (lambda a, o: _rewrite(a, o, _manifest(_foreign)),
                         "không phải bản sao lưu của Thi Đua"),
    "a member missing": (lambda a, o: _rewrite(a, o, lambda n, d: None if n.startswith("audit/")
                                                  else d), "thiếu tệp «audit/checkpoints.jsonl»"),
    "an extra member": (lambda a, o: _rewrite(a, o, lambda n, d: d) and _add(o), "tệp lạ"),
    "another engine": (lambda a, o: _rewrite(a, o, _manifest(_other_engine)),
                       "không khôi phục chéo được"),
    "newer migrations": (lambda a, o: _rewrite(a, o, _manifest(_newer)), "phiên bản phần mềm mới hơn"),
    "a zip file": (lambda a, o: (o.write_bytes(b"PK\x03\x04" + b"0" * 100), o)[1], "bị hỏng"),
}


def _add(out: Path) -> Path:
    with tarfile.open(out) as src:
        members = [(m, src.extractfile(m).read()) for m in src]  # type: ignore[union-attr]
    with tarfile.open(out, "w:gz") as dst:
        for m, data in [*members[:1], (tarfile.TarInfo("media/them.pdf"), b"%PDF-1.7 la"),
                        *members[1:]]:
            m.size = len(data)
            dst.addfile(m, io.BytesIO(data))
    return out


def test_a_bad_archive_is_refused_before_anything_changes(home: Path, tmp_path: Path):
    _data(home)
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup_create(output=archive)
    _more()  # the live state differs from the archive's
    live = _state(home)
    for label, (make, expected) in CASES.items():
        bad = make(archive, tmp_path / f"hong-{len(label)}.tar.gz")
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(bad), "--yes", stdout=io.StringIO())
        assert expected in str(refused.value), (label, str(refused.value))
        assert "Chưa thay đổi gì" in str(refused.value), label
        assert _state(home) == live, f"{label}: something changed"
    assert not list(home.glob(".thidua-restore-*"))


def test_restore_asks_before_replacing(home: Path, tmp_path: Path, monkeypatch: Any):
    make_world()
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup_create(output=archive)
    _more()
    live = _state(home)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "không")
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Đã hủy" in out.getvalue() and _state(home) == live
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert _state(home) == live


def test_missing_archive_is_a_clear_refusal(home: Path, tmp_path: Path):
    with pytest.raises(ApplicationError, match="Không có tệp"):
        backup.backup_restore(archive=tmp_path / "khong-co.tar.gz")
