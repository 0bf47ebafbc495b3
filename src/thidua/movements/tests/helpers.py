"""Shared set-up for the movements tests: a past year (so every date is behind us whatever day
the tests run), a movement with a plan deployed to the CĐCS, a registration rule, and the
markup of a unit field that takes a typed code."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.movements import services
from thidua.movements.models import Movement, Plan, RegistrationRule
from thidua.testing import World, make_unit

YEAR = timezone.localdate().year - 1
D = dt.date


def movement(world: World, **kw: Any) -> Movement:
    fields: dict[str, Any] = {"catalogue_code": "LDG", "start_date": D(YEAR, 1, 1),
                              "end_date": D(YEAR, 12, 31)}
    fields.update(kw)
    return services.movement_create(actor=world.officer_above, issuer=world.cdvc, **fields)


def deployed_plan(world: World, levels: tuple[str, ...] = ("cdcs",), **kw: Any) -> Plan:
    m = kw.pop("movement", None) or movement(world)
    fields: dict[str, Any] = {"number": "01/KH-CĐVC", "date": D(YEAR, 1, 10),
                              "title": "Kế hoạch triển khai phong trào", "deadline": D(YEAR, 2, 1)}
    fields.update(kw)
    plan = services.plan_create(actor=world.officer_above, issuer=world.cdvc, movements=[m],
                                **fields)
    services.plan_deploy(actor=world.officer_above, plan=plan, levels=list(levels),
                         day=D(YEAR, 1, 10))
    plan.refresh_from_db()
    return plan


def rule(world: World, **kw: Any) -> RegistrationRule:
    fields: dict[str, Any] = {"year": YEAR, "deadline": D(YEAR, 1, 25),
                              "min_commitments_unit": 2, "min_commitments_member": 1}
    fields.update(kw)
    return services.registration_rule_set(actor=world.officer_above, issuer=world.cdvc, **fields)


ON_TIME = D(YEAR, 1, 20)
LATE = D(YEAR, 2, 1)


def scope_objects(world: World) -> dict[str, Any]:
    """For the scope walk: a movement, a plan deployed to the tổ, that deployment and an attached
    document, once inside CDCS-A (issued by it, reaching TO-A1) and once in CDCS-C (reaching a
    new tổ TO-C1). Keys: inside_movement, outside_movement, inside_plan, outside_plan,
    inside_deployment, outside_deployment, inside_attachment, outside_attachment. Set
    settings.MEDIA_ROOT to a temporary folder first: the documents are stored there."""
    this_year = timezone.localdate().year
    to_c1 = make_unit("TO-C1", "to_cd", world.cdcs_c, name="Tổ công đoàn C1")
    out: dict[str, Any] = {}
    for which, actor, unit, group in (("inside", world.officer_cdcs, world.cdcs_a, world.to_a1),
                                      ("outside", world.outsider, world.cdcs_c, to_c1)):
        m = services.movement_create(actor=actor, issuer=unit, catalogue_code="LDG",
                                     start_date=D(this_year, 1, 1), end_date=D(this_year, 12, 31))
        plan = services.plan_create(actor=actor, issuer=unit, number="01/KH", movements=[m],
                                    date=D(this_year, 1, 1), title="Kế hoạch")
        services.plan_deploy(actor=actor, plan=plan, levels=["to_cd"], day=D(this_year, 1, 1))
        out[f"{which}_movement"] = m
        out[f"{which}_plan"] = plan
        out[f"{which}_deployment"] = plan.deployments.get(unit=group)
        out[f"{which}_attachment"] = services.attachment_add(
            actor=actor, movement=m, upload=SimpleUploadedFile("kh.pdf", b"%PDF-1.4"))
    return out


def typed_unit_field(html: str, name: str) -> tuple[str, str]:
    """The <input> of a unit field that takes a typed code, and its suggestions' <datalist>."""
    found = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
    assert found is not None and f'<select name="{name}"' not in html
    field = found.group(0)
    assert f'list="{name}-goi-y"' in field
    suggested = html[html.index(f'<datalist id="{name}-goi-y">'):]
    return field, suggested[:suggested.index("</datalist>")]
