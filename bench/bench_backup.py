"""Backup and restore of a whole installation, beside the copy the deployment guide used to
document, measured in the same run.

    .venv/bin/python bench/bench_backup.py [--members 20000] [--attachments 10]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

In a fresh database: the test world, `--members` people imported through the real roster
import, `--attachments` PDF attachments of a movement (200 KB each) and an audit folder.
1. Baseline: the database alone — SQLite's online backup API into one file (what
   `sqlite3 … ".backup …"` does), or `pg_dump -Fc` — then a restore of that copy: how many
   attachments can be opened afterwards.
2. `thidua backup`, then the data is changed (a person added, the media folder emptied, a
   checkpoint rewritten), then `thidua restore`: the fingerprint of every row of every table,
   the media files and the audit folder are compared with those before the backup, and
   `verify_audit` is run.
Exits with 1 when anything differs after the round trip.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from common import database_label, fresh_database, table, timer, vn


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--attachments", type=int, default=10)
    args = parser.parse_args()
    cleanup = fresh_database("backup")
    try:
        return run(args.members, args.attachments)
    finally:
        cleanup()


def run(members: int, attachments: int) -> int:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from thidua.audit.services import audit_verify
    from thidua.demo.builder import PeopleGenerator
    from thidua.movements import services as movements
    from thidua.movements.models import Attachment
    from thidua.movements.tests.helpers import movement
    from thidua.people.imports import roster_import_rows
    from thidua.platform import backup
    from thidua.testing import make_person, make_world

    home = Path(settings.HOME)
    settings.MEDIA_ROOT = home / "media"
    settings.THIDUA_AUDIT_DIR = home / "audit"
    settings.THIDUA_AUDIT_DIR.mkdir(exist_ok=True)
    (settings.THIDUA_AUDIT_DIR / "checkpoints.jsonl").write_text('{"seq": 1}\n')

    world = make_world()
    gen = PeopleGenerator(seed=members)
    rows = []
    for _ in range(members):
        p = gen.person(kind="office", women_share=0.6, born=(1962, 2002),
                       joined_by=dt.date(2023, 12, 31), member=True)
        rows.append({k: p[k] for k in ("full_name", "gender", "birth_date", "cccd", "ethnicity",
                                       "position", "join_date", "is_member")})
    result = roster_import_rows(actor=world.admin, unit=world.cdcs_a, rows=rows,
                                effective_date=dt.date(2024, 1, 1))
    assert not result.errors, result.errors[:3]
    m = movement(world)
    for i in range(attachments):
        movements.attachment_add(actor=world.officer_above, movement=m, upload=SimpleUploadedFile(
            f"tai-lieu-{i}.pdf", b"%PDF-1.7\n" + os.urandom(200 * 1024)))

    def state() -> tuple[str, dict[str, str], dict[str, str]]:
        return (backup.database_fingerprint(), backup.folder_fingerprint(home / "media"),
                backup.folder_fingerprint(home / "audit"))

    def readable() -> int:
        count = 0
        for att in Attachment.objects.all():
            try:
                with att.file.open("rb") as f:
                    count += bool(f.read(4) == b"%PDF")
            except OSError:
                pass
        return count

    before = state()
    out = home.parent / f"{home.name}-out"
    out.mkdir()
    pg = connection.vendor == "postgresql"
    db_name = str(connection.settings_dict["NAME"])

    archive = out / "sao-luu.tar.gz"
    with timer() as t_backup:
        made = backup.backup_create(output=archive)
    copy = out / ("db.pgdump" if pg else "db.sqlite3")  # the baseline: the database alone
    with timer() as t_base:
        if pg:
            backup._run_pg("pg_dump", ["-Fc", "--no-owner", "-f", str(copy)])
        else:
            with closing(sqlite3.connect(db_name)) as src, closing(sqlite3.connect(copy)) as dst:
                src.backup(dst)

    # the data folder is lost, the database changed since the backup
    make_person(world.to_a1, "Người thêm sau sao lưu", birth=dt.date(1977, 7, 7))
    shutil.rmtree(home / "media")
    (home / "audit" / "checkpoints.jsonl").write_text('{"seq": 99}\n')

    connection.close()
    with timer() as t_base_restore:
        if pg:
            backup._run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner",
                                          "--single-transaction", str(copy)])
        else:
            with closing(sqlite3.connect(copy)) as src, closing(sqlite3.connect(db_name)) as dst:
                src.backup(dst)
    base_readable = readable()

    with timer() as t_restore:
        backup.backup_restore(archive=archive)
    after = state()
    ok_db, ok_media, ok_audit = (a == b for a, b in zip(before, after, strict=True))
    verdict = audit_verify()
    ok_chain, entries, message = verdict.ok, verdict.count, verdict.message
    ours_readable = readable()
    n_att = Attachment.objects.count()

    print(f"{database_label()}: {vn(members)} người nhập thật, {vn(n_att)} tệp đính kèm "
          f"× 200 KB")
    print(table([
        ["cách", "sao lưu", "khôi phục", "kích thước", "tệp đính kèm mở được sau khôi phục"],
        ["baseline: chỉ cơ sở dữ liệu (.backup / pg_dump)", f"{vn(t_base['seconds'], 2)} s",
         f"{vn(t_base_restore['seconds'], 2)} s", f"{vn(copy.stat().st_size / 2**20, 1)} MB",
         f"{base_readable}/{n_att}"],
        ["thidua backup / restore", f"{vn(t_backup['seconds'], 2)} s",
         f"{vn(t_restore['seconds'], 2)} s", f"{vn(made.size / 2**20, 1)} MB",
         f"{ours_readable}/{n_att}"],
    ]))
    print(f"round trip: database fingerprint {'equal' if ok_db else 'DIFFERENT'}, media "
          f"{'equal' if ok_media else 'DIFFERENT'}, audit folder "
          f"{'equal' if ok_audit else 'DIFFERENT'}, verify_audit {entries} entries "
          f"{'ok' if ok_chain else 'FAILED: ' + message}")
    print(f"backup {vn(t_backup['seconds'], 2)} s vs database-only copy "
          f"{vn(t_base['seconds'], 2)} s: {vn(t_backup['seconds'] / t_base['seconds'], 2)}×; "
          f"attachments after restore {ours_readable}/{n_att} (baseline {base_readable}/{n_att})")
    return 0 if ok_db and ok_media and ok_audit and ok_chain and ours_readable == n_att else 1


if __name__ == "__main__":
    sys.exit(main())
