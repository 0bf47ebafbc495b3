"""The demo's two seed reports computed from its records (issue 11 §6), as far as this build's
records go: CĐVC thành phố Hà Nội 2017 (65 CĐCS, 10.141 of 10.159, the 01 / 9 / 13 / 138 awards
by issuer) and Công đoàn cơ quan UBND quận Hai Bà Trưng 2022–2023 (19 tổ, 393 members, 19/19 on
the three movements, 89 initiatives with 16 put forward and 7 recognised by the city). The demo
database is the package's (conftest.py)."""

from __future__ import annotations

from typing import Any

from thidua.org.models import Unit
from thidua.reports.compose import markdown
from thidua.reports.figures import year_figures


def _awards(f: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in f["awards"]:
        out[a["issuer"]] = out.get(a["issuer"], 0) + a["collectives"] + a["individuals"]
    return out


def test_the_ha_noi_2017_report(built: None) -> None:
    f = year_figures(Unit.objects.get(code="CDVC-HN"), 2017)
    assert f["direct_units"] == {"cdcs": 65} and f["units"]["cdcs"] == 65
    assert (f["members"], f["workers"]) == (10141, 10159)
    assert _awards(f) == {"TLD": 1, "CDVC-VN": 9, "LDLD-HN": 13, "CDVC-HN": 138}
    text = markdown(f)
    assert ("Công đoàn Viên chức thành phố Hà Nội đang quản lý trực tiếp 65 Công đoàn cơ sở với "
            "10.141 đoàn viên/10.159 CBCCVCLĐ.") in text
    assert "01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen" in text
    # the article's order: the highest level first, then the issuer that decided first
    assert [r["issuer"] for r in f["awards"]] == ["TLD", "CDVC-VN", "LDLD-HN", "LDLD-HN",
                                                  "CDVC-HN"], f["awards"]
    assert ("01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen; 9 tập thể, cá nhân "
            "được Công đoàn Viên chức Việt Nam tặng Bằng khen; 13 tập thể, cá nhân") in text
    assert "; 9 tập thể, cá nhân được Công đoàn Viên chức Việt Nam tặng Bằng khen" in text
    assert "13 tập thể, cá nhân được Liên đoàn Lao động Thành phố Hà Nội tặng Bằng khen và Cờ " \
           "thi đua xuất sắc" in text
    assert "138 tập thể, cá nhân được Công đoàn Viên chức thành phố Hà Nội tặng Giấy khen" in text
    assert any(m["coverage"] == {"done": 65, "of": 65} for m in f["movements"]), f["movements"]


def test_the_hai_ba_trung_2022_2023_report(built: None) -> None:
    f = year_figures(Unit.objects.get(code="CD-UBND-HBT"), 2023, since=2022)
    assert f["direct_units"] == {"to_cd": 19} and f["members"] == 393
    assert f["initiatives"]["total"] == 89
    assert f["initiatives"]["proposed_for_awards"] == 16
    assert f["initiatives"]["tinh"] == 7
    # the three movements, launched again each year
    assert len({m["name"] for m in f["movements"]}) == 3
    assert {m["year"] for m in f["movements"]} == {2022, 2023}
    assert all(m["coverage"] == {"done": 19, "of": 19} for m in f["movements"]), f["movements"]
    gvndvn = f["titles"].get("GVNDVN")
    text = markdown(f)
    assert "đang quản lý trực tiếp 19 Tổ công đoàn với 393 đoàn viên" in text
    assert "được 19/19 Tổ công đoàn trực thuộc triển khai thực hiện" in text
    assert "Trong 2 năm 2022, 2023, Công đoàn cơ quan" in text and " có 89 sáng kiến" in text
    assert "16 sáng kiến, sáng tạo được đề nghị làm hồ sơ khen thưởng; 7 sáng kiến, sáng tạo " \
           "được cấp Thành phố công nhận." in text
    assert f["level_names"] == {"tinh": "cấp Thành phố", "huyen": "cấp quận"}
    assert "89 sáng kiến, sáng tạo được công nhận cấp Thành phố và cấp quận." in text
    if gvndvn:  # the demo rates the women of 2023 «Giỏi việc nước, đảm việc nhà»
        assert gvndvn["count"] / gvndvn["of"] > 0.97, gvndvn
