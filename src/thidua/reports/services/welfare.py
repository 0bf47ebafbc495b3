"""Welfare (chăm lo): a unit's activities on an occasion, with who received what. The form and
the file import both save through `welfare_create` / `beneficiaries_add`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_number
from thidua.reports import permissions
from thidua.reports.kept import welfare_figures, welfare_figures_add
from thidua.reports.models import (
    Beneficiary,
    FundingSource,
    GiftKind,
    WelfareActivity,
    WelfareOccasion,
)
from thidua.reports.services.common import check_day, subtree_people


def max_amount() -> int:
    """The largest amount one beneficiary may be recorded with (setting
    THIDUA_WELFARE_MAX_AMOUNT, 1.000.000.000 đồng by default): a typo guard against an extra
    zero, not a rule of the union's finance regulations, which leave amounts to each union's own
    spending rules (quy chế chi tiêu nội bộ)."""
    return int(getattr(settings, "THIDUA_WELFARE_MAX_AMOUNT", 1_000_000_000))


@dataclass
class BeneficiaryRow:
    """One beneficiary from the form or from a row of a file."""

    name: str
    person_id: int | None = None
    amount: int = 0
    gift: str = GiftKind.CASH
    note: str = ""
    row: int = 0  # Excel row number, for messages


def beneficiary_problems(row: BeneficiaryRow) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not clean_spaces(row.name) and row.person_id is None:
        problems.append(("name", "Hãy ghi họ và tên người được chăm lo."))
    top = max_amount()
    if row.amount < 0 or row.amount > top:
        problems.append(("amount", f"Số tiền phải từ 0 đến {vn_number(top)} đồng."))
    if row.gift not in GiftKind.values:
        problems.append(("gift", "Hình thức ghi «Tiền mặt» hoặc «Hiện vật»."))
    return problems


def _snapshot(a: WelfareActivity) -> dict[str, Any]:
    return {"unit": a.unit_id, "date": a.date.isoformat(), "occasion": a.occasion,
            "funding": a.funding, "title": a.title, "note": a.note}


def _check_activity(occasion: str, funding: str) -> None:
    if occasion not in WelfareOccasion.values:
        raise ApplicationError("Dịp chăm lo không hợp lệ; hãy chọn lại trong danh sách.",
                               field="occasion")
    if funding not in FundingSource.values:
        raise ApplicationError("Nguồn kinh phí không hợp lệ; hãy chọn lại trong danh sách.",
                               field="funding")


@transaction.atomic
def welfare_create(*, actor: Actor, unit: Unit, date: dt.date | None, occasion: str,
                   funding: str = FundingSource.UNION, title: str = "", note: str = "",
                   beneficiaries: list[BeneficiaryRow] | None = None,
                   source: str = "") -> WelfareActivity:
    """A welfare activity of the unit, with its beneficiaries if given (all or none)."""
    permissions.require_manage(actor, unit)
    day = check_day(date, what="Ngày chăm lo", field="date")
    _check_activity(occasion, funding)
    with welfare_figures([]):
        activity = WelfareActivity.objects.create(
            unit=unit, year=day.year, date=day, occasion=occasion, funding=funding,
            title=clean_spaces(title)[:255], note=clean_spaces(note)[:255], created_by=actor)
        welfare_figures_add([activity.pk])
        audit_record(actor=actor, action="welfare.create", object_type="reports_welfare",
                     object_id=activity.pk, unit_id=unit.pk,
                     after={**_snapshot(activity), "source": source})
        if beneficiaries:
            beneficiaries_add(actor=actor, activity=activity, rows=beneficiaries, source=source)
    return activity


@transaction.atomic
def welfare_delete(*, actor: Actor, activity: WelfareActivity) -> None:
    """Remove an activity recorded by mistake, with its beneficiaries."""
    permissions.require_manage(actor, activity.unit)
    before = _snapshot(activity)
    before["beneficiaries"] = list(activity.beneficiaries.values("name", "person_id", "amount"))
    pk = activity.pk
    with welfare_figures([pk]):
        activity.delete()
    audit_record(actor=actor, action="welfare.delete", object_type="reports_welfare",
                 object_id=pk, unit_id=before["unit"], before=before)


@transaction.atomic
def beneficiaries_add(*, actor: Actor, activity: WelfareActivity, rows: list[BeneficiaryRow],
                      source: str = "") -> list[Beneficiary]:
    """Add beneficiaries to an activity in one write, or none of them: every person must be of
    the unit's subtree and appear once in the activity."""
    permissions.require_manage(actor, activity.unit)
    for row in rows:
        problems = beneficiary_problems(row)
        if problems:
            field, message = problems[0]
            where = f"Dòng {row.row}: " if row.row else ""
            raise ApplicationError(where + message, field=field)
    ids = {r.person_id for r in rows if r.person_id is not None}
    names = dict(subtree_people(activity.unit).filter(pk__in=ids).values_list("pk", "full_name"))
    if ids - set(names):
        raise ApplicationError(f"Có người không thuộc danh sách của «{activity.unit.name}».",
                               field="person")
    objs = [Beneficiary(activity=activity, person_id=r.person_id,
                        name=clean_spaces(r.name) or names.get(r.person_id or 0, ""),
                        amount=r.amount, gift=r.gift, note=clean_spaces(r.note)[:255])
            for r in rows]
    try:
        with transaction.atomic(), welfare_figures([activity.pk]):
            created = Beneficiary.objects.bulk_create(objs)
    except IntegrityError:
        raise ApplicationError("Có người đã được ghi trong hoạt động chăm lo này; mỗi người chỉ "
                               "ghi một lần.", field="person") from None
    audit_record(actor=actor, action="welfare.bulk", object_type="reports_welfare",
                 object_id=activity.pk, unit_id=activity.unit_id,
                 after={"added": len(created), "amount": sum(r.amount for r in rows),
                        "source": source})
    return created


@transaction.atomic
def beneficiary_remove(*, actor: Actor, beneficiary: Beneficiary) -> None:
    activity = beneficiary.activity
    permissions.require_manage(actor, activity.unit)
    before = {"name": beneficiary.name, "person": beneficiary.person_id,
              "amount": beneficiary.amount, "gift": beneficiary.gift}
    with welfare_figures([activity.pk]):
        beneficiary.delete()
    audit_record(actor=actor, action="welfare.update", object_type="reports_welfare",
                 object_id=activity.pk, unit_id=activity.unit_id, before={"removed": before})
