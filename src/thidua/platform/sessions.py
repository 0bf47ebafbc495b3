"""Django's database sessions, refusing a session key with a NUL character: PostgreSQL stores
no NUL in text, so looking such a cookie up was a server error on every page and API call."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(super()._validate_session_key(key)) and "\x00" not in (key or "")  # type: ignore[misc]
