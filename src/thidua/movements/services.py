"""Actions on movements, plans, deployments, registration rules and registrations. Each is one
transaction, checks the actor's role on the unit concerned, refuses bad input whole with a
Vietnamese message, and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.audit.services import audit_record
from thidua.movements.catalogue import (
    COLLECTIVE,
    INDIVIDUAL,
    STANDARD_BY_CODE,
    TITLE_BY_CODE,
    UNIT_TYPE_NOUNS,
    Audience,
)
from thidua.movements.models import (
    Attachment,
    Commitment,
    Deployment,
    Movement,
    Plan,
    Pledge,
    RegisteredTitle,
    Registration,
    RegistrationRule,
    Source,
    YearKind,
    YearSetting,
)
from thidua.movements.selectors import (
    DEFAULT_CALENDAR,
    Calendar,
    RuleBook,
    _chunks,
    calendar_for,
)
from thidua.org.models import Unit, UnitType, UnitVersion
from thidua.org.permissions import can, require
from thidua.people.models import Employment, Membership, Person
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.files import remove_stored, store_upload
from thidua.platform.spreadsheets.importer import RowError
from thidua.platform.text import clean_spaces, fold, vn_date, vn_number

MAX_COMMITMENT = 500
MAX_PLEDGE = 255
MAX_COMMITMENTS = 20
MIN_YEAR, MAX_YEAR = 1945, 2200
AUDIT_DETAIL_LIMIT = 2000
BATCH = 2000
_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,39}$")


def _today() -> dt.date:
    return timezone.localdate()


def _check_year(year: int) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ApplicationError("Năm thi đua không hợp lệ.", field="year") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ApplicationError(f"Năm thi đua phải từ {MIN_YEAR} đến {MAX_YEAR}.", field="year")
    return year


# --------------------------------------------------------------------------------------------
# Year settings and registration rules


@transaction.atomic
def year_setting_set(*, actor: Any, unit: Unit, kind: str, start_month: int = 9,
                     start_day: int = 1) -> YearSetting:
    """How `unit` and the units below it count their year (calendar year or school year)."""
    require(actor, unit.path, Role.OFFICER)
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


def _clean_lines(items: Sequence[str] | str, limit: int, what: str) -> list[str]:
    if isinstance(items, str):
        items = items.splitlines()
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        text = clean_spaces(item)
        if not text:
            continue
        if len(text) > limit:
            raise ApplicationError(f"{what} dài quá {limit} ký tự: «{text[:40]}…».")
        key = fold(text)
        if key not in seen:
            seen.add(key)
            out.append(text)
    return out


@transaction.atomic
def registration_rule_set(
    *, actor: Any, issuer: Unit, year: int, year_kind: str = YearKind.CALENDAR,
    deadline: dt.date | None = None, min_commitments_unit: int = 0,
    min_commitments_member: int = 0, pledges: Sequence[str] | str = (), note: str = "",
) -> RegistrationRule:
    """What `issuer` asks of the units and people below it for `year` and that kind of year."""
    require(actor, issuer.path, Role.OFFICER)
    year = _check_year(year)
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
    pledge_list = _clean_lines(pledges, MAX_PLEDGE, "Nội dung cam kết")
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
    rule.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    rule.save()
    audit_record(actor=actor, action="movements.rule_set", object_type="registration_rule",
                 object_id=rule.pk, unit_id=issuer.pk, before=before, after=_rule_snapshot(rule))
    return rule


def _rule_snapshot(rule: RegistrationRule) -> dict[str, Any]:
    return {"year": rule.year, "year_kind": rule.year_kind, "deadline": rule.deadline,
            "min_unit": rule.min_commitments_unit, "min_member": rule.min_commitments_member,
            "pledges": rule.pledges, "note": rule.note}


# --------------------------------------------------------------------------------------------
# Movements and their documents


def _movement_code(issuer: Unit, wanted: str, base: str, year: int) -> str:
    if wanted:
        code = wanted.strip().upper()
        if not _CODE_RE.match(code):
            raise ApplicationError(
                f"Mã phong trào «{wanted}» không hợp lệ: chỉ dùng chữ không dấu, số và dấu gạch "
                "(tối đa 40 ký tự).", field="code")
        if Movement.objects.filter(issuer=issuer, code=code).exists():
            raise ApplicationError(f"Đơn vị đã có phong trào mã «{code}».", field="code")
        return code
    stem = f"{base or 'PT'}-{year}"[:34]
    taken = set(Movement.objects.filter(issuer=issuer, code__startswith=stem)
                .values_list("code", flat=True))
    code, n = stem, 1
    while code in taken:
        n += 1
        code = f"{stem}-{n}"
    return code


def _snapshot_movement(m: Movement) -> dict[str, Any]:
    return {"issuer": m.issuer.code, "code": m.code, "name": m.name,
            "catalogue_code": m.catalogue_code, "year": m.year, "start_date": m.start_date,
            "end_date": m.end_date, "audience": m.audience}


@transaction.atomic
def movement_create(
    *, actor: Any, issuer: Unit, start_date: dt.date, end_date: dt.date, name: str = "",
    catalogue_code: str = "", year: int | None = None, code: str = "",
    audience: str = "", content: str = "",
) -> Movement:
    """Launch a movement: one of the standard union movements (`catalogue_code`) or the unit's
    own (`name`). The year defaults to the issuer's emulation year of `start_date`."""
    require(actor, issuer.path, Role.OFFICER)
    standard = None
    if catalogue_code:
        standard = STANDARD_BY_CODE.get(catalogue_code)
        if standard is None:
            raise ApplicationError(f"Phong trào «{catalogue_code}» không có trong danh mục.",
                                   field="catalogue_code")
    name = clean_spaces(name) or (standard.name if standard else "")
    if not name:
        raise ApplicationError("Hãy nhập tên phong trào hoặc chọn một phong trào trong danh mục.",
                               field="name")
    if len(name) > 255:
        raise ApplicationError("Tên phong trào dài quá 255 ký tự.", field="name")
    if start_date is None or end_date is None:
        raise ApplicationError("Hãy nhập thời gian thực hiện phong trào.", field="start_date")
    if end_date < start_date:
        raise ApplicationError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
    if not issuer.is_alive(start_date) and not issuer.is_alive(end_date):
        raise ApplicationError(
            f"«{issuer.name}» không hoạt động trong thời gian {vn_date(start_date)}–"
            f"{vn_date(end_date)}.", field="start_date")
    year = _check_year(year if year is not None else calendar_for(issuer).year_of(start_date))
    audience = audience or (standard.audience if standard else Audience.ALL)
    if audience not in dict(Audience.CHOICES):
        raise ApplicationError("Đối tượng của phong trào không hợp lệ.", field="audience")
    content = (content or "").strip() or (standard.content if standard else "")
    movement = Movement.objects.create(
        issuer=issuer, code=_movement_code(issuer, code, catalogue_code, year), name=name,
        catalogue_code=catalogue_code, year=year, start_date=start_date, end_date=end_date,
        audience=audience, content=content,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="movement.create", object_type="movement",
                 object_id=movement.pk, unit_id=issuer.pk, after=_snapshot_movement(movement))
    return movement


@transaction.atomic
def attachment_add(*, actor: Any, upload: Any, movement: Movement | None = None,
                   plan: Plan | None = None) -> Attachment:
    """Attach a document (PDF, DOCX, XLSX, JPG, PNG) to a movement or a plan."""
    if (movement is None) == (plan is None):
        raise ApplicationError("Tài liệu phải gắn với một phong trào hoặc một kế hoạch.")
    owner_issuer = (movement or plan).issuer  # type: ignore[union-attr]
    require(actor, owner_issuer.path, Role.OFFICER)
    stored = store_upload(upload, Attachment.rules)
    try:
        att = Attachment(movement=movement, plan=plan, file=stored.name,
                         stored_name=stored.name.rsplit("/", 1)[-1],
                         original_name=stored.original_name, kind=stored.kind, size=stored.size,
                         sha256=stored.sha256,
                         uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        att.save()
        audit_record(actor=actor, action="attachment.add", object_type="attachment",
                     object_id=att.pk, unit_id=owner_issuer.pk,
                     after={"movement": movement.pk if movement else None,
                            "plan": plan.pk if plan else None, "name": att.original_name,
                            "kind": att.kind, "size": att.size, "sha256": att.sha256})
    except BaseException:
        remove_stored(stored.name)
        raise
    return att


# --------------------------------------------------------------------------------------------
# Plans and their deployment down the tree


@transaction.atomic
def plan_create(
    *, actor: Any, issuer: Unit, number: str, date: dt.date, title: str,
    movements: Sequence[Movement], deadline: dt.date | None = None, year: int | None = None,
) -> Plan:
    """A plan of `issuer` carrying movements launched by itself or by a unit above it."""
    require(actor, issuer.path, Role.OFFICER)
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
    year = _check_year(year if year is not None else calendar_for(issuer).year_of(date))
    if Plan.objects.filter(issuer=issuer, year=year, number=number).exists():
        raise ApplicationError(f"Đơn vị đã có kế hoạch số {number} năm {year}.", field="number")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                issuer=issuer, number=number, date=date, year=year, title=title,
                deadline=deadline,
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
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
def plan_deploy(*, actor: Any, plan: Plan, levels: Sequence[str],
                day: dt.date | None = None) -> int:
    """Deploy the plan to every unit of the chosen types below its issuer (as the tree stands on
    `day`, today by default). Units already reached are left as they are; the number of newly
    reached units is returned."""
    plan = Plan.objects.select_for_update().select_related("issuer").get(pk=plan.pk)
    require(actor, plan.issuer.path, Role.OFFICER)
    levels = [lv for lv in dict.fromkeys(levels) if lv]
    if not levels:
        raise ApplicationError("Hãy chọn ít nhất một cấp đơn vị nhận kế hoạch.", field="levels")
    unknown = [lv for lv in levels if lv not in DEPLOYABLE_TYPES]
    if unknown:
        raise ApplicationError(f"Cấp đơn vị không hợp lệ: {', '.join(unknown)}.", field="levels")
    day = day or _today()
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
def deployment_acknowledge(*, actor: Any, deployment: Deployment, note: str = "",
                           at: dt.datetime | None = None) -> Deployment:
    """The receiving unit confirms it has received the plan."""
    dep = Deployment.objects.select_for_update().select_related("unit", "plan").get(
        pk=deployment.pk)
    require(actor, dep.unit.path, Role.OFFICER)
    if dep.acknowledged_at is not None:
        raise ApplicationError(
            f"«{dep.unit.name}» đã tiếp nhận kế hoạch này ngày "
            f"{vn_date(timezone.localtime(dep.acknowledged_at).date())}.")
    dep.acknowledged_at = _stamp(at)
    dep.acknowledged_by = actor if getattr(actor, "is_authenticated", False) else None
    if note := clean_spaces(note):
        dep.note = note
    dep.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    audit_record(actor=actor, action="deployment.acknowledge", object_type="deployment",
                 object_id=dep.pk, unit_id=dep.unit_id,
                 after={"plan": dep.plan_id, "unit": dep.unit.code, "at": dep.acknowledged_at,
                        "note": dep.note})
    return dep


@transaction.atomic
def deployment_launch(*, actor: Any, deployment: Deployment, launched_on: dt.date | None = None,
                      note: str = "", at: dt.datetime | None = None) -> Deployment:
    """The receiving unit reports that it has launched the movement(s) of the plan. A unit that
    launched has evidently received the plan: it is acknowledged at the same time if needed."""
    dep = Deployment.objects.select_for_update().select_related("unit", "plan").get(
        pk=deployment.pk)
    require(actor, dep.unit.path, Role.OFFICER)
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
    who = actor if getattr(actor, "is_authenticated", False) else None
    if dep.acknowledged_at is None:
        # received at the latest on the day it launched
        launched_day = dt.datetime.combine(launched_on, dt.time(), timezone.get_current_timezone())
        dep.acknowledged_at, dep.acknowledged_by = min(stamp, launched_day), who
    dep.launched_on, dep.launched_at, dep.launched_by = launched_on, stamp, who
    if note := clean_spaces(note):
        dep.note = note
    dep.save(update_fields=["acknowledged_at", "acknowledged_by", "launched_on", "launched_at",
                            "launched_by", "note"])
    audit_record(actor=actor, action="deployment.launch", object_type="deployment",
                 object_id=dep.pk, unit_id=dep.unit_id,
                 after={"plan": dep.plan_id, "unit": dep.unit.code, "launched_on": launched_on,
                        "note": dep.note})
    return dep


# --------------------------------------------------------------------------------------------
# Registration


class Mode:
    CREATE = "create"  # a new registration; one that exists is refused ("twice")
    REPLACE = "replace"  # the row says everything: titles, commitments, pledges (grid, self)
    MERGE = "merge"  # add what the row says to what is there (import: re-importing is a no-op)


@dataclass
class RegistrationInput:
    """One subject's registration as typed: a person or a unit, title codes, commitments,
    pledges. `row` and `label` name the row in error messages (Excel row, grid line)."""

    person_id: int | None = None
    unit_id: int | None = None
    titles: Sequence[str] = ()
    commitments: Sequence[str] = ()
    pledges: Sequence[str] = ()
    row: int = 0
    label: str = ""


@dataclass
class BulkResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    skipped: int = 0
    registrations: list[Registration] = field(default_factory=list)
    late: int = 0
    blank: int = 0  # rows with nothing registered (an import's untouched template lines)

    def summary(self) -> str:
        counts = (f"đăng ký mới {vn_number(self.created)}, bổ sung/sửa {vn_number(self.updated)}, "
                  f"không đổi {vn_number(self.unchanged)}")
        if self.deleted:
            counts += f", huỷ {vn_number(self.deleted)}"
        if self.blank:
            counts += f", bỏ trống {vn_number(self.blank)}"
        if self.written:
            skipped = f", bỏ qua {vn_number(self.skipped)} dòng có lỗi" if self.skipped else ""
            return f"Đã ghi {vn_number(self.total)} dòng: {counts}{skipped}."
        if self.errors:
            return (f"Chưa ghi gì: {vn_number(self.skipped)} trong {vn_number(self.total)} dòng "
                    f"có lỗi; các dòng hợp lệ: {counts}.")
        return f"Kiểm tra {vn_number(self.total)} dòng: {counts}."


COL_SUBJECT = "Họ và tên"
COL_TITLES = "Danh hiệu đăng ký"
COL_COMMITMENTS = "Việc làm cụ thể"
COL_PLEDGES = "Cam kết"


@dataclass
class _Roster:
    home_unit_id: int
    home_path: str
    name: str
    gender: str


@dataclass
class _Change:
    row: RegistrationInput
    existing: Registration | None
    home_unit_id: int
    titles: list[str]
    commitments: list[str]
    pledges: list[str]
    action: str  # create, update, delete, unchanged
    late: bool = False


def deadline_refusal(rule: RegistrationRule, calendar: Calendar) -> str:
    return (f"Đã hết hạn đăng ký thi đua {calendar.label(rule.year)}: hạn cuối là "
            f"{vn_date(rule.deadline)} theo quy định của «{rule.issuer.name}». Đề nghị lãnh đạo "
            "công đoàn nhận đăng ký muộn, ghi rõ lý do.")


class _Registrar:
    """Checks and writes the registrations of one scope: the subtree of `root` for an officer,
    or the actor's own record for a member registering themself."""

    def __init__(self, *, actor: Any, root: Unit, year: int, today: dt.date,
                 registered_on: dt.date, mode: str, late_reason: str, self_person: Person | None,
                 source: str) -> None:
        self.actor = actor
        self.root = root
        self.year = year
        self.today = today
        self.registered_on = registered_on
        self.mode = mode
        self.late_reason = clean_spaces(late_reason)
        self.self_person = self_person
        self.source = source
        self.book = RuleBook(root.path, year)
        self.calendar = self.book.calendar(root.path)
        self.day = self.calendar.reference_day(year, today)
        self.version = UnitVersion.objects.at(self.day).filter(unit=root).first()
        if self.version is None:
            raise ApplicationError(
                f"«{root.name}» không hoạt động trong {self.calendar.label(year)}.")
        calendars = [DEFAULT_CALENDAR, *self.book.settings.values()]
        periods = [c.period(year) for c in calendars]
        self.window = (min(p[0] for p in periods), max(p[1] for p in periods))

    # -- loading ----------------------------------------------------------------------------

    def _subtree_units(self) -> Any:
        return UnitVersion.objects.at(self.day).subtree(self.version.path).values("unit_id")  # type: ignore[union-attr]

    def roster(self, person_ids: list[int]) -> tuple[dict[int, _Roster], set[int]]:
        """People of `person_ids` on the roster of the subtree during the year (each judged by
        the period of their own unit's kind of year), and which of them are members then."""
        start, end = self.window
        overlap = Q(valid_from__lt=end) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        found: dict[int, tuple[dt.date, _Roster]] = {}
        members: set[int] = set()
        for chunk in _chunks(person_ids):
            rows = Employment.objects.filter(overlap, person_id__in=chunk)
            if self.self_person is None:
                rows = rows.filter(unit_id__in=self._subtree_units())
            for pid, uid, path, vf, vt, name, gender in rows.values_list(
                    "person_id", "unit_id", "unit__path", "valid_from", "valid_to",
                    "person__full_name", "person__gender"):
                p_start, p_end = self.book.calendar(path).period(self.year)
                if not (vf < p_end and (vt is None or vt > p_start)):
                    continue
                best = found.get(pid)
                if best is None or vf > best[0]:
                    found[pid] = (vf, _Roster(uid, path, name, gender))
            for pid in Membership.objects.filter(overlap, person_id__in=chunk).values_list(
                    "person_id", flat=True):
                members.add(pid)
        return {pid: r for pid, (_, r) in found.items()}, members

    def units(self) -> dict[int, UnitVersion]:
        return {v.unit_id: v for v in UnitVersion.objects.at(self.day)
                .subtree(self.version.path).select_related("unit")}  # type: ignore[union-attr]

    def existing(self, person_ids: list[int], unit_ids: list[int]) -> dict[tuple[str, int],
                                                                           Registration]:
        out: dict[tuple[str, int], Registration] = {}
        for key, ids in (("person", person_ids), ("unit", unit_ids)):
            for chunk in _chunks(ids):
                qs = Registration.objects.filter(**{f"{key}_id__in": chunk}, year=self.year)
                for reg in qs.prefetch_related("titles", "commitments", "pledges"):
                    out[(key, getattr(reg, f"{key}_id"))] = reg
        return out

    # -- checking ----------------------------------------------------------------------------

    def plan(self, rows: Sequence[RegistrationInput]) -> tuple[list[_Change], list[RowError]]:
        errors: list[RowError] = []
        person_ids = sorted({r.person_id for r in rows if r.person_id is not None})
        unit_ids = sorted({r.unit_id for r in rows if r.unit_id is not None})
        roster, members = self.roster(person_ids) if person_ids else ({}, set())
        units = self.units() if unit_ids else {}
        existing = self.existing(person_ids, unit_ids)
        seen: dict[tuple[str, int], list[int]] = {}
        for r in rows:
            key = ("person", r.person_id) if r.person_id is not None else ("unit", r.unit_id)
            seen.setdefault(key, []).append(r.row)  # type: ignore[arg-type]
        changes: list[_Change] = []
        for r in rows:
            n_errors = len(errors)

            def err(message: str, column: str = COL_SUBJECT, value: str = "",
                    _r: RegistrationInput = r) -> None:
                errors.append(RowError(_r.row, column, value, message))

            if (r.person_id is None) == (r.unit_id is None):
                err("Mỗi bản đăng ký là của một người hoặc một đơn vị.")
                continue
            is_person = r.person_id is not None
            key = ("person", r.person_id) if is_person else ("unit", r.unit_id)
            rows_of_subject = seen[key]  # type: ignore[index]
            if len(rows_of_subject) > 1:
                others = ", ".join(str(o) for o in rows_of_subject if o != r.row)
                err(f"{r.label or 'Người/đơn vị này'} được ghi nhiều lần (cùng dòng {others}); "
                    "mỗi người, mỗi đơn vị chỉ ghi một dòng.", value=r.label)
                continue
            if is_person:
                info = roster.get(r.person_id)  # type: ignore[arg-type]
                if info is None:
                    where = ("danh sách người lao động" if self.self_person is not None
                             else f"danh sách của «{self.root.name}»")
                    err(f"{r.label or 'Người này'} không có trong {where} "
                        f"{self.calendar.label(self.year)}.", value=r.label)
                    continue
                home_id, home_path, gender = info.home_unit_id, info.home_path, info.gender
                subject_name = info.name
                unit_type = ""
            else:
                version = units.get(r.unit_id)  # type: ignore[arg-type]
                if version is None:
                    err(f"Đơn vị không trực thuộc «{self.root.name}» trong "
                        f"{self.calendar.label(self.year)}.", value=r.label)
                    continue
                home_id, home_path, gender = version.unit_id, version.unit.path, ""
                subject_name = version.name
                unit_type = version.unit.type
            # titles
            codes: list[str] = []
            for raw in r.titles:
                code = (raw or "").strip().upper()
                if not code:
                    continue
                title = TITLE_BY_CODE.get(code)
                if title is None:
                    err(f"Danh hiệu «{raw}» không có trong danh mục.", COL_TITLES, raw)
                    continue
                if code in codes:
                    err(f"Danh hiệu «{title.name}» được ghi hai lần.", COL_TITLES, title.name)
                    continue
                if is_person and title.kind == COLLECTIVE:
                    err(f"«{title.name}» là danh hiệu tập thể, không đăng ký cho cá nhân.",
                        COL_TITLES, title.name)
                    continue
                if not is_person and title.kind == INDIVIDUAL:
                    err(f"«{title.name}» là danh hiệu cá nhân, không đăng ký cho đơn vị.",
                        COL_TITLES, title.name)
                    continue
                if title.gender and gender and title.gender != gender:
                    err(f"Danh hiệu «{title.name}» dành cho nữ CBCCVCLĐ.", COL_TITLES, title.name)
                    continue
                if title.unit_types and unit_type and unit_type not in title.unit_types:
                    kinds = ", ".join(UNIT_TYPE_NOUNS[t] for t in title.unit_types)
                    err(f"Danh hiệu «{title.name}» chỉ dành cho {kinds}.", COL_TITLES,
                        title.name)
                    continue
                codes.append(code)
            try:
                commitments = _clean_lines(list(r.commitments), MAX_COMMITMENT,
                                           "Việc làm cụ thể")
            except ApplicationError as exc:
                err(exc.message, COL_COMMITMENTS)
                commitments = []
            if len(commitments) > MAX_COMMITMENTS:
                err(f"Tối đa {MAX_COMMITMENTS} việc làm cụ thể mỗi bản đăng ký.", COL_COMMITMENTS)
            try:
                pledges = _clean_lines(list(r.pledges), MAX_PLEDGE, "Nội dung cam kết")
            except ApplicationError as exc:
                err(exc.message, COL_PLEDGES)
                pledges = []
            if len(errors) > n_errors:
                continue
            # what the registration becomes
            old = existing.get(key)  # type: ignore[arg-type]
            old_titles = [t.code for t in old.titles.all()] if old else []
            old_commitments = [c.text for c in old.commitments.all()] if old else []
            old_pledges = [p.text for p in old.pledges.all()] if old else []
            if old is not None and self.mode == Mode.CREATE:
                listed = ", ".join(TITLE_BY_CODE[c].name if c in TITLE_BY_CODE else c
                                   for c in old_titles)
                repeated = [TITLE_BY_CODE[c].name for c in codes if c in old_titles]
                if repeated:
                    err(f"{subject_name} đã đăng ký danh hiệu «{repeated[0]}» "
                        f"{self.calendar.label(self.year)}; không đăng ký lại lần thứ hai.",
                        COL_TITLES, repeated[0])
                else:
                    err(f"{subject_name} đã có bản đăng ký thi đua "
                        f"{self.calendar.label(self.year)}"
                        + (f" (danh hiệu: {listed})" if listed else "")
                        + "; hãy sửa bản đăng ký đã có thay vì đăng ký lần thứ hai.")
                continue
            if self.mode == Mode.MERGE and old is not None:
                titles = old_titles + [c for c in codes if c not in old_titles]
                folded = {fold(t) for t in old_commitments}
                commitments = old_commitments + [c for c in commitments if fold(c) not in folded]
                folded = {fold(t) for t in old_pledges}
                pledges = old_pledges + [p for p in pledges if fold(p) not in folded]
            else:
                titles = codes
            if not (titles or commitments or pledges):
                if self.mode == Mode.REPLACE and old is not None:
                    action = "delete"
                elif self.mode == Mode.REPLACE:
                    continue  # an empty grid row: nothing to do
                else:
                    err("Chưa ghi danh hiệu hay việc làm cụ thể nào.", COL_TITLES)
                    continue
            elif old is None:
                action = "create"
            elif (set(titles) == set(old_titles) and commitments == old_commitments
                  and set(pledges) == set(old_pledges)):
                action = "unchanged"
            else:
                action = "update"
            rule = self.book.rule(home_path, self.year)
            if action != "delete" and rule is not None:
                need = (rule.min_commitments_member if is_person and r.person_id in members
                        else 0 if is_person else rule.min_commitments_unit)
                if len(commitments) < need:
                    err(f"Cần đăng ký ít nhất {need} việc làm cụ thể (theo quy định của "
                        f"«{rule.issuer.name}» {self.calendar.label(self.year)}); "
                        f"mới có {len(commitments)}.", COL_COMMITMENTS)
                    continue
            late = False
            if action != "unchanged" and rule is not None and rule.deadline is not None \
                    and self.registered_on > rule.deadline:
                if not self.late_reason:
                    err(deadline_refusal(rule, self.book.calendar(home_path)), COL_TITLES)
                    continue
                if not can(self.actor, home_path, Role.LEADER):
                    raise PermissionDeniedError(
                        f"Đã hết hạn đăng ký (hạn {vn_date(rule.deadline)}); chỉ người có quyền "
                        f"«{Role.LEADER.label}» mới được nhận đăng ký muộn.")
                late = True
            changes.append(_Change(r, old, home_id, titles, commitments, pledges, action, late))
        return changes, errors

    # -- writing -----------------------------------------------------------------------------

    def write(self, changes: list[_Change]) -> list[Registration]:
        now = timezone.now()
        who = self.actor if getattr(self.actor, "is_authenticated", False) else None
        todo = [c for c in changes if c.action in ("create", "update")]
        deletes = [c.existing for c in changes if c.action == "delete" and c.existing]
        new_regs = []
        for c in todo:
            if c.action == "create":
                c.existing = Registration(
                    year=self.year, person_id=c.row.person_id, unit_id=c.row.unit_id,
                    home_unit_id=c.home_unit_id, commitment_count=len(c.commitments),
                    registered_on=self.registered_on, registered_by=who, source=self.source,
                    late=c.late, late_reason=self.late_reason if c.late else "")
                new_regs.append(c.existing)
        Registration.objects.bulk_create(new_regs, batch_size=BATCH)
        updated = []
        for c in todo:
            if c.action == "update":
                reg = c.existing
                assert reg is not None
                reg.commitment_count = len(c.commitments)
                reg.home_unit_id = c.home_unit_id
                reg.updated_at = now
                if c.late:
                    reg.late, reg.late_reason = True, self.late_reason
                updated.append(reg)
        if updated:
            Registration.objects.bulk_update(
                updated, ["commitment_count", "home_unit", "updated_at", "late", "late_reason"],
                batch_size=500)
        # children: drop what changed on updated registrations, then insert
        upd_ids = [c.existing.pk for c in todo if c.action == "update" and c.existing]
        for chunk in _chunks(upd_ids):
            RegisteredTitle.objects.filter(registration_id__in=chunk).delete()
            Commitment.objects.filter(registration_id__in=chunk).delete()
            Pledge.objects.filter(registration_id__in=chunk).delete()
        titles, commitments, pledges = [], [], []
        for c in todo:
            reg_id = c.existing.pk  # type: ignore[union-attr]
            titles += [RegisteredTitle(registration_id=reg_id, code=t) for t in c.titles]
            commitments += [Commitment(registration_id=reg_id, position=i, text=t)
                            for i, t in enumerate(c.commitments)]
            pledges += [Pledge(registration_id=reg_id, text=p) for p in c.pledges]
        RegisteredTitle.objects.bulk_create(titles, batch_size=BATCH)
        Commitment.objects.bulk_create(commitments, batch_size=BATCH)
        Pledge.objects.bulk_create(pledges, batch_size=BATCH)
        del_ids = [r.pk for r in deletes]
        for chunk in _chunks(del_ids):
            Registration.objects.filter(pk__in=chunk).delete()
        self._audit(changes)
        written = [c.existing for c in todo if c.existing is not None]
        for reg in written:
            # the titles, commitments and pledges prefetched while checking are stale now
            reg._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        return written

    def _audit(self, changes: list[_Change]) -> None:
        done = [c for c in changes if c.action != "unchanged"]
        if not done:
            return

        def detail(c: _Change) -> dict[str, Any]:
            return {"registration": c.existing.pk if c.existing else None,
                    "person": c.row.person_id, "unit": c.row.unit_id, "action": c.action,
                    "titles": c.titles, "commitments": c.commitments, "pledges": c.pledges,
                    "late": c.late}

        if len(done) == 1:
            c = done[0]
            before = None
            if c.existing is not None and c.action != "create":
                before = {"titles": [t.code for t in c.existing.titles.all()],
                          "commitments": [x.text for x in c.existing.commitments.all()],
                          "pledges": [p.text for p in c.existing.pledges.all()]}
            audit_record(
                actor=self.actor, action=f"registration.{c.action}", object_type="registration",
                object_id=c.existing.pk if c.existing else "", unit_id=c.home_unit_id,
                before=before,
                after=detail(c) | {"year": self.year, "source": self.source,
                                   "registered_on": self.registered_on,
                                   "late_reason": self.late_reason if c.late else ""})
            return
        counts = {a: sum(1 for c in done if c.action == a) for a in ("create", "update", "delete")}
        audit_record(
            actor=self.actor, action="registration.bulk", object_type="unit",
            object_id=self.root.code, unit_id=self.root.pk,
            after={"year": self.year, "source": self.source, "mode": self.mode,
                   "registered_on": self.registered_on, "late_reason": self.late_reason,
                   **counts,
                   "changes": [detail(c) for c in done[:AUDIT_DETAIL_LIMIT]],
                   "changes_not_listed": max(0, len(done) - AUDIT_DETAIL_LIMIT)})


def _run(registrar: _Registrar, rows: Sequence[RegistrationInput], *, valid_only: bool,
         dry_run: bool) -> BulkResult:
    changes, errors = registrar.plan(rows)
    bad = {e.row for e in errors}
    result = BulkResult(
        total=len(rows),
        created=sum(1 for c in changes if c.action == "create"),
        updated=sum(1 for c in changes if c.action == "update"),
        unchanged=sum(1 for c in changes if c.action == "unchanged"),
        deleted=sum(1 for c in changes if c.action == "delete"),
        errors=sorted(errors, key=lambda e: e.row), skipped=len(bad),
        late=sum(1 for c in changes if c.late),
    )
    if dry_run or (errors and not valid_only):
        return result
    try:
        with transaction.atomic():
            result.registrations = registrar.write(changes)
    except IntegrityError:
        raise ApplicationError(
            "Một số bản đăng ký vừa được ghi ở nơi khác trong lúc kiểm tra (đăng ký hai lần). "
            "Chưa có gì được ghi; hãy tải lại trang rồi làm lại.") from None
    result.written = True
    return result


def registrations_bulk_create(
    *, actor: Any, unit: Unit, year: int, rows: Sequence[RegistrationInput],
    mode: str = Mode.MERGE, registered_on: dt.date | None = None, source: str = Source.GRID,
    late_reason: str = "", valid_only: bool = False, dry_run: bool = False,
) -> BulkResult:
    """Register many people and units of `unit`'s subtree for `year` at once: every row is
    checked (roster that year, title kinds, minimum commitments, deadline, duplicates), then
    everything is written in one transaction with bulk inserts and one audit entry. Any invalid
    row means nothing is written, unless `valid_only`. `mode`: MERGE adds to what each subject
    registered (re-running is a no-op), REPLACE makes each row the whole registration (an empty
    row withdraws it), CREATE refuses a subject that already registered."""
    require(actor, unit.path, Role.OFFICER)
    year = _check_year(year)
    today = _today()
    on = registered_on or today
    if on > today:
        raise ApplicationError("Ngày đăng ký không thể sau hôm nay.", field="registered_on")
    registrar = _Registrar(actor=actor, root=unit, year=year, today=today, registered_on=on,
                           mode=mode, late_reason=late_reason, self_person=None, source=source)
    _check_open(registrar.calendar, year, today)
    return _run(registrar, rows, valid_only=valid_only, dry_run=dry_run)


def _check_open(calendar: Calendar, year: int, today: dt.date) -> None:
    if year > calendar.year_of(today) + 1:
        raise ApplicationError(f"Chưa mở đăng ký thi đua {calendar.label(year)}.", field="year")


def _single(result: BulkResult) -> Registration | None:
    if result.errors:
        first = result.errors[0]
        raise ApplicationError(first.message, field={
            COL_TITLES: "titles", COL_COMMITMENTS: "commitments", COL_PLEDGES: "pledges",
        }.get(first.column))
    return result.registrations[0] if result.registrations else None


def registration_create(
    *, actor: Any, year: int, person: Person | None = None, unit: Unit | None = None,
    via_unit: Unit | None = None, titles: Sequence[str] = (), commitments: Sequence[str] = (),
    pledges: Sequence[str] = (), late_reason: str = "", source: str = Source.WEB,
    registered_on: dt.date | None = None,
) -> Registration:
    """Register a person (through `via_unit`, whose roster they are on) or a unit for `year`.
    A subject that already registered that year is refused: its registration is edited instead."""
    if (person is None) == (unit is None):
        raise ApplicationError("Bản đăng ký phải là của một người hoặc của một đơn vị.")
    scope = unit if unit is not None else via_unit
    if scope is None:
        raise ApplicationError("Hãy chọn đơn vị của người đăng ký.", field="unit")
    row = RegistrationInput(person_id=person.pk if person else None,
                            unit_id=unit.pk if unit else None, titles=list(titles),
                            commitments=list(commitments), pledges=list(pledges), row=1,
                            label=person.full_name if person else unit.name)  # type: ignore[union-attr]
    result = registrations_bulk_create(actor=actor, unit=scope, year=year, rows=[row],
                                       mode=Mode.CREATE, registered_on=registered_on,
                                       source=source, late_reason=late_reason)
    reg = _single(result)
    assert reg is not None
    return reg


def registration_update(
    *, actor: Any, registration: Registration, titles: Sequence[str],
    commitments: Sequence[str], pledges: Sequence[str] = (), late_reason: str = "",
    source: str = Source.WEB,
) -> Registration | None:
    """Replace a registration's titles, commitments and pledges; all empty withdraws it (None)."""
    reg = Registration.objects.select_related("home_unit", "unit").get(pk=registration.pk)
    scope = reg.unit if reg.unit is not None else reg.home_unit
    row = RegistrationInput(person_id=reg.person_id, unit_id=reg.unit_id, titles=list(titles),
                            commitments=list(commitments), pledges=list(pledges), row=1)
    result = registrations_bulk_create(actor=actor, unit=scope, year=reg.year, rows=[row],
                                       mode=Mode.REPLACE, source=source, late_reason=late_reason)
    written = _single(result)
    if result.created or result.updated:
        return written
    return None if result.deleted else reg


def self_registration_save(
    *, actor: Any, year: int, titles: Sequence[str], commitments: Sequence[str],
    pledges: Sequence[str] = (),
) -> Registration | None:
    """A member registers (or changes, or withdraws with everything empty) their own titles and
    commitments for `year`, through the roster they are on that year."""
    person = Person.objects.filter(user=actor).first() if getattr(
        actor, "is_authenticated", False) else None
    if person is None:
        raise ApplicationError("Tài khoản của bạn chưa gắn với hồ sơ người lao động nào; hãy "
                               "đề nghị cán bộ công đoàn gắn tài khoản với hồ sơ của bạn.")
    year = _check_year(year)
    home = home_unit_of(person, year)
    if home is None:
        raise ApplicationError(f"Bạn không có trong danh sách người lao động của đơn vị nào "
                               f"năm {year}.")
    today = _today()
    registrar = _Registrar(actor=actor, root=home, year=year, today=today, registered_on=today,
                           mode=Mode.REPLACE, late_reason="", self_person=person,
                           source=Source.SELF)
    _check_open(registrar.calendar, year, today)
    row = RegistrationInput(person_id=person.pk, titles=list(titles),
                            commitments=list(commitments), pledges=list(pledges), row=1,
                            label=person.full_name)
    result = _run(registrar, [row], valid_only=False, dry_run=False)
    written = _single(result)
    if result.created or result.updated:
        return written
    return None if result.deleted else Registration.objects.filter(
        person=person, year=year).first()


def home_unit_of(person: Person, year: int) -> Unit | None:
    """The unit whose roster the person is on in `year` (the latest period that year, each unit
    judged by its own kind of year)."""
    rows = list(person.employments.select_related("unit").order_by("-valid_from", "-id"))
    for e in rows:
        start, end = calendar_for(e.unit).period(year)
        if e.valid_from < end and (e.valid_to is None or e.valid_to > start):
            return e.unit
    return None
