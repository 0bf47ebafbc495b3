"""`thidua awards list` and `thidua decisions list`: the unit's subtree as recipients or as
issuers, JSON fields, the .xlsx read back, and the refusals with their exit codes."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from thidua import cli
from thidua.honours import services
from thidua.honours.models import Decision
from thidua.honours.tests.conftest import SIGNED, YEAR, draft, to_vote
from thidua.testing import World

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> Any:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def decided(world: World) -> tuple[Decision, Decision]:
    """Giấy khen of CĐVC Hà Nội to Ánh (TO-A1), Lê Văn Số 1 (CĐCS A) and the collective TO-A1;
    then Số 1's award revoked."""
    w = world
    p = draft(w, people=2)
    services.candidate_add(actor=w.officer_cdcs, proposal=p, subject_unit=w.to_a1,
                           achievement="Tập thể lao động xuất sắc")
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[to_vote(w, p)],
                                signed=SIGNED)
    second = d.awards.get(recipient_name="Lê Văn Số 1")
    revoking = services.decision_revoke(actor=w.officer_above, awards=[second],
                                        signed=SIGNED, reason="Khai man thành tích")
    return d, revoking


def test_awards_json_of_a_subtree(decided: tuple[Decision, Decision]) -> None:
    d, _ = decided
    rows = run("awards_list", "--unit", "CDCS-A", "--year", str(YEAR))
    assert len(rows) == 3
    by_name = {r["recipient"]: r for r in rows}
    anh = by_name["Trần Thị Ánh"]
    assert anh["issuer"] == "CDVC-HN" and anh["form"] == "GK_CAP_TREN"
    assert anh["recipient_kind"] == "person" and anh["recipient_code"] is None
    assert anh["decision"] == d.number and anh["decision_date"] == "2025-01-10"
    assert anh["year"] == YEAR and anh["revoked"] is False
    assert anh["golden_book_no"] == 1 and "cash_amount" in anh
    unit = by_name["Tổ công đoàn Văn phòng"]
    assert unit["recipient_kind"] == "unit" and unit["recipient_code"] == "TO-A1"
    assert by_name["Lê Văn Số 1"]["revoked"] is True
    # the group holds only its own people and itself
    small = run("awards_list", "--unit", "to-a1", "--year", str(YEAR))
    assert sorted(r["recipient"] for r in small) == ["Trần Thị Ánh", "Tổ công đoàn Văn phòng"]
    assert run("awards_list", "--unit", "CDCS-B", "--year", str(YEAR)) == []
    assert run("awards_list", "--unit", "CDCS-A", "--year", str(YEAR - 1)) == []
    assert run("awards_list", "--unit", "CDCS-A", "--year", str(YEAR),
               "--issuer", "LDLD-HN") == []
    assert len(run("awards_list", "--unit", "CDCS-A", "--year", str(YEAR),
                   "--issuer", "cdvc-hn")) == 3


def test_awards_issued_by_the_subtree_count_too(decided: tuple[Decision, Decision],
                                                world: World) -> None:
    """HBT's subtree neither issues nor holds them; Hà Nội's holds and CĐVC's issues them."""
    assert run("awards_list", "--unit", "LDLD-HBT", "--year", str(YEAR)) == []
    assert len(run("awards_list", "--unit", "LDLD-HN", "--year", str(YEAR))) == 3
    assert len(run("awards_list", "--unit", "CDVC-HN", "--year", str(YEAR))) == 3


def test_awards_xlsx_read_back(decided: tuple[Decision, Decision], tmp_path: Path) -> None:
    out = tmp_path / "khen-thuong.xlsx"
    call_command("awards_list", "--unit", "CDCS-A", "--year", str(YEAR), "--format", "xlsx",
                 "-o", str(out), stdout=io.StringIO())
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Khen thưởng").to_python()
    assert "KHEN THƯỞNG NĂM 2024" in str(rows[0][0])
    header = rows[2]
    assert header[:6] == ["STT", "Đơn vị khen thưởng (mã)", "Đơn vị khen thưởng",
                          "Hình thức khen thưởng", "Cá nhân / Tập thể",
                          "Người, tập thể được khen"]
    data = [r for r in rows[3:] if r[0] != ""]
    assert len(data) == 3
    col = {name: i for i, name in enumerate(header)}
    anh = next(r for r in data if r[col["Người, tập thể được khen"]] == "Trần Thị Ánh")
    assert anh[col["Cá nhân / Tập thể"]] == "Cá nhân"
    assert anh[col["Ngày quyết định"]] == dt.date(2025, 1, 10)
    assert anh[col["Số sổ vàng"]] == 1 and anh[col["Năm khen thưởng"]] == YEAR
    revoked = next(r for r in data if r[col["Người, tập thể được khen"]] == "Lê Văn Số 1")
    assert revoked[col["Đã thu hồi"]] == "Có"


def test_decisions_json(decided: tuple[Decision, Decision]) -> None:
    d, revoking = decided
    rows = run("decisions_list", "--unit", "CDCS-A", "--year", str(YEAR))
    assert [r["number"] for r in rows] == [d.number, revoking.number]
    first = rows[0]
    assert (first["date"], first["issuer"], first["recipients"], first["form"], first["kind"]) \
        == ("2025-01-10", "CDVC-HN", 3, "GK_CAP_TREN", "khen_thuong")
    assert first["title"] == d.title
    assert rows[1]["kind"] == "thu_hoi" and rows[1]["recipients"] == 1  # the one it revokes
    assert run("decisions_list", "--unit", "CDCS-B", "--year", str(YEAR)) == []
    assert len(run("decisions_list", "--unit", "CDVC-HN", "--year", str(YEAR))) == 2


def test_refusals_are_vietnamese_command_errors(decided: tuple[Decision, Decision],
                                                world: World) -> None:
    with pytest.raises(CommandError, match="Không có đơn vị mã «KHONG-CO»"):
        run("awards_list", "--unit", "KHONG-CO", "--year", str(YEAR))
    with pytest.raises(CommandError, match="-o TỆP.xlsx"):
        run("awards_list", "--unit", "CDCS-A", "--year", str(YEAR), "--format", "xlsx")
    with pytest.raises(CommandError, match="Năm phải từ"):
        run("awards_list", "--unit", "CDCS-A", "--year", "1800")
    # an account sees its own scope: the sibling branch's officer cannot name CĐCS A
    with pytest.raises(CommandError, match="Không có đơn vị mã"):
        run("decisions_list", "--unit", "CDCS-A", "--year", str(YEAR), "--user", "nguoingoai")
    assert run("awards_list", "--unit", "CDCS-A", "--year", str(YEAR),
               "--user", "canbo_cdcs")[0]["issuer"] == "CDVC-HN"


def test_the_thidua_command_routes_and_exits(decided: tuple[Decision, Decision],
                                             capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    assert cli.main(["awards", "list", "--unit", "CDCS-A", "--year", str(YEAR)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert cli.main(["awards", "list", "--unit", "KHONG-CO", "--year", str(YEAR)]) == 1
    assert "Không có đơn vị mã «KHONG-CO»" in capsys.readouterr().err
    assert cli.main(["awards", "list", "--unit", "CDCS-A", "--year", str(YEAR),
                     "--format", "xlsx"]) == 1
    assert "-o TỆP.xlsx" in capsys.readouterr().err
    out = tmp_path / "qd.json"
    assert cli.main(["decisions", "list", "--unit", "CDCS-A", "--year", str(YEAR),
                     "-o", str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2
    assert cli.main(["awards", "xoa"]) == 2
    assert "thidua awards list" in capsys.readouterr().err


def test_decisions_export_goes_to_its_command(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []

    def record(command: str, *args: str) -> int:
        calls.append((command, *args))
        return 0

    monkeypatch.setattr(cli, "_call", record)
    assert cli.main(["decisions", "export", "1/QĐ-CĐ", "--issuer", "CDVC-HN", "--format", "pdf",
                     "-o", "qd.pdf"]) == 0
    assert calls == [("decisions_export", "1/QĐ-CĐ", "--issuer", "CDVC-HN", "--format", "pdf",
                      "-o", "qd.pdf")]
