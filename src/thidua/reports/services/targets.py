"""Setting and removing a unit's targets (chỉ tiêu) for a year: one per measure, overriding the
level above's on the same measure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces
from thidua.platform.years import check_year
from thidua.reports import permissions
from thidua.reports.measures import PERCENT, measure
from thidua.reports.models import Comparison, Target

MAX_COUNT = Decimal(10_000_000)


def _snapshot(t: Target) -> dict[str, Any]:
    return {"unit": t.unit_id, "year": t.year, "measure": t.measure, "comparison": t.comparison,
            "value": str(t.value), "value_max": None if t.value_max is None else str(t.value_max),
            "note": t.note, "source": t.source}


def target_problems(*, measure_code: str, comparison: str, value: Decimal | None,
                    value_max: Decimal | None) -> list[tuple[str, str]]:
    """(field, message) for every value a target may not hold."""
    problems: list[tuple[str, str]] = []
    found = measure(measure_code)
    if found is None:
        return [("measure", "Chỉ tiêu không có trong danh mục; hãy chọn lại trong danh sách.")]
    if comparison not in Comparison.values:
        problems.append(("comparison", "Cách so sánh không hợp lệ."))
    top = Decimal(100) if found.kind == PERCENT else MAX_COUNT
    what = "Tỷ lệ" if found.kind == PERCENT else "Số lượng"
    for name, v in (("value", value), ("value_max", value_max)):
        if v is None:
            continue
        if v < 0 or v > top:
            problems.append((name, f"{what} phải từ 0 đến {top:,.0f}".replace(",", ".")
                             + (" %." if found.kind == PERCENT else ".")))
        elif found.kind != PERCENT and v != v.to_integral_value():
            problems.append((name, "Số lượng phải là số nguyên."))
    if value is None:
        problems.append(("value", "Hãy nhập mức chỉ tiêu."))
    if comparison == Comparison.RANGE:
        if value_max is None:
            problems.append(("value_max", "Chỉ tiêu trong khoảng cần cả mức «đến»."))
        elif value is not None and value_max < value:
            problems.append(("value_max", "Mức «đến» phải không nhỏ hơn mức «từ»."))
    elif value_max is not None:
        problems.append(("value_max", "Chỉ ghi mức «đến» khi chỉ tiêu là một khoảng."))
    return problems


@transaction.atomic
def target_set(*, actor: Actor, unit: Unit, year: int, measure_code: str, comparison: str,
               value: Decimal | None, value_max: Decimal | None = None, note: str = "",
               source: str = "") -> Target:
    """The unit's own target on a measure for the year (created, or changed if it has one)."""
    permissions.require_manage(actor, unit)
    check_year(year)
    problems = target_problems(measure_code=measure_code, comparison=comparison, value=value,
                               value_max=value_max)
    if problems:
        field, message = problems[0]
        raise ApplicationError(message, field=field)
    assert value is not None
    values = {"comparison": comparison, "value": value, "value_max": value_max,
              "note": clean_spaces(note)[:255], "source": clean_spaces(source)[:255],
              "updated_by": actor}
    existing = Target.objects.select_for_update().filter(
        unit=unit, year=year, measure=measure_code).first()
    before = _snapshot(existing) if existing is not None else None
    if existing is None:
        try:
            with transaction.atomic():
                target = Target.objects.create(unit=unit, year=year, measure=measure_code, **values)
        except IntegrityError:
            raise ApplicationError("Chỉ tiêu này vừa được người khác đặt; hãy tải lại trang rồi "
                                   "sửa nếu cần.", field="measure") from None
    else:
        target = existing
        for name, v in values.items():
            setattr(target, name, v)
        target.save()
    audit_record(actor=actor, action="target.set", object_type="reports_target",
                 object_id=target.pk, unit_id=unit.pk, before=before, after=_snapshot(target))
    return target


@transaction.atomic
def target_delete(*, actor: Actor, target: Target) -> None:
    """Remove the unit's own target: the level above's applies again, if it has one."""
    permissions.require_manage(actor, target.unit)
    before = _snapshot(target)
    pk = target.pk
    target.delete()
    audit_record(actor=actor, action="target.delete", object_type="reports_target", object_id=pk,
                 unit_id=before["unit"], before=before)
