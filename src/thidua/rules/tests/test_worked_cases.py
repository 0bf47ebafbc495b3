"""Worked cases: each test names (in its name and docstring) the clause it comes from.

Abbreviations in test names: luat_2022 = Luật 06/2022/QH15; luat_2003 = Luật Thi đua, khen
thưởng 2003 (sửa đổi 2013); nd91 / nd98 / nd152 = Nghị định 91/2017, 98/2023, 152/2025;
qd1689 = QĐ 1689/QĐ-TLĐ; hd1294 = HD 1294/HD-TLĐ; bac_ninh = QĐ 86/2025/QĐ-UBND Bắc Ninh (the
wording of the Law's collective titles); local_guide = the CĐCS guide the exclusions come from.
"""

from __future__ import annotations

import pytest

from thidua.rules import (
    FactsError,
    RuleSetError,
    evaluate,
    evaluate_many,
    load_ruleset_text,
    quota_limit,
)

from .factories import failed, judge, outcome, person, reason, unit

# --- Lao động tiên tiến --------------------------------------------------------------------


def test_ldtt_htt_registered_is_eligible__luat_2022_art24():
    """Luật 06/2022 Điều 24 khoản 1: 'hoàn thành tốt nhiệm vụ trở lên'."""
    o = outcome(person(2024), "LDTT")
    assert o.eligible and o.missing == ()
    r = reason(o, "LDTT.xep_loai")
    assert r.passed and r.source == "Luật 06/2022/QH15, Điều 24 khoản 1" and r.confidence == "C"
    assert "Hoàn thành tốt nhiệm vụ" in r.text_vi


@pytest.mark.parametrize("rating", ["HTNV", "KHTNV"])
def test_ldtt_below_htt_not_eligible__luat_2022_art24(rating):
    """Luật 06/2022 Điều 24 khoản 1: HTNV and KHTNV are below 'hoàn thành tốt nhiệm vụ'."""
    o = outcome(person(2024, ratings={"2024": rating}), "LDTT")
    assert not o.eligible and failed(o) == ["LDTT.xep_loai"]
    assert o.missing == (f"Cần xếp loại Hoàn thành tốt nhiệm vụ trở lên năm 2024 (hiện: "
                         f"{'Hoàn thành nhiệm vụ' if rating == 'HTNV' else 'Không hoàn thành nhiệm vụ'}).",)


def test_ldtt_without_rating_says_the_rating_is_missing__luat_2022_art24():
    """Luật 06/2022 Điều 24: no rating of the judged year, no title (no silent default)."""
    o = outcome(person(2024, ratings={"2023": "HTXSNV"}), "LDTT")
    assert not o.eligible and "Cần xếp loại năm 2024" in o.missing[0]


def test_ldtt_not_registered_is_excluded_until_2023__luat_2003_art10():
    """Luật TĐKT 2003 Điều 10 khoản 1 điểm b [L]: registration was a condition until 2023."""
    o = outcome(person(2023, registered={"2022": ["LDTT"]}), "LDTT")
    assert not o.eligible and failed(o) == ["LDTT.dang_ky"]
    assert o.missing[0].startswith("Cần đăng ký thi đua năm 2023")
    r = reason(o, "LDTT.dang_ky")
    assert r.confidence == "L" and r.source == "Luật TĐKT 2003, Điều 10 khoản 1 điểm b"


def test_registration_is_not_a_condition_from_2024__luat_2022_art7():
    """Luật 06/2022 Điều 7 does not list registration [L]: from 2024 it is only reported."""
    o = outcome(person(2024, registered={"2023": ["LDTT"]}), "LDTT")
    r = reason(o, "LDTT.dang_ky")
    assert o.eligible and r.passed and r.source == "Luật 06/2022/QH15, Điều 7"
    assert "không phải là điều kiện" in r.text_vi


def test_ldtt_registering_a_higher_title_counts__local_guide_registration():
    """Hướng dẫn CĐCS (2021): whoever registered CSTĐ cơ sở may still be proposed for LĐTT."""
    assert outcome(person(2024, registered={"2024": ["CSTDCS"]}), "LDTT").eligible


def test_ldtt_short_service_is_excluded__local_guide_10_months():
    """Hướng dẫn CĐCS (2021) [L]: recruited less than 10 months → not considered; 10 is enough."""
    short = outcome(person(2024, service_months={"2024": 9}), "LDTT")
    assert not short.eligible and failed(short) == ["LDTT.thoi_gian_cong_tac"]
    assert "từ 10 tháng" in short.missing[0] and "hiện 9 tháng" in short.missing[0]
    assert outcome(person(2024, service_months={"2024": 10}), "LDTT").eligible


def test_ldtt_absence_of_40_days_excludes__local_guide_40_days():
    """Hướng dẫn CĐCS (2021) [L]: absent 40 working days or more → not considered; 39 is fine."""
    assert outcome(person(2024, absence_days={"2024": 39}), "LDTT").eligible
    o = outcome(person(2024, absence_days={"2024": 40}), "LDTT")
    assert not o.eligible and failed(o) == ["LDTT.ngay_nghi"]
    assert o.missing == ("Số ngày nghỉ năm 2024 (không kể nghỉ thai sản) phải dưới 40 ngày làm "
                         "việc (hiện 40 ngày).",)


def test_ldtt_maternity_leave_counts_as_work__nd152_art4_5():
    """NĐ 152/2025 Điều 4 khoản 5: maternity leave counts as working time (120 days absent, 100
    of them maternity → 20 counted)."""
    o = outcome(person(2025, absence_days={"2025": 120}, maternity_days={"2025": 100}), "LDTT")
    assert o.eligible
    r = reason(o, "LDTT.ngay_nghi")
    assert "tính 20 ngày" in r.text_vi
    assert "NĐ 152/2025/NĐ-CP, Điều 4 khoản 5" in r.source


def test_ldtt_long_absence_without_maternity_excludes__local_guide_40_days():
    """Hướng dẫn CĐCS (2021) [L]: 50 days absent of which 5 maternity → 45 counted → excluded."""
    o = outcome(person(2025, absence_days={"2025": 50}, maternity_days={"2025": 5}), "LDTT")
    assert not o.eligible and "hiện 45 ngày" in o.missing[0]


def test_ldtt_discipline_in_the_year_excludes__local_guide_khien_trach():
    """Hướng dẫn CĐCS (2021) [L]: disciplined at khiển trách or above during the year."""
    o = outcome(person(2024, discipline=[{"form": "khien_trach", "from": "2024-05-01",
                                          "to": "2024-11-01"}]), "LDTT")
    assert not o.eligible and failed(o) == ["LDTT.ky_luat"]
    assert "khiển trách" in o.missing[0]


def test_ldtt_discipline_from_the_year_before_still_in_effect_excludes__nd152_art4_4():
    """NĐ 152/2025 Điều 4 khoản 4: achievements count only from the end of a discipline; one
    that runs into the judged year excludes it."""
    o = outcome(person(2025, discipline=[{"form": "canh_cao", "from": "2024-09-01",
                                          "to": "2025-09-01"}]), "LDTT")
    assert not o.eligible
    assert reason(o, "LDTT.ky_luat").source == "NĐ 152/2025/NĐ-CP, Điều 4 khoản 4"


def test_ldtt_expired_discipline_does_not_exclude__nd152_art4_4():
    """NĐ 152/2025 Điều 4 khoản 4: a discipline served before the year no longer counts ('to'
    is the first day no longer in effect)."""
    o = outcome(person(2025, discipline=[{"form": "canh_cao", "from": "2024-01-01",
                                          "to": "2025-01-01"}]), "LDTT")
    assert o.eligible
    assert reason(o, "LDTT.ky_luat").text_vi == "Không có kỷ luật còn hiệu lực trong năm 2025."


def test_ldtt_open_ended_discipline_excludes_and_later_one_does_not__local_guide():
    """Hướng dẫn CĐCS (2021): an open discipline (no 'to') runs on; one from next year is not
    in this year."""
    assert not outcome(person(2024, discipline=[{"form": "khien_trach",
                                                 "from": "2022-06-01"}]), "LDTT").eligible
    assert outcome(person(2024, discipline=[{"form": "cach_chuc",
                                             "from": "2025-01-01"}]), "LDTT").eligible


# --- Chiến sĩ thi đua cơ sở ----------------------------------------------------------------


def test_cstdcs_requires_ldtt_plus_htxs__luat_2022_art23():
    """Luật 06/2022 Điều 23: LĐTT standard and HTXSNV — no initiative needed since 2024."""
    o = outcome(person(2024, ratings={"2024": "HTXSNV"}, registered={"2024": ["CSTDCS"]}),
                "CSTDCS")
    assert o.eligible
    assert reason(o, "CSTDCS.dat_ldtt").source == "Luật 06/2022/QH15, Điều 23 khoản 1"
    assert reason(o, "CSTDCS.htxs_hoac_sang_kien").source == "Luật 06/2022/QH15, Điều 23 khoản 2"


def test_cstdcs_htt_with_grassroots_initiative__luat_2022_art23_2():
    """Luật 06/2022 Điều 23 khoản 2: HTTNV plus an initiative recognised at cơ sở level."""
    data = person(2024, registered={"2024": ["CSTDCS"]},
                  initiatives=[{"year": 2024, "level": "co_so"}])
    assert outcome(data, "CSTDCS").eligible


def test_cstdcs_htt_without_initiative_says_what_is_missing__luat_2022_art23_2():
    """Luật 06/2022 Điều 23 khoản 2: neither HTXSNV nor an initiative → one of them is missing;
    an initiative of the year before does not count."""
    data = person(2024, registered={"2024": ["CSTDCS"]},
                  initiatives=[{"year": 2023, "level": "tinh"}])
    o = outcome(data, "CSTDCS")
    assert not o.eligible and failed(o) == ["CSTDCS.htxs_hoac_sang_kien"]
    assert o.missing == ("Cần một trong các điều kiện: xếp loại Hoàn thành xuất sắc nhiệm vụ "
                         "năm 2024 (hiện: Hoàn thành tốt nhiệm vụ); hoặc sáng kiến (hoặc đề "
                         "tài, công trình khoa học) được công nhận cấp cơ sở trở lên trong "
                         "2024.",)
    assert "hoặc Cần" not in o.missing[0]


def test_cstdcs_fails_with_ldtt_and_carries_its_missing__luat_2022_art23_1():
    """Luật 06/2022 Điều 23 khoản 1: without the LĐTT standard (here 45 days absent) there is no
    CSTĐCS, and the LĐTT shortfall is reported."""
    data = person(2024, ratings={"2024": "HTXSNV"}, registered={"2024": ["CSTDCS"]},
                  absence_days={"2024": 45})
    o = outcome(data, "CSTDCS")
    assert not o.eligible and failed(o) == ["CSTDCS.dat_ldtt"]
    assert "hiện 45 ngày" in o.missing[0]


def test_cstdcs_under_nd91_needs_an_initiative_even_with_htxs__nd91_art9_3():
    """NĐ 91/2017 Điều 9 khoản 3 điểm b: an initiative was required (2017)."""
    data = person(2017, ratings={"2017": "HTXSNV"}, registered={"2017": ["CSTDCS"]})
    ev = judge(data)
    assert ev.rule_set == "luat-2003-nd91-2017"
    o = ev.titles["CSTDCS"]
    assert not o.eligible and failed(o) == ["CSTDCS.sang_kien"]
    assert reason(o, "CSTDCS.sang_kien").source == "NĐ 91/2017/NĐ-CP, Điều 9 khoản 3 điểm b"
    with_initiative = dict(data, initiatives=[{"year": 2017, "level": "co_so"}])
    assert outcome(with_initiative, "CSTDCS").eligible


def test_cstdcs_same_person_2023_vs_2024_differs__nd91_art9_3_vs_luat_2022_art23():
    """The content switch of 01/01/2024: HTXSNV without an initiative is CSTĐCS under Luật 2022
    Điều 23, not under NĐ 91/2017 Điều 9 khoản 3."""
    for year, expected in ((2023, False), (2024, True)):
        data = person(year, ratings={str(year): "HTXSNV"}, registered={str(year): ["CSTDCS"]})
        assert outcome(data, "CSTDCS").eligible is expected


def test_cstdcs_quota_15_percent_of_ldtt__nd91_art9_3():
    """NĐ 91/2017 Điều 9 khoản 3: CSTĐCS at most 15 % of the LĐTT (rounded down); the 2022 Law
    has no cap."""
    assert quota_limit("CSTDCS", 20, year=2022) == 3
    assert quota_limit("CSTDCS", 10, year=2022) == 1
    assert quota_limit("CSTDCS", 20, year=2024) is None
    o = outcome(person(2022, registered={"2022": ["CSTDCS"]},
                       initiatives=[{"year": 2022, "level": "co_so"}]), "CSTDCS")
    q = reason(o, "CSTDCS.chi_tieu")
    assert q.passed and "15%" in q.text_vi and q.source == "NĐ 91/2017/NĐ-CP, Điều 9 khoản 3"


def test_cstdcs_quota_is_an_issuer_parameter__design_implication_3():
    """Design implication 3: a quota is a level-specific parameter; an issuer's rule set that
    extends the Law sets 20 %."""
    rs = load_ruleset_text('''
id = "vi-du-ldld-2024"
extends = "luat-2022-nd98-2023"
title = "Ví dụ: quy chế riêng của một LĐLĐ"
family = "nha_nuoc"
auto = false
effective_from = 2024-01-01

[[documents]]
code = "QĐ 1/QĐ-LĐLĐ"
title = "Quy chế thi đua của LĐLĐ (ví dụ)"

[[titles]]
code = "CSTDCS"
name = "Chiến sĩ thi đua cơ sở"
short = "CSTĐ cơ sở"
subject = "ca_nhan"
quota = { percent = 20, of = "LDTT", source = "QĐ 1/QĐ-LĐLĐ, Điều 5", confidence = "C" }

  [[titles.rules]]
  id = "CSTDCS.dat_ldtt"
  check = "title"
  code = "LDTT"
  source = "Luật 06/2022/QH15, Điều 23 khoản 1"
  confidence = "C"
''')
    assert quota_limit("CSTDCS", 20, year=2024, ruleset=rs) == 4
    o = evaluate(person(2024), rs).titles["CSTDCS"]
    assert o.eligible and reason(o, "CSTDCS.chi_tieu").source == "QĐ 1/QĐ-LĐLĐ, Điều 5"


# --- CSTĐ cấp bộ, ngành, tỉnh: streaks -----------------------------------------------------


def _streak_person(year: int, cstdcs_years: list[int], level: str = "tinh") -> dict:
    return person(year, ratings={str(year): "HTXSNV"}, registered={str(year): ["CSTD_TINH"]},
                  titles={str(y): ["LDTT", "CSTDCS"] for y in cstdcs_years},
                  initiatives=[{"year": year - 1, "level": level}])


def test_cstd_tinh_three_consecutive_cstdcs_and_provincial_initiative__luat_2022_art22():
    """Luật 06/2022 Điều 22: 3 consecutive CSTĐCS (the third is this year's) and an initiative
    recognised at bộ/ngành/tỉnh level."""
    o = outcome(_streak_person(2024, [2022, 2023]), "CSTD_TINH")
    assert o.eligible
    assert reason(o, "CSTD_TINH.ba_lan_cstdcs").text_vi == \
        "Đạt CSTĐ cơ sở 3 năm liên tục 2022–2024 (chưa dùng cho lần đạt CSTĐ cấp bộ, ngành, tỉnh nào)."


def test_cstd_tinh_uses_up_its_three_cstdcs_years__luat_2022_art22_one_award():
    """Luật 06/2022 Điều 22 with 'one achievement, one award' (domain.md §8) [L]: a CSTĐ tỉnh
    awarded in 2024 on 2022–2024 is not granted again in 2025 on 2023–2025; the next needs
    three new consecutive CSTĐCS years (2025–2027)."""
    again = _streak_person(2025, [2022, 2023, 2024])
    again["titles"]["2024"] = ["LDTT", "CSTDCS", "CSTD_TINH"]
    o = outcome(again, "CSTD_TINH")
    assert not o.eligible and failed(o) == ["CSTD_TINH.ba_lan_cstdcs"]
    text = reason(o, "CSTD_TINH.ba_lan_cstdcs").text_vi
    assert "đã dùng cho lần đạt CSTĐ cấp bộ, ngành, tỉnh trước: 2023, 2024" in text
    assert o.missing == ("Cần đạt tiếp CSTĐ cơ sở năm 2026–2027 (hiện 1 năm liên tục tính đến "
                         "năm 2025; cần 3 năm liên tục).",)
    fresh = _streak_person(2027, [2022, 2023, 2024, 2025, 2026])
    fresh["titles"]["2024"] = ["LDTT", "CSTDCS", "CSTD_TINH"]
    assert outcome(fresh, "CSTD_TINH").eligible
    for year in (2019, 2022):  # the 2003 Law's rule set reads the same way
        old = _streak_person(year + 1, [year - 2, year - 1, year])
        old["titles"][str(year)] = ["LDTT", "CSTDCS", "CSTD_TINH"]
        old["initiatives"].append({"year": year + 1, "level": "co_so"})
        o = outcome(old, "CSTD_TINH")
        assert failed(o) == ["CSTD_TINH.ba_lan_cstdcs"]
        assert "đã dùng cho lần đạt" in reason(o, "CSTD_TINH.ba_lan_cstdcs").text_vi


def test_cstd_tinh_gap_breaks_the_streak__luat_2022_art22():
    """Luật 06/2022 Điều 22 'liên tục': 2022 and 2024 but not 2023 → only 1 consecutive."""
    o = outcome(_streak_person(2024, [2021, 2022]), "CSTD_TINH")
    assert not o.eligible and failed(o) == ["CSTD_TINH.ba_lan_cstdcs"]
    assert o.missing == ("Cần đạt tiếp CSTĐ cơ sở năm 2025–2026 (hiện 1 năm liên tục tính đến "
                         "năm 2024; cần 3 năm liên tục).",)


def test_cstd_tinh_two_of_three_says_one_more_year__luat_2022_art22():
    """Luật 06/2022 Điều 22: with 2 of 3 the missing answer says what to reach next."""
    o = outcome(_streak_person(2025, [2024]), "CSTD_TINH")
    assert o.missing == ("Cần đạt tiếp CSTĐ cơ sở năm 2026 (hiện 2 năm liên tục tính đến năm "
                         "2025; cần 3 năm liên tục).",)


def test_cstd_tinh_this_year_must_be_cstdcs_too__luat_2022_art22():
    """Luật 06/2022 Điều 22: two earlier CSTĐCS but none this year (HTTNV, no initiative this
    year) → the streak ending this year is 0."""
    data = _streak_person(2024, [2022, 2023])
    data["ratings"] = {"2024": "HTTNV"}
    o = outcome(data, "CSTD_TINH")
    assert not o.eligible and "chưa có năm nào liên tục" in o.missing[0]


def test_cstd_tinh_needs_initiative_at_that_level__luat_2022_art22():
    """Luật 06/2022 Điều 22: a cơ sở-level initiative is not enough; one older than the streak
    does not count."""
    o = outcome(_streak_person(2024, [2022, 2023], level="co_so"), "CSTD_TINH")
    assert not o.eligible and failed(o) == ["CSTD_TINH.sang_kien"]
    old = _streak_person(2024, [2022, 2023])
    old["initiatives"] = [{"year": 2021, "level": "toan_quoc"}]
    assert failed(outcome(old, "CSTD_TINH")) == ["CSTD_TINH.sang_kien"]


def test_cstd_tq_two_consecutive_cstd_tinh_and_national_initiative__luat_2022_art21():
    """Luật 06/2022 Điều 21: 2 consecutive CSTĐ bộ/tỉnh (up to the year before) and an
    initiative with nationwide effect."""
    titles = {str(y): ["CSTDCS"] for y in range(2019, 2025)}
    titles["2021"] = ["CSTDCS", "CSTD_TINH"]
    titles["2024"] = ["CSTDCS", "CSTD_TINH"]
    data = person(2025, ratings={"2025": "HTXSNV"}, registered={"2025": ["CSTD_TQ"]},
                  titles=titles, initiatives=[{"year": 2024, "level": "toan_quoc"}])
    o = outcome(data, "CSTD_TQ")
    assert o.eligible, o.missing
    assert reason(o, "CSTD_TQ.hai_lan_cstd_tinh").text_vi == (
        "Đạt CSTĐ cấp bộ, ngành, tỉnh 2 lần liên tục (năm 2021 và 2024), mỗi lần trên 3 năm CSTĐ "
        "cơ sở riêng: CSTĐ cơ sở liên tục 2019–2024.")
    data["titles"] = {"2022": ["CSTD_TINH"], "2024": ["CSTD_TINH"]}
    o = outcome(data, "CSTD_TQ")
    assert not o.eligible and failed(o) == ["CSTD_TQ.hai_lan_cstd_tinh"]


def test_cstd_tq_adjacent_calendar_years_do_not_qualify__luat_2022_art21():
    """Luật 06/2022 Điều 21 '02 lần liên tục' (domain.md §8) [L]: two provincial titles in
    adjacent calendar years do not rest on their own three CSTĐCS years each."""
    data = person(2025, ratings={"2025": "HTXSNV"}, registered={"2025": ["CSTD_TQ"]},
                  titles={str(y): ["CSTDCS"] + (["CSTD_TINH"] if y >= 2023 else [])
                          for y in range(2019, 2025)},
                  initiatives=[{"year": 2024, "level": "toan_quoc"}])
    o = outcome(data, "CSTD_TQ")
    assert not o.eligible and failed(o) == ["CSTD_TQ.hai_lan_cstd_tinh"]
    assert "năm 2023 và 2024 cách nhau dưới 3 năm" in reason(o, "CSTD_TQ.hai_lan_cstd_tinh").text_vi
    for year in (2019, 2023):  # the 2003 Law's rule set too
        old = dict(data, year=year, registered={str(year): ["CSTD_TQ"]},
                   ratings={str(year): "HTXSNV"},
                   titles={str(y): ["CSTDCS"] + (["CSTD_TINH"] if y >= year - 2 else [])
                           for y in range(year - 6, year)},
                   initiatives=[{"year": year - 1, "level": "toan_quoc"}])
        assert failed(outcome(old, "CSTD_TQ")) == ["CSTD_TQ.hai_lan_cstd_tinh"]
        good = dict(old, titles={str(y): ["CSTDCS"] + (["CSTD_TINH"] if y in (year - 4, year - 1)
                                                       else []) for y in range(year - 6, year)})
        assert outcome(good, "CSTD_TQ").eligible


def test_cstd_tq_needs_six_consecutive_cstdcs_years_and_unused_awards__luat_2022_art21():
    """Luật 06/2022 Điều 21 [L]: a CSTĐCS gap between the two awards breaks the run; a pair
    already used for a CSTĐ toàn quốc does not count again."""
    titles = {str(y): ["CSTDCS"] for y in range(2019, 2025)}
    titles["2021"] = ["CSTDCS", "CSTD_TINH"]
    titles["2024"] = ["CSTDCS", "CSTD_TINH"]
    del titles["2022"]
    data = person(2025, ratings={"2025": "HTXSNV"}, registered={"2025": ["CSTD_TQ"]},
                  titles=titles, initiatives=[{"year": 2024, "level": "toan_quoc"}])
    o = outcome(data, "CSTD_TQ")
    assert not o.eligible and "chưa có: 2022" in reason(o, "CSTD_TQ.hai_lan_cstd_tinh").text_vi


def test_cstd_tld_union_variant__qd1689_art27():
    """QĐ 1689/QĐ-TLĐ Điều 27: CSTĐ Tổng Liên đoàn after 3 consecutive CSTĐCS (all recorded)."""
    data = person(2022, registered={"2022": ["CSTD_TINH"]},
                  titles={"2020": ["CSTDCS"], "2021": ["CSTDCS"], "2022": ["CSTDCS"]},
                  initiatives=[{"year": 2022, "level": "tinh"}])
    ev = judge(data, "tld-1689-2019")
    assert ev.names["CSTD_TINH"] == "Chiến sĩ thi đua Tổng Liên đoàn"
    o = ev.titles["CSTD_TINH"]
    assert o.eligible
    assert reason(o, "CSTD_TLD.ba_lan_cstdcs").source == "QĐ 1689/QĐ-TLĐ, Điều 27"


def test_cstd_tq_union_variant_needs_six_years_of_cstdcs__qd1689_art26():
    """QĐ 1689/QĐ-TLĐ Điều 26: 2 consecutive CSTĐ TLĐ, within 6 consecutive CSTĐCS, a
    nationwide initiative, considered the year after the second CSTĐ TLĐ."""
    titles = {str(y): ["CSTDCS"] for y in range(2017, 2023)}
    titles["2021"] = ["CSTDCS", "CSTD_TINH"]
    titles["2022"] = ["CSTDCS", "CSTD_TINH"]
    data = person(2023, registered={"2023": ["CSTD_TQ"]}, titles=titles,
                  initiatives=[{"year": 2022, "level": "toan_quoc"}])
    o = outcome(data, "CSTD_TQ", "tld-1689-2019")
    assert not o.eligible and failed(o) == ["CSTD_TQ_TLD.hai_lan_cstd_tld"]
    text = reason(o, "CSTD_TQ_TLD.hai_lan_cstd_tld").text_vi
    assert "CSTĐ Tổng Liên đoàn năm 2021 và 2022 cách nhau dưới 3 năm" in text
    assert "cấp bộ, ngành, tỉnh" not in text + " ".join(o.missing)
    titles["2021"] = ["CSTDCS"]
    titles["2019"] = ["CSTDCS", "CSTD_TINH"]
    o = outcome(data, "CSTD_TQ", "tld-1689-2019")
    assert o.eligible, o.missing
    del titles["2017"]
    o = outcome(data, "CSTD_TQ", "tld-1689-2019")
    assert not o.eligible and failed(o) == ["CSTD_TQ_TLD.hai_lan_cstd_tld"]
    assert "chưa có: 2017" in reason(o, "CSTD_TQ_TLD.hai_lan_cstd_tld").text_vi


def test_union_alone_reads_this_years_cstdcs_from_the_decided_titles__qd1689_art27():
    """QĐ 1689 Điều 27 judged alone: the union does not judge CSTĐ cơ sở (the agency's head
    decides it, Luật 06/2022 Điều 80), so this year's comes from the decided titles of the
    year; without it the answer says so instead of counting 0."""
    data = person(2022, registered={"2022": ["CSTD_TINH"]},
                  titles={"2020": ["CSTDCS"], "2021": ["CSTDCS"]},
                  initiatives=[{"year": 2022, "level": "tinh"}])
    o = outcome(data, "CSTD_TINH", "tld-1689-2019")
    text = reason(o, "CSTD_TLD.ba_lan_cstdcs").text_vi
    assert not o.eligible and "Năm 2022: chưa có quyết định CSTĐ cơ sở" in text
    assert o.missing == ("Cần có quyết định CSTĐ cơ sở năm 2022 (bộ quy tắc này không xét danh "
                         "hiệu đó; ghi vào danh hiệu đã đạt của năm 2022).",)
    data["titles"]["2022"] = ["CSTDCS"]
    assert outcome(data, "CSTD_TINH", "tld-1689-2019").eligible


# --- union titles ---------------------------------------------------------------------------


def test_dvxs_member_registered_and_rated_htt__local_guide():
    """Hướng dẫn CĐCS (2021) [G/L]: Đoàn viên công đoàn xuất sắc."""
    o = outcome(person(2023, registered={"2023": ["DVXS"]}), "DVXS")
    assert o.eligible
    assert {r.rule_id for r in o.reasons} == {"DVXS.doan_vien", "DVXS.dang_ky", "DVXS.xep_loai",
                                              "DVXS.thoi_gian_cong_tac", "DVXS.ngay_nghi",
                                              "DVXS.ky_luat"}


def test_dvxs_not_for_a_worker_who_is_not_a_member__local_guide():
    """Hướng dẫn CĐCS (2021): the title is for đoàn viên."""
    data = person(2023, registered={"2023": ["DVXS"]},
                  person={"gender": "nam", "member": False})
    o = outcome(data, "DVXS")
    assert not o.eligible and o.missing == ("Danh hiệu chỉ dành cho đoàn viên công đoàn.",)


def test_union_rules_drop_to_guess_after_qd999__qd999_unverified():
    """QĐ 999/QĐ-TLĐ of 29/05/2024 is not available: from 2024 the 1689 rule set still judges,
    each reason at confidence G and saying it is not checked against 999."""
    before = reason(outcome(person(2023, registered={"2023": ["DVXS"]}), "DVXS"), "DVXS.dang_ky")
    after = reason(outcome(person(2024, registered={"2024": ["DVXS"]}), "DVXS"), "DVXS.dang_ky")
    assert before.confidence == "L" and "999" not in before.source + before.note
    assert after.confidence == "G" and after.source == before.source
    assert after.note.endswith("Chưa đối chiếu QĐ 999/QĐ-TLĐ ngày 29/05/2024.")
    assert "đối chiếu" not in after.text_vi


def test_gvndvn_for_a_registered_woman__movement_gvndvn():
    """Phong trào 'Giỏi việc nước, đảm việc nhà' (TLĐ, for female workers)."""
    data = person(2023, person={"gender": "nu"}, registered={"2023": ["GVNDVN"]},
                  family={"2023": True})
    o = outcome(data, "GVNDVN")
    assert o.eligible and reason(o, "GVNDVN.lao_dong_nu").confidence == "C"


def test_gvndvn_needs_the_family_half_confirmed__movement_gvndvn():
    """Giỏi việc nước (work) and đảm việc nhà (family): without the family fact the title asks
    for it instead of passing; the criteria are the federation's setting, marked G."""
    data = person(2023, person={"gender": "nu"}, registered={"2023": ["GVNDVN"]})
    o = outcome(data, "GVNDVN")
    assert not o.eligible and failed(o) == ["GVNDVN.dam_viec_nha"]
    assert o.missing[0].startswith("Cần xác nhận tiêu chí đảm việc nhà năm 2023 (gia đình văn hóa")
    r = reason(o, "GVNDVN.dam_viec_nha")
    assert r.source.startswith("Thực tiễn địa phương") and r.confidence == "G"
    no = outcome(dict(data, family={"2023": False}), "GVNDVN")
    assert not no.eligible and no.missing[0].startswith("Cần đạt tiêu chí đảm việc nhà")
    assert outcome(dict(data, family={"2022": True}), "GVNDVN").missing  # another year's


def test_gvndvn_not_judged_for_men_and_unknown_gender_is_missing__movement_gvndvn():
    """Phong trào GVNĐVN: men are not judged; an unknown gender is reported, not assumed."""
    assert "GVNDVN" not in judge(person(2023, registered={"2023": ["GVNDVN"]})).titles
    o = outcome(person(2023, person={}, registered={"2023": ["GVNDVN"]}), "GVNDVN")
    assert not o.eligible and o.missing[0].startswith("Cần ghi giới tính")


# --- collective titles ----------------------------------------------------------------------


def test_ttldtt_70_percent_ldtt__bac_ninh_luat_2022():
    """QĐ 86/2025 Bắc Ninh (Luật 06/2022): TTLĐTT needs ≥70 % LĐTT — 70/100 is enough."""
    data = unit(2024, registered={"2024": ["TTLDTT"]}, ratings={"2024": "HTTNV"},
                roster={"members": 100, "ldtt": 70, "cstdcs": 0, "completed_tasks": 100})
    o = outcome(data, "TTLDTT")
    assert o.eligible
    assert reason(o, "TTLDTT.ty_le_ldtt").text_vi == \
        "Số người đạt LĐTT: 70/100 = 70% (yêu cầu từ 70%)."


def test_ttldtt_69_percent_is_not_enough__bac_ninh_luat_2022():
    """QĐ 86/2025 Bắc Ninh (Luật 06/2022): 69 % LĐTT → not TTLĐTT; one more LĐTT is missing."""
    data = unit(2024, registered={"2024": ["TTLDTT"]},
                roster={"members": 100, "ldtt": 69, "cstdcs": 0, "completed_tasks": 100})
    o = outcome(data, "TTLDTT")
    assert not o.eligible
    assert o.missing == ("Cần thêm 1 người đạt LĐTT để đạt tỷ lệ từ 70% (hiện 69/100 = 69%).",)


def test_ttldtt_under_the_2003_law_more_than_half__luat_2003_art28():
    """Luật TĐKT 2003 Điều 28: 'trên 50%' LĐTT — exactly half is not enough (2023)."""
    base = unit(2023, registered={"2023": ["TTLDTT"]}, ratings={"2023": "HTTNV"})
    half = dict(base, roster={"members": 40, "ldtt": 20, "completed_tasks": 40})
    o = outcome(half, "TTLDTT")
    assert not o.eligible and "trên 50%" in o.missing[0]
    assert outcome(dict(base, roster={"members": 40, "ldtt": 21, "completed_tasks": 40}),
                   "TTLDTT").eligible


def test_ttldtt_member_disciplined_with_canh_cao_excludes__bac_ninh_luat_2022():
    """QĐ 86/2025 Bắc Ninh: nobody disciplined at cảnh cáo or above; khiển trách is lighter."""
    roster = {"members": 40, "ldtt": 30, "completed_tasks": 40}
    light = unit(2024, registered={"2024": ["TTLDTT"]},
                 roster=dict(roster, disciplined={"khien_trach": 2}))
    assert outcome(light, "TTLDTT").eligible
    heavy = dict(light, roster=dict(roster, disciplined={"canh_cao": 1}))
    o = outcome(heavy, "TTLDTT")
    assert not o.eligible and failed(o) == ["TTLDTT.ky_luat"]


def test_ttldxs_htxs_all_complete_70_percent_and_a_cstdcs__bac_ninh_luat_2022():
    """QĐ 86/2025 Bắc Ninh: TTLĐXS = HTXSNV, 100 % complete, ≥70 % LĐTT, ≥1 CSTĐCS."""
    o = outcome(unit(2024), "TTLDXS")
    assert o.eligible and len(o.reasons) == 6


@pytest.mark.parametrize(("change", "rule"), [
    ({"ratings": {"2024": "HTTNV"}}, "TTLDXS.xep_loai"),
    ({"roster": {"members": 40, "ldtt": 30, "cstdcs": 2, "completed_tasks": 39}},
     "TTLDXS.hoan_thanh_nhiem_vu"),
    ({"roster": {"members": 40, "ldtt": 30, "cstdcs": 0, "completed_tasks": 40}},
     "TTLDXS.co_cstdcs"),
])
def test_ttldxs_each_condition_is_required__bac_ninh_luat_2022(change, rule):
    """QĐ 86/2025 Bắc Ninh: without HTXSNV, with one member not completing tasks, with no
    CSTĐCS, or registered only for TTLĐTT → not TTLĐXS."""
    o = outcome(unit(2024, **change), "TTLDXS")
    assert not o.eligible and failed(o) == [rule]


# --- grading of grassroots unions ------------------------------------------------------------

UNION = "tld-1689-2019"


@pytest.mark.parametrize(("year", "title", "other", "grade"), [
    (2017, "CDCS_VUNG_MANH", "CDCS_HTXSNV", "vung_manh"),
    (2018, "CDCS_VUNG_MANH", "CDCS_HTXSNV", "vung_manh"),
    (2019, "CDCS_HTXSNV", "CDCS_VUNG_MANH", "HTXSNV"),
    (2025, "CDCS_HTXSNV", "CDCS_VUNG_MANH", "HTXSNV"),
])
def test_each_year_is_graded_on_the_scale_in_force__hd1294(year, title, other, grade):
    """HD 1294/HD-TLĐ (14/08/2019): from the 2019 grading on, the four labels HTXSNV…KHTNV;
    before it the old scale (vững mạnh, khá, trung bình, yếu). The year of change is the
    parameter `grading_new_scale_from_year` of the union rule set [L]."""
    ev = judge(unit(year, grading={"C1": 36, "C2": 31, "C3": 22}), UNION)
    assert other not in ev.titles
    assert ev.titles[title].eligible and ev.titles[title].grade == grade
    assert ev.names[title] == ("Công đoàn cơ sở vững mạnh" if year < 2019
                               else "Công đoàn cơ sở hoàn thành xuất sắc nhiệm vụ")


def test_cdcs_old_scale_85_points_is_vung_manh__old_scale():
    """Thang cũ: vững mạnh from 85 points with no criterion below 50 % [C]."""
    o = outcome(unit(2018, grading={"C1": 34, "C2": 30, "C3": 21}), "CDCS_VUNG_MANH", UNION)
    assert o.eligible and o.grade == "vung_manh"


def test_cdcs_old_scale_84_points_is_kha__old_scale():
    """Thang cũ: khá 70 – <85."""
    o = outcome(unit(2018, grading={"C1": 34, "C2": 30, "C3": 20}), "CDCS_VUNG_MANH", UNION)
    assert not o.eligible and o.grade == "kha"
    assert o.missing == ("Cần thêm 1 điểm để đạt Vững mạnh (từ 85/100).",)


def test_cdcs_old_scale_criterion_below_half_drops_a_band__old_scale():
    """Thang cũ: 'no standard below 50 % of its points' — 88 points with C3 at 12/25 is khá."""
    o = outcome(unit(2018, grading={"C1": 40, "C2": 35, "C3": 12}), "CDCS_VUNG_MANH", UNION)
    assert o.grade == "kha" and not o.eligible
    assert "C3 (12/25)" in o.missing[0]


@pytest.mark.parametrize(("scores", "grade"), [
    ({"C1": 38, "C2": 32, "C3": 20}, "HTXSNV"),
    ({"C1": 30, "C2": 25, "C3": 20}, "HTTNV"),
    ({"C1": 20, "C2": 20, "C3": 10}, "HTNV"),
    ({"C1": 20, "C2": 15, "C3": 10}, "KHTNV"),
])
def test_cdcs_new_labels__hd1294(scores, grade):
    """HD 1294/HD-TLĐ: four labels HTXSNV/HTTNV/HTNV/KHTNV [L]; thresholds [G]."""
    o = outcome(unit(2023, grading=scores), "CDCS_HTXSNV")
    assert o.grade == grade and o.eligible is (grade == "HTXSNV")


def test_to_cd_is_graded_on_its_own_sheet__qd101_cdvc():
    """QĐ 101/QĐ-CĐVC: a tổ công đoàn is scored on its sheet; CĐCS gradings do not apply."""
    scores = {"T1": 18, "T2": 14, "T3": 9, "T4": 13, "T5": 9, "T6": 10, "T7": 8, "T8": 7}
    ev = judge(unit(2023, unit={"code": "TO-A1", "type": "to_cd"}, grading=scores))
    assert "CDCS_HTXSNV" not in ev.titles and "TO_CD_VUNG_MANH" not in ev.titles
    assert ev.titles["TO_CD_HTXSNV"].grade == "HTXSNV"  # 88/100
    old = judge(unit(2018, unit={"code": "TO-A1", "type": "to_cd"}, grading=scores), UNION)
    assert old.titles["TO_CD_VUNG_MANH"].grade == "vung_manh"


def test_grading_reports_missing_and_excess_points__hd1294():
    """HD 1294/HD-TLĐ: every criterion must be scored, within its maximum."""
    o = outcome(unit(2023, grading={"C1": 36, "C2": 31}), "CDCS_HTXSNV")
    assert not o.eligible and o.missing == ("Cần chấm đủ các tiêu chí: C3.",)
    o = outcome(unit(2023, grading={"C1": 45, "C2": 31, "C3": 20}), "CDCS_HTXSNV")
    assert not o.eligible and "C1 (45/40)" in o.missing[0]


def test_grading_needs_12_months_or_6_after_a_merger__hd1294():
    """HD 1294/HD-TLĐ: a new CĐCS needs 12 months of operation, one formed by split or merger
    6 months."""
    young = unit(2023, unit={"code": "X", "type": "cdcs", "operating_months": 8})
    assert failed(outcome(young, "CDCS_HTXSNV")) == ["CDCS_XS.thoi_gian_hoat_dong"]
    merged = unit(2023, unit={"code": "X", "type": "cdcs", "operating_months": 8,
                              "reorganised": True})
    assert outcome(merged, "CDCS_HTXSNV").eligible


def test_grading_thresholds_are_set_per_issuer__design_implication_13():
    """Design implication 13: thresholds per issuer and year — an issuer's rule set raises
    vững mạnh to 90 points."""
    rs = load_ruleset_text('''
id = "vi-du-cdvc-2023"
extends = "tld-1689-2019"
title = "Ví dụ: thang điểm riêng của một công đoàn cấp trên"
family = "cong_doan"
auto = false
effective_from = 2023-01-01

[[documents]]
code = "HD 5/HD-CĐVC"
title = "Hướng dẫn xếp loại (ví dụ)"

[scales.moi]
title = "thang của đơn vị"
bands = [
  { code = "HTXSNV", name = "Hoàn thành xuất sắc nhiệm vụ", min_percent = 90 },
  { code = "HTTNV", name = "Hoàn thành tốt nhiệm vụ", min_percent = 70 },
  { code = "KHTNV", name = "Không hoàn thành nhiệm vụ", min_percent = 0 },
]
''')
    data = unit(2023, grading={"C1": 36, "C2": 31, "C3": 22})  # 89 points
    assert outcome(data, "CDCS_HTXSNV", UNION).grade == "HTXSNV"
    assert evaluate(data, rs).titles["CDCS_HTXSNV"].grade == "HTTNV"


# --- which rule set judges a year: the 01/07/2025 switch ------------------------------------


def test_2025_is_judged_by_nd152_in_force_on_31_december__nd152_art59_adr0007():
    """NĐ 152/2025 Điều 59 (in force 01/07/2025) and ADR 0007: the rule set in force on 31/12
    judges the year."""
    data = person(2025, absence_days={"2025": 60}, maternity_days={"2025": 30})
    ev = judge(data)
    assert ev.rule_set == "luat-2022-nd152-2025+tld-1689-2019"
    o = ev.titles["LDTT"]
    assert reason(o, "LDTT.ngay_nghi").source == (
        "Thực tiễn địa phương (Luật 06/2022/QH15, Điều 24 khoản 4 để mỗi cơ quan quy định); "
        "NĐ 152/2025/NĐ-CP, Điều 4 khoản 5")
    assert reason(o, "LDTT.ky_luat").source == "NĐ 152/2025/NĐ-CP, Điều 4 khoản 4"


def test_2025_judged_explicitly_by_nd98_switches_id_and_citations__nd98_vs_nd152():
    """NĐ 98/2023 until 30/06/2025, NĐ 152/2025 after: the same facts judged by either give the
    same answer here (the Law's criteria did not change) but cite different texts."""
    data = person(2025, absence_days={"2025": 60}, maternity_days={"2025": 30},
                  discipline=[{"form": "khien_trach", "from": "2025-02-01",
                               "to": "2025-08-01"}])
    old = judge(data, "luat-2022-nd98-2023")
    new = judge(data, "luat-2022-nd152-2025")
    assert (old.rule_set, new.rule_set) == ("luat-2022-nd98-2023", "luat-2022-nd152-2025")
    assert old.titles["LDTT"].eligible is new.titles["LDTT"].eligible is False
    old_sources = {r.source for r in old.titles["LDTT"].reasons}
    new_sources = {r.source for r in new.titles["LDTT"].reasons}
    assert not any("152/2025" in s for s in old_sources)
    assert "NĐ 152/2025/NĐ-CP, Điều 4 khoản 4" in new_sources
    assert reason(old.titles["LDTT"], "LDTT.ngay_nghi").confidence == "L"


@pytest.mark.parametrize(("year", "rule_set"), [
    (2017, "luat-2003-nd91-2017"),
    (2019, "luat-2003-nd91-2017+tld-1689-2019"),
    (2023, "luat-2003-nd91-2017+tld-1689-2019"),
    (2024, "luat-2022-nd98-2023+tld-1689-2019"),
    (2026, "luat-2022-nd152-2025+tld-1689-2019"),
])
def test_each_year_is_judged_by_the_rule_sets_in_force_on_31_december__adr0007(year, rule_set):
    """ADR 0007: state rule set (NĐ 91/2017 to 31/12/2023, NĐ 98/2023 to 30/06/2025, NĐ 152/2025
    after) plus the union's QĐ 1689/QĐ-TLĐ from 12/11/2019."""
    assert judge(person(year)).rule_set == rule_set


def test_a_year_before_any_rule_set_is_refused__adr0007():
    """ADR 0007: no state rule set is in force on 31/12/2016 → an explicit error."""
    with pytest.raises(RuleSetError, match="31/12/2016"):
        judge(person(2016))


# --- input and batch ------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "message"), [
    ({"ratings": {"2024": "XUAT_SAC"}}, "ratings['2024']: xếp loại 'XUAT_SAC' không hợp lệ"),
    ({"discipline": [{"form": "phat_tien", "from": "2024-01-01"}]}, "discipline[0].form"),
    ({"discipline": [{"form": "canh_cao", "from": "2024-05-01", "to": "2024-01-01"}]},
     "ngày kết thúc phải sau ngày bắt đầu"),
    ({"initiatives": [{"year": 2024, "level": "xa"}]}, "initiatives[0].level"),
    ({"registered": {"2024": "LDTT"}}, "phải là danh sách"),
    ({"absence_days": {"hai nghìn": 3}}, "năm 'hai nghìn' không hợp lệ"),
    ({"person": {"gender": "khac"}}, "person.gender"),
    ({"ratingz": {}}, "khóa không hợp lệ: ratingz"),
])
def test_bad_facts_are_refused_in_vietnamese__facts_format(change, message):
    """FACTS.json format (rules/README.md): malformed facts raise FactsError saying where."""
    with pytest.raises(FactsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        evaluate(person(2024, **change))


def test_evaluate_many_gives_the_same_answers_as_evaluate__engine():
    """evaluate_many over mixed years equals evaluate one by one."""
    batch = [person(2017), person(2024, ratings={"2024": "HTXSNV"}), unit(2023), person(2025)]
    many = evaluate_many(batch)
    assert [e.to_dict() for e in many] == [evaluate(f).to_dict() for f in batch]
    assert [e.rule_set for e in many][:2] == ["luat-2003-nd91-2017",
                                              "luat-2022-nd98-2023+tld-1689-2019"]


# --- holds and priorities (NĐ 152/2025 Điều 4 khoản 4 and 6) ---------------------------------


def test_an_open_matter_holds_every_title_neither_eligible_nor_refused__nd152_art4_4():
    data = person(2025, ratings={"2025": "HTXSNV"}, registered={"2025": ["CSTDCS"]},
                  pending=[{"kind": "thanh_tra", "from": "2025-11-03"}])
    ev = judge(data)
    for code in ("LDTT", "CSTDCS"):
        o = ev.titles[code]
        assert o.held and not o.eligible
        assert o.missing[0] == "Tạm hoãn xét: đang bị thanh tra; xét lại khi kết thúc."
        r = reason(o, "TAM_HOAN")
        assert r.source == "NĐ 152/2025/NĐ-CP, Điều 4 khoản 4" and r.confidence == "C"
    assert ev.to_dict()["titles"]["LDTT"]["held"] is True
    ended = judge(dict(data, pending=[{"kind": "thanh_tra", "from": "2025-11-03",
                                       "to": "2026-01-10"}]))
    assert ended.titles["CSTDCS"].eligible and not ended.titles["CSTDCS"].held


def test_before_nd152_the_hold_is_a_setting_labelled_local_practice__nd152_art4_4():
    """No text in hand for 2017–2024: the hold applies by default as local practice (G), and
    an issuer may turn it off."""
    from thidua.rules.ruleset import Override
    data = person(2023, registered={"2023": ["LDTT"]},
                  pending=[{"kind": "khieu_nai_to_cao", "from": "2024-01-05"}])
    o = outcome(data, "LDTT")
    assert o.held and "có đơn thư khiếu nại, tố cáo" in o.missing[0]
    r = reason(o, "TAM_HOAN")
    assert r.source.startswith("Thực tiễn địa phương") and r.confidence == "G"
    off = evaluate(data, overrides={"hold_pending_matters": Override(False, "Quy chế X")})
    assert off.titles["LDTT"].eligible and not off.titles["LDTT"].held


def test_women_and_collectives_with_70_percent_women_have_priority__nd152_art4_6():
    woman = judge(person(2025, person={"gender": "nu"}))
    assert woman.priority is not None and woman.priority.rule_id == "UU_TIEN"
    assert woman.priority.source == "NĐ 152/2025/NĐ-CP, Điều 4 khoản 6"
    assert judge(person(2025)).priority is None
    roster = {"members": 10, "ldtt": 8, "completed_tasks": 10}
    assert judge(unit(2025, roster=dict(roster, women=7))).priority is not None
    assert judge(unit(2025, roster=dict(roster, women=6))).priority is None
    text = judge(unit(2025, roster=dict(roster, women=7))).priority.text_vi
    assert text.startswith("Tập thể có 7/10 = 70% là nữ (từ 70%)")
    old = judge(person(2017, person={"gender": "nu"})).priority
    assert old is not None and old.confidence == "G"
