"""`thidua report summary` (`manage.py report_summary`): the figures as JSON, the prose as
Markdown, the Word document; refusals in Vietnamese; the same answer for a unit that does not
exist and one outside the account's scope."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from thidua import cli
from thidua.reports.tests.helpers import YEAR, award, decision
from thidua.testing import World

pytestmark = pytest.mark.django_db

def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report_summary", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def awarded(world: World) -> World:
    award(decision(world.tld), "BK_TLD_TOAN_DIEN", unit=world.cdcs_a)
    award(decision(world.cdvc), "GK_CAP_TREN", person=world.member)
    return world


def test_json_holds_the_figures(awarded: World) -> None:
    data = json.loads(run("--unit", "CDVC-HN", "--year", str(YEAR), "--format", "json"))
    assert data["unit"]["code"] == "CDVC-HN" and data["year"] == YEAR
    assert data["units"] == {"cdcs": 2, "to_cd": 1}
    assert (data["workers"], data["members"], data["women"]) == (1, 1, 1)
    assert [(a["issuer"], a["form"], a["collectives"], a["individuals"])
            for a in data["awards"]] == [("TLD", "BK_TLD_TOAN_DIEN", 1, 0),
                                         ("CDVC-HN", "GK_CAP_TREN", 0, 1)]
    for key in ("initiatives", "titles", "movements", "since", "direct_units"):
        assert key in data


def test_markdown_and_files(awarded: World, tmp_path: Path) -> None:
    text = run("--unit", "cdvc-hn", "--year", str(YEAR), "--format", "md")
    assert text.startswith("# BÁO CÁO\n")
    assert "Công đoàn Viên chức thành phố Hà Nội đang quản lý trực tiếp 2 Công đoàn cơ sở với " \
           "1 đoàn viên/1 CBCCVCLĐ." in text
    assert "01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen; 01 cá nhân được " \
           "Công đoàn Viên chức thành phố Hà Nội tặng Giấy khen." in text
    out = tmp_path / "bao-cao.md"
    assert "Đã ghi báo cáo" in run("--unit", "CDVC-HN", "--year", str(YEAR), "--format", "md",
                                   "-o", str(out))
    assert out.read_text(encoding="utf-8") == text


def test_docx_follows_the_official_layout(awarded: World, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    run("--unit", "CDVC-HN", "--year", str(YEAR), "--since", str(YEAR - 1), "--format", "docx",
        "-o", str(out))
    assert zipfile.is_zipfile(out)
    doc = Document(str(out))
    cells = "\n".join(p.text for t in doc.tables for c in t._cells for p in c.paragraphs)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI" in cells
    assert "CÔNG ĐOÀN VIÊN CHỨC THÀNH PHỐ HÀ NỘI" in cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert "/BC-" in cells and "Hà Nội, ngày …… tháng …… năm ……" in cells
    assert "TM. BAN THƯỜNG VỤ" in cells and "CHỦ TỊCH" in cells and "Nơi nhận:" in cells
    assert "BÁO CÁO" in body
    assert f"Tổng kết công tác thi đua, khen thưởng năm {YEAR - 1} - {YEAR}" in body
    assert "I. TÌNH HÌNH CHUNG" in body and "III. CÔNG TÁC KHEN THƯỞNG" in body
    assert "đang quản lý trực tiếp 2 Công đoàn cơ sở" in body
    assert "{{" not in body + cells and "{%" not in body + cells


def test_refusals_in_vietnamese(world: World) -> None:
    with pytest.raises(CommandError, match="Không có đơn vị mã «KHONG-CO»"):
        run("--unit", "KHONG-CO", "--year", str(YEAR))
    # the sibling branch's officer: the same answer as for a unit that does not exist
    with pytest.raises(CommandError, match="Không có đơn vị mã «CDVC-HN»"):
        run("--unit", "CDVC-HN", "--year", str(YEAR), "--user", "nguoingoai")
    with pytest.raises(CommandError, match="Năm báo cáo không hợp lệ"):
        run("--unit", "CDVC-HN", "--year", "năm nay")
    with pytest.raises(CommandError, match="Năm báo cáo phải từ"):
        run("--unit", "CDVC-HN", "--year", "1800")
    with pytest.raises(CommandError, match="không được sau năm báo cáo"):
        run("--unit", "CDVC-HN", "--year", str(YEAR), "--since", str(YEAR + 1))
    with pytest.raises(CommandError, match="-o TỆP.docx"):
        run("--unit", "CDVC-HN", "--year", str(YEAR), "--format", "docx")
    with pytest.raises(CommandError, match="đuôi .json"):
        run("--unit", "CDVC-HN", "--year", str(YEAR), "--format", "json", "-o", "x.md")
    # the officer of CĐVC Hà Nội may report on it
    assert "CDVC-HN" in run("--unit", "CDVC-HN", "--year", str(YEAR), "--format", "json",
                            "--user", "canbo_captren")


def test_the_thidua_command_routes_to_it(world: World, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    assert cli.main(["report", "summary", "--unit", "CDVC-HN", "--year", str(YEAR),
                     "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["unit"]["code"] == "CDVC-HN"
    assert cli.main(["report", "summary", "--unit", "KHONG-CO", "--year", str(YEAR)]) == 1
    assert "Không có đơn vị mã «KHONG-CO»" in capsys.readouterr().err
    assert cli.main(["report", "xoa"]) == 2
    assert "thidua report summary" in capsys.readouterr().err
