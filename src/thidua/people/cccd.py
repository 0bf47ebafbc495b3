"""Checks on the 12-digit citizen identity number (CCCD, Thông tư 07/2016/TT-BCA and 59/2021/TT-BCA).

Digits 1–3: province of birth registration (001–096); digit 4: century and gender
(0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 19th);
digits 5–6: the last two digits of the birth year; digits 7–12: a random number.
"""

from __future__ import annotations

import datetime as dt
import re

_CENTURY = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 1800}
_DIGITS = re.compile(r"^\d{12}$")


def normalise_cccd(raw: object) -> str:
    """Text as typed or as Excel stored it. A number that lost its leading zeros (10 or 11 digits) gets
    them back: every province code starts with 0."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = re.sub(r"[\s.\-']", "", str(raw))
    if text.isdigit() and 10 <= len(text) < 12:
        text = text.zfill(12)
    return text


def cccd_problems(cccd: str, *, birth_date: dt.date | None, gender: str | None) -> list[str]:
    """What is wrong with a CCCD, in Vietnamese; an empty list when it looks valid."""
    if not _DIGITS.match(cccd):
        return ["Số CCCD phải gồm đúng 12 chữ số."]
    problems = []
    province = int(cccd[:3])
    if not 1 <= province <= 96:
        problems.append(f"Ba số đầu CCCD ({cccd[:3]}) không phải mã tỉnh hợp lệ (001–096).")
    code = int(cccd[3])
    century = _CENTURY[code - code % 2]
    female = code % 2 == 1
    if gender in ("nam", "nu") and female != (gender == "nu"):
        problems.append(
            f"Số thứ 4 của CCCD ({code}) ứng với giới tính "
            f"{'Nữ' if female else 'Nam'}, không khớp giới tính đã khai."
        )
    if birth_date is not None:
        year = century + int(cccd[4:6])
        if year != birth_date.year:
            problems.append(
                f"Số thứ 4–6 của CCCD ứng với năm sinh {year}, không khớp ngày sinh đã khai "
                f"({birth_date.year})."
            )
    return problems
