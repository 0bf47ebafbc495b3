"""Template filters for Vietnamese formats: {{ n|vn_number }}, {{ d|vn_date }}, and
{{ user|person_name }} (who did something, by name)."""

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
def vn_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def person_name(user: object, default: str = "hệ thống") -> str:
    """A user as people know them: the full name in Vietnamese order (họ và tên đệm, then tên:
    accounts stores "Lê Thu" in last_name and "Hà" in first_name, which Django's
    `get_full_name()` would print as "Hà Lê Thu"), else the username; `default` for nobody
    (the installation: command line, demo, background jobs). Duck-typed on Django's user
    (platform does not import accounts)."""
    if user is None or not getattr(user, "is_authenticated", True):
        return default
    parts = (str(getattr(user, "last_name", "") or "").strip(),
             str(getattr(user, "first_name", "") or "").strip())
    name = " ".join(p for p in parts if p)
    if name:
        return name
    username = getattr(user, "get_username", None)
    return str(username()) if callable(username) else str(user)


register.filter("person_name", person_name)
