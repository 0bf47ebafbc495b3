"""Cells as officials type them: blank tests, display text, dates, whole numbers, header folding.

Spreadsheet cells arrive as str, float, int, bool, date or datetime (python-calamine) or str
(CSV); every parser here takes any of them and raises ValueError for what it cannot read, so the
caller words the message for its own column."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from thidua.platform.text import clean_spaces, fold, parse_vn_date, vn_date

_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_HEADER_PUNCT = re.compile(r"[^0-9a-z]+")


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def header_key(text: object) -> str:
    """Fold a header for matching: "  HỌ VÀ TÊN " / "Họ và tên" / "Ho va ten" -> "ho va ten";
    punctuation counts as a space ("Số CCCD/CMND" -> "so cccd cmnd")."""
    folded = fold(str(text)) if text is not None else ""
    return " ".join(_HEADER_PUNCT.sub(" ", folded).split())


def display(value: object) -> str:
    """A cell as the official typed it: dates dd/mm/yyyy, 85012345.0 -> "85012345"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return vn_date(value.date())
    if isinstance(value, dt.date):
        return vn_date(value)
    return clean_spaces(str(value))


def text(value: object) -> str:
    """A text cell with its spaces cleaned (NFC, single spaces, trimmed); other cells as shown."""
    if value is None:
        return ""
    if isinstance(value, str):
        # most cells are already clean: skip the regex and the normalisation copy for them
        if (value and value.isprintable() and "  " not in value and value[0] != " "
                and value[-1] != " " and unicodedata.is_normalized("NFC", value)):
            return value
        return clean_spaces(value) if value else ""
    return display(value)


def parse_date(value: object) -> dt.date | None:
    """A date cell: a real Excel date, a dd/mm/yyyy text, or an Excel serial number.
    None for blank; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        # a date cell formatted as a number; a bare year (1985) is not a date
        if value < 2200 or value > 2958465 or not float(value).is_integer():
            raise ValueError(value)
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raw = str(value)
    m = _DATE_RE.match(raw)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return parse_vn_date(raw)


def parse_int(value: object) -> int | None:
    """A whole number cell; None for blank; ValueError otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if float(value).is_integer():
            return int(value)
        raise ValueError(value)
    raw = str(value).strip().replace(" ", "")
    if raw.lstrip("-").isdigit():
        return int(raw)
    raise ValueError(value)
