"""The demo database shared by the demo's test modules: built once per module (about two
minutes) inside a transaction rolled back at the end, so every module sees the same fresh demo
and leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from thidua.demo.builder import demo_build
from thidua.demo.year import demo_year_data


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo_build()
            demo_year_data()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def built(demo: None, db: None) -> None:
    return demo
