"""A unit's kind of year (calendar or school year) and the registration rule it sets for the units
and people below it: deadline, minimum commitments, the pledges to sign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.movements.models import RegistrationRule, YearKind, YearSetting
from thidua.movements.permissions import require_manage
from thidua.movements.selectors import Calendar
from thidua.movements.services.common import (
    MAX_COMMITMENTS,
    MAX_PLEDGE,
    check_emulation_year,
    clean_lines,
)
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date


@transaction.atomic
def year_setting_set(*, actor: Actor, unit: Unit, kind: str, start_month: int = 9,
                     start_day: int = 1) -> YearSetting:
    """How `unit` and the units below it count their year (calendar year or school year)."""
    require_manage(actor, unit.path)
    if kind not in YearKind.values:
        raise ApplicationError("Cách tính năm phải là năm dương lịch hoặc năm học.", field="kind")
    if not 1 <= int(start_month) <= 12:
        raise ApplicationError("Tháng bắt đầu năm học phải từ 1 đến 12.", field="start_month")
    if not 1 <= int(start_day) <= 28:
        raise ApplicationError("Ngày bắt đầu năm học phải từ 1 đến 28.", field="start_day")
    setting = YearSetting.objects.select_for_update().filter(unit=unit).first()
    before = ({"kind": setting.kind, "start_month": setting.start_month,
               "start_day": setting.start_day} if setting else None)
    if setting is None:
        setting = YearSetting(unit=unit)
    setting.kind, setting.start_month, setting.start_day = kind, int(start_month), int(start_day)
    setting.save()
    audit_record(actor=actor, action="movements.year_setting", object_type="unit",
                 object_id=unit.pk, unit_id=unit.pk, before=before,
                 after={"kind": kind, "start_month": setting.start_month,
                        "start_day": setting.start_day})
    return setting


@transaction.atomic
def registration_rule_set(
    *, actor: Actor, issuer: Unit, year: int, year_kind: str = YearKind.CALENDAR,
    deadline: dt.date | None = None, min_commitments_unit: int = 0,
    min_commitments_member: int = 0, pledges: Sequence[str] | str = (), note: str = "",
) -> RegistrationRule:
    """What `issuer` asks of the units and people below it for `year` and that kind of year."""
    require_manage(actor, issuer.path)
    year = check_emulation_year(year)
    if year_kind not in YearKind.values:
        raise ApplicationError("Cách tính năm phải là năm dương lịch hoặc năm học.",
                               field="year_kind")
    for value, label, key in ((min_commitments_unit, "mỗi tập thể", "min_commitments_unit"),
                              (min_commitments_member, "mỗi đoàn viên",
                               "min_commitments_member")):
        if not 0 <= int(value) <= MAX_COMMITMENTS:
            raise ApplicationError(
                f"Số việc làm cụ thể tối thiểu {label} phải từ 0 đến {MAX_COMMITMENTS}.",
                field=key)
    if deadline is not None:
        calendar = Calendar(year_kind)
        start, end = calendar.period(year)
        if not (start - dt.timedelta(days=366) <= deadline < end):
            raise ApplicationError(
                f"Hạn đăng ký {vn_date(deadline)} không thuộc {calendar.label(year)} "
                f"({vn_date(start)}–{vn_date(end - dt.timedelta(days=1))}).", field="deadline")
    pledge_list = clean_lines(pledges, MAX_PLEDGE, "Nội dung cam kết")
    rule = RegistrationRule.objects.select_for_update().filter(
        issuer=issuer, year=year, year_kind=year_kind).first()
    before = _rule_snapshot(rule) if rule else None
    if rule is None:
        rule = RegistrationRule(issuer=issuer, year=year, year_kind=year_kind)
    rule.deadline = deadline
    rule.min_commitments_unit = int(min_commitments_unit)
    rule.min_commitments_member = int(min_commitments_member)
    rule.pledges = pledge_list
    rule.note = clean_spaces(note)
    rule.updated_by = actor
    rule.save()
    audit_record(actor=actor, action="movements.rule_set", object_type="registration_rule",
                 object_id=rule.pk, unit_id=issuer.pk, before=before, after=_rule_snapshot(rule))
    return rule


def _rule_snapshot(rule: RegistrationRule) -> dict[str, Any]:
    return {"year": rule.year, "year_kind": rule.year_kind, "deadline": rule.deadline,
            "min_unit": rule.min_commitments_unit, "min_member": rule.min_commitments_member,
            "pledges": rule.pledges, "note": rule.note}
