from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from thidua.clusters.models import Cluster, Membership
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


def user_or_none(actor: Actor) -> Any:
    return actor if getattr(actor, "pk", None) else None


def parse_amount(raw: object, *, field: str, what: str) -> Decimal | None:
    """A number typed the Vietnamese way ("1.250,5") or plainly ("1250.5"); None when blank."""
    if raw is None or raw == "":
        return None
    value: Decimal | None
    if isinstance(raw, Decimal):
        value = raw  # from the API: already a number, still held to the bounds below
    elif isinstance(raw, int | float):
        value = Decimal(str(raw))
    else:
        value = _parse_text(raw, field=field, what=what)
    if value is None:
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise ApplicationError(f"{what}: «{raw}» không hợp lệ.", field=field)
    # two decimals are stored: more would not fit the columns (and is not a figure anyone types)
    return value.quantize(Decimal("0.01"))


def _parse_text(raw: object, *, field: str, what: str) -> Decimal | None:
    text = str(raw).strip().replace(" ", "").replace("%", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3
                                 and len(text.split(".")[0]) <= 3 and text[0] != "0"):
        # "10.141" is ten thousand one hundred forty-one, as the union writes it
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ApplicationError(f"{what}: «{raw}» không phải là số.", field=field) from None


def year_end(cluster: Cluster) -> dt.date:
    return dt.date(cluster.year, 12, 31)


def locked_membership(m: Membership) -> Membership:
    return Membership.objects.select_for_update(of=("self",)).select_related(
        "unit", "cluster__issuer").get(pk=m.pk)
