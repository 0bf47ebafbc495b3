"""The demo database shared by every test module of this package: the tree, the rosters and
every year's records (`demo_build`, then `demo_year_data`), built once for the package inside a
transaction rolled back when its last test ends. Each test runs in a savepoint within it, so
every test sees the same fresh demo; a module that needs more (the 2025 reorganisation) adds it
in a savepoint of its own.

One build for the package, not one per module: a build takes two to three minutes, and nine
modules each building their own made up a third of the suite's time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import connection, transaction

from thidua.demo.builder import DemoSummary, demo_build
from thidua.demo.year import demo_year_data


@dataclass(frozen=True)
class DemoDatabase:
    summary: DemoSummary  # what the first build reported

    @staticmethod
    def admin() -> User:
        user: User = get_user_model().objects.get(username="quantri")
        return user


@pytest.fixture(scope="package")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoDatabase]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            summary = demo_build()
            demo_year_data()
            # Fire the build's deferred foreign-key checks now, once: PostgreSQL keeps them
            # queued to the end of the transaction, and a test's teardown (which checks
            # constraints inside its savepoint, then rolls back) would otherwise check them
            # all again, two seconds a test.
            connection.check_constraints()
            yield DemoDatabase(summary=summary)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def built(demo: DemoDatabase, db: None) -> DemoDatabase:
    return demo
