"""Attached files: judged by their bytes, capped in size, kept in Django's storage.

An upload is read once, in chunks, into a temporary file: past THIDUA_MAX_ATTACHMENT_BYTES it
is refused at once, and its kind is sniffed from its first bytes (and, for Office files, the
parts inside the zip) against the kinds the caller allows — an .exe renamed .pdf is refused.
Only then is it saved through the storage API (`default_storage`, i.e. STORAGES["default"])
under a generated name relative to the storage root, such as "movements/3f2a….pdf": several app
servers can share one storage, and a backup of the storage holds every file the database names.
The name the user gave is kept for display and download only. Files are read back through the
same storage (`FieldFile.open`, `open_stored`) and served only by each app's scoped view."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
}
KINDS = tuple(CONTENT_TYPES)
_EXTENSIONS = {"jpg": (".jpg", ".jpeg")}
_DOCUMENT_LABELS = {"pdf": "PDF", "docx": "Word (.docx)", "xlsx": "Excel (.xlsx)",
                    "pptx": "PowerPoint (.pptx)"}
_IMAGE_LABELS = {"jpg": "JPG", "png": "PNG"}
_OFFICE_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                 ("ppt/presentation.xml", "pptx"))
ZIP_MAX_MEMBERS = 5000
MEMORY_SPOOL = 1024 * 1024  # smaller uploads are sniffed without touching the disk


def accept_attribute(kinds: Iterable[str]) -> str:
    """The file input's `accept` for `kinds`: ".pdf,.docx,.jpg,.jpeg"."""
    return ",".join(ext for k in kinds for ext in _EXTENSIONS.get(k, (f".{k}",)))


ACCEPT = accept_attribute(KINDS)  # every kind this module can recognise


@dataclass(frozen=True)
class FileRules:
    """Where an app keeps its attachments (a folder of the storage) and which kinds it takes."""

    folder: str
    kinds: tuple[str, ...] = KINDS

    @property
    def accept(self) -> str:
        return accept_attribute(self.kinds)

    @property
    def wrong_kind(self) -> str:
        documents = [label for k, label in _DOCUMENT_LABELS.items() if k in self.kinds]
        images = [label for k, label in _IMAGE_LABELS.items() if k in self.kinds]
        taken = ", ".join(documents)
        if images:
            taken = (f"{taken} hoặc ảnh " if taken else "ảnh ") + ", ".join(images)
        return (f"Chỉ nhận tài liệu {taken}; nội dung tệp đã chọn không phải một trong các loại "
                "này (hệ thống kiểm tra nội dung tệp, không chỉ phần đuôi tên).")


@dataclass(frozen=True)
class StoredFile:
    name: str  # relative to the storage root, e.g. "movements/3f2a….pdf"
    original_name: str
    kind: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "THIDUA_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def size_text(n: int) -> str:
    """10485760 -> "10 MB", 1572864 -> "1,5 MB", 2048 -> "2 KB"."""
    mb = 1024 * 1024
    if n >= mb:
        return f"{vn_number(n / mb, 0 if n % mb == 0 else 1)} MB"
    return f"{vn_number(max(1, n // 1024))} KB"


def too_big_message() -> str:
    return f"Tệp quá lớn: mỗi tài liệu đính kèm tối đa {size_text(max_bytes())}."


def sniff_kind(f: IO[bytes]) -> str | None:
    """'pdf', 'docx', 'xlsx', 'pptx', 'jpg' or 'png' from a seekable file's bytes; None for
    anything else. The file is left at its start."""
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                return None
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        f.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OFFICE_PARTS if part in names), None)


def clean_original_name(name: str) -> str:
    base = PurePosixPath(str(name or "").replace("\\", "/")).name.strip()
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    return base[:255] or "tai-lieu"


def storage() -> Storage:
    return default_storage


def store_upload(upload: Any, rules: FileRules) -> StoredFile:
    """Read the upload (anything with .name and .chunks()), refusing it past the size limit or
    when its bytes are not one of `rules.kinds`; then save it in the storage under
    `rules.folder`. Nothing reaches the storage on refusal."""
    limit = max_bytes()
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ApplicationError(too_big_message(), field="file")
    digest = hashlib.sha256()
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=MEMORY_SPOOL) as tmp:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > limit:
                raise ApplicationError(too_big_message(), field="file")
            digest.update(chunk)
            tmp.write(chunk)
        if size == 0:
            raise ApplicationError("Tệp đã chọn không có nội dung.", field="file")
        kind = sniff_kind(tmp)
        if kind is None or kind not in rules.kinds:
            raise ApplicationError(rules.wrong_kind, field="file")
        target = f"{rules.folder}/{uuid.uuid4().hex}.{kind}"
        try:
            name = storage().save(target, File(tmp))
        except OSError:  # a full disk leaves the part written: no file of a failed upload stays
            with contextlib.suppress(OSError):
                storage().delete(target)
            raise
    return StoredFile(name, clean_original_name(upload.name), kind, size, digest.hexdigest())


def store_as_is(upload: Any, *, folder: str, extension: str) -> StoredFile:
    """Save an upload whose content its reader checks later (a roster .csv has no signature to
    sniff; the importer refuses what it cannot read), under `folder` with `extension`."""
    digest = hashlib.sha256()
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=MEMORY_SPOOL) as tmp:
        for chunk in upload.chunks():
            size += len(chunk)
            digest.update(chunk)
            tmp.write(chunk)
        tmp.seek(0)
        name = storage().save(f"{folder}/{uuid.uuid4().hex}.{extension}", File(tmp))
    return StoredFile(name, clean_original_name(upload.name), extension, size, digest.hexdigest())


@contextmanager
def local_path(name: str | None) -> Iterator[Path]:
    """A path on this machine to a stored file, for readers that need one: the file itself in a
    file-system storage, else a temporary copy removed on exit. FileNotFoundError when the
    storage does not have it (or no name: an empty FileField)."""
    if not name:
        raise FileNotFoundError("no file")
    try:
        path = Path(storage().path(name))
    except NotImplementedError:  # a remote storage: copy it here
        with open_stored(name) as src, tempfile.NamedTemporaryFile(
                suffix=PurePosixPath(name).suffix) as tmp:
            shutil.copyfileobj(src, tmp)
            tmp.flush()
            yield Path(tmp.name)
        return
    if not path.is_file():
        raise FileNotFoundError(name)
    yield path


def open_stored(name: str) -> File[bytes]:
    """The stored file, open for reading; FileNotFoundError when the storage no longer has it."""
    return storage().open(name, "rb")


def remove_stored(name: str) -> None:
    storage().delete(name)


def attachment_response(file: FieldFile, *, filename: str, kind: str) -> FileResponse:
    """Serve a stored attachment as a download, read through the storage. The caller has found
    it through the user's scope (`access_<entity>`); a file missing from the storage is a 404."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Tệp đính kèm không còn trên máy chủ.") from None
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
