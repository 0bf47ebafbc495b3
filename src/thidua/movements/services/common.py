"""What the movements services share: the limits on what is typed, the emulation year's bound,
and lists of lines (commitments, pledges) cleaned the same way everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, fold
from thidua.platform.years import check_year

MAX_COMMITMENT = 500
MAX_PLEDGE = 255
MAX_COMMITMENTS = 20
AUDIT_DETAIL_LIMIT = 2000
BATCH = 2000


def today() -> dt.date:
    return timezone.localdate()


def check_emulation_year(year: object) -> int:
    return check_year(year, what="Năm thi đua")


def clean_lines(items: Sequence[str] | str, limit: int, what: str) -> list[str]:
    """Non-empty lines with their spaces tidied, each kept once (compared without diacritics);
    one longer than `limit` refuses the whole list."""
    if isinstance(items, str):
        items = items.splitlines()
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        text = clean_spaces(item)
        if not text:
            continue
        if len(text) > limit:
            raise ApplicationError(f"{what} dài quá {limit} ký tự: «{text[:40]}…».")
        key = fold(text)
        if key not in seen:
            seen.add(key)
            out.append(text)
    return out
