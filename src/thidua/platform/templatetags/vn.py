"""Template filters for Vietnamese formats: {{ n|vn_number }}, {{ d|vn_date }}."""

from __future__ import annotations

import datetime as dt

from django import template

from thidua.platform import text

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
