"""The cycle collector is off while a batch is judged and back as it was afterwards, whatever
the nesting, the threads or an error inside."""

from __future__ import annotations

import gc
import threading

import pytest

from thidua.rules import engine
from thidua.rules.facts import Facts
from thidua.rules.gcpause import gc_paused


def test_a_batch_runs_with_the_collector_off_and_leaves_it_on():
    assert gc.isenabled()
    seen = []
    real = engine.Compiled.evaluate_people

    def spy(self, facts):
        seen.append(gc.isenabled())
        return real(self, facts)

    engine.Compiled.evaluate_people = spy  # type: ignore[method-assign]
    try:
        engine.evaluate_many([Facts(year=2024, ratings={2024: "HTXSNV"})])
    finally:
        engine.Compiled.evaluate_people = real  # type: ignore[method-assign]
    assert seen == [False]
    assert gc.isenabled()


def test_nested_pauses_and_errors_restore_the_collector():
    with pytest.raises(RuntimeError), gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_last_of_overlapping_threads_turns_it_back_on():
    inside = threading.Barrier(2)
    first_out = threading.Event()
    states: dict[str, bool] = {}

    def first() -> None:
        with gc_paused():
            inside.wait()
        first_out.set()

    def second() -> None:
        with gc_paused():
            inside.wait()
            first_out.wait()
            states["after the first left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert states == {"after the first left": False}
    assert gc.isenabled()
