"""What every browser test shares (a pytest plugin, registered by the root conftest.py): Debian's
Chromium driven by Playwright against pytest-django's live server, a page that records script
errors, screenshots at desktop and phone width, and logging in.

Playwright's sync API runs an event loop in the test thread, so Django's guard against ORM calls
from async code has to be lifted for the data set-up done in the tests themselves."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from thidua.testing import TEST_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_SHOT_HEIGHT = 3000


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    """A desktop-sized page on the live server. Script errors and CSP violations are kept in
    `page.js_errors`; any left there when the test ends fails it (a test that provokes one on
    purpose checks it and clears the list). The live server's thread reads committed rows: the
    test's database is flushed after it (the audit table's append-only trigger is lifted for
    the flush by the test database backend, thidua.audit.testdb)."""
    requests = _requests_in_flight(live_server)
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors
    yield pg
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # the live server's threads must be done with the page's last requests before the flush
    # after the test: a request still writing (a session, a search's audit entry) while
    # TRUNCATE takes its locks deadlocked them (CI, 05/12 and 06/12/2026). Waiting for the page
    # is not enough: "networkidle" is reached once per document, and a request the page gave
    # up (an htmx search replaced by the next keystroke) still runs on the server.
    with contextlib.suppress(PlaywrightTimeout):
        pg.wait_for_load_state("networkidle", timeout=3_000)
    context.close()
    requests.wait_until_none()
    _server_quiet()
    assert not errors, errors


class _RequestsInFlight:
    """The live server's application, counting the requests it has not finished. On SQLite the
    server's threads share the test's in-memory connection: a search still writing its audit
    entry when the flush after the test ran held the flush's DELETEs in its own transaction,
    and the next test found the last one's units (CI, SQLite, 06/12/2026)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.count = 0
        self.done = threading.Condition()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self.done:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._finished()
            raise
        return _Closing(result, self._finished)

    def _finished(self) -> None:
        with self.done:
            self.count -= 1
            self.done.notify_all()

    def wait_until_none(self, seconds: float = 60.0) -> None:
        with self.done:
            self.done.wait_for(lambda: self.count <= 0, timeout=seconds)


class _Closing:
    """The response's body, telling the counter when the server has closed it (wsgiref closes
    it after writing it, and when the browser went away half-way)."""

    def __init__(self, result: Any, finished: Any) -> None:
        self.result = result
        self.finished = finished

    def __iter__(self) -> Any:
        return iter(self.result)

    def close(self) -> None:
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.finished()


def _requests_in_flight(live_server: Any) -> _RequestsInFlight:
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, _RequestsInFlight):
        app = _RequestsInFlight(app)
        httpd.set_app(app)
    return app


def _server_quiet(seconds: float = 60.0) -> None:
    """Wait until no other session of the test database runs a statement or holds a
    transaction open (PostgreSQL: the counter above does not see a connection the server's
    thread left in a transaction)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                "AND state IN ('active', 'idle in transaction')")
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.05)


def htmx_settled(page: Any) -> None:
    """htmx binds the swapped-in form's own hx-get only when it settles (20 ms later, longer on
    a loaded machine): a change made before that sends nothing."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def login(page: Any, username: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the form; officers land on «Việc chờ tôi», members on their own page."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def screenshot(page: Any, name: str, part: str = "") -> list[Path]:
    """`screenshots/<name>-desktop.png` and `-phone.png` of the page from its top (or of the
    element `part` only, for a grid far down a long page); a long page is cut at
    MAX_SHOT_HEIGHT, whose first screens tell as much as fifty cards. No page may be wider than
    a phone's screen."""
    SCREENSHOTS.mkdir(exist_ok=True)
    taken = []
    for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(150)
        path = SCREENSHOTS / f"{name}-{suffix}.png"
        clip: dict[str, Any] | None
        if part:
            top, height = page.locator(part).evaluate(
                "el => [el.getBoundingClientRect().top + window.scrollY, el.offsetHeight]")
            clip = {"x": 0, "y": max(0, top - 8), "width": size["width"],
                    "height": min(height + 16, MAX_SHOT_HEIGHT)}
        else:
            height = page.evaluate("document.documentElement.scrollHeight")
            clip = ({"x": 0, "y": 0, "width": size["width"], "height": MAX_SHOT_HEIGHT}
                    if height > MAX_SHOT_HEIGHT else None)
        page.screenshot(path=str(path), full_page=True, clip=clip)
        taken.append(path)
    page.set_viewport_size(PHONE)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(DESKTOP)
    assert overflow <= 0, f"{name}: the page is {overflow}px wider than a phone screen"
    return taken


class Shooter:
    """`shoot(name)`: screenshots of the current page, the files taken kept in `taken`."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.taken: list[Path] = []
        self.directory = SCREENSHOTS

    def __call__(self, name: str) -> None:
        self.taken.extend(screenshot(self.page, name))


@pytest.fixture
def shoot(page: Any) -> Shooter:
    return Shooter(page)
