"""What every initiative page shares: 404 for missing and out-of-scope alike, the upload limit
checked before the body is read, and the unit pickers."""

from __future__ import annotations

from typing import TypeVar

from thidua.initiatives.selectors import filter_units, officer_units
from thidua.org.models import Unit
from thidua.platform import uploads, web
from thidua.platform.actor import Actor
from thidua.platform.forms import unit_choices

T = TypeVar("T")


int_param = web.int_param
too_big_page = web.attachment_too_big_page
limited_upload = web.limited_attachment_upload
upload_too_big = uploads.upload_too_big


def officer_unit_choices(user: Actor) -> list[tuple[str, str]]:
    """The units the user may file for or set up councils in, indented by depth."""
    return unit_choices(officer_units(user))


def unit_filter_options(user: Actor, selected: Unit | None) -> list[tuple[str, str]]:
    """The unit filter: the user's top units and two levels below them, plus the selected one."""
    rows = filter_units(user, selected)
    return [] if rows is None else unit_choices(rows, blank="Tất cả đơn vị")
