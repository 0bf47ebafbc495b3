"""Award lines: an issuer outside a unit's ancestry (CĐVC Việt Nam for CĐVC Hà Nội)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.org.models import AwardLine, Unit
from thidua.org.permissions import require_tree_change
from thidua.org.services.events import _check_alive
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


@transaction.atomic
def award_line_create(
    *, actor: Actor | None, unit: Unit, issuer: Unit, valid_from: dt.date
) -> AwardLine:
    require_tree_change(actor, unit.path)
    require_tree_change(actor, issuer.path)
    if unit.pk == issuer.pk:
        raise ApplicationError("Đơn vị không thể tự khen thưởng chính mình qua tuyến khen thưởng.")
    if issuer.path.startswith(unit.path):
        raise ApplicationError("Đơn vị cấp khen phải ở ngoài cây trực thuộc của đơn vị được khen.")
    _check_alive(unit, valid_from)
    _check_alive(issuer, valid_from, "Đơn vị cấp khen")
    line, created = AwardLine.objects.get_or_create(unit=unit, issuer=issuer, valid_from=valid_from)
    if created:
        audit_record(
            actor=actor, action="unit.award_line", object_type="unit", object_id=unit.pk,
            unit_id=unit.pk, after={"issuer": issuer.code, "valid_from": valid_from},
        )
    return line
