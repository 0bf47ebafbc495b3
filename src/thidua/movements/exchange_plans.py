"""Movements, plans and their deployments in the exchange format (docs/exchange-format.md,
version 7). Registered with `people.exchange_format` from `MovementsConfig.ready`, after the
registrations.

A movement or a plan goes with the subtree of the unit that **issued** it (dumped in full, as
a decision goes with the body that took it). A deployment goes with the subtree of the unit it
was deployed to: the plan of a body above the subtree (the TLĐ's plan launched by a dumped
federation) is then named by its natural key — the issuer's unit code, the year and the number
(`plan_number`) — and a plan's movement issued above by the issuer's code and the movement's
code (`movement_issuer_code`). On load such a key is looked up in the target database, which
must hold the body above's records already (loaded first); a key it lacks is refused with its
file and line before anything is written — or, loaded `without_above`, that row is left out
(a deployment, or just that movement of the plan). The accounts that acknowledged, launched or
created stay behind. Since version 8 the documents attached to a dumped movement or plan go
with it (`files/`). A load keeps the CĐCS' "launched a movement" sums (ADR 0036)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.movements.catalogue import Audience
from thidua.movements.figures import movement_figures
from thidua.movements.models import Attachment, Deployment, Movement, Plan
from thidua.org.models import UnitType
from thidua.people.exchange_format import (
    ABOVE,
    NOT_HELD,
    ExtensionTable,
    Loaded,
    check_once,
    col,
    held_by_key,
    moment,
    new_ids,
    register_table,
    reset_sequences,
)
from thidua.people.imports.write import insert_rows
from thidua.platform.planner import fresh_statistics

SINCE = 7  # the format version that added these tables
FILES_SINCE = 8  # … and the one that added their attached documents
YEARS = (1950, 2100)

MOVEMENTS_SQL = (
    "SELECT m.id, m.issuer_id, m.code, m.name, m.catalogue_code, m.year, m.start_date, "
    "m.end_date, m.audience, m.content FROM movements_movement m "
    "JOIN org_unit i ON i.id = m.issuer_id WHERE i.path LIKE {like} ORDER BY m.id")
PLANS_SQL = (
    "SELECT p.id, p.issuer_id, p.number, p.date, p.year, p.title, p.deadline, p.levels, "
    "p.deployed_at FROM movements_plan p JOIN org_unit i ON i.id = p.issuer_id "
    "WHERE i.path LIKE {like} ORDER BY p.id")
# a plan's movement issued inside the subtree by its id, one issued above by its natural key
PLAN_MOVEMENTS_SQL = (
    "SELECT pm.plan_id, CASE WHEN mi.path LIKE {like} THEN pm.movement_id END, "
    "CASE WHEN mi.path LIKE {like} THEN NULL ELSE mi.code END, "
    "CASE WHEN mi.path LIKE {like} THEN NULL ELSE m.code END "
    "FROM movements_plan_movements pm JOIN movements_plan p ON p.id = pm.plan_id "
    "JOIN org_unit i ON i.id = p.issuer_id JOIN movements_movement m ON m.id = pm.movement_id "
    "JOIN org_unit mi ON mi.id = m.issuer_id WHERE i.path LIKE {like} ORDER BY pm.id")
# the deployments to the units of the subtree; a plan issued above it by its natural key
DEPLOYMENTS_SQL = (
    "SELECT CASE WHEN i.path LIKE {like} THEN d.plan_id END, "
    "CASE WHEN i.path LIKE {like} THEN NULL ELSE i.code END, "
    "CASE WHEN i.path LIKE {like} THEN NULL ELSE p.year END, "
    "CASE WHEN i.path LIKE {like} THEN NULL ELSE p.number END, "
    "d.unit_id, d.unit_type, d.acknowledged_at, d.launched_on, d.launched_at, d.note "
    "FROM movements_deployment d JOIN org_unit u ON u.id = d.unit_id "
    "JOIN movements_plan p ON p.id = d.plan_id JOIN org_unit i ON i.id = p.issuer_id "
    "WHERE u.path LIKE {like} ORDER BY d.id")
# the documents of the movements and plans dumped in full; the file's stored name, which the
# dump copies into files/ and replaces by its digest
ATTACHMENTS_SQL = (
    "SELECT a.movement_id, a.plan_id, a.original_name, a.file, a.uploaded_at "
    "FROM movements_attachment a LEFT JOIN movements_movement m ON m.id = a.movement_id "
    "LEFT JOIN movements_plan p ON p.id = a.plan_id "
    "JOIN org_unit i ON i.id = COALESCE(m.issuer_id, p.issuer_id) "
    "WHERE i.path LIKE {like} ORDER BY a.id")

PlanKey = tuple[str, int, str]  # issuer's code, year, number
MovementKey = tuple[str, str]  # issuer's code, movement's code


def plans_held(keys: set[PlanKey]) -> dict[PlanKey, int]:
    """The plans of the target database with these natural keys: key -> id."""
    found: dict[PlanKey, int] = {}
    codes = {k[0] for k in keys}
    for pk, code, year, number in Plan.objects.filter(issuer__code__in=codes).values_list(
            "pk", "issuer__code", "year", "number").order_by():
        if (code, year, number) in keys:
            found[code, year, number] = pk
    return found


def movements_held(keys: set[MovementKey]) -> dict[MovementKey, int]:
    """The movements of the target database with these natural keys: key -> id."""
    found: dict[MovementKey, int] = {}
    codes = {k[0] for k in keys}
    for pk, issuer, code in Movement.objects.filter(issuer__code__in=codes).values_list(
            "pk", "issuer__code", "code").order_by():
        if (issuer, code) in keys:
            found[issuer, code] = pk
    return found


# --- movements -----------------------------------------------------------------------------


def _check_movements(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if r[6] is not None and r[7] is not None and r[7] < r[6]:
            add(line, "ngày kết thúc (end_date) trước ngày bắt đầu (start_date).")
    check_once(rows, add, lambda r: (r[1], r[2]),
               lambda r, first: f"đơn vị {r[1]} đã có phong trào mã «{r[2]}» ở dòng {first}.")


def _load_movements(data: Loaded) -> dict[int, int]:
    new = new_ids(Movement, data.rows)
    insert_rows(Movement, ["id", "issuer", "code", "name", "catalogue_code", "year",
                           "start_date", "end_date", "audience", "content", "created_at",
                           "updated_at"],
                [(new[r[0]], data.new_unit[r[1]], r[2], r[3], r[4] or "", r[5], r[6], r[7], r[8],
                  r[9] or "", data.stamp, data.stamp) for r in data.rows])
    reset_sequences(Movement)
    fresh_statistics({Movement: len(new)})
    return new


# --- plans ---------------------------------------------------------------------------------


def _check_plans(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[1], r[4], r[2]),
               lambda r, first: f"đơn vị {r[1]} đã có kế hoạch số {r[2]} năm {r[4]} ở dòng "
                                f"{first}.")


def _load_plans(data: Loaded) -> dict[int, int]:
    new = new_ids(Plan, data.rows)
    insert_rows(Plan, ["id", "issuer", "number", "date", "year", "title", "deadline", "levels",
                       "created_at", "deployed_at"],
                [(new[r[0]], data.new_unit[r[1]], r[2], r[3], r[4], r[5], r[6], r[7] or "[]",
                  data.stamp, moment(r[8])) for r in data.rows])
    reset_sequences(Plan)
    fresh_statistics({Plan: len(new)})
    return new


# --- a plan's movements --------------------------------------------------------------------


def _movement_key(r: list[Any]) -> MovementKey | None:
    return (r[2], r[3]) if r[1] is None and r[2] is not None and r[3] is not None else None


def _check_plan_movements(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        by_id = r[1] is not None and r[2] is None and r[3] is None
        if not by_id and _movement_key(r) is None:
            add(line, "mỗi dòng ghi đúng một phong trào: movement_id (phong trào có trong tệp) "
                      "hoặc movement_issuer và movement_code (phong trào của cấp trên).")
    check_once(rows, add, lambda r: (r[0], r[1], r[2], r[3]),
               lambda r, first: f"phong trào này đã có trong kế hoạch {r[0]} ở dòng {first}.")


_unheld_plan_movements, _check_plan_movements_held = held_by_key(
    "plan_movements", _movement_key, movements_held,
    lambda k: f"Phong trào mã «{k[1]}» của đơn vị {k[0]} {ABOVE}")


def _load_plan_movements(data: Loaded) -> None:
    plans, movements = data.new_ids["plans"], data.new_ids.get("movements", {})
    held = movements_held({k for r in data.rows if (k := _movement_key(r)) is not None})
    through = Plan.movements.through
    insert_rows(through, ["plan", "movement"],
                [(plans[r[0]], movements[r[1]] if r[1] is not None else held[r[2], r[3]])
                 for r in data.rows])
    reset_sequences(through)
    fresh_statistics({through: len(data.rows)})


# --- deployments ---------------------------------------------------------------------------


def _plan_key(r: list[Any]) -> PlanKey | None:
    if r[0] is None and r[1] is not None and r[2] is not None and r[3] is not None:
        return (r[1], r[2], r[3])
    return None


def _check_deployments(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        given = [v is not None for v in r[1:4]]
        if (r[0] is None and not all(given)) or (r[0] is not None and any(given)):
            add(line, "mỗi lần triển khai ghi đúng một kế hoạch: plan_id (kế hoạch có trong "
                      "tệp) hoặc đủ plan_issuer, plan_year và plan_number (kế hoạch của cấp "
                      "trên).")
    check_once(rows, add, lambda r: (r[0], r[1], r[2], r[3], r[4]),
               lambda r, first: f"kế hoạch này đã triển khai đến đơn vị {r[4]} ở dòng {first}.")


_unheld_deployments, _check_deployments_held = held_by_key(
    "deployments", _plan_key, plans_held,
    lambda k: f"Kế hoạch số {k[2]} năm {k[1]} của đơn vị {k[0]} {ABOVE}")


def _load_deployments(data: Loaded) -> None:
    plans, unit = data.new_ids.get("plans", {}), data.new_unit
    held = plans_held({k for r in data.rows if (k := _plan_key(r)) is not None})
    # the loaded units' launches: their figures before and after these rows (ADR 0036)
    with movement_figures(unit.values()):
        insert_rows(Deployment, ["plan", "unit", "unit_type", "acknowledged_at", "launched_on",
                                 "launched_at", "note"],
                    [(plans[r[0]] if r[0] is not None else held[r[1], r[2], r[3]], unit[r[4]],
                      r[5], moment(r[6]), r[7], moment(r[8]), r[9] or "")
                     for r in data.rows])
        reset_sequences(Deployment)
        fresh_statistics({Deployment: len(data.rows)})


# --- attached documents --------------------------------------------------------------------


def _check_attachments(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if (r[0] is None) == (r[1] is None):
            add(line, "mỗi tài liệu gắn với đúng một phong trào (movement_id) hoặc một kế "
                      "hoạch (plan_id).")


def _load_attachments(data: Loaded) -> None:
    movements, plans = data.new_ids.get("movements", {}), data.new_ids.get("plans", {})
    rows = []
    for r in data.rows:
        stored = data.store(r[3], r[2], Attachment.rules)
        rows.append((movements[r[0]] if r[0] is not None else None,
                     plans[r[1]] if r[1] is not None else None, stored.name,
                     stored.name.rsplit("/", 1)[-1], stored.original_name, stored.kind,
                     stored.size, stored.sha256,
                     moment(r[4]) if r[4] is not None else data.stamp))
    insert_rows(Attachment, ["movement", "plan", "file", "stored_name", "original_name", "kind",
                             "size", "sha256", "uploaded_at"], rows)
    reset_sequences(Attachment)


MOVEMENTS = ExtensionTable(
    name="movements",
    columns=[col("id", "int", True), col("issuer_id", "int", True),
             col("code", required=True, max_length=40), col("name", required=True, max_length=255),
             col("catalogue_code", max_length=40), col("year", "int", True, limits=YEARS),
             col("start_date", "date", True), col("end_date", "date", True),
             col("audience", "choice", True, tuple(c for c, _ in Audience.CHOICES)),
             col("content")],
    dump_sql=MOVEMENTS_SQL, references=((1, "units"),), load=_load_movements,
    check=_check_movements, since=SINCE)

PLANS = ExtensionTable(
    name="plans",
    columns=[col("id", "int", True), col("issuer_id", "int", True),
             col("number", required=True, max_length=60), col("date", "date", True),
             col("year", "int", True, limits=YEARS), col("title", required=True, max_length=500),
             col("deadline", "date"), col("levels", "json"), col("deployed_at", "datetime")],
    dump_sql=PLANS_SQL, references=((1, "units"),), load=_load_plans, check=_check_plans,
    since=SINCE)

PLAN_MOVEMENTS = ExtensionTable(
    name="plan_movements",
    columns=[col("plan_id", "int", True), col("movement_id", "int"),
             col("movement_issuer", max_length=40), col("movement_code", max_length=40)],
    dump_sql=PLAN_MOVEMENTS_SQL, references=((0, "plans"), (1, "movements")),
    load=_load_plan_movements, check=_check_plan_movements,
    check_dump=_check_plan_movements_held, unheld=_unheld_plan_movements,
    unheld_why=f"phong trào của cấp trên {NOT_HELD}", since=SINCE)

DEPLOYMENTS = ExtensionTable(
    name="deployments",
    columns=[col("plan_id", "int"), col("plan_issuer", max_length=40),
             col("plan_year", "int", limits=YEARS), col("plan_number", max_length=60),
             col("unit_id", "int", True),
             col("unit_type", "choice", True, tuple(UnitType.values)),
             col("acknowledged_at", "datetime"), col("launched_on", "date"),
             col("launched_at", "datetime"), col("note")],
    dump_sql=DEPLOYMENTS_SQL, references=((0, "plans"), (4, "units")),
    load=_load_deployments, check=_check_deployments, check_dump=_check_deployments_held,
    unheld=_unheld_deployments, unheld_why=f"kế hoạch của cấp trên {NOT_HELD}", since=SINCE)

ATTACHMENTS = ExtensionTable(
    name="movement_attachments",
    columns=[col("movement_id", "int"), col("plan_id", "int"),
             col("original_name", required=True, max_length=255),
             col("file", "file", True, Attachment.rules.kinds), col("uploaded_at", "datetime")],
    dump_sql=ATTACHMENTS_SQL, references=((0, "movements"), (1, "plans")),
    load=_load_attachments, check=_check_attachments, since=FILES_SINCE)


def register() -> None:
    for table in (MOVEMENTS, PLANS, PLAN_MOVEMENTS, DEPLOYMENTS, ATTACHMENTS):
        register_table(table)
