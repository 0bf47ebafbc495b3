from thidua.movements.catalogue import TITLE_BY_CODE, title_lookup
from thidua.rules import titles


def test_registration_titles_are_the_catalogue_less_the_scored_gradings():
    assert set(TITLE_BY_CODE) == {t.code for t in titles.titles() if t.registrable}
    assert TITLE_BY_CODE["CSTD_TINH"].name == titles.title_name("CSTD_TINH")
    assert TITLE_BY_CODE["CSTDCS"].short == "CSTĐCS"


def test_lookup_by_name_without_diacritics():
    found = title_lookup("chien si thi dua co so")
    assert found is not None and found.code == "CSTDCS"
