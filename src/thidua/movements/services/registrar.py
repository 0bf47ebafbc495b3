"""The one path every registration takes (the grid, a member's own page, the API, an import):
rows checked against the roster of the year, the title catalogue, the rule in force and its
deadline, then written with bulk inserts and one audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.movements.catalogue import COLLECTIVE, INDIVIDUAL, TITLE_BY_CODE, UNIT_TYPE_NOUNS
from thidua.movements.figures import movement_figures
from thidua.movements.models import (
    Commitment,
    Pledge,
    RegisteredTitle,
    Registration,
    RegistrationRule,
)
from thidua.movements.permissions import ACCEPT_LATE, can_accept_late
from thidua.movements.registered import registered_figures
from thidua.movements.selectors import DEFAULT_CALENDAR, Calendar, RuleBook, chunks
from thidua.movements.services.common import (
    AUDIT_DETAIL_LIMIT,
    BATCH,
    MAX_COMMITMENT,
    MAX_COMMITMENTS,
    MAX_PLEDGE,
    clean_lines,
)
from thidua.org.models import Unit, UnitVersion
from thidua.people.models import Employment, Membership, Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.spreadsheets.importer import RowError
from thidua.platform.text import clean_spaces, fold, vn_date, vn_number


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


class Registrar:
    """Checks and writes the registrations of one scope: the subtree of `root` for an officer,
    or the actor's own record for a member registering themself."""

    def __init__(self, *, actor: Actor, root: Unit, year: int, today: dt.date,
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
        version = UnitVersion.objects.at(self.day).filter(unit=root).first()
        if version is None:
            raise ApplicationError(
                f"«{root.name}» không hoạt động trong {self.calendar.label(year)}.")
        self.version: UnitVersion = version
        calendars = [DEFAULT_CALENDAR, *self.book.settings.values()]
        periods = [c.period(year) for c in calendars]
        self.window = (min(p[0] for p in periods), max(p[1] for p in periods))

    def _subtree_units(self) -> QuerySet[UnitVersion, Any]:
        return UnitVersion.objects.at(self.day).subtree(self.version.path).values("unit_id")

    def roster(self, person_ids: list[int]) -> tuple[dict[int, _Roster], set[int]]:
        """People of `person_ids` on the roster of the subtree during the year (each judged by
        the period of their own unit's kind of year), and which of them are members then."""
        start, end = self.window
        overlap = Q(valid_from__lt=end) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        found: dict[int, tuple[dt.date, _Roster]] = {}
        members: set[int] = set()
        for chunk in chunks(person_ids):
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
                .subtree(self.version.path).select_related("unit")}

    def existing(self, person_ids: list[int], unit_ids: list[int]) -> dict[tuple[str, int],
                                                                           Registration]:
        out: dict[tuple[str, int], Registration] = {}
        for key, ids in (("person", person_ids), ("unit", unit_ids)):
            for chunk in chunks(ids):
                qs = Registration.objects.filter(**{f"{key}_id__in": chunk}, year=self.year)
                for reg in qs.prefetch_related("titles", "commitments", "pledges"):
                    out[(key, getattr(reg, f"{key}_id"))] = reg
        return out

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
                commitments = clean_lines(list(r.commitments), MAX_COMMITMENT,
                                           "Việc làm cụ thể")
            except ApplicationError as exc:
                err(exc.message, COL_COMMITMENTS)
                commitments = []
            if len(commitments) > MAX_COMMITMENTS:
                err(f"Tối đa {MAX_COMMITMENTS} việc làm cụ thể mỗi bản đăng ký.", COL_COMMITMENTS)
            try:
                pledges = clean_lines(list(r.pledges), MAX_PLEDGE, "Nội dung cam kết")
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
                if not can_accept_late(self.actor, home_path):
                    raise PermissionDeniedError(
                        f"Đã hết hạn đăng ký (hạn {vn_date(rule.deadline)}); chỉ người có quyền "
                        f"«{ACCEPT_LATE.label}» mới được nhận đăng ký muộn.")
                late = True
            changes.append(_Change(r, old, home_id, titles, commitments, pledges, action, late))
        return changes, errors

    def write(self, changes: list[_Change]) -> list[Registration]:
        now = timezone.now()
        todo = [c for c in changes if c.action in ("create", "update")]
        deletes = [c.existing for c in changes if c.action == "delete" and c.existing]
        new_regs = []
        for c in todo:
            if c.action == "create":
                c.existing = Registration(
                    year=self.year, person_id=c.row.person_id, unit_id=c.row.unit_id,
                    home_unit_id=c.home_unit_id, commitment_count=len(c.commitments),
                    registered_on=self.registered_on, registered_by=self.actor, source=self.source,
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
        for chunk in chunks(upd_ids):
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
        for chunk in chunks(del_ids):
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


def run(registrar: Registrar, rows: Sequence[RegistrationInput], *, valid_only: bool,
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
        # the units' registrations' subtree sums (ADR 0036): those of the units written
        units = {u for c in changes for u in (c.row.unit_id, c.existing and c.existing.unit_id) if u}
        # and who has registered, per subtree and day (ADR 0037): the people and units whose
        # registration this writes
        moved = [c for c in changes if c.action != "unchanged"]
        with transaction.atomic(), movement_figures(units), registered_figures(
                person_ids={c.row.person_id for c in moved if c.row.person_id},
                unit_ids={c.row.unit_id for c in moved if c.row.unit_id}):
            result.registrations = registrar.write(changes)
    except IntegrityError:
        raise ApplicationError(
            "Một số bản đăng ký vừa được ghi ở nơi khác trong lúc kiểm tra (đăng ký hai lần). "
            "Chưa có gì được ghi; hãy tải lại trang rồi làm lại.") from None
    result.written = True
    return result
