"""What the administration pages share: the administered units as choices, people's names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from thidua.accounts.permissions import admin_paths
from thidua.org.models import Unit
from thidua.org.permissions import path_q
from thidua.org.selectors import top_depth
from thidua.platform import forms
from thidua.platform.actor import Actor


def person_name(user: Any) -> str:
    """A person's name, family name first (Vietnamese order), else the username."""
    if user is None:
        return "hệ thống"
    name = f"{user.last_name} {user.first_name}".strip()
    return name or str(user.get_username())


def administered_paths(user: Actor) -> list[str]:
    """The subtrees the user administers; a 404 for anybody else (the pages do not exist)."""
    paths = admin_paths(user)
    if not paths:
        raise Http404("Không tìm thấy hoặc bạn không có quyền xem.")
    return paths


def administered_units(paths: list[str]) -> QuerySet[Unit]:
    units: QuerySet[Unit] = Unit.objects.filter(path_q(paths)).order_by("path")
    return units


def unit_options(paths: list[str]) -> forms.UnitOptions:
    """Every administered unit in a select when they are few; else a typed code suggesting the
    subtrees' top two levels (a province's administrator has thousands of units below)."""
    units = administered_units(paths)
    return forms.unit_options(units, units.filter(depth__lte=top_depth(paths) + 1))


def unit_known(paths: list[str]) -> Callable[[str], bool]:
    """Whether a typed code names an administered unit (a wide scope's unit field)."""
    return lambda code: administered_units(paths).filter(code=code).exists()


def unit_by_code(paths: list[str], code: str) -> Unit:
    unit = administered_units(paths).filter(code=code).first()
    if unit is None:
        raise Http404("Không tìm thấy hoặc bạn không có quyền xem.")
    return unit
