"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against ORM calls
from async code has to be lifted for the data set-up done in the tests themselves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
def audit_rows_removable(transactional_db: Any) -> Iterator[None]:
    """The audit table refuses DELETE (a trigger), and on SQLite the flush after a transactional
    test deletes row by row. Empty it with the trigger lifted first; PostgreSQL's TRUNCATE does
    not fire row triggers, so nothing is needed there."""
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        cursor.execute("DELETE FROM accounts_auditentry")
        cursor.execute(
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON accounts_auditentry "
            "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
        )


@pytest.fixture
def page(chromium: Any, live_server: Any, audit_rows_removable: None) -> Iterator[Any]:
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors  # checked by the tests: a CSP violation or a script error fails them
    yield pg
    context.close()


class Shooter:
    """Full-page screenshots of the current page at desktop and phone width."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.taken: list[Path] = []
        self.directory = SCREENSHOTS
        SCREENSHOTS.mkdir(exist_ok=True)

    def __call__(self, name: str) -> None:
        for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(size)
            self.page.wait_for_timeout(150)
            path = SCREENSHOTS / f"{name}-{suffix}.png"
            height = self.page.evaluate("document.documentElement.scrollHeight")
            # long lists: the first screens tell as much as fifty cards, at a fraction of the size
            clip = ({"x": 0, "y": 0, "width": size["width"], "height": MAX_SHOT_HEIGHT}
                    if height > MAX_SHOT_HEIGHT else None)
            self.page.screenshot(path=str(path), full_page=True, clip=clip)
            self.taken.append(path)
        self.page.set_viewport_size(DESKTOP)
        # no page may be wider than a phone's screen
        self.page.set_viewport_size(PHONE)
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        self.page.set_viewport_size(DESKTOP)
        assert overflow <= 0, f"{name}: the page is {overflow}px wider than a phone screen"


@pytest.fixture
def shoot(page: Any) -> Shooter:
    return Shooter(page)
