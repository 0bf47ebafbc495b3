import datetime as dt

import pytest

from thidua.platform.spreadsheets.cells import (
    display,
    header_key,
    is_blank,
    parse_date,
    parse_int,
    text,
)


def test_blank_cells():
    assert all(is_blank(v) for v in (None, "", "   ", "\t"))
    assert not any(is_blank(v) for v in (0, 0.0, "0", False, " x "))


def test_headers_fold_case_diacritics_and_punctuation():
    assert header_key("  HỌ VÀ TÊN ") == header_key("Ho va ten") == "ho va ten"
    assert header_key("Số CCCD/CMND") == "so cccd cmnd"
    assert header_key(None) == ""


def test_display_shows_cells_as_typed():
    assert display(85012345.0) == "85012345"
    assert display(2.5) == "2.5"
    assert display(dt.datetime(2024, 3, 8, 10, 0)) == "08/03/2024"
    assert display(True) == "Có" and display(None) == ""
    assert display("  Nguyễn   Văn  An ") == "Nguyễn Văn An"


def test_text_cleans_spaces_and_keeps_clean_text_as_is():
    clean = "Nguyễn Thị Hương"
    assert text(clean) is clean
    assert text(" Nguyễn  Thị\u00a0Hương ") == clean
    assert text(12.0) == "12"


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(1985, 5, 17), dt.date(1985, 5, 17)),
    ("17/05/1985", dt.date(1985, 5, 17)),
    ("17.5.1985", dt.date(1985, 5, 17)),
    ("1985-05-17", dt.date(1985, 5, 17)),
    (31184.0, dt.date(1985, 5, 17)),  # an Excel serial number
    (None, None),
    ("", None),
])
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [1985, True, "31/02/1985", "hôm qua", 31184.5])
def test_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_whole_numbers():
    assert parse_int("1 200") == 1200 and parse_int(12.0) == 12 and parse_int(" ") is None
    assert parse_int("-3") == -3
    for bad in (1.5, "12a", True):
        with pytest.raises(ValueError):
            parse_int(bad)
