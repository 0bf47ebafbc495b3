"""The award catalogue (issue 9 §1): it loads, its codes are unique and known, each entry cites
its source with a confidence mark, cash follows the base salary in force, and a broken file is
refused with a Vietnamese message."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from thidua.rules import awards

ORG_TYPES = {"tld", "ldld_tinh", "cd_nganh_tw", "cd_tong_cong_ty", "cap_tren_co_so", "cdcs",
             "cdcs_thanh_vien"}
GLOSSARY = Path(__file__).resolve().parents[4] / "docs" / "glossary.md"
DAY = dt.date(2025, 8, 1)


def test_the_shipped_file_loads_and_codes_are_unique() -> None:
    cat = awards.load()
    codes = [f.code for f in cat.forms]
    assert len(codes) == len(set(codes)) >= 15
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", c) for c in codes)
    assert awards.form("BK_TLD_CHUYEN_DE").name.startswith("Bằng khen chuyên đề")
    with pytest.raises(KeyError):
        awards.form("KHONG_CO")


def test_every_unit_type_is_a_known_org_type() -> None:
    for f in awards.award_forms():
        assert set(f.issuer_types) <= ORG_TYPES, f.code
        assert set(f.proposer_types) <= ORG_TYPES, f.code
        assert f.issuer_types or f.proposer_types, f.code


def test_every_entry_has_source_and_confidence() -> None:
    cat = awards.catalogue()
    entries = [*cat.forms, *cat.quotas, *cat.conditions, *cat.base_salaries, *cat.cash]
    for e in entries:
        assert e.cited.source.strip() and e.cited.basis.strip(), e
        assert e.cited.confidence in ("C", "L", "G"), e


def test_marks_follow_the_briefs() -> None:
    # domain.md §8: Điều 15 quotas [C]; Điều 14 prerequisite [L]; the union's own rates unconfirmed.
    assert {q.cited.confidence for q in awards.quota("BK_TLD_CHUYEN_DE")} == {"C"}
    prereq = [c for c in awards.conditions("BK_TLD_TOAN_DIEN") if c.kind == "dieu_kien"]
    assert [c.cited.confidence for c in prereq] == ["L"]
    assert dict(prereq[0].params)["prior_form"] == "BK_LDLD"
    for rate in awards.catalogue().cash:
        if rate.setting:
            assert rate.cited.confidence == "G", rate.code
    assert awards.form("BK_TLD_DOT_XUAT").cited.confidence == "G"


def test_quotas_of_bang_khen_chuyen_de() -> None:
    values = {q.code: q.value for q in awards.quota("BK_TLD_CHUYEN_DE")}
    assert values == {"BK_TLD_CHUYEN_DE_TOAN_QUOC": 300, "BK_TLD_CHUYEN_DE_MOI_LDLD": 4}
    assert [q.value for q in awards.quota("BK_TLD_TOAN_DIEN")] == [None]  # figure not found
    assert awards.quota("GK_CDCS") == ()


def test_cash_is_a_multiple_of_the_base_salary_in_force() -> None:
    assert awards.base_salary(DAY) == 2_340_000
    assert awards.cash_amount("CSTD_TQ", DAY) == 10_530_000
    assert awards.cash_amount("LDTT", DAY) == 702_000
    assert awards.cash_amount("CO_TD_CP", DAY) == 28_080_000
    assert awards.cash_amount("GK_THU_TRUONG", DAY, recipient="tap_the") == 1_404_000
    assert awards.cash_amount("GK_THU_TRUONG", DAY, recipient="ca_nhan") is None  # unset setting
    assert awards.cash_amount("GK_CDCS", DAY) is None
    assert awards.cash_amount("KHONG_CO", DAY) is None


def test_a_day_before_any_base_salary_gives_none() -> None:
    early = dt.date(2024, 6, 30)
    assert awards.base_salary(early) is None
    assert awards.cash_amount("CSTD_TQ", early) is None
    # base salary known, but NĐ 152/2025 rates only from 01/7/2025
    assert awards.cash_amount("CSTD_TQ", dt.date(2025, 6, 30)) is None


def test_forms_for_issuer() -> None:
    assert [f.code for f in awards.forms_for_issuer("cdcs", DAY)] == ["GK_CDCS"]
    assert [f.code for f in awards.forms_for_issuer("cap_tren_co_so", DAY)] == ["GK_CAP_TREN"]
    ldld = {f.code for f in awards.forms_for_issuer("ldld_tinh", DAY)}
    assert ldld == {"BK_LDLD", "CO_TD_LDLD", "CO_TD_XS_LDLD"}
    tld = {f.code for f in awards.forms_for_issuer("tld", DAY)}
    assert {"BK_TLD_TOAN_DIEN", "BK_TLD_CHUYEN_DE", "BK_TLD_DOT_XUAT", "CO_TD_TLD", "BANG_LDST",
            "KNC_VSN_XDTCCD"} <= tld
    # the 2017 awards of the seed article (Hà Nội) are inside the forms' dates
    assert {f.code for f in awards.forms_for_issuer("cd_nganh_tw", dt.date(2017, 12, 1))} == ldld
    assert awards.forms_for_issuer("cdcs", dt.date(2010, 1, 1)) == ()


def test_state_forms_leave_the_system() -> None:
    proposed = {f.code for f in awards.forms_proposed_by("tld", DAY)}
    assert {"BK_TTG", "HUAN_CHUONG_LD", "CO_TD_CP", "CSTD_TQ"} <= proposed
    for code in ("BK_TTG", "HUAN_CHUONG_LD", "CO_TD_CP", "CSTD_TQ"):
        f = awards.form(code)
        assert f.family == "nha_nuoc" and f.decider == "cap_tren" and f.leaves_the_system
        assert f.issuer_types == ()
    assert awards.form("GK_THU_TRUONG").decider == "thu_truong"
    assert all(f.decider == "cong_doan" for f in awards.award_forms() if f.family == "cong_doan")


def test_every_code_is_in_the_glossary() -> None:
    listed = set(re.findall(r"`([^`]+)`", GLOSSARY.read_text(encoding="utf-8")))
    cat = awards.catalogue()
    codes = {f.code for f in cat.forms} | {q.code for q in cat.quotas}
    codes |= {f.kind for f in cat.forms} | {c.kind for c in cat.conditions}
    codes |= {q.per for q in cat.quotas} | {q.scope for q in cat.quotas}
    codes |= {f.decider for f in cat.forms} | {f.family for f in cat.forms}
    assert not codes - listed, f"docs/glossary.md thiếu: {sorted(codes - listed)}"


GOOD = """
[[forms]]
code = "GK_X"
name = "Giấy khen X"
kind = "hinh_thuc"
family = "cong_doan"
issuer_types = ["cdcs"]
recipients = ["ca_nhan"]
decider = "cong_doan"
decider_label = "BCH"
source = "nguồn"
confidence = "C"
basis = "b"
valid_from = 2020-01-01
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "awards.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    cat = awards.load(_write(tmp_path, GOOD))
    assert [f.code for f in cat.forms] == ["GK_X"]


@pytest.mark.parametrize(("text", "message"), [
    (GOOD + GOOD, "lặp lại"),
    (GOOD.replace('confidence = "C"', 'confidence = "X"'), "confidence"),
    (GOOD.replace('source = "nguồn"\n', ""), "source"),
    (GOOD.replace('["cdcs"]', '["phuong"]'), "issuer_types"),
    (GOOD.replace('"ca_nhan"]', '"ai_do"]'), "recipients"),
    (GOOD.replace('decider = "cong_doan"', 'decider = "ai"'), "decider"),
    (GOOD.replace("2020-01-01", '"01/01/2020"'), "valid_from"),
    (GOOD.replace('"GK_X"', '"gk x"'), "ASCII"),
    (GOOD + '[[cash]]\ncode = "GK_X"\nvalid_from = 2020-01-01\nsource = "s"\n'
            'confidence = "G"\nbasis = "b"\n', "multiple"),
    (GOOD + '[[cash]]\ncode = "KHAC"\nmultiple = 1\nvalid_from = 2020-01-01\nsource = "s"\n'
            'confidence = "G"\nbasis = "b"\n', "KHAC"),
    (GOOD + '[[quotas]]\nform = "KHAC"\ncode = "Q"\nper = "p"\nscope = "s"\ntext = "t"\n'
            'source = "s"\nconfidence = "C"\nbasis = "b"\n', "KHAC"),
    (GOOD + "[[base_salary]]\namount = -1\nvalid_from = 2020-01-01\nsource = \"s\"\n"
            "confidence = \"C\"\nbasis = \"b\"\n", "amount"),
    ("forms = [", "TOML"),
])
def test_a_broken_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        awards.load(_write(tmp_path, text))
