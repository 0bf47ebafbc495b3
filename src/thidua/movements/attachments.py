"""Attached documents: the kind is judged from the bytes (an extension proves nothing), the size
is bounded while the upload is read, and the file is stored under MEDIA_ROOT with a generated
name; the name the user gave is kept for display and download only."""

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

ALLOWED_KINDS = ("pdf", "docx", "xlsx", "jpg", "png")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
ZIP_MAX_MEMBERS = 5000
WRONG_KIND = ("Chỉ nhận tài liệu PDF, Word (.docx), Excel (.xlsx) hoặc ảnh JPG, PNG; tệp đã "
              "chọn không phải một trong các loại này (hệ thống kiểm tra nội dung tệp, không "
              "chỉ phần đuôi tên).")


def max_attachment_bytes() -> int:
    return int(getattr(settings, "THIDUA_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{vn_number(n // (1024 * 1024))} MB"
    return f"{vn_number(max(1, n // 1024))} KB"


def too_big_message() -> str:
    return f"Tệp quá lớn: mỗi tài liệu đính kèm tối đa {_size_text(max_attachment_bytes())}."


def sniff_kind(path: Path) -> str | None:
    """'pdf', 'docx', 'xlsx', 'jpg' or 'png' from the file's bytes; None for anything else."""
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
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


@dataclass
class StoredFile:
    relative_name: str  # under MEDIA_ROOT
    stored_name: str
    original_name: str
    kind: str
    size: int
    sha256: str


def clean_original_name(name: str) -> str:
    base = Path(str(name or "").replace("\\", "/")).name.strip()
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    return base[:255] or "tai-lieu"


def store_upload(upload: Any) -> StoredFile:
    """Read the upload (anything with .name and .chunks()), refusing it past the size limit or
    when its bytes are not an allowed kind; then move it under MEDIA_ROOT/movements."""
    limit = max_attachment_bytes()
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ApplicationError(too_big_message(), field="file")
    folder = Path(settings.MEDIA_ROOT) / "movements"
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
        stored_name = f"{uuid.uuid4().hex}.{kind}"
        tmp.replace(folder / stored_name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return StoredFile(f"movements/{stored_name}", stored_name, clean_original_name(upload.name),
                      kind, size, digest.hexdigest())


def remove_stored(relative_name: str) -> None:
    path = Path(settings.MEDIA_ROOT) / relative_name
    path.unlink(missing_ok=True)
