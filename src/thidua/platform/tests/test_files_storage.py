"""Files kept as-is (roster imports) and read back as a local path, from a file-system storage
and from one that has no paths (S3-like)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.platform import files
from thidua.platform.files import local_path, store_as_is

CSV = "Họ và tên;Số CCCD\nNguyễn Thị A;001190000001\n".encode()


class RemoteStorage:
    """Like S3Storage of django-storages: files, but no file-system path."""

    def __init__(self) -> None:
        self.files = InMemoryStorage()

    def save(self, name: str, content: Any) -> str:
        return self.files.save(name, content)

    def open(self, name: str, mode: str = "rb") -> Any:
        return self.files.open(name, mode)

    def path(self, name: str) -> str:
        raise NotImplementedError("This backend doesn't support absolute paths.")


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def test_stored_as_is_under_a_relative_name(media):
    stored = store_as_is(SimpleUploadedFile("Danh sách.csv", CSV), folder="imports",
                         extension="csv")
    assert stored.name.startswith("imports/") and stored.name.endswith(".csv")
    assert (media / stored.name).read_bytes() == CSV
    assert stored.sha256 == hashlib.sha256(CSV).hexdigest() and stored.size == len(CSV)
    assert stored.original_name == "Danh sách.csv"
    with local_path(stored.name) as path:
        assert path == media / stored.name


def test_local_path_of_a_missing_file(media):
    with pytest.raises(FileNotFoundError), local_path("imports/khong-co.csv"):
        pass


def test_a_storage_without_paths_is_copied_to_a_temporary_file(monkeypatch):
    remote = RemoteStorage()
    monkeypatch.setattr(files, "storage", lambda: remote)
    stored = store_as_is(SimpleUploadedFile("ds.csv", CSV), folder="imports", extension="csv")
    with local_path(stored.name) as path:
        assert path.read_bytes() == CSV and path.suffix == ".csv"
    assert not path.exists()
    with pytest.raises(FileNotFoundError), local_path("imports/khong-co.csv"):
        pass
