"""`thidua rules check|list|show`, called in-process and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from thidua.rules.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_prints_the_issue_json_shape(capsys):
    code, out, _ = run(capsys, "check", str(EXAMPLES / "facts_cstdcs.json"))
    assert code == 0
    body = json.loads(out)
    assert body["year"] == 2024 and body["rule_set"] == "luat-2022-nd98-2023+tld-1689-2019"
    cstdcs = body["titles"]["CSTDCS"]
    assert cstdcs["eligible"] is True and cstdcs["missing"] == []
    assert cstdcs["reasons"][1] == ("Đạt: Đạt tiêu chuẩn LĐTT năm 2024. [CSTDCS.dat_ldtt — "
                                    "Luật 06/2022/QH15, Điều 23 khoản 1; C]")
    assert body["titles"]["DVXS"]["eligible"] is False
    assert "details" not in cstdcs


def test_check_with_a_rule_set_and_details(capsys):
    code, out, _ = run(capsys, "check", str(EXAMPLES / "facts_cstd_tinh.json"), "--rule-set",
                       "luat-2022-nd98-2023", "--details")
    body = json.loads(out)
    assert code == 0 and body["rule_set"] == "luat-2022-nd98-2023"
    assert set(body["titles"]) == {"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ"}
    tinh = body["titles"]["CSTD_TINH"]
    assert tinh["missing"] == ["Cần đạt tiếp CSTĐ cơ sở năm 2026 (hiện 2 năm liên tục tính đến "
                               "năm 2025; cần 3 năm liên tục)."]
    assert tinh["details"][1]["rule_id"] == "CSTD_TINH.ba_lan_cstdcs"
    assert tinh["details"][1]["source"] == "Luật 06/2022/QH15, Điều 22"


def test_check_the_2017_and_unit_examples(capsys):
    _, out, _ = run(capsys, "check", str(EXAMPLES / "facts_2017.json"))
    body = json.loads(out)
    assert body["rule_set"] == "luat-2003-nd91-2017"
    assert body["titles"]["LDTT"]["eligible"] and not body["titles"]["CSTDCS"]["eligible"]
    _, out, _ = run(capsys, "check", str(EXAMPLES / "facts_unit_ttldxs.json"))
    body = json.loads(out)
    assert body["titles"]["TTLDXS"]["eligible"]
    # 2023 is graded on the four labels of HD 1294/HD-TLĐ, not on "vững mạnh"
    assert body["titles"]["CDCS_HTXSNV"]["grade"] == "HTXSNV"
    assert "CDCS_VUNG_MANH" not in body["titles"]


def test_check_a_list_from_stdin(capsys, monkeypatch):
    facts = [json.loads((EXAMPLES / n).read_text()) for n in ("facts_2017.json",
                                                              "facts_cstdcs.json")]
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(json.dumps(facts)))
    code, out, _ = run(capsys, "check", "-")
    assert code == 0 and [b["year"] for b in json.loads(out)] == [2017, 2024]


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "JSON không hợp lệ (dòng 1"),
    ('{"year": 2024, "ratings": {"2024": "TOT"}}', "xếp loại 'TOT' không hợp lệ"),
    ('{"year": 2010}', "Không có bộ quy tắc nào"),
])
def test_check_refuses_bad_input_with_exit_code_1(capsys, tmp_path, content, message):
    path = tmp_path / "facts.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert code == 1 and out == "" and message in err


def test_check_unknown_rule_set_and_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(EXAMPLES / "facts_cstdcs.json"), "--rule-set", "x")
    assert code == 1 and "Không có bộ quy tắc 'x'" in err
    code, _, err = run(capsys, "check", str(tmp_path / "khong-co.json"))
    assert code == 1 and "Không đọc được tệp" in err


def test_list_and_show(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("luat-2022-nd98-2023") and "01/01/2024 – 30/06/2025" in lines[1]
    code, out, _ = run(capsys, "list", "--format", "json")
    assert [s["id"] for s in json.loads(out)][-1] == "tld-1689-2019"
    code, out, _ = run(capsys, "show", "luat-2022-nd152-2025")
    shown = json.loads(out)
    assert shown["extends"] == "luat-2022-nd98-2023"
    assert shown["params"]["maternity_counts_as_work"]["source"] == \
        "NĐ 152/2025/NĐ-CP, Điều 4 khoản 5"
    rules = shown["titles"]["CSTDCS"]["rules"]
    assert rules[2]["check"] == "any_of" and len(rules[2]["rules"]) == 2
    code, _, err = run(capsys, "show", "khong-co")
    assert code == 1 and "Không có bộ quy tắc" in err


def test_thidua_rules_check_as_a_process():
    """The `thidua` entry point dispatches `rules` without loading Django."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run([sys.executable, "-m", "thidua.cli", "rules", "check",
                           str(EXAMPLES / "facts_cstdcs.json")], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["titles"]["LDTT"]["eligible"] is True
