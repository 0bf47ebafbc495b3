"""The roster import: every row checked, then one transaction of bulk inserts and updates, an
upsert by CCCD, and one audit entry (see `roster_import_rows`)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from thidua.accounts.models import Role
from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.org.permissions import require, scope_paths
from thidua.people.imports.columns import COLUMNS, HEADERS, spool_roster
from thidua.people.imports.plan import OUT_OF_SCOPE, Plan, plan_rows
from thidua.people.imports.rows import RosterRow, Units, parse_roster_row
from thidua.people.imports.write import write_plan
from thidua.people.services.privacy import (
    cccd_conflicts_answer,
    cccd_conflicts_left,
    conflicts_per_day,
    exhausted_message,
)
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.importer import (
    RawRow,
    RawRows,
    RowError,
    RowImporter,
    repeats,
)
from thidua.platform.spreadsheets.reader import file_sha256
from thidua.platform.spreadsheets.spool import Spool
from thidua.platform.text import vn_number


@dataclass
class ImportResult:
    """Counts are what the import did (`written`) or would do (a dry run, or refused for errors);
    `errors` make the import refused unless only valid rows were asked for."""

    total: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    warnings: list[RowError]
    written: bool
    skipped: int = 0

    def summary(self) -> str:
        """One line in Vietnamese, e.g. "Đã nhập 393 dòng: thêm mới 393, cập nhật 0, không đổi 0."."""
        counts = (f"thêm mới {vn_number(self.created)}, cập nhật {vn_number(self.updated)}, "
                  f"không đổi {vn_number(self.unchanged)}")
        total = vn_number(self.total)
        if self.written:
            skipped = f", bỏ qua {vn_number(self.skipped)} dòng có lỗi" if self.skipped else ""
            return f"Đã nhập {total} dòng: {counts}{skipped}."
        if self.skipped:
            valid = self.created + self.updated + self.unchanged
            return (f"Kiểm tra {total} dòng: {vn_number(self.skipped)} dòng có lỗi, "
                    f"{vn_number(valid)} dòng hợp lệ ({counts}).")
        return f"Kiểm tra {total} dòng: {counts}."


class RosterImporter(RowImporter[RosterRow, Plan]):
    columns = COLUMNS

    def __init__(self, *, actor: Actor, unit: Unit, day: dt.date, headers: dict[str, str] | None,
                 audit: dict[str, Any]) -> None:
        super().__init__(headers=headers)
        self.actor = actor
        self.unit = unit
        self.day = day
        self.audit = audit
        self.units = Units(actor, unit, day)
        self.seen: dict[str, int] = {}  # CCCD -> the first row with it
        self.twice: dict[str, list[int]] = {}  # CCCD -> its rows, for a CCCD on several rows

    def parse_row(self, raw: RawRow) -> RosterRow | None:
        n_errors = len(self.errors)
        row = parse_roster_row(raw, day=self.day, units=self.units,
                               err=lambda key, message: self.cell_error(raw, key, message))
        if row.cccd:
            first = self.seen.get(row.cccd)
            if first is None:
                self.seen[row.cccd] = row.row
            else:
                self.twice.setdefault(row.cccd, [first]).append(row.row)
        return row if len(self.errors) == n_errors else None

    def check_together(self, parsed: Iterable[RosterRow],
                       rows: RawRows) -> Iterable[RosterRow]:
        """The same CCCD twice in the file: both rows are wrong (which one is right is
        unknowable), and are left out of the plan."""
        twice = self.refuse_repeats(rows)
        return (r for r in parsed if r.cccd not in twice) if twice else parsed

    def refuse_repeats(self, rows: Iterable[RawRow]) -> set[str]:
        """The CCCDs seen twice, each row refused. The cells are quoted as typed, read again
        from `rows` for these rows only."""
        if not self.twice:
            return set()
        numbers = {n for nums in self.twice.values() for n in nums}
        cells = {}
        for raw in rows:
            n = int(raw.get("_row") or 0)
            if n in numbers:
                cells[n] = raw.get("cccd")
        for n, others in repeats(self.twice):
            self.refuse(n, "cccd", cells.get(n),
                        f"Số CCCD trùng với dòng {others} trong tệp; mỗi người chỉ ghi một dòng.")
        return set(self.twice)

    def plan(self, parsed: Iterable[RosterRow]) -> Plan:
        plan = plan_rows(parsed, imp=self, actor=self.actor, units=self.units, day=self.day)
        try:
            self.answer_conflicts(plan)
        except BaseException:
            plan.close()
            raise
        return plan

    def release(self, plan: Plan) -> None:
        plan.close()

    def answer_conflicts(self, plan: Plan) -> None:
        """Rows whose CCCD is managed by another unit are refused with `OUT_OF_SCOPE` (never who
        or where), each such answer audited and counted against the actor's daily allowance, a
        dry run too. A file with more of them than the allowance left is refused as a whole and
        costs one answer; once the allowance is used up, so is any file with a number the actor
        does not manage (a new person too), so that the refusal tells nothing."""
        if scope_paths(self.actor, Role.OFFICER) == [""]:
            return  # nothing lies outside an installation-wide officer's scope
        left = cccd_conflicts_left(self.actor)
        if left <= 0 and (plan.conflicts or plan.new):
            raise ApplicationError(exhausted_message(conflicts_per_day()) + " Chưa có gì được "
                                   "ghi; có thể nhập lại tệp vào ngày mai.")
        if not plan.conflicts:
            return
        if len(plan.conflicts) > left:
            cccd_conflicts_answer(actor=self.actor, unit_id=self.unit.pk, count=1,
                                  where="import", refused_whole=True)
            raise ApplicationError(
                f"Tệp có nhiều số CCCD của người đang do đơn vị khác quản lý hơn số lần bạn còn "
                f"được báo hôm nay ({vn_number(left)} lần; giới hạn mỗi ngày để bảo vệ dữ liệu "
                "cá nhân). Chưa có gì được ghi. Hãy kiểm tra lại cột số CCCD; người đang thuộc "
                "đơn vị khác cần được đơn vị đó chuyển sinh hoạt về đơn vị của bạn.")
        cccd_conflicts_answer(actor=self.actor, unit_id=self.unit.pk,
                              count=len(plan.conflicts), where="import")
        for row in plan.conflicts:
            self.refuse(row.row, "cccd", row.cccd, OUT_OF_SCOPE)

    def write(self, plan: Plan) -> None:
        try:
            with transaction.atomic():
                audit_after = write_plan(plan, day=self.day)
                audit_record(
                    actor=self.actor, action="person.import", object_type="unit",
                    object_id=self.unit.code, unit_id=self.unit.pk,
                    after={**self.audit, "created": len(plan.new), "updated": len(plan.touched),
                           "unchanged": plan.unchanged,
                           "skipped_rows": len({e.row for e in self.errors} | self.refused),
                           **audit_after},
                )
        except IntegrityError:
            raise ApplicationError(
                "Dữ liệu vừa thay đổi trong lúc nhập (có thể một người cùng số CCCD vừa được thêm "
                "ở nơi khác). Chưa có gì được ghi; hãy nhập lại tệp."
            ) from None


def roster_import_rows(
    *,
    actor: Actor,
    unit: Unit,
    rows: Sequence[dict[str, object]] | Spool[dict[str, object]],
    effective_date: dt.date,
    valid_only: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    source_name: str = "",
    sha256: str = "",
    headers: dict[str, str] | None = None,
) -> ImportResult:
    """Check every row, then (unless `dry_run`) write them in one transaction.

    Upsert by CCCD: a new CCCD adds a person (employment from `effective_date`, or from the join
    date when earlier, and a membership from the join date); a known one, in the actor's scope,
    gets its changed fields updated, joins the union when the row says so, and is transferred at
    `effective_date` when the row names another unit. A blank optional cell keeps what is
    stored; a member listed as non-member is only warned about. Any invalid row means nothing is
    written, unless `valid_only`. `headers` (canonical key -> header in the file) names columns
    in the messages."""
    require(actor, unit.path, Role.OFFICER)
    audit = {"file": source_name, "sha256": sha256, "unit": unit.code,
             "effective_date": effective_date, "valid_only": valid_only, "total": len(rows)}
    importer = RosterImporter(actor=actor, unit=unit, day=effective_date, headers=headers,
                              audit=audit)
    checked = importer.run(rows, valid_only=valid_only, dry_run=dry_run, progress=progress)
    plan = checked.plan
    return ImportResult(
        total=checked.total, created=len(plan.new), updated=len(plan.touched),
        unchanged=plan.unchanged, errors=checked.errors, warnings=checked.warnings,
        written=checked.written, skipped=len(checked.bad_rows),
    )


def roster_import_file(
    *,
    actor: Actor,
    unit: Unit,
    path: str | os.PathLike[str],
    file_name: str | None = None,
    effective_date: dt.date,
    valid_only: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read a .xlsx or .csv roster and import it (see `roster_import_rows`). A file that cannot
    be read as a roster raises ApplicationError with the reason, before anything is checked."""
    require(actor, unit.path, Role.OFFICER)
    name = file_name or Path(path).name
    table, spool = spool_roster(path, name)
    with spool as rows:
        headers = {k: table.header_of(k, HEADERS[k]) for k in HEADERS}
        return roster_import_rows(
            actor=actor, unit=unit, rows=rows, effective_date=effective_date,
            valid_only=valid_only, dry_run=dry_run, progress=progress, source_name=name,
            sha256=file_sha256(path), headers=headers,
        )
