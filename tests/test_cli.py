"""The `thidua` command line, run as a real process against its own data folder (SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import xlsxwriter


def run(home: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THIDUA_HOME": str(home), "DJANGO_SUPERUSER_PASSWORD": "Mat-khau-9x!"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("THIDUA_DATABASE_URL", None)
    proc = subprocess.run([sys.executable, "-m", "thidua.cli", *args], env=env, text=True,
                          capture_output=True, timeout=120)
    if ok:
        assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc


def roster(path: Path, rows: list[list[object]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Dân tộc",
                        "Chức vụ", "Ngày vào Công đoàn", "Đoàn viên"])
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, [i, *row])
    wb.close()
    return path


def test_cli_end_to_end(tmp_path: Path):
    home = tmp_path / "home"
    run(home, "manage", "migrate", "--noinput", "-v", "0")
    run(home, "manage", "createsuperuser", "--noinput", "--username", "quantri",
        "--email", "qt@example.vn")
    run(home, "manage", "units", "create", "TLD", "Tổng Liên đoàn Lao động Việt Nam",
        "--type", "tld", "--date", "01/01/2010")
    run(home, "manage", "units", "create", "CDCS-X", "Công đoàn Sở Tư pháp", "--type", "cdcs",
        "--parent", "TLD", "--date", "01/01/2010")

    bad = roster(tmp_path / "bad.xlsx", [
        ["Nguyễn Văn Đức", "Nam", "17/05/1985", "001085000001", "Kinh", "Chuyên viên",
         "01/03/2015", "Có"],
        ["Trần Thị Ánh", "Nữ", "08/03/1990", "12345", "Kinh", "Kế toán", "01/03/2015", "Có"],
    ])
    proc = run(home, "import", "members", str(bad), "--unit", "CDCS-X", ok=False)
    assert proc.returncode != 0
    assert "Dòng 3" in proc.stdout + proc.stderr and "Số CCCD" in proc.stdout + proc.stderr
    stats = json.loads(run(home, "stats", "--unit", "CDCS-X").stdout)
    assert stats["workers"] == 0, "an invalid file writes nothing"

    good = roster(tmp_path / "good.xlsx", [
        ["Nguyễn Văn Đức", "Nam", "17/05/1985", "001085000001", "Kinh", "Chuyên viên",
         "01/03/2015", "Có"],
        ["Trần Thị Ánh", "Nữ", "08/03/1990", "001190000002", "Kinh", "Kế toán", "01/03/2015",
         "Có"],
        ["Lê Thị Hoa", "Nữ", "02/09/1995", "001195000003", "Kinh", "Văn thư", "", "Không"],
    ])
    out = run(home, "import", "members", str(good), "--unit", "CDCS-X", "--date", "2016-01-01")
    assert len(out.stdout.strip().splitlines()) == 1, "one-line summary"
    again = run(home, "import", "members", str(good), "--unit", "CDCS-X", "--date", "2016-01-01")
    assert "không đổi 3" in again.stdout

    stats = json.loads(run(home, "stats", "--unit", "TLD", "--date", "2020-01-01",
                           "--format", "json").stdout)
    assert (stats["workers"], stats["members"], stats["women"], stats["women_members"]) == (3, 2, 2, 1)
    assert stats["units"]["cdcs"] == 1

    export = tmp_path / "out.xlsx"
    run(home, "export", "members", "--unit", "CDCS-X", "-o", str(export))
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(export)).get_sheet_by_index(0).to_python()
    assert any("Nguyễn Văn Đức" in [str(c) for c in r] for r in rows)
    assert "toàn vẹn" in run(home, "manage", "verify_audit").stdout
    # backup, a change, restore: the change is gone and the trail still verifies
    archive = tmp_path / "sao-luu.tar.gz"
    assert "Đã sao lưu" in run(home, "backup", "-o", str(archive)).stdout
    run(home, "manage", "units", "create", "CDCS-Y", "Công đoàn Sở Xây dựng", "--type", "cdcs",
        "--parent", "TLD", "--date", "01/01/2010")
    refused = run(home, "restore", str(archive), ok=False)  # no one to answer the question
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert "Đã khôi phục" in run(home, "restore", str(archive), "--yes").stdout
    stats = json.loads(run(home, "stats", "--unit", "TLD", "--date", "2020-01-01").stdout)
    assert stats["units"]["cdcs"] == 1
    assert "toàn vẹn" in run(home, "manage", "verify_audit").stdout
    # an attacker with the database file cuts the tail: the checkpoint outside it says so
    assert (home / "audit" / "checkpoints.jsonl").exists()
    import sqlite3

    with sqlite3.connect(home / "thidua.sqlite3") as db:
        db.execute("DROP TRIGGER audit_no_delete")
        db.execute("DELETE FROM accounts_auditentry WHERE seq > (SELECT MAX(seq) - 2 FROM "
                   "accounts_auditentry)")
    tampered = run(home, "manage", "verify_audit", ok=False)
    assert tampered.returncode == 1 and "2 bản ghi cuối" in tampered.stderr
