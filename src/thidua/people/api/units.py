"""`/api/units/{code}`: one unit at a date with its subtree's figures. Registered after the org
router, so `/api/units/tree` is matched there before `{code}` can take it."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Query  # typed; `ninja.Query` is an Annotated alias for mypy

from thidua.org.api.schemas import UnitDetail
from thidua.org.api.tree import DATE_HELP, day_or_today, node, version_or_404
from thidua.org.models import UnitVersion
from thidua.org.selectors import access_unit, award_issuers
from thidua.people.stats import unit_stats
from thidua.platform.api import caller

router = Router(tags=["Đơn vị"])


@router.get("/{code}", response=UnitDetail, summary="Một đơn vị tại một ngày, kèm số liệu")
def unit_detail(
    request: HttpRequest,
    code: str,
    date: dt.date | None = Query(None, description=DATE_HELP),  # noqa: B008
) -> dict[str, Any]:
    user = caller(request)
    day = day_or_today(date)
    unit = access_unit(user, code)
    version = version_or_404(unit, day)
    version.unit = unit
    stats = unit_stats(unit, day)
    issuers = award_issuers(unit, day)
    names = dict(
        UnitVersion.objects.at(day)
        .filter(unit__in=issuers)
        .values_list("unit_id", "name")
    )
    return {
        **node(user, version),
        "date": day,
        "stats": stats,
        "issuers": [
            {"code": u.code, "name": names.get(u.pk, u.name), "type": u.type} for u in issuers
        ],
    }
