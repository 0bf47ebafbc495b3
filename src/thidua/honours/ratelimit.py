"""The rate limit of the public verification (page, revocation list and API share one count per
client address): THIDUA_VERIFY_LIMIT lookups per THIDUA_VERIFY_WINDOW seconds, counted in
Django's cache. With the default local-memory cache the count is per server process; behind a
reverse proxy REMOTE_ADDR must be the client's address (docs/deployment.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMIT = 30
DEFAULT_WINDOW = 600  # seconds


def limits() -> tuple[int, int]:
    return (int(getattr(settings, "THIDUA_VERIFY_LIMIT", DEFAULT_LIMIT)),
            int(getattr(settings, "THIDUA_VERIFY_WINDOW", DEFAULT_WINDOW)))


def over_limit(request: HttpRequest) -> bool:
    """Count this lookup; True once the client has used up its window. The window opens with
    the client's first lookup and closes `window` seconds later."""
    limit, window = limits()
    key = f"honours:verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
