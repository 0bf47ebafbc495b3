"""What a roster import does to the people already stored: found by CCCD, each good row becomes
a new person, an update of changed fields, a union join, a return to work or a transfer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from thidua.accounts.models import Role
from thidua.org.models import Unit
from thidua.org.permissions import can
from thidua.people.imports.rows import RosterRow, Units
from thidua.people.models import Employment, Membership, Person
from thidua.people.services.privacy import CCCD_CONFLICT
from thidua.platform.actor import Actor
from thidua.platform.spreadsheets.importer import RowImporter
from thidua.platform.spreadsheets.spool import Spool, regroup
from thidua.platform.text import vn_date

IN_CHUNK = 900  # SQLite's default limit of variables per statement is 999
PLAN_BATCH = 5000  # rows decided at a time: their stored people are all that is loaded
# never who or where (issue 10 §2): the same words as the form's (`people.services.privacy`)
OUT_OF_SCOPE = CCCD_CONFLICT
COMPARED = ("full_name", "gender", "birth_date", "ethnicity", "position", "phone", "email")


def chunks(items: list[Any], size: int | None = None) -> Iterator[list[Any]]:
    if size is None:
        # PostgreSQL takes large IN lists (and plans each look-up once, not 100 times)
        size = 20_000 if connection.vendor == "postgresql" else IN_CHUNK
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass
class Existing:
    pk: int
    version: int
    fields: dict[str, Any]
    member_code: str | None
    union_joined_on: dt.date | None = None
    emp: tuple[int, str, dt.date] | None = None  # unit id, unit path, valid_from
    mem: tuple[int, str, dt.date] | None = None
    emp_end: dt.date | None = None  # end of the last closed employment
    mem_end: dt.date | None = None
    past_paths: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What the write will do. The new people, most of a first import, wait on disk; the
    changes to known people are kept in memory."""

    new: Spool[RosterRow] = field(default_factory=Spool)
    new_members: int = 0  # new people who are members: each takes a member code
    updates: list[tuple[Existing, dict[str, Any]]] = field(default_factory=list)
    joins: list[tuple[Existing, RosterRow, int]] = field(default_factory=list)
    moves: list[tuple[Existing, Unit]] = field(default_factory=list)
    rehires: list[tuple[Existing, Unit, dt.date]] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    unchanged: int = 0
    conflicts: list[RosterRow] = field(default_factory=list)  # CCCDs managed by others

    def close(self) -> None:
        self.new.close()


def load_existing(cccds: list[str]) -> dict[str, Existing]:
    found: dict[str, Existing] = {}
    for chunk in chunks(cccds):
        for rec in Person.objects.filter(cccd__in=chunk).order_by().values(
                "pk", "cccd", "version", "member_code", "union_joined_on", *COMPARED):
            found[rec["cccd"]] = Existing(
                rec["pk"], rec["version"], {f: rec[f] for f in COMPARED}, rec["member_code"],
                rec["union_joined_on"])
    by_pk = {e.pk: e for e in found.values()}
    ids = list(by_pk)
    for model, attr in ((Employment, "emp"), (Membership, "mem")):
        for chunk in chunks(ids):
            for pid, uid, path, start, end in model.objects.filter(person_id__in=chunk).order_by().values_list(
                    "person_id", "unit_id", "unit__path", "valid_from", "valid_to"):
                e = by_pk[pid]
                if end is None:
                    setattr(e, attr, (uid, path, start))
                else:
                    e.past_paths.append(path)
                    last = getattr(e, f"{attr}_end")
                    if last is None or end > last:
                        setattr(e, f"{attr}_end", end)
    return found


def plan_rows(rows: Iterable[RosterRow], *, imp: RowImporter[Any, Any], actor: Actor,
              units: Units, day: dt.date) -> Plan:
    """Decide what each good row does, PLAN_BATCH rows at a time; rows refused here are refused
    through `imp`."""
    plan = Plan()
    try:
        for batch in regroup(rows, PLAN_BATCH):
            _plan_batch(plan, batch, imp=imp, actor=actor, units=units, day=day)
    except BaseException:
        plan.close()
        raise
    return plan


def _plan_batch(plan: Plan, rows: list[RosterRow], *, imp: RowImporter[Any, Any], actor: Actor,
                units: Units, day: dt.date) -> None:
    existing = load_existing([r.cccd for r in rows])
    officer = Role.OFFICER
    for row in rows:
        e = existing.get(row.cccd)
        if e is None:
            plan.new.append(row)
            plan.new_members += row.is_member
            continue
        open_paths = [p[1] for p in (e.emp, e.mem) if p is not None]
        in_scope = (all(can(actor, p, officer) for p in open_paths) if open_paths
                    else any(can(actor, p, officer) for p in e.past_paths or [""]))
        if not in_scope:
            plan.conflicts.append(row)  # refused by the importer, within today's allowance
            continue
        changes = {f: v for f, v in row.fields.items() if e.fields.get(f) != v}
        target = row.unit or units.root
        move = None
        rehire = None
        if e.emp is not None:
            current = e.emp[0]
            stay = current == target.pk or (not row.group_given and current in units.ids)
            if not stay:
                starts = [p[2] for p in (e.emp, e.mem) if p is not None]
                if day < max(starts):
                    key, value = ("group", target.code) if row.group_given else ("cccd", row.cccd)
                    imp.refuse(
                        row.row, key, value,
                        f"Người này ở đơn vị hiện tại từ ngày {vn_date(max(starts))}, sau ngày "
                        f"hiệu lực {vn_date(day)}: không chuyển đơn vị được với ngày hiệu lực này.",
                    )
                    continue
                move = target
        else:
            rehire = (target, max(day, e.emp_end) if e.emp_end else day)
        join = row.is_member and e.mem is None
        if not row.is_member and e.mem is not None and row.member_explicit:
            imp.warn(
                row.row, "is_member", "Không",
                "Người này đang là đoàn viên; nhập danh sách không chấm dứt sinh hoạt công đoàn. "
                "Nếu người này đã ra khỏi tổ chức Công đoàn, hãy ghi nhận trên trang hồ sơ.",
            )
        if not (changes or move or rehire or join):
            plan.unchanged += 1
            continue
        plan.touched.add(e.pk)
        if changes:
            plan.updates.append((e, changes))
        if join:
            # opened where the person is now; a move below carries it along
            home = e.emp[0] if e.emp is not None and move is not None else target.pk
            plan.joins.append((e, row, home))
        if move is not None:
            plan.moves.append((e, move))
        if rehire is not None:
            plan.rehires.append((e, *rehire))
