"""The shipped rule sets load and compile; malformed rule sets are refused with a message that
names the file and the rule."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from thidua.rules import RuleSetError, evaluate, get_ruleset, list_rulesets, load_ruleset_text
from thidua.rules.checks import REGISTRY, vocabulary
from thidua.rules.engine import compile_rulesets
from thidua.rules.facts import TITLES
from thidua.rules.ruleset import RULESETS_DIR, reload, rulesets_for_year

from .factories import person

EXPECTED = {"luat-2003-nd91-2017", "luat-2022-nd98-2023", "luat-2022-nd152-2025", "tld-1689-2019"}


def test_the_shipped_rule_sets_load_compile_and_cite_their_documents():
    sets = {rs.id: rs for rs in list_rulesets()}
    assert set(sets) >= EXPECTED
    for rs in sets.values():
        compiled = compile_rulesets((rs,))
        assert compiled.person or compiled.unit
        codes = {d.code for d in rs.documents}
        for title in rs.titles.values():
            assert title.code in TITLES, f"document the code {title.code} in facts.TITLES"
            for rule in title.rules:
                assert any(rule.source.startswith(c) for c in codes), rule.id
                assert rule.confidence in ("C", "L", "G")
        for param in rs.params.values():
            assert param.source and param.confidence in ("C", "L", "G")


def test_effective_dates_of_the_state_rule_sets_chain_without_gaps():
    nd91, nd98, nd152 = (get_ruleset(i) for i in ("luat-2003-nd91-2017", "luat-2022-nd98-2023",
                                                  "luat-2022-nd152-2025"))
    assert nd91.effective_to == nd98.effective_from == dt.date(2024, 1, 1)
    assert nd98.effective_to == nd152.effective_from == dt.date(2025, 7, 1)
    assert nd98.period_vi() == "01/01/2024 – 30/06/2025"
    assert nd152.effective_to is None
    assert [r.id for r in rulesets_for_year(2025)] == ["luat-2022-nd152-2025", "tld-1689-2019"]


def test_nd152_inherits_the_law_and_replaces_the_decree():
    nd152 = get_ruleset("luat-2022-nd152-2025")
    assert nd152.extends == "luat-2022-nd98-2023"
    assert "NĐ 98/2023/NĐ-CP" not in {d.code for d in nd152.documents}
    assert nd152.params["maternity_counts_as_work"].source == "NĐ 152/2025/NĐ-CP, Điều 4 khoản 5"
    assert list(nd152.titles) == list(get_ruleset("luat-2022-nd98-2023").titles)


def test_every_check_of_the_vocabulary_is_documented():
    assert {name for name, _ in vocabulary()} == set(REGISTRY)
    assert all(doc for _, doc in vocabulary())
    readme = (RULESETS_DIR.parent / "README.md").read_text(encoding="utf-8")
    for name in REGISTRY:
        assert f"`{name}`" in readme, name


BASE = '''
id = "thu"
title = "Bộ thử"
family = "nha_nuoc"
auto = false
effective_from = 2024-01-01

[[documents]]
code = "VB 1"
title = "Văn bản thử"
'''


def _load(body: str):  # type: ignore[no-untyped-def]
    return load_ruleset_text(BASE + textwrap.dedent(body), "thu.toml")


def _title(rule: str) -> str:
    return f'''
[[titles]]
code = "LDTT"
name = "Lao động tiên tiến"
subject = "ca_nhan"
  [[titles.rules]]
  id = "R1"
{textwrap.indent(textwrap.dedent(rule), "  ")}
'''


@pytest.mark.parametrize(("body", "message"), [
    (_title('check = "rating_at_least"\nmin = "HTTNV"\nconfidence = "C"'), "thiếu 'source'"),
    (_title('check = "rating_at_least"\nmin = "HTTNV"\nsource = "Luật khác, Điều 1"\n'
            'confidence = "C"'), "phải bắt đầu bằng mã một văn bản"),
    (_title('check = "rating_at_least"\nmin = "HTTNV"\nsource = "VB 1, Điều 2"\n'
            'confidence = "X"'), "mức tin cậy 'X'"),
    (_title('check = "doan_gi_do"\nsource = "VB 1"\nconfidence = "C"'), "không có trong bộ từ vựng"),
    (_title('check = "rating_at_least"\nmin = "GIOI"\nsource = "VB 1"\nconfidence = "C"'),
     "'min' phải là một trong"),
    (_title('check = "rating_at_least"\nsource = "VB 1"\nconfidence = "C"'), "thiếu tham số 'min'"),
    (_title('check = "rating_at_least"\nmin = "HTTNV"\nmax = 3\nsource = "VB 1"\n'
            'confidence = "C"'), "tham số không dùng: max"),
    (_title('check = "absence_below"\ndays = "$khong_co"\nmaternity_counts_as_work = true'),
     "tham số 'khong_co' chưa được khai báo"),
    (_title('check = "title"\ncode = "CSTDCS"\nsource = "VB 1"\nconfidence = "C"'),
     "không có trong bộ quy tắc này"),
    (_title('check = "share_at_least"\ncount = "ldtt"\npercent = 70\nsource = "VB 1"\n'
            'confidence = "C"'), "không áp dụng cho cá nhân"),
])
def test_malformed_rules_are_refused_with_the_file_and_rule(body, message):
    with pytest.raises(RuleSetError, match=message) as info:
        compile_rulesets((_load(body),))
    assert "thu.toml" in info.value.message


def test_a_rule_made_of_parameters_cites_them_at_the_weakest_confidence():
    rs = _load('''
    [params.days]
    value = 40
    source = "VB 1, Điều 3"
    confidence = "C"
    [params.maternity]
    value = true
    source = "VB 1, Điều 4"
    confidence = "G"
    ''' + _title('check = "absence_below"\ndays = "$days"\nmaternity_counts_as_work = '
                 '"$maternity"'))
    rule = rs.titles["LDTT"].rules[0]
    assert rule.source == "VB 1, Điều 3; VB 1, Điều 4" and rule.confidence == "G"
    assert rule.args == {"days": 40, "maternity_counts_as_work": True}


def test_title_dependencies_in_a_cycle_are_refused():
    rs = _load('''
    [[titles]]
    code = "LDTT"
    name = "A"
    subject = "ca_nhan"
      [[titles.rules]]
      id = "A1"
      check = "title"
      code = "CSTDCS"
      source = "VB 1"
      confidence = "C"
    [[titles]]
    code = "CSTDCS"
    name = "B"
    subject = "ca_nhan"
      [[titles.rules]]
      id = "B1"
      check = "title"
      code = "LDTT"
      source = "VB 1"
      confidence = "C"
    ''')
    with pytest.raises(RuleSetError, match="vòng tròn"):
        compile_rulesets((rs,))


def test_extending_an_unknown_rule_set_is_refused():
    with pytest.raises(RuleSetError, match="không tìm thấy bộ quy tắc 'khong-co'"):
        load_ruleset_text(BASE.replace('auto = false', 'auto = false\nextends = "khong-co"'))


def test_unknown_rule_set_id_lists_the_known_ones():
    with pytest.raises(RuleSetError, match="luat-2022-nd98-2023"):
        evaluate(person(2024), "luat-2099")


def test_extra_rule_sets_folder_adds_and_corrects_rule_sets(tmp_path, monkeypatch):
    """THIDUA_RULESETS_DIR: a union officer adds a corrected copy without touching code."""
    (tmp_path / "tld-1689-2019.toml").write_text(
        (RULESETS_DIR / "tld-1689-2019.toml").read_text(encoding="utf-8").replace(
            '[params.dvxs_min_rating]\nvalue = "HTTNV"',
            '[params.dvxs_min_rating]\nvalue = "HTXSNV"'),
        encoding="utf-8")
    monkeypatch.setenv("THIDUA_RULESETS_DIR", str(tmp_path))
    reload()
    try:
        o = evaluate(person(2023, registered={"2023": ["DVXS"]})).titles["DVXS"]
        assert not o.eligible and "Hoàn thành xuất sắc nhiệm vụ" in o.missing[0]
    finally:
        monkeypatch.delenv("THIDUA_RULESETS_DIR")
        reload()
    assert evaluate(person(2023, registered={"2023": ["DVXS"]})).titles["DVXS"].eligible


def test_overlapping_automatic_rule_sets_of_one_family_are_refused(tmp_path, monkeypatch):
    (tmp_path / "chong-cheo.toml").write_text(BASE.replace('id = "thu"', 'id = "chong-cheo"')
                                              .replace("auto = false", "auto = true")
                                              + _title('check = "rating_at_least"\nmin = "HTTNV"'
                                                       '\nsource = "VB 1"\nconfidence = "C"'),
                                              encoding="utf-8")
    monkeypatch.setenv("THIDUA_RULESETS_DIR", str(tmp_path))
    reload()
    try:
        with pytest.raises(RuleSetError, match="chồng nhau"):
            list_rulesets()
    finally:
        monkeypatch.delenv("THIDUA_RULESETS_DIR")
        reload()


def test_council_vote_shares_are_parameters_with_their_source__nd98_art30_7():
    """NĐ 98/2023 Điều 30 khoản 7: ≥80 % of all council members for CSTĐCS, ≥90 % for higher
    CSTĐ; carried into the NĐ 152/2025 rule set as [L] until checked."""
    nd98 = get_ruleset("luat-2022-nd98-2023").params
    nd152 = get_ruleset("luat-2022-nd152-2025").params
    assert (nd98["vote_percent_CSTDCS"].value, nd98["vote_percent_CSTD_TINH"].value) == (80, 90)
    assert nd98["vote_percent_CSTD_TQ"].source == "NĐ 98/2023/NĐ-CP, Điều 30 khoản 7"
    assert nd152["vote_percent_CSTD_TQ"].confidence == "L"
    assert nd152["vote_percent_CSTD_TQ"].source.startswith("NĐ 152/2025/NĐ-CP")
