import pytest
from django.utils import timezone

from thidua.platform.errors import ApplicationError
from thidua.platform.years import check_year, first_year, last_year, parse_year


def test_bounds_come_from_the_setting_and_today(settings):
    settings.THIDUA_FIRST_YEAR = 1990
    assert first_year() == 1990
    assert last_year() == timezone.localdate().year + 1


def test_check_year_refuses_outside_with_the_range_in_the_message():
    assert check_year("2017") == 2017
    with pytest.raises(ApplicationError) as err:
        check_year(1999, what="Năm đánh giá")
    assert err.value.message == f"Năm đánh giá phải từ 2000 đến {last_year()}."
    with pytest.raises(ApplicationError):
        check_year(last_year() + 1)
    with pytest.raises(ApplicationError, match="không hợp lệ"):
        check_year("hai nghìn")


@pytest.mark.parametrize("raw, expected", [("2017", 2017), ("", None), ("abc", None),
                                           ("1999", None), ("20170", None), (None, None)])
def test_parse_year(raw, expected):
    assert parse_year(raw) == expected
