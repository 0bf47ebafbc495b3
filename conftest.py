import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from thidua.testing import World, make_world

# Chromium, the page, screenshots and logging in, for every browser test (tests/browser and the
# apps' test_browser.py)
pytest_plugins = ["thidua.testing_browser"]

_audit_dirs = itertools.count()


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def audit_checkpoints_apart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test's database is rolled back, so its audit checkpoints must not outlive it: a
    folder of its own (created only when something is written there)."""
    base = tmp_path_factory.getbasetemp() / "audit-checkpoints"
    folder = base / str(next(_audit_dirs))
    before = settings.THIDUA_AUDIT_DIR
    settings.THIDUA_AUDIT_DIR = folder
    yield folder
    settings.THIDUA_AUDIT_DIR = before
