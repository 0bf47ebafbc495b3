"""Figures kept by difference: around a change, the figures of the records it touches are
computed before and after, and only the difference is written, in the change's transaction
(the roster's figures, ADR 0025; the title figures, ADR 0031).

`DifferenceKeeper.track(ids)` is that "around". Nested (a service calling another), the
outermost one writes, once, for every id the inner ones named; ids a change creates (nothing
to count before) are added with `new=True`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

Figures = TypeVar("Figures")


class _Tracked(Generic[Figures]):
    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.before: list[Figures] = []


class DifferenceKeeper(Generic[Figures]):
    """`compute(ids)`: the figures of these ids from the records; `write(after, before)`: add
    `after` minus the sum of the parts of `before` to the kept table."""

    def __init__(self, name: str, *, compute: Callable[[set[int]], Figures],
                 write: Callable[[Figures, list[Figures]], Any]) -> None:
        self._compute = compute
        self._write = write
        self._tracked: ContextVar[_Tracked[Figures] | None] = ContextVar(name, default=None)

    def _add(self, state: _Tracked[Figures], ids: Iterable[int], *, new: bool) -> None:
        fresh = set(ids) - state.ids
        if fresh:
            if not new:
                state.before.append(self._compute(fresh))
            state.ids |= fresh

    @contextmanager
    def track(self, ids: Iterable[int]) -> Iterator[None]:
        outer = self._tracked.get()
        if outer is not None:
            self._add(outer, ids, new=False)
            yield
            return
        state: _Tracked[Figures] = _Tracked()
        self._add(state, ids, new=False)
        token = self._tracked.set(state)
        try:
            yield
        finally:
            self._tracked.reset(token)
        self._write(self._compute(state.ids), state.before)

    def add_new(self, ids: Iterable[int]) -> None:
        """Ids with nothing to count before the change (new records): counted after it, with
        the outer change if there is one, else now."""
        outer = self._tracked.get()
        if outer is not None:
            self._add(outer, ids, new=True)
            return
        self._write(self._compute(set(ids)), [])
