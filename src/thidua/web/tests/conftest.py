"""Personas of the web shell tests: the shared world plus administrators of two branches."""

from __future__ import annotations

from typing import Any

import pytest

from thidua.accounts.services import role_grant_create, user_create
from thidua.testing import World

PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture
def admin_cdvc(world: World) -> Any:
    """Administrator of Công đoàn Viên chức Hà Nội (CDCS-A and CDCS-B are below it)."""
    user = user_create(actor=None, username="quantri.cdvc", password=PASSWORD,
                       full_name="Đỗ Thị Quản")
    role_grant_create(actor=None, user=user, unit=world.cdvc, role="admin")
    return user


@pytest.fixture
def admin_hbt(world: World) -> Any:
    """Administrator of LĐLĐ quận Hai Bà Trưng: another branch (CDCS-C)."""
    user = user_create(actor=None, username="quantri.hbt", password=PASSWORD,
                       full_name="Lý Văn Trị")
    role_grant_create(actor=None, user=user, unit=world.hbt, role="admin")
    return user
