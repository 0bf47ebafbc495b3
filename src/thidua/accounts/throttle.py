"""Login throttling. django-axes locks a username from one address after AXES_FAILURE_LIMIT
failures (never a username alone: nobody can lock another person out from elsewhere). On top,
one address may fail THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT times across all usernames within the
cool-off (AXES_COOLOFF_TIME) before it is refused outright: password spraying. Both counts come
from axes' own failure records in the database, so every app server shares them.

The client address is REMOTE_ADDR: behind the reverse proxy the app server sets it from the
proxy's X-Forwarded-For (docs/deployment.md); a header sent by the client is never trusted here."""

from __future__ import annotations

import datetime as dt

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_ADDRESS_LIMIT = 30
# axes without a cool-off never forgets a failure; our own count still needs a window
FALLBACK_WINDOW = dt.timedelta(hours=1)


def client_address(request: HttpRequest) -> str:
    """The client's address for axes (AXES_CLIENT_IP_CALLABLE) and for the per-address count."""
    return str(request.META.get("REMOTE_ADDR") or "")


def address_limit() -> int:
    return int(getattr(settings, "THIDUA_LOGIN_ADDRESS_FAILURE_LIMIT", DEFAULT_ADDRESS_LIMIT))


def window() -> dt.timedelta:
    return get_cool_off() or FALLBACK_WINDOW


def _retry_at(rows: QuerySet[AccessAttempt], limit: int, now: dt.datetime) -> dt.datetime | None:
    """When the failures in `rows` (counted within the window) fall below `limit` again, or None
    when they already are. A record leaves the window `window()` after its latest failure."""
    span = window()
    counted: list[tuple[dt.datetime, int]] = list(rows.filter(attempt_time__gte=now - span).order_by("attempt_time")
                   .values_list("attempt_time", "failures_since_start"))
    total = sum(n for _, n in counted)
    if total < limit:
        return None
    for at, n in counted:
        total -= n
        if total < limit:
            return at + span
    return now + span  # not reached: the loop empties the total


def address_retry_at(address: str, now: dt.datetime) -> dt.datetime | None:
    """None when `address` may try to log in; otherwise when it may try again."""
    return _retry_at(AccessAttempt.objects.filter(ip_address=address), address_limit(), now)


def account_retry_at(username: str, address: str, now: dt.datetime) -> dt.datetime | None:
    """When `username` may try again from `address` after axes locked the pair."""
    rows = AccessAttempt.objects.filter(username=username, ip_address=address)
    return _retry_at(rows, int(settings.AXES_FAILURE_LIMIT), now)
