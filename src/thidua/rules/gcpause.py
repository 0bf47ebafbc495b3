"""The cycle collector paused while the engine judges a batch (`gc_paused`)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off while a batch is judged (or its facts built), on again after.

    A batch allocates hundreds of thousands of small containers (facts, keys, outcomes) that
    reference counting frees; none forms a cycle. With the collector on, each allocation burst
    makes it walk those and the engine's caches (10⁵ outcomes per title) again and again: 28,8
    → 15,5 µs a person-year in one process (50.000 of bench_rules.py's); less where the
    caller has frozen what it holds already (`gc.freeze`, as that benchmark's workers do).
    Nested and concurrent pauses (threads of one server process) share one switch: it goes
    back on when the last pause ends, and only if it was on before the first."""
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()
