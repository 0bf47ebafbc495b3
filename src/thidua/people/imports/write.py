"""The roster import's bulk write: COPY on PostgreSQL, executemany on SQLite, bulk updates,
and the transfers, all inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from thidua.org.models import Unit
from thidua.people.figures import people_figures, people_figures_add
from thidua.people.imports.plan import Existing, Plan, chunks
from thidua.people.imports.rows import fold_name
from thidua.people.models import Employment, Membership, MembershipEvent, MembershipStatus, Person
from thidua.people.services import member_codes_reserve, people_transfer
from thidua.platform.collation import person_order_key
from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.spool import regroup
from thidua.platform.text import vn_date

BATCH = 2000
WRITE_BATCH = 5000  # new people written at a time (their tuples are all that is in memory)
PERSON_COLUMNS = ["full_name", "name_folded", "sort_name", "birth_date", "gender", "cccd",
                  "ethnicity", "position", "phone", "email", "member_code", "union_joined_on",
                  "version", "created_at", "updated_at"]


def ranges(ids: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> "1-3,7,9-10": the audit entry of a 100.000-row import stays small."""
    if not ids:
        return ""
    ids = sorted(ids)
    parts = []
    start = prev = ids[0]
    tail: list[int | None] = [*ids[1:], None]
    for i in tail:
        if i is not None and i == prev + 1:
            prev = i
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if i is not None:
            start = prev = i
    return ",".join(parts)


def insert_rows(model: type[Any], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows: COPY on PostgreSQL, one prepared statement per batch (executemany) on
    SQLite. Django's
    bulk_create splits a batch into statements of at most 999 parameters on SQLite and prepares
    every value through the field API; for 100.000 rows that is most of an import's time."""
    if not rows:
        return
    qn = connection.ops.quote_name
    fields = [model._meta.get_field(c) for c in columns]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one round trip: 3× faster than executemany there
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for batch in chunks(rows, BATCH):
            cursor.executemany(sql, batch)


def update_column(model: type[Any], column: str, values: list[tuple[Any, Any]]) -> None:
    """Set `column` of many rows, given as (primary key, value) pairs: one UPDATE joined to the
    pairs unnested on PostgreSQL, one prepared statement per batch on SQLite. Django's
    `bulk_update` writes a CASE with a branch per row, which PostgreSQL evaluates for every row
    of the batch: 0,43 s for the 1.568 awards tied to their candidates on loading the 0,002
    nation, against 0,06 s this way (bench/README.md, session 41)."""
    if not values:
        return
    qn = connection.ops.quote_name
    table, pk, field = (qn(model._meta.db_table), model._meta.pk,
                        model._meta.get_field(column))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for batch in chunks(values, 100_000):
                cursor.execute(
                    f"UPDATE {table} t SET {qn(field.column)} = v.value "  # noqa: S608
                    f"FROM unnest(%s::{pk.db_type(connection)}[], "
                    f"%s::{field.db_type(connection)}[]) AS v(id, value) "
                    f"WHERE t.{qn(pk.column)} = v.id",
                    [[k for k, _ in batch], [v for _, v in batch]])
            return
        sql = f"UPDATE {table} SET {qn(field.column)} = %s WHERE {qn(pk.column)} = %s"  # noqa: S608
        for batch in chunks(values, BATCH):
            cursor.executemany(sql, [(v, k) for k, v in batch])


def _membership_opening(join_date: dt.date, start: dt.date) -> tuple[str, str]:
    """How a membership period that starts on `start` opened: a join on that very day, else the
    person, a member since `join_date`, starts taking part in this unit (the roster says so)."""
    if join_date >= start:
        return MembershipEvent.JOIN.value, ""
    return MembershipEvent.TRANSFER.value, f"Vào Công đoàn ngày {vn_date(join_date)}"


def write_plan(plan: Plan, *, day: dt.date) -> dict[str, Any]:
    """Write the plan. The figures (people.figures) follow in bulk: the periods of the known
    people it touches are grouped before and after, the new people's after, and the difference
    is upserted once."""
    touched = {e.pk for e, changes in plan.updates if "gender" in changes}
    touched |= {e.pk for e, _, _ in plan.joins} | {e.pk for e, _, _ in plan.rehires}
    touched |= {e.pk for e, _ in plan.moves}
    with people_figures(touched):
        return _write_plan(plan, day=day)


def _write_new(plan: Plan, *, day: dt.date, now: dt.datetime, codes: Iterator[str]) -> list[int]:
    """The new people, with their employment and membership, WRITE_BATCH rows at a time, read
    back from the plan's spool: the new ids (sorted)."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    day_db = ops.adapt_datefield_value(day)
    created_ids: list[int] = []
    for batch in regroup(plan.new, WRITE_BATCH):
        before = Person.objects.aggregate(last=Max("pk"))["last"] or 0
        insert_rows(Person, PERSON_COLUMNS, [
            (f["full_name"], fold_name(f["full_name"]), person_order_key(f["full_name"]),
             ops.adapt_datefield_value(r.birth_date),
             f["gender"], r.cccd, f.get("ethnicity", ""), f.get("position", ""),
             f.get("phone", ""), f.get("email", ""), next(codes) if r.is_member else None,
             ops.adapt_datefield_value(r.join_date if r.is_member else None), 1, stamp, stamp)
            for r in batch for f in (r.fields,)
        ])
        # New ids come from the sequence after `before`; rows others committed meanwhile
        # (never with these CCCDs: the column is unique) are told apart by CCCD.
        new_cccds = {r.cccd for r in batch}
        pk_by_cccd = {
            c: pk for pk, c in Person.objects.filter(pk__gt=before).order_by().values_list(
                "pk", "cccd")
            if c in new_cccds
        }
        employments = []
        memberships = []
        for r in batch:
            pk = pk_by_cccd[r.cccd]
            assert r.unit is not None  # rows without a resolved unit never reach the plan
            # The roster says who is in the unit from the effective date on: the periods in the
            # unit start then, never at the union join date (that would change the unit's past
            # figures and the months of service). The join date is kept on the person.
            if r.is_member and r.join_date:
                opened, note = _membership_opening(r.join_date, day)
                memberships.append((pk, r.unit.pk, MembershipStatus.ACTIVE.value, opened, "",
                                    day_db, note))
            employments.append((pk, r.unit.pk, day_db))
        insert_rows(Employment, ["person", "unit", "valid_from"], employments)
        insert_rows(Membership, ["person", "unit", "status", "opened_by", "closed_by",
                                 "valid_from", "note"], memberships)
        created_ids.extend(pk_by_cccd.values())
    created_ids.sort()
    people_figures_add(created_ids)
    return created_ids


def _write_plan(plan: Plan, *, day: dt.date) -> dict[str, Any]:
    now = timezone.now()
    # Someone may have edited a person between the checks and this transaction.
    versions = {e.pk: e.version for e, _ in plan.updates}
    for chunk in chunks(list(versions)):
        for pk, version in Person.objects.filter(pk__in=chunk).values_list("pk", "version"):
            if versions[pk] != version:
                raise ApplicationError(
                    "Một số hồ sơ vừa được người khác sửa trong lúc kiểm tra tệp. Chưa có gì được "
                    "ghi; hãy nhập lại tệp."
                )

    need_codes = plan.new_members + sum(1 for e, _, _ in plan.joins if not e.member_code)
    codes = member_codes_reserve(need_codes)
    created_ids = _write_new(plan, day=day, now=now, codes=codes)

    # changed fields of known people
    changed = []
    changed_fields: set[str] = set()
    updated_log: dict[int, dict[str, Any]] = {}
    for e, changes in plan.updates:
        p = Person(pk=e.pk, **(e.fields | changes))
        p.name_folded = fold_name(p.full_name)
        p.sort_name = person_order_key(p.full_name)
        p.version = e.version + 1
        p.updated_at = now
        changed.append(p)
        changed_fields |= set(changes)
        updated_log[e.pk] = {"id": e.pk, "before": {f: e.fields[f] for f in changes},
                             "after": changes}
    if changed:
        Person.objects.bulk_update(
            changed, sorted(changed_fields | {"name_folded", "sort_name", "version", "updated_at"}),
            batch_size=500)

    # known people who become members, return to work, or move
    joined = []
    coded = []
    for e, r, home in plan.joins:
        # in the unit from the effective date (or after the last membership period ended)
        joined_on = max(d for d in (day, e.mem_end) if d is not None)
        opened, note = (_membership_opening(r.join_date, joined_on) if r.join_date
                        else (MembershipEvent.JOIN.value, ""))
        joined.append(Membership(person_id=e.pk, unit_id=home, valid_from=joined_on,
                                 opened_by=opened, note=note))
        if not e.member_code:
            e.member_code = next(codes)
        coded.append(Person(pk=e.pk, member_code=e.member_code,
                            union_joined_on=e.union_joined_on or r.join_date))
        updated_log.setdefault(e.pk, {"id": e.pk})["joined"] = joined_on
    Membership.objects.bulk_create(joined, batch_size=BATCH)
    if coded:
        Person.objects.bulk_update(coded, ["member_code", "union_joined_on"], batch_size=500)
    Employment.objects.bulk_create(
        [Employment(person_id=e.pk, unit=u, valid_from=back) for e, u, back in plan.rehires],
        batch_size=BATCH)
    for e, u, back in plan.rehires:
        updated_log.setdefault(e.pk, {"id": e.pk})["rehired"] = {"unit": u.code, "date": back}
    by_target: dict[int, tuple[Unit, list[Existing]]] = {}
    for e, target in plan.moves:
        by_target.setdefault(target.pk, (target, []))[1].append(e)
    codes_by_id = dict(Unit.objects.filter(
        pk__in={e.emp[0] for e, _ in plan.moves if e.emp}).values_list("pk", "code"))
    for target, group in by_target.values():
        for chunk in chunks(group, 400):
            from_ids = sorted({p[0] for e in chunk for p in (e.emp, e.mem) if p is not None})
            people_transfer(person_ids=[e.pk for e in chunk], from_unit_ids=from_ids,
                            to_unit=target, date=day, event=MembershipEvent.TRANSFER)
            for e in chunk:
                updated_log.setdefault(e.pk, {"id": e.pk})["moved"] = {
                    "from": codes_by_id.get(e.emp[0]) if e.emp else None, "to": target.code,
                    "date": day}
    return {"created_ids": ranges(created_ids), "updated_persons": list(updated_log.values())}
