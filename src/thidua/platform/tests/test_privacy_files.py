"""Personal data on disk readable by its owner only (issue 10 §2): the SQLite database with its
-wal and -shm files (0600), the media folder (0700) and every file stored in it (0600)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.backends.sqlite3.base import DatabaseWrapper

from thidua.settings.base import sqlite_database


def _mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_wal_and_shm_are_owner_only(tmp_path, django_db_blocker):
    old = os.umask(0o022)  # what a default shell gives: 0644 files
    try:
        django_db_blocker.unblock()

        db = tmp_path / "thidua.sqlite3"
        wrapper = DatabaseWrapper({**sqlite_database(db), "TIME_ZONE": None, "CONN_MAX_AGE": 0,
                                   "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
                                   "ATOMIC_REQUESTS": False}, alias="privacy-test")
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x text)")
            cursor.execute("INSERT INTO t VALUES ('001085012345')")
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert all(f.exists() for f in files)  # WAL mode: the companions are there
        assert [_mode(f) for f in files] == [0o600, 0o600, 0o600]
        wrapper.close()
        # an installation made before: the next connection mends the modes
        for f in files[:1]:
            f.chmod(0o644)
        wrapper.ensure_connection()
        assert _mode(db) == 0o600
        wrapper.close()
    finally:
        django_db_blocker.restore()
        os.umask(old)


def test_the_media_folder_and_stored_files_are_owner_only(tmp_path):
    assert _mode(settings.MEDIA_ROOT) == 0o700
    old = os.umask(0o022)
    try:
        storage = FileSystemStorage(location=tmp_path / "media")
        name = storage.save("ho-so/2024/danh-sach.xlsx", ContentFile(b"CCCD 001085012345"))
        assert _mode(storage.path(name)) == 0o600
        assert _mode(tmp_path / "media" / "ho-so") == 0o700
        assert _mode(tmp_path / "media" / "ho-so" / "2024") == 0o700
    finally:
        os.umask(old)
