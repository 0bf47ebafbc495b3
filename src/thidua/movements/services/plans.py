"""Plans and their deployment down the tree: a plan carries movements, reaches the units of the
chosen levels below its issuer, and each unit acknowledges it and reports its launch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.movements.catalogue import UNIT_TYPE_NOUNS
from thidua.movements.figures import movement_figures
from thidua.movements.models import Deployment, Movement, Plan
from thidua.movements.permissions import require_manage
from thidua.movements.selectors import calendar_for
from thidua.movements.services.common import BATCH, check_emulation_year, today
from thidua.movements.services.movements import attachment_add
from thidua.org.models import Unit, UnitType, UnitVersion
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date


@transaction.atomic
def plan_create(
    *, actor: Actor, issuer: Unit, number: str, date: dt.date, title: str,
    movements: Sequence[Movement], deadline: dt.date | None = None, year: int | None = None,
) -> Plan:
    """A plan of `issuer` carrying movements launched by itself or by a unit above it."""
    require_manage(actor, issuer.path)
    number = clean_spaces(number)
    if not number:
        raise ApplicationError("Hãy nhập số kế hoạch, ví dụ 04/KH-LĐLĐ.", field="number")
    if len(number) > 60:
        raise ApplicationError("Số kế hoạch dài quá 60 ký tự.", field="number")
    title = clean_spaces(title)
    if not title:
        raise ApplicationError("Hãy nhập trích yếu của kế hoạch.", field="title")
    if len(title) > 500:
        raise ApplicationError("Trích yếu dài quá 500 ký tự.", field="title")
    if date is None:
        raise ApplicationError("Hãy nhập ngày ban hành kế hoạch.", field="date")
    if not issuer.is_alive(date):
        raise ApplicationError(f"«{issuer.name}» không hoạt động vào ngày {vn_date(date)}.",
                               field="date")
    if deadline is not None and deadline < date:
        raise ApplicationError("Hạn triển khai phải từ ngày ban hành kế hoạch trở về sau.",
                               field="deadline")
    movements = list(movements)
    if not movements:
        raise ApplicationError("Hãy chọn ít nhất một phong trào mà kế hoạch triển khai.",
                               field="movements")
    for m in movements:
        if not issuer.path.startswith(m.issuer.path):
            raise ApplicationError(
                f"Phong trào «{m.name}» do «{m.issuer.name}» phát động, không phải đơn vị này hay "
                "đơn vị cấp trên của nó.", field="movements")
    year = check_emulation_year(year if year is not None else calendar_for(issuer).year_of(date))
    if Plan.objects.filter(issuer=issuer, year=year, number=number).exists():
        raise ApplicationError(f"Đơn vị đã có kế hoạch số {number} năm {year}.", field="number")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                issuer=issuer, number=number, date=date, year=year, title=title,
                deadline=deadline, created_by=actor)
    except IntegrityError:
        raise ApplicationError(f"Đơn vị đã có kế hoạch số {number} năm {year}.",
                               field="number") from None
    plan.movements.set(movements)
    audit_record(actor=actor, action="plan.create", object_type="plan", object_id=plan.pk,
                 unit_id=issuer.pk,
                 after={"number": number, "date": date, "year": year, "title": title,
                        "deadline": deadline, "movements": [m.pk for m in movements]})
    return plan


DEPLOYABLE_TYPES = [t for t in UnitType.values if t != UnitType.TLD]


@transaction.atomic
def plan_deploy(*, actor: Actor, plan: Plan, levels: Sequence[str],
                day: dt.date | None = None) -> int:
    """Deploy the plan to every unit of the chosen types below its issuer (as the tree stands on
    `day`, today by default). Units already reached are left as they are; the number of newly
    reached units is returned."""
    plan = Plan.objects.select_for_update().select_related("issuer").get(pk=plan.pk)
    require_manage(actor, plan.issuer.path)
    levels = [lv for lv in dict.fromkeys(levels) if lv]
    if not levels:
        raise ApplicationError("Hãy chọn ít nhất một cấp đơn vị nhận kế hoạch.", field="levels")
    unknown = [lv for lv in levels if lv not in DEPLOYABLE_TYPES]
    if unknown:
        raise ApplicationError(f"Cấp đơn vị không hợp lệ: {', '.join(unknown)}.", field="levels")
    day = day or today()
    issuer_version = UnitVersion.objects.at(day).filter(unit=plan.issuer).first()
    if issuer_version is None:
        raise ApplicationError(f"«{plan.issuer.name}» không hoạt động vào ngày {vn_date(day)}.")
    targets = list(
        UnitVersion.objects.at(day)
        .filter(path__startswith=issuer_version.path, depth__gt=issuer_version.depth,
                unit__type__in=levels)
        .select_related("unit").order_by("path")
    )
    if not targets:
        nouns = ", ".join(UNIT_TYPE_NOUNS.get(lv, lv) for lv in levels)
        raise ApplicationError(
            f"Không có {nouns} nào trực thuộc «{plan.issuer.name}» vào ngày {vn_date(day)}.",
            field="levels")
    reached = set(plan.deployments.values_list("unit_id", flat=True))
    new = [Deployment(plan=plan, unit=v.unit, unit_type=v.unit.type)
           for v in targets if v.unit_id not in reached]
    Deployment.objects.bulk_create(new, batch_size=BATCH)
    plan.levels = sorted(set(plan.levels or []) | set(levels),
                         key=lambda t: UnitType.values.index(t))
    if plan.deployed_at is None:
        plan.deployed_at = timezone.now()
    plan.save(update_fields=["levels", "deployed_at"])
    audit_record(actor=actor, action="plan.deploy", object_type="plan", object_id=plan.pk,
                 unit_id=plan.issuer_id, after={"levels": levels, "day": day,
                                                "units": [d.unit.code for d in new]})
    return len(new)


def _stamp(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


@transaction.atomic
def deployment_acknowledge(*, actor: Actor, deployment: Deployment, note: str = "",
                           at: dt.datetime | None = None) -> Deployment:
    """The receiving unit confirms it has received the plan."""
    dep = Deployment.objects.select_for_update().select_related("unit", "plan").get(
        pk=deployment.pk)
    require_manage(actor, dep.unit.path)
    if dep.acknowledged_at is not None:
        raise ApplicationError(
            f"«{dep.unit.name}» đã tiếp nhận kế hoạch này ngày "
            f"{vn_date(timezone.localtime(dep.acknowledged_at).date())}.")
    dep.acknowledged_at = _stamp(at)
    dep.acknowledged_by = actor
    if note := clean_spaces(note):
        dep.note = note
    dep.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    audit_record(actor=actor, action="deployment.acknowledge", object_type="deployment",
                 object_id=dep.pk, unit_id=dep.unit_id,
                 after={"plan": dep.plan_id, "unit": dep.unit.code, "at": dep.acknowledged_at,
                        "note": dep.note})
    return dep


@transaction.atomic
def deployment_launch(*, actor: Actor, deployment: Deployment, launched_on: dt.date | None = None,
                      note: str = "", at: dt.datetime | None = None) -> Deployment:
    """The receiving unit reports that it has launched the movement(s) of the plan. A unit that
    launched has evidently received the plan: it is acknowledged at the same time if needed."""
    dep = Deployment.objects.select_for_update().select_related("unit", "plan").get(
        pk=deployment.pk)
    require_manage(actor, dep.unit.path)
    if dep.launched_at is not None:
        raise ApplicationError(
            f"«{dep.unit.name}» đã báo cáo phát động ngày {vn_date(dep.launched_on)}.")
    stamp = _stamp(at)
    recorded = timezone.localtime(stamp).date()
    launched_on = launched_on or recorded
    if launched_on < dep.plan.date:
        raise ApplicationError(
            f"Ngày phát động không thể trước ngày ban hành kế hoạch ({vn_date(dep.plan.date)}).",
            field="launched_on")
    if launched_on > recorded:
        raise ApplicationError("Ngày phát động không thể sau hôm nay.", field="launched_on")
    if dep.acknowledged_at is None:
        # received at the latest on the day it launched
        launched_day = dt.datetime.combine(launched_on, dt.time(), timezone.get_current_timezone())
        dep.acknowledged_at, dep.acknowledged_by = min(stamp, launched_day), actor
    dep.launched_on, dep.launched_at, dep.launched_by = launched_on, stamp, actor
    if note := clean_spaces(note):
        dep.note = note
    with movement_figures([dep.unit_id]):  # the launches' subtree sums (ADR 0036)
        dep.save(update_fields=["acknowledged_at", "acknowledged_by", "launched_on",
                                "launched_at", "launched_by", "note"])
    audit_record(actor=actor, action="deployment.launch", object_type="deployment",
                 object_id=dep.pk, unit_id=dep.unit_id,
                 after={"plan": dep.plan_id, "unit": dep.unit.code, "launched_on": launched_on,
                        "note": dep.note})
    return dep


@dataclass
class Issued:
    plan: Plan
    reached: int | None = None  # units reached by deploying it at once (None: not deployed yet)
    attachment_error: str = ""  # why the document could not be attached (the plan stands)


def plan_issue(
    *, actor: Actor, issuer: Unit, number: str, date: dt.date, title: str,
    movements: Sequence[Movement], deadline: dt.date | None = None, levels: Sequence[str] = (),
    upload: UploadedFile[bytes] | None = None,
) -> Issued:
    """The plan form: create the plan and deploy it to `levels` at once (both or neither), then
    attach its document. A refused document does not undo the plan; its reason is returned."""
    with transaction.atomic():
        plan = plan_create(actor=actor, issuer=issuer, number=number, date=date, title=title,
                           movements=movements, deadline=deadline)
        issued = Issued(plan)
        if levels:
            issued.reached = plan_deploy(actor=actor, plan=plan, levels=levels)
    if upload is not None:
        try:
            attachment_add(actor=actor, plan=plan, upload=upload)
        except ApplicationError as exc:
            issued.attachment_error = exc.message
    return issued
