"""Vietnamese text helpers: folding for search, number and date formats of union documents."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_D_MAP = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d"})
_SPACES = re.compile(r"\s+")


def ascii_digits(text: str, max_len: int = 18) -> bool:
    """0-9 only and short enough for a bigint: "²".isdigit() is true but int("²") fails, and a
    30-digit id overflows the database's integer."""
    return 0 < len(text) <= max_len and text.isascii() and text.isdigit()


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (Đ/đ included: they have no decomposition) and squeeze spaces.

    "Nguyễn Văn Đức" -> "nguyen van duc"; NFD input folds the same as NFC.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.translate(_D_MAP))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", text.casefold()).strip()


def clean_spaces(text: str | None) -> str:
    """NFC-normalise and squeeze whitespace; imported names often carry stray spaces."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def vn_number(value: int | float | None, decimals: int = 0) -> str:
    """10141 -> "10.141"; 97.5 -> "97,5" (dot groups thousands, comma marks decimals)."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vn_count(value: int) -> str:
    """Counts as union reports write them: 1 -> "01", 9 -> "09", 138 -> "138"; none is "0"
    (never "00": a sentence about nothing should say so in words, see the callers)."""
    return f"{value:02d}" if value else "0"


def vn_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def doc_day(value: dt.date) -> str:
    """The day as documents write it (NĐ 30/2020 Phụ lục I): a leading zero below 10, "05"."""
    return f"{value.day:02d}"


def doc_month(value: dt.date) -> str:
    """The month as documents write it (NĐ 30/2020 Phụ lục I): a leading zero only for
    January and February ("01", "02"), none for the others ("4", "12")."""
    return f"{value.month:02d}" if value.month < 3 else str(value.month)


def doc_date(value: dt.date | None) -> str:
    """"ngày 05 tháng 4 năm 2023", "ngày 15 tháng 02 năm 2024": the date line of every generated
    document (NĐ 30/2020 Phụ lục I); empty for an unknown date."""
    if value is None:
        return ""
    return f"ngày {doc_day(value)} tháng {doc_month(value)} năm {value.year}"


def doc_date_parts(value: dt.date) -> dict[str, str]:
    """The parts a Word template prints ("{{ day }} tháng {{ month }}"), in the same format."""
    return {"day": doc_day(value), "month": doc_month(value), "year_signed": str(value.year)}


def vn_time(value: dt.time | None) -> str:
    """14:00 -> "14 giờ 00", as minutes and invitations write an hour."""
    return f"{value.hour} giờ {value.minute:02d}" if value else ""


def vn_meeting(day: dt.date | None, start: dt.time | None = None,
               end: dt.time | None = None) -> str:
    """When a meeting is held: "14 giờ 00, ngày 05/12/2026" ("14 giờ 00 đến 16 giờ 30, ngày …"
    with an end time); the date alone when no time is known; "" when there is no date."""
    if not day:
        return ""
    when = vn_time(start)
    if when and end:
        when += f" đến {vn_time(end)}"
    return f"{when}, ngày {vn_date(day)}" if when else f"ngày {vn_date(day)}"


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_vn_date(value: object) -> dt.date | None:
    """Parse a date as officials type it (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd) or as Excel stores it.

    Returns None for blanks; raises ValueError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def user_display_name(user: object, default: str = "hệ thống") -> str:
    """A user as people know them: the full name in Vietnamese order (họ và tên đệm, then tên:
    accounts stores "Lê Thu" in last_name and "Hà" in first_name, which Django's
    `get_full_name()` would print as "Hà Lê Thu"), else the username; `default` for nobody
    (the installation: command line, demo, background jobs). Duck-typed on Django's user
    (platform does not import accounts). The template filter `person_name` calls it."""
    if user is None or not getattr(user, "is_authenticated", True):
        return default
    parts = (str(getattr(user, "last_name", "") or "").strip(),
             str(getattr(user, "first_name", "") or "").strip())
    name = " ".join(p for p in parts if p)
    if name:
        return name
    username = getattr(user, "get_username", None)
    return str(username()) if callable(username) else str(user)
