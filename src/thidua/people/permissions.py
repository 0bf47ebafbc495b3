"""Who may see what of a person: CCCD is personal data, shown in full only to officers
(cán bộ or higher) of the person's unit or a unit above it, and to the person themself."""

from __future__ import annotations

from thidua.org.permissions import can
from thidua.platform.actor import Actor


def mask_cccd(cccd: str | None) -> str:
    """"001085012345" -> "*********345": with the name and birth date, enough to tell two people
    apart, not to use the number. Not the province code too: the birth date and gender shown
    beside it give digits 4–6, so "001******345" left 3 unknown digits — 1.000 whole-number
    searches; without the province, 96.000."""
    if not cccd:
        return ""
    return "*" * (len(cccd) - 3) + cccd[-3:]


def can_see_cccd(user: Actor, unit_path: str | None, person_user_id: int | None = None) -> bool:
    if person_user_id is not None and getattr(user, "pk", None) == person_user_id:
        return True
    return unit_path is not None and can(user, unit_path, "officer")


def shown_cccd(user: Actor, cccd: str | None, unit_path: str | None,
               person_user_id: int | None = None) -> str:
    return cccd or "" if can_see_cccd(user, unit_path, person_user_id) else mask_cccd(cccd)
