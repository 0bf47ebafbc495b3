"""The files attached to initiatives in the exchange format (version 8): copied into the dump's
`files/` once each, named by their SHA-256; checked before a load writes anything (present,
bytes matching the name, a kind the table takes, within the size limit); saved in the target's
storage and removed again when the load fails."""

from __future__ import annotations

import csv
import hashlib
import json
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from thidua.initiatives import services
from thidua.initiatives.models import Attachment, Initiative
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import new_initiative
from thidua.org.models import Unit
from thidua.people.exchange_format import sha256_of
from thidua.people.services import exchange as exchange_service
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.tests.exchange_helpers import edit_dumped_cell
from thidua.platform.errors import ApplicationError
from thidua.testing import make_unit, make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _attachments() -> list[tuple[Any, ...]]:
    return sorted(Attachment.objects.values_list(
        "initiative__title", "original_name", "kind", "size", "sha256", "uploaded_at"))


def _dump(settings: Any, tmp_path: Path, out: Path, *, lose: bool = False,
          said: dict[str, StringIO] | None = None) -> tuple[list[tuple[Any, ...]], Any]:
    """Two initiatives of CDCS-A with three attachments (the same PDF twice), and one of
    CDCS-C outside the dump; CDVC-HN's subtree dumped from a storage of its own, then the
    database rolled back. `lose`: one PNG's file gone from the storage before the dump.
    `said`: dumped by the command line, which writes to these `stdout` and `stderr`."""
    settings.MEDIA_ROOT = tmp_path / "source-media"
    point = transaction.savepoint()
    try:
        world = make_world()
        first = new_initiative(world)
        second = new_initiative(world, title="Phần mềm quản lý hồ sơ đoàn viên")
        other = new_initiative(world, unit=world.cdcs_c, actor=world.outsider,
                               title="Sáng kiến của đơn vị khác", authors=[
                                   AuthorInput(full_name="Lê Văn Khác", contribution="100")])
        for ini, name, data in ((first, "Bản mô tả.pdf", PDF), (first, "Ảnh chụp.png", PNG),
                                (second, "Bản mô tả (bản sao).pdf", PDF),
                                (other, "khac.pdf", PDF + b"%other")):
            actor = world.outsider if ini is other else world.officer_cdcs
            services.attachment_add(actor=actor, initiative=ini,
                                    upload=SimpleUploadedFile(name, data))
        before = [a for a in _attachments() if a[0] != other.title]
        if lose:
            png = Attachment.objects.get(kind="png")
            (settings.MEDIA_ROOT / png.file.name).unlink()
        if said is None:
            counts = exchange_dump(actor=None, unit=world.cdvc, out=out)
        else:
            counts = None
            call_command("dump", str(out), "--unit", "CDVC-HN", **said)
    finally:
        transaction.savepoint_rollback(point)
    assert not Initiative.objects.exists()
    settings.MEDIA_ROOT = tmp_path / "target-media"  # another installation's storage
    return before, counts


def _stored(tmp_path: Path) -> list[Path]:
    root = tmp_path / "target-media"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_attached_files_travel_with_their_initiatives_once_each(settings, tmp_path):
    before, counts = _dump(settings, tmp_path, tmp_path / "cdvc.tar")
    assert (counts["initiative_attachments"], counts.files) == (3, 2)  # the PDF once
    assert counts.file_bytes == len(PDF) + len(PNG) and counts.missing == []
    with tarfile.open(tmp_path / "cdvc.tar") as tar:
        names = sorted(m.name for m in tar.getmembers() if m.isfile())
    assert [n for n in names if n.startswith("files/")] == sorted(
        f"files/{hashlib.sha256(b).hexdigest()}" for b in (PDF, PNG))

    under = make_unit("LDLD-DN", "ldld_tinh", name="Liên đoàn Lao động thành phố Đà Nẵng")
    loaded = exchange_load(actor=None, source=tmp_path / "cdvc.tar", under=under)

    assert loaded["initiative_attachments"] == 3
    assert _attachments() == before  # names, kinds, sizes, digests and times kept
    for att in Attachment.objects.all():
        assert att.file.name.startswith("initiatives/") and att.uploaded_by is None
        assert (tmp_path / "target-media" / att.file.name).read_bytes() == (
            PNG if att.kind == "png" else PDF)
    assert len(_stored(tmp_path)) == 3  # each attachment its own stored file, as an upload


def test_a_file_missing_from_the_storage_is_named_and_its_row_left_out(settings, tmp_path):
    before, counts = _dump(settings, tmp_path, tmp_path / "cdvc", lose=True)
    assert counts["initiative_attachments"] == 2 and counts.files == 1
    assert [m["table"] for m in counts.missing] == ["initiative_attachments"]
    assert "1 tệp đính kèm không còn trong kho" in counts.say_missing()
    manifest = json.loads((tmp_path / "cdvc" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["count"] == 1 and len(manifest["files"]["missing"]) == 1

    exchange_load(actor=None, source=tmp_path / "cdvc")

    assert _attachments() == [a for a in before if a[2] != "png"]


def test_the_command_line_counts_the_files_and_warns_of_a_missing_one(settings, tmp_path):
    said = {"stdout": StringIO(), "stderr": StringIO()}
    _dump(settings, tmp_path, tmp_path / "cdvc", lose=True, said=said)
    assert "initiative_attachments 2" in said["stdout"].getvalue()
    assert ", 1 tệp đính kèm (1 KB) vào" in said["stdout"].getvalue()
    warning = said["stderr"].getvalue()
    assert warning.startswith("Cảnh báo: 1 tệp đính kèm không còn trong kho lưu trữ")
    assert "initiative_attachments: initiatives/" in warning


def _file_of_line(folder: Path, line: int) -> Path:
    with (folder / "initiative_attachments.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return folder / "files" / rows[line - 2]["file"]


@pytest.mark.parametrize("damage, says", [
    ("altered", "initiative_attachments.csv, dòng 2: tệp «files/.{12}…» đã bị thay đổi"),
    ("absent", "initiative_attachments.csv, dòng 2: thiếu tệp «files/"),
    ("program", "initiative_attachments.csv, dòng 2: nội dung tệp «files/.{12}…» không phải "
                "loại được nhận"),
    ("not a digest", "initiative_attachments.csv, dòng 2: cột «file» phải là mã SHA-256"),
    ("too big", "initiative_attachments.csv, dòng 2: tệp «files/.{12}…» lớn quá giới hạn 1 KB"),
])
def test_a_damaged_file_is_refused_with_its_line_and_nothing_is_written(settings, tmp_path,
                                                                         damage, says):
    _dump(settings, tmp_path, tmp_path / "cdvc")
    folder = tmp_path / "cdvc"
    path = _file_of_line(folder, 2)
    if damage == "altered":
        path.write_bytes(path.read_bytes() + b" ")
    elif damage == "absent":
        path.unlink()
    elif damage == "program":  # a program under its own digest: the name matches, the kind not
        named = folder / "files" / hashlib.sha256(EXE).hexdigest()
        named.write_bytes(EXE)
        edit_dumped_cell(folder, "initiative_attachments", 2, "file", named.name)
    elif damage == "not a digest":
        edit_dumped_cell(folder, "initiative_attachments", 2, "file", "../../etc/passwd")
    else:
        settings.THIDUA_MAX_ATTACHMENT_BYTES = 1024
        path.write_bytes(PDF + b"0" * 2000)
        renamed = path.with_name(sha256_of(path))
        path.rename(renamed)
        edit_dumped_cell(folder, "initiative_attachments", 2, "file", renamed.name)

    with pytest.raises(ApplicationError, match=says):
        exchange_load(actor=None, source=folder)

    assert not Unit.objects.exists() and not Attachment.objects.exists()
    assert _stored(tmp_path) == []


def test_a_load_that_fails_after_saving_files_removes_them(settings, tmp_path, monkeypatch):
    _dump(settings, tmp_path, tmp_path / "cdvc")

    def fail(**_: Any) -> None:
        raise RuntimeError("the audit entry could not be written")

    monkeypatch.setattr(exchange_service, "audit_record", fail)
    with pytest.raises(RuntimeError):
        exchange_load(actor=None, source=tmp_path / "cdvc")

    assert not Attachment.objects.exists()
    assert _stored(tmp_path) == []
