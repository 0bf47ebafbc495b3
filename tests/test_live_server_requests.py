"""The browser tests' live server is counted quiet only when its last request is done: on SQLite
its threads share the test's connection, and a request still writing during the flush after a
test kept the flush from emptying the tables (thidua.testing_browser)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from thidua.testing_browser import _RequestsInFlight


def _slow_app(environ: Any, start_response: Any) -> Any:
    time.sleep(0.3)
    start_response("200 OK", [])
    return [b"ok"]


def _failing_app(environ: Any, start_response: Any) -> Any:
    time.sleep(0.3)
    raise RuntimeError("the view failed")


def _serve(app: _RequestsInFlight, finished: list[float]) -> None:
    body = app({}, lambda *args: None)
    list(body)
    time.sleep(0.2)  # the server writes the body, then closes it
    finished.append(time.monotonic())
    body.close()


def test_the_wait_lasts_until_the_server_has_closed_the_last_response() -> None:
    app = _RequestsInFlight(_slow_app)
    finished: list[float] = []
    threads = [threading.Thread(target=_serve, args=(app, finished)) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    app.wait_until_none(seconds=10)
    assert len(finished) == 3 and app.count == 0
    for thread in threads:
        thread.join()


def test_a_request_that_fails_is_not_counted_as_running() -> None:
    app = _RequestsInFlight(_failing_app)

    def call() -> None:
        with pytest.raises(RuntimeError):
            app({}, lambda *args: None)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.05)
    started = time.monotonic()
    app.wait_until_none(seconds=10)
    assert app.count == 0 and time.monotonic() - started < 5
    thread.join()
