"""Reads of the heavy pages from a streaming replica (ADR 0028).

A view opts in with `@replica_reads`: during a GET or HEAD of that view, reads of the domain's
models go to the `replica` alias (THIDUA_REPLICA_URL). Everything else reads from the primary:
other views, POSTs, workers and commands, reads inside a transaction (`atomic`, and so every
`select_for_update`), reads after a write in the same request, and every read of a user who wrote
in the last THIDUA_REPLICA_PIN_SECONDS (a cookie `ReadYourWritesMiddleware` sets): the user sees
their own change even while the replica lags. A replica that cannot be reached is skipped for
THIDUA_REPLICA_RETRY_SECONDS with a warning; the page is served from the primary."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "thidua_primary"
#: who may sign in, with which rights, and the job queue: always as the primary has them (a user
#: disabled a second ago must not be let in by a lagging copy)
PRIMARY_ONLY = frozenset({"sessions", "auth", "accounts", "axes", "contenttypes",
                          "django_tasks_db", "platform", "audit"})

#: writes that are no change of the user's to read back: the audit entry of a page that showed
#: whole CCCD numbers, a session touched, a login attempt counted
NOT_PINNING = frozenset({"audit", "sessions", "axes"})

_replica_ok: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_ok", default=False)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("wrote", default=False)
_down_until = 0.0

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> float:
    return float(getattr(settings, "THIDUA_REPLICA_PIN_SECONDS", 10))


def _replica_reachable() -> bool:
    """Once per page: a kept connection is checked (one round trip), a new one opened here rather
    than in the middle of the page."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA]
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        connection.ensure_connection()
    except Exception as exc:  # whatever keeps the replica from answering: the primary answers
        retry = float(getattr(settings, "THIDUA_REPLICA_RETRY_SECONDS", 5))
        _down_until = time.monotonic() + retry
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        logger.warning("replica unreachable (%s); reading from the primary for %g s",
                       reason, retry)
        with contextlib.suppress(OperationalError, InterfaceError):
            connection.close()
        return False
    return True


def forget_replica_outage() -> None:
    """The next read tries the replica again at once (tests, and after `pg-replica.sh start`)."""
    global _down_until
    _down_until = 0.0


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (_replica_ok.get() and not _wrote.get()
                and model._meta.app_label not in PRIMARY_ONLY
                and not connections[DEFAULT_DB_ALIAS].in_atomic_block):
            return REPLICA
        # explicitly the primary: an object read from the replica must not take its related
        # objects from there once the page's replica reads are over
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        if model._meta.app_label not in NOT_PINNING:
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # both aliases are the same database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def _pinned(request: HttpRequest) -> bool:
    try:
        until = float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return False
    return time.time() < until


@contextlib.contextmanager
def replica_context() -> Iterator[bool]:
    """Reads inside go to the replica when it can be reached (yields whether they do); writes
    made inside send the reads after them back to the primary."""
    # inside a transaction (ATOMIC_REQUESTS, a test case) the primary answers anyway
    if (not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or not _replica_reachable()):
        yield False
        return
    token = _replica_ok.set(True)
    wrote = _wrote.set(False)
    try:
        yield True
    finally:
        was_written = _wrote.get()
        _wrote.reset(wrote)
        _replica_ok.reset(token)
        if was_written:
            _wrote.set(True)


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """The view's GET and HEAD read from the replica, unless its user wrote a moment ago."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        request = args[0]
        assert isinstance(request, HttpRequest)
        if (request.method not in ("GET", "HEAD") or not replica_configured()
                or _pinned(request)):
            return view(*args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            _ = user.is_authenticated  # the session and the user are read now, from the primary
        with replica_context():
            return view(*args, **kwargs)

    return wrapped


class ReadYourWritesMiddleware:
    """After a request that wrote (any POST, PUT, PATCH or DELETE, or a write through the ORM
other than NOT_PINNING),
    the user's reads go to the primary for THIDUA_REPLICA_PIN_SECONDS: a cookie holds until when.
    Only installed when a replica is configured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        token = _wrote.set(False)
        try:
            response = self.get_response(request)
            wrote = _wrote.get() or request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        finally:
            _wrote.reset(token)
        if wrote:
            seconds = pin_seconds()
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.3f}",
                                max_age=max(1, int(seconds + 0.999)), httponly=True,
                                samesite="Lax", secure=request.is_secure())
        return response
