"""Reads shared by the parts of one page.

A figures page is assembled by selectors that do not know of each other: the dashboard of a
CĐCS asked for the unit's targets in force three times, for its version in the year four
times and for its kept subtree sums sixteen times, one small query each (48 queries, 43 ms at
a tenth of the nation, of which 5 ms in the database: the rest was building and reading those
queries, bench/README.md, session 44). Inside `page_reads()` a selector marked `@remembered`
answers a repeated call with the same arguments from memory, and `page_memo()` gives a reader
(the kept subtree sums, `org.rollups`) a place to keep what it read for the page's later calls.

Only for reading: `page_reads_view` opens it for a view's GET and HEAD, which change nothing a
remembered read depends on. A remembered value is shared by the page's callers: they must not
change it (the selectors marked return tuples, frozen objects, or values their callers only
read)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db.models import Model
from django.http import HttpRequest

P = ParamSpec("P")
R = TypeVar("R")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("page_reads", default=None)


class _Unkeyable(Exception):
    """An argument that cannot name a remembered read (an unsaved object, a dict)."""


@contextmanager
def page_reads() -> Iterator[None]:
    """Remembered reads for the block (nested: the outer block's)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def page_memo() -> dict[Hashable, Any] | None:
    """The current page's memory (None outside `page_reads`)."""
    return _memo.get()


def _key(value: Any) -> Hashable:
    if isinstance(value, Model):
        if value.pk is None:
            raise _Unkeyable
        return (value._meta.label, value.pk)  # not type(): request.user is a lazy proxy
    if isinstance(value, (list, tuple)):
        return tuple(_key(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_key(v) for v in value)
    if isinstance(value, Hashable):
        return value
    raise _Unkeyable


def remembered(func: Callable[P, R]) -> Callable[P, R]:
    """Inside `page_reads`, the first call's result for the same arguments (a model instance
    stands for its class and primary key); a plain call outside it."""
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = _memo.get()
        if memo is None:
            return func(*args, **kwargs)
        try:
            key = (name, _key(args), tuple(sorted((k, _key(v)) for k, v in kwargs.items())))
        except _Unkeyable:
            return func(*args, **kwargs)
        if key in memo:
            found: R = memo[key]
            return found
        value = memo[key] = func(*args, **kwargs)
        return value

    return wrapper


def page_reads_view(view: Callable[P, R]) -> Callable[P, R]:
    """The view's GET and HEAD run inside `page_reads`."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        request = args[0]
        if not isinstance(request, HttpRequest) or request.method not in ("GET", "HEAD"):
            return view(*args, **kwargs)
        with page_reads():
            return view(*args, **kwargs)

    return wrapped
