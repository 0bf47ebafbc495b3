"""The one bound on years: from THIDUA_FIRST_YEAR (a setting, 2000 by default) to next year.

Every form, service, API parameter and import that takes a year uses it, so a year accepted on one
page is accepted on all of them. Next year is allowed because plans, registrations and targets
for it are made in December."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from thidua.platform.errors import ApplicationError


def first_year() -> int:
    return int(getattr(settings, "THIDUA_FIRST_YEAR", 2000))


def last_year() -> int:
    return timezone.localdate().year + 1


def is_valid_year(year: int) -> bool:
    return first_year() <= year <= last_year()


def check_year(year: object, *, what: str = "Năm", field: str = "year") -> int:
    """`year` as an int, or a Vietnamese refusal naming the accepted range."""
    try:
        value = int(str(year))
    except (TypeError, ValueError):
        raise ApplicationError(f"{what} không hợp lệ.", field=field) from None
    if not is_valid_year(value):
        raise ApplicationError(f"{what} phải từ {first_year()} đến {last_year()}.", field=field)
    return value


def parse_year(raw: str | None) -> int | None:
    """A year typed in a query string (?nam=2017), or None when it is absent or out of range."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 4:  # "²".isdigit() is true
        return None
    year = int(raw)
    return year if is_valid_year(year) else None


def year_to_open(years_with_data: Iterable[int], *, current: int) -> int:
    """The year a year page opens on: the latest year with data up to `current` (the year in
    progress), else `current`. A unit whose last records are from 2023 opens on 2023, not on an
    empty 2026."""
    past = [y for y in years_with_data if y <= current]
    return max(past) if past else current


def year_options(years_with_data: Iterable[int], *, current: int,
                 selected: int | None = None) -> list[int]:
    """The years a year page offers to jump to: those with data, the year in progress and the
    one shown; latest first, inside the accepted range."""
    years = {y for y in years_with_data if is_valid_year(y)} | {current}
    if selected is not None:
        years.add(selected)
    return sorted(years, reverse=True)
