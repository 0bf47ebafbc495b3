"""Small pieces every initiative action uses: the clock, text as typed, a share as a percentage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from thidua.platform.text import clean_spaces, vn_number

HUNDRED = Decimal("100")


def now() -> dt.datetime:
    return timezone.now()


def plain(value: object, *, limit: int | None = None, multiline: bool = False) -> str:
    """`value` as stored text: spaces collapsed (line breaks kept when `multiline`), cut to
    `limit` characters."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").strip() if multiline else clean_spaces(str(value))
    return text[:limit] if limit else text


def percent_text(value: Decimal) -> str:
    """33.5 -> "33,5%"."""
    return vn_number(float(value), 2).rstrip("0").rstrip(",") + "%"
