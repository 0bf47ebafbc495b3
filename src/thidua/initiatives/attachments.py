"""Files attached to an application (drawings, photos, measurements, the signed form).

The kind is judged from the bytes — an extension proves nothing, so an .exe renamed .pdf is
refused — the size is bounded while the upload is read, and the file is stored under
MEDIA_ROOT/initiatives with a generated name; the name the user gave is kept for display and
download only."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number

FOLDER = "initiatives"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
}
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.jpg,.jpeg,.png"
ZIP_MAX_MEMBERS = 5000
WRONG_KIND = ("Chỉ nhận tài liệu PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx) hoặc ảnh "
              "JPG, PNG; nội dung tệp đã chọn không phải một trong các loại này (hệ thống kiểm "
              "tra nội dung tệp, không chỉ phần đuôi tên).")


def max_bytes() -> int:
    return int(getattr(settings, "THIDUA_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{vn_number(n / (1024 * 1024), 1)} MB"
    return f"{vn_number(max(1, n // 1024))} KB"


def too_big_message() -> str:
    return f"Tệp quá lớn: mỗi tài liệu đính kèm tối đa {size_text(max_bytes())}."


def sniff_kind(path: Path) -> str | None:
    """The file's kind from its first bytes (and, for Office files, the parts inside the zip)."""
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
                if len(infos) > ZIP_MAX_MEMBERS:
                    return None
                names = {i.filename for i in infos}
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for part, kind in (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                           ("ppt/presentation.xml", "pptx")):
            if part in names:
                return kind
    return None


@dataclass(frozen=True)
class StoredFile:
    name: str  # relative to MEDIA_ROOT
    original_name: str
    kind: str
    size: int
    sha256: str


def clean_original_name(name: str) -> str:
    base = Path(str(name or "").replace("\\", "/")).name.strip()
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    return base[:255] or "tai-lieu"


def store_upload(upload: Any) -> StoredFile:
    """Copy the upload (anything with .name and .chunks()) under MEDIA_ROOT, refusing it past the
    size limit or when its bytes are not an allowed kind. Nothing is left behind on refusal."""
    limit = max_bytes()
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ApplicationError(too_big_message(), field="file")
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix="upload-", dir=folder)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise ApplicationError(too_big_message(), field="file")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ApplicationError("Tệp đã chọn không có nội dung.", field="file")
        kind = sniff_kind(tmp)
        if kind is None:
            raise ApplicationError(WRONG_KIND, field="file")
        stored = f"{uuid.uuid4().hex}.{kind}"
        tmp.replace(folder / stored)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return StoredFile(f"{FOLDER}/{stored}", clean_original_name(upload.name), kind, size,
                      digest.hexdigest())


def remove_stored(name: str) -> None:
    (Path(settings.MEDIA_ROOT) / name).unlink(missing_ok=True)
