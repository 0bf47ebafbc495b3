import datetime as dt
import unicodedata

import pytest

from thidua.platform.text import fold, parse_vn_date, vn_count, vn_date, vn_number


def test_fold_strips_diacritics_and_maps_d_bar():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG HỮU THẮNG") == "dang huu thang"


def test_fold_treats_nfd_like_nfc():
    assert fold(unicodedata.normalize("NFD", "Trần Thị Ánh")) == "tran thi anh"


def test_fold_squeezes_whitespace():
    assert fold("  Lê   Thị\tHoa ") == "le thi hoa"


def test_vn_number_uses_dot_for_thousands():
    assert vn_number(10141) == "10.141"
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(97.5, 1) == "97,5"


def test_vn_count_pads_to_two_digits():
    assert vn_count(1) == "01"
    assert vn_count(0) == "0"  # never "00"
    assert vn_count(138) == "138"


def test_dates():
    assert vn_date(dt.date(2017, 12, 31)) == "31/12/2017"
    assert parse_vn_date("5/3/1980") == dt.date(1980, 3, 5)
    assert parse_vn_date(dt.datetime(1990, 1, 2, 0, 0)) == dt.date(1990, 1, 2)
    assert parse_vn_date("  ") is None
    with pytest.raises(ValueError):
        parse_vn_date("31/02/1990")


def test_document_dates_follow_nd_30_2020():
    """NĐ 30/2020 Phụ lục I: a leading zero only for days 1–9 and for months 1 and 2."""
    import datetime as dt

    from thidua.platform.text import doc_date, doc_date_parts

    assert doc_date(dt.date(2023, 4, 5)) == "ngày 05 tháng 4 năm 2023"
    assert doc_date(dt.date(2024, 2, 15)) == "ngày 15 tháng 02 năm 2024"
    assert doc_date(dt.date(2024, 1, 31)) == "ngày 31 tháng 01 năm 2024"
    assert doc_date(dt.date(2024, 12, 1)) == "ngày 01 tháng 12 năm 2024"
    assert doc_date(dt.date(2024, 3, 10)) == "ngày 10 tháng 3 năm 2024"
    assert doc_date(None) == ""
    assert doc_date_parts(dt.date(2023, 4, 5)) == {"day": "05", "month": "4",
                                                   "year_signed": "2023"}


def test_ascii_digits_takes_what_int_and_the_database_take():
    from thidua.platform.text import ascii_digits

    assert ascii_digits("2024") and ascii_digits("9" * 18)
    assert not ascii_digits("9" * 19) and not ascii_digits("2024", 3)
    for bad in ("", "²", "٣", "1²", "-1", " 1", "1.0"):
        assert not ascii_digits(bad), bad
