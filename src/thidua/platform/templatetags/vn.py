"""Template filters for Vietnamese formats: {{ n|vn_number }}, {{ d|vn_date }},
{{ d|doc_date }} (the date line of a printed document) and {{ user|person_name }} (who did
something, by name)."""

from __future__ import annotations

import datetime as dt

from django import template

from thidua.platform import text
from thidua.platform.documents import official_text as _official_text

register = template.Library()


@register.filter
def vn_number(value: object) -> str:
    if value in (None, ""):
        return ""
    return text.vn_number(value)  # type: ignore[arg-type]


@register.filter
def vn_date(value: dt.date | None) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return text.vn_date(value)


@register.filter
def doc_date(value: dt.date | None) -> str:
    """{{ d|doc_date }}: "ngày 05 tháng 4 năm 2023", the date line of a printed document."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return text.doc_date(value)


@register.filter
def official_text(value: str | None) -> str:
    """A source without its working notes ("Giả định", "chưa đối chiếu"), as pages print it;
    the notes themselves only go into an officer's hint."""
    return _official_text(value or "")


@register.filter
def vn_time(value: dt.time | None) -> str:
    return text.vn_time(value)


@register.simple_tag
def vn_meeting(day: dt.date | None, start: dt.time | None = None,
               end: dt.time | None = None) -> str:
    """{% vn_meeting council.meeting_date council.meeting_time council.meeting_end_time %}"""
    return text.vn_meeting(day, start, end)


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def person_name(user: object, default: str = "hệ thống") -> str:
    """A user as people know them (`thidua.platform.text.user_display_name`)."""
    return text.user_display_name(user, default)


register.filter("person_name", person_name)
