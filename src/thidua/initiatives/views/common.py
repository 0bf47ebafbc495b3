"""What every initiative page shares: 404 for missing and out-of-scope alike, the upload limit
checked before the body is read, and the unit pickers."""

from __future__ import annotations

from typing import TypeVar

from thidua.initiatives.permissions import officer_paths
from thidua.initiatives.selectors import filter_units
from thidua.org.models import Unit
from thidua.org.selectors import live_unit_in, unit_options_in
from thidua.platform import uploads, web
from thidua.platform.actor import Actor
from thidua.platform.forms import UnitOptions, unit_choices

T = TypeVar("T")


int_param = web.int_param
too_big_page = web.attachment_too_big_page
limited_upload = web.limited_attachment_upload
upload_too_big = uploads.upload_too_big


def officer_unit_options(user: Actor) -> UnitOptions:
    """The units the user may file for or set up councils in: a select when they are few, else
    a typed code with the scope's top two levels suggested."""
    return unit_options_in(user, officer_paths(user))


def officer_unit(user: Actor, code: str) -> Unit | None:
    """The live unit of that code where the user runs initiative work, or None."""
    return live_unit_in(user, officer_paths(user), code)


def unit_filter_options(user: Actor, selected: Unit | None) -> list[tuple[str, str]]:
    """The unit filter: the user's top units and two levels below them, plus the selected one."""
    rows = filter_units(user, selected)
    return [] if rows is None else unit_choices(rows, blank="Tất cả đơn vị")
