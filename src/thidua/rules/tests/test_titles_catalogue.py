"""The one titles catalogue: every code a rule set judges is in it, with the same subject, and
the apps read their labels from it."""

from __future__ import annotations

from thidua.rules import titles
from thidua.rules.facts import TITLES
from thidua.rules.ruleset import list_rulesets


def test_every_rule_set_title_is_in_the_catalogue_with_its_subject():
    catalogue = titles.by_code()
    for rs in list_rulesets():
        for code, spec in rs.titles.items():
            assert code in catalogue, f"{rs.id}: {code} thiếu trong titles.toml"
            assert catalogue[code].subject == spec.subject, f"{rs.id}: {code}"


def test_engine_vocabulary_comes_from_the_catalogue():
    assert set(TITLES) == {t.code for t in titles.titles()}
    assert TITLES["CSTDCS"] == ("Chiến sĩ thi đua cơ sở", "CSTĐ cơ sở")


def test_groups_and_subjects():
    assert titles.codes(group="danh_hieu", subject=titles.COLLECTIVE) == ("TTLDTT", "TTLDXS")
    assert "CDCS_HTXSNV" in titles.codes(group="xep_loai")
    assert not titles.by_code()["CDCS_HTXSNV"].registrable
    assert titles.title_name("KHONG_CO") == "KHONG_CO"


def test_every_judged_title_names_who_decides_it() -> None:
    """domain.md §8: the review screen and its minutes name the body that decides each title."""
    for t in titles.titles():
        if t.group in ("danh_hieu", "xep_loai"):
            assert t.decider in titles.DECIDERS, t.code
            assert t.decider_label and t.decider_source, t.code
    assert titles.by_code()["TTLDTT"].decider == "thu_truong"
    assert titles.by_code()["DVXS"].decider == "cong_doan"
